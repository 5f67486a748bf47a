// The set-up in the pages (issue "the school sets up its own year"; docs/web.md): a new rule, a
// rule switched off and on, its timing in the school's words, a rule removed; a group added and
// its formatie changed from a date; a test period copied, its tests changed, removed; and the
// page of the whole set-up, read-only for the bestuurder.
#include <catch2/catch.hpp>

#include <fstream>

#include "daemon/web/context.hpp"
#include "daemon_fixture.hpp"
#include "jaarkalender/loader.hpp"

using namespace jk;
using namespace jk::daemon;
using namespace jk::daemon::testing;

namespace {

const LoadedSchool& loaded(Daemon& d) {
    return *d.schools().snapshot()->schools.at("voorbeeldschool")->school;
}

/// The events of a rule still to come (after the clock's day) that are not cancelled.
size_t planned(Daemon& d, const std::string& rule_id) {
    const Date after = *parse_date("2026-12-01");
    size_t n = 0;
    for (const auto held = d.schools().snapshot()->schools.at("voorbeeldschool")->plan.load();
         const Event& e : held->events)
        n += e.rule == rule_id && e.status != EventStatus::cancelled && e.date > after;
    return n;
}

/// Previews, checks that nothing is stored, then saves; returns the preview's page.
std::string preview_and_save(Daemon& d, const std::string& slug, const std::string& fields) {
    const auto before = d.schools().snapshot()->schools.at("voorbeeldschool")->input_version;
    auto preview = d.page("erik", "/wijzigingen/nieuw/" + slug, fields + "&actie=bekijk");
    INFO(preview.body);
    REQUIRE(preview.status == 200);
    CHECK(d.schools().snapshot()->schools.at("voorbeeldschool")->input_version == before);
    auto saved = d.page("erik", "/wijzigingen/nieuw/" + slug, fields + "&actie=opslaan");
    INFO(saved.body);
    CHECK(saved.status == 303);
    return preview.body;
}

/// The form of `target` as the page fills it in, sent back with `changes` (name=value pairs,
/// url-encoded) in place of what the page had: what a person does in the browser.
std::string filled_form(Daemon& d, const std::string& target,
                        const std::vector<std::pair<std::string, std::string>>& changes) {
    auto form = d.page("erik", target);
    REQUIRE(form.status == 200);
    // Every input's value, every checked box and radio, every selected option.
    std::vector<std::pair<std::string, std::string>> fields;
    const std::string& b = form.body;
    for (size_t at = 0; (at = b.find("<input ", at)) != std::string::npos; ++at) {
        const std::string tag = b.substr(at, b.find('>', at) - at);
        auto attr = [&](const std::string& name) {
            const size_t p = tag.find(" " + name + "=\"");
            if (p == std::string::npos) return std::string();
            const size_t s = p + name.size() + 3;
            return tag.substr(s, tag.find('"', s) - s);
        };
        const std::string type = attr("type"), name = attr("name");
        if (name.empty() || name == "csrf") continue;
        if ((type == "checkbox" || type == "radio") && tag.find(" checked") == std::string::npos)
            continue;
        fields.emplace_back(name, attr("value"));
    }
    for (size_t at = 0; (at = b.find("<select ", at)) != std::string::npos; ++at) {
        const size_t n = b.find("name=\"", at) + 6;
        const std::string name = b.substr(n, b.find('"', n) - n);
        const size_t end = b.find("</select>", at);
        const size_t sel = b.find("\" selected>", at);
        if (sel != std::string::npos && sel < end) {
            const size_t v = b.rfind("value=\"", sel) + 7;
            fields.emplace_back(name, b.substr(v, sel - v));
        }
    }
    for (const auto& [name, value] : changes) {
        std::erase_if(fields, [&](const auto& f) { return f.first == name; });
    }
    for (const auto& [name, value] : changes)
        if (!value.empty()) fields.emplace_back(name, value);
    std::string out;
    for (const auto& [name, value] : fields) {
        std::string v = value;
        // The page escapes what it shows; the browser sends it unescaped.
        for (const auto& [esc, raw] : std::vector<std::pair<std::string, std::string>>{
                 {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}})
            for (size_t p; (p = v.find(esc)) != std::string::npos;) v.replace(p, esc.size(), raw);
        out += (out.empty() ? "" : "&") + url_encode(name) + "=" + url_encode(v);
    }
    return out;
}

}  // namespace

TEST_CASE("set-up pages: a new rule in the school's words", "[io][setup][web]") {
    Daemon d("setup-new-rule");
    auto form = d.page("erik", "/wijzigingen/nieuw/regel?rule.id=nieuw");
    REQUIRE(form.status == 200);
    CHECK(form.body.find("elke groep") != std::string::npos);
    CHECK(form.body.find("iedereen met de rol bouwcoördinator") != std::string::npos);
    CHECK(form.body.find("de IB&#39;er, of anders de schoolleider") != std::string::npos);
    const std::string fields = filled_form(d, "/wijzigingen/nieuw/regel?rule.id=nieuw",
                                           {{"rule.title", "Groepsbezoek {group}"},
                                            {"rule.for_each", "group"},
                                            {"rule.attendees", "any:role:ib|schoolleider"},
                                            {"rule.minutes", "30"},
                                            {"rule.slot", "lessons"},
                                            {"rule.count", "1"}});
    const std::string preview = preview_and_save(d, "regel", fields);
    CHECK(preview.find("Regel &#39;Groepsbezoek&#39; toegevoegd") != std::string::npos);
    CHECK(preview.find("Groepsbezoek") != std::string::npos);
    const Rule* r = loaded(d).rules.rule("groepsbezoek");
    REQUIRE(r);
    CHECK(r->for_each.kind == SubjectKind::group);
    CHECK(r->minutes == 30);
    CHECK(r->slot.kind == SlotKind::lessons);
    CHECK(planned(d, "groepsbezoek") > 0);
    // The same title again is another rule, with an id of its own.
    auto again = d.page("erik", "/wijzigingen/nieuw/regel", fields + "&actie=bekijk");
    CHECK(again.body.find("Groepsbezoek") != std::string::npos);

    // A weekly meeting in words: every other Thursday at 15:30, on the next staff day when closed.
    const std::string weekly = filled_form(d, "/wijzigingen/nieuw/regel?rule.id=nieuw",
                                           {{"rule.title", "Bouwoverleg onderbouw"},
                                            {"rule.for_each", "school"},
                                            {"rule.attendees", "role:schoolleider"},
                                            {"rule.slot", "fixed"},
                                            {"rule.time", "15:30"},
                                            {"rule.timing", "recurrence"},
                                            {"rule.every", "2"},
                                            {"rule.weekday", "do"},
                                            {"rule.on_closed_day", "next_staff_day"}});
    preview_and_save(d, "regel", weekly);
    const Rule* w = loaded(d).rules.rule("bouwoverleg-onderbouw");
    REQUIRE(w);
    const auto* rec = std::get_if<RecurrenceTiming>(&w->timing);
    REQUIRE(rec);
    CHECK(rec->rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    CHECK(rec->on_closed_day == OnClosedDay::next_staff_day);
    CHECK(w->slot.fixed_start == 15 * 60 + 30);

    // Without a name, or with a date that is none: at the field, with what was typed.
    auto bad = d.page(
        "erik", "/wijzigingen/nieuw/regel",
        filled_form(d, "/wijzigingen/nieuw/regel?rule.id=nieuw",
                    {{"rule.title", ""}, {"rule.timing", "dates"}, {"rule.dates", "31-2-2027"}}) +
            "&actie=bekijk");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("geef de regel een naam") != std::string::npos);
    CHECK(bad.body.find("&#39;31-2-2027&#39; is geen datum") != std::string::npos);
    CHECK(bad.body.find("value=\"31-2-2027\"") != std::string::npos);
}

TEST_CASE("set-up pages: a rule switched off and on, its timing changed, removed",
          "[io][setup][web]") {
    Daemon d("setup-rule-off");
    REQUIRE(planned(d, "klassenconsultatie") > 0);
    const std::string off = filled_form(d, "/wijzigingen/nieuw/regel?rule.id=klassenconsultatie",
                                        {{"rule.active", "nee"}});
    const std::string preview = preview_and_save(d, "regel", off);
    CHECK(preview.find("Regel &#39;Klassenconsultatie&#39; uitgezet") != std::string::npos);
    CHECK(preview.find("Vervallen") != std::string::npos);
    // Off: kept, planning nothing, and neither does its nabespreking.
    CHECK(!loaded(d).rules.rule("klassenconsultatie"));
    CHECK(loaded(d).rules.any_rule("klassenconsultatie"));
    CHECK(loaded(d).rules.any_rule("nabespreking"));
    const Date now = *parse_date("2026-12-01");  // after the clock's day
    for (const auto held = d.schools().snapshot()->schools.at("voorbeeldschool")->plan.load();
         const Event& e : held->events)
        if ((e.rule == "klassenconsultatie" || e.rule == "nabespreking") && e.date > now)
            CHECK(e.status == EventStatus::cancelled);
    auto page = d.page("erik", "/inrichting");
    CHECK(page.body.find("<td>Klassenconsultatie</td>") != std::string::npos);
    CHECK(page.body.find("<td>uit</td>") != std::string::npos);
    // On again: planned again.
    preview_and_save(d, "regel",
                     filled_form(d, "/wijzigingen/nieuw/regel?rule.id=klassenconsultatie",
                                 {{"rule.active", "ja"}}));
    REQUIRE(loaded(d).rules.rule("nabespreking"));
    CHECK(planned(d, "nabespreking") > 0);

    // The groepsbespreking after the midden period only, within 5 school days: only the timing
    // is written, the rest of what the school wrote stays.
    preview_and_save(d, "regel",
                     filled_form(d, "/wijzigingen/nieuw/regel?rule.id=groepsbespreking",
                                 {{"rule.after_periods", "midden"}, {"rule.within", "5"}}));
    const Rule* gb = loaded(d).rules.rule("groepsbespreking");
    REQUIRE(gb);
    const auto* after = std::get_if<AfterPeriodTiming>(&gb->timing);
    REQUIRE(after);
    CHECK(after->periods == std::vector<std::string>{"midden"});
    CHECK(after->within_school_days == 5);
    CHECK(gb->remind_days_before == std::vector<int>{5});

    // Nothing changed: said so.
    auto same = d.page(
        "erik", "/wijzigingen/nieuw/regel",
        filled_form(d, "/wijzigingen/nieuw/regel?rule.id=groepsbespreking", {}) + "&actie=bekijk");
    CHECK(same.status == 400);
    CHECK(same.body.find("er is niets veranderd") != std::string::npos);

    // A meeting whose recurrence the form cannot show (monthly) is switched off as it is.
    const std::string bouw = preview_and_save(
        d, "regel",
        filled_form(d, "/wijzigingen/nieuw/regel?rule.id=bouwoverleg", {{"rule.active", "nee"}}));
    CHECK(bouw.find("Regel &#39;Bouwoverleg&#39; uitgezet") != std::string::npos);

    // Removed (the bouwoverleg: nothing follows it).
    preview_and_save(d, "regel-weg", "id=bouwoverleg");
    CHECK(!loaded(d).rules.any_rule("bouwoverleg"));
    CHECK(planned(d, "bouwoverleg") == 0);
}

TEST_CASE("set-up pages: groups and their formatie", "[io][setup][web]") {
    Daemon d("setup-groups");
    // A new group from its name: the grades come from "Groep 3/4".
    const std::string fields = filled_form(
        d, "/wijzigingen/nieuw/groep?group.id=nieuw",
        {{"group.name", "Groep 3/4"}, {"group.teacher.1", "eva"}, {"group.teacher.1.days", "ma"}});
    const std::string preview = preview_and_save(d, "groep", fields);
    CHECK(preview.find("Groep &#39;Groep 3/4&#39; toegevoegd") != std::string::npos);
    const Group* g = loaded(d).school.group("groep-3-4");
    REQUIRE(g);
    CHECK(g->grades == std::vector<int>{3, 4});
    // The group form opens with what the group is now; a new teacher from a date.
    auto form = d.page("erik", "/wijzigingen/nieuw/groep?group.id=groep-3");
    CHECK(form.body.find("value=\"Groep 3\"") != std::string::npos);
    const auto before = *loaded(d).school.group("groep-3");
    preview_and_save(
        d, "groep",
        filled_form(
            d, "/wijzigingen/nieuw/groep?group.id=groep-3",
            {{"group.teacher.2", "eva"}, {"group.teacher.2.days", "vr"}, {"from", "2027-03-01"}}));
    const Group* g3 = loaded(d).school.group("groep-3");
    REQUIRE(g3);
    CHECK(g3->teachers.size() > before.teachers.size());
    bool eva_from_march = false;
    for (const auto& a : g3->teachers)
        eva_from_march |= a.person == "eva" && a.from == parse_date("2027-03-01");
    CHECK(eva_from_march);
    // A group without a teacher: at the field.
    auto bad = d.page("erik", "/wijzigingen/nieuw/groep",
                      "group.id=nieuw&group.name=Groep+Z&actie=bekijk");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("kies minstens één leerkracht") != std::string::npos);
    CHECK(bad.body.find("geen leerjaar") != std::string::npos);
    // Removed.
    preview_and_save(d, "groep-weg", "group=groep-3-4");
    CHECK(!loaded(d).school.group("groep-3-4"));
}

TEST_CASE("set-up pages: a test period copied, its tests changed, removed", "[io][setup][web]") {
    Daemon d("setup-periods");
    auto form = d.page("erik",
                       "/wijzigingen/nieuw/toetsperiode?test_period.id=nieuw&"
                       "test_period.copy_of=midden");
    REQUIRE(form.status == 200);
    CHECK(form.body.find("value=\"Toetsperiode midden (kopie)\"") != std::string::npos);
    CHECK(form.body.find("value=\"Rekenen-Wiskunde\"") != std::string::npos);
    const std::string copy = filled_form(
        d, "/wijzigingen/nieuw/toetsperiode?test_period.id=nieuw&test_period.copy_of=midden",
        {{"test_period.name", "Toetsperiode herfst"},
         {"test_period.from", "2027-03-15"},
         {"test_period.to", "2027-03-26"}});
    const std::string preview = preview_and_save(d, "toetsperiode", copy);
    CHECK(preview.find("Toetsperiode &#39;Toetsperiode herfst&#39; toegevoegd") !=
          std::string::npos);
    const TestPeriod* p = loaded(d).rules.period("toetsperiode-herfst");
    REQUIRE(p);
    CHECK(p->tests.size() == loaded(d).rules.period("midden")->tests.size());
    // One test less, one with other grades: the period is written again with its tests.
    const std::string fewer =
        filled_form(d, "/wijzigingen/nieuw/toetsperiode?test_period.id=toetsperiode-herfst",
                    {{"test_period.test.1.name", ""},
                     {"test_period.test.1.grades", ""},
                     {"test_period.test.1.minutes", ""},
                     {"test_period.test.2.grades", "4, 5"}});
    preview_and_save(d, "toetsperiode", fewer);
    p = loaded(d).rules.period("toetsperiode-herfst");
    REQUIRE(p);
    CHECK(p->tests.size() == loaded(d).rules.period("midden")->tests.size() - 1);
    CHECK(p->tests.at(0).grades == std::vector<int>{4, 5});
    CHECK(p->range.from == parse_date("2027-03-15"));
    // Grades that are no grades: at their field.
    auto bad = d.page("erik", "/wijzigingen/nieuw/toetsperiode",
                      filled_form(d, "/wijzigingen/nieuw/toetsperiode?test_period.id=midden",
                                  {{"test_period.test.1.grades", "negen"}}) +
                          "&actie=bekijk");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("&#39;negen&#39; is geen groep") != std::string::npos);
    // Removed.
    preview_and_save(d, "toetsperiode-weg", "id=toetsperiode-herfst");
    CHECK(!loaded(d).rules.period("toetsperiode-herfst"));
}

TEST_CASE("set-up pages: the whole set-up, changed by the leads and read by the bestuurder",
          "[io][setup][web]") {
    Daemon d("setup-page");
    auto lead = d.page("anna", "/inrichting");
    REQUIRE(lead.status == 200);
    for (const char* s :
         {"id=\"school\"", "id=\"mensen\"", "id=\"groepen\"", "id=\"toetskalender\"",
          "id=\"regels\"", "Anna de Vries", "intern begeleider", "Groep 4/5", "Toetsperiode midden",
          "/wijzigingen/nieuw/werkdagen?person=anna", "/wijzigingen/nieuw/groep?group.id=groep-3",
          "test_period.copy_of=midden", "/wijzigingen/nieuw/regel-weg?id="})
        CHECK(lead.body.find(s) != std::string::npos);
    // The bestuurder reads it, without a link that changes anything.
    auto board = d.page("fatima", "/inrichting?school=voorbeeldschool");
    REQUIRE(board.status == 200);
    CHECK(board.body.find("Anna de Vries") != std::string::npos);
    CHECK(board.body.find("/wijzigingen/nieuw/") == std::string::npos);
    CHECK(d.page("fatima", "/bestuur").body.find("/inrichting?school=voorbeeldschool") !=
          std::string::npos);
    // A teacher does not.
    CHECK(d.page("bram", "/inrichting").status == 403);
}

TEST_CASE("set-up pages: a colleague's details, roles chosen in words", "[io][setup][web]") {
    Daemon d("setup-person");
    // Nobody chosen yet: only the choice.
    auto choose = d.page("erik", "/wijzigingen/nieuw/gegevens");
    CHECK(choose.body.find("Deze collega openen") != std::string::npos);
    CHECK(choose.body.find("name=\"email\"") == std::string::npos);
    auto form = d.page("erik", "/wijzigingen/nieuw/gegevens?person=ilse");
    CHECK(form.body.find("intern begeleider (IB&#39;er)") != std::string::npos);
    CHECK(form.body.find("value=\"bouwcoordinator\" checked") != std::string::npos);
    CHECK(form.body.find("value=\"bestuurder\"") == std::string::npos);
    // The schoolleider makes Ilse IB'er too, and gives her a role the school did not have.
    const std::string preview = preview_and_save(
        d, "gegevens",
        filled_form(d, "/wijzigingen/nieuw/gegevens?person=ilse",
                    {{"roles", "bouwcoordinator"}, {"roles.other", "gedragsspecialist"}}) +
            "&roles=ib");
    const Person* ilse = loaded(d).school.person("ilse");
    REQUIRE(ilse);
    CHECK(ilse->has_role("ib"));
    CHECK(ilse->has_role("bouwcoordinator"));
    CHECK(ilse->has_role("gedragsspecialist"));
    CHECK(ilse->email == "ilse.peters@voorbeeld.nl");
    // The IB'er may not make someone schoolleider: said at the field.
    auto refused = d.page(
        "anna", "/wijzigingen/nieuw/gegevens",
        filled_form(d, "/wijzigingen/nieuw/gegevens?person=bram", {{"roles", "schoolleider"}}) +
            "&actie=bekijk");
    CHECK(refused.status != 200);
    CHECK(!loaded(d).school.person("bram")->has_role("schoolleider"));
    // Nothing changed: said so.
    auto same =
        d.page("erik", "/wijzigingen/nieuw/gegevens",
               filled_form(d, "/wijzigingen/nieuw/gegevens?person=bram", {}) + "&actie=bekijk");
    CHECK(same.body.find("er is niets veranderd") != std::string::npos);
}

TEST_CASE("set-up pages: the school moves its voorjaarsvakantie", "[io][setup][web]") {
    Daemon d("setup-vacation");
    auto vacation = [&](const std::string& name) -> DateRange {
        for (const Closure& c : loaded(d).calendar.closures())
            if (c.kind == ClosureKind::vakantie && c.name == name) return c.range;
        FAIL("no " << name);
        return {};
    };
    // The form shows the official dates of the region (midden).
    auto form = d.page("erik", "/wijzigingen/nieuw/school");
    CHECK(form.body.find("value=\"2027-02-20\"") != std::string::npos);
    // Moved a week earlier: the herfstvakantie, not touched, is not written.
    const std::string preview =
        preview_and_save(d, "school",
                         filled_form(d, "/wijzigingen/nieuw/school",
                                     {{"school.vacation.voorjaar.from", "2027-02-13"},
                                      {"school.vacation.voorjaar.to", "2027-02-21"}}));
    CHECK(preview.find("Schoolgegevens gewijzigd: vakanties") != std::string::npos);
    CHECK(vacation("Voorjaarsvakantie").from == *parse_date("2027-02-13"));
    CHECK(loaded(d).school.vacations.size() == 1);
    CHECK(loaded(d).calendar.is_school_day(*parse_date("2027-02-24")));
    CHECK(!loaded(d).calendar.is_school_day(*parse_date("2027-02-17")));
    // Moved again: still one block of that name. Through the API, `from: null` takes the
    // school's own dates away.
    preview_and_save(d, "school",
                     filled_form(d, "/wijzigingen/nieuw/school",
                                 {{"school.vacation.voorjaar.from", "2027-02-27"},
                                  {"school.vacation.voorjaar.to", "2027-03-07"}}));
    CHECK(loaded(d).school.vacations.size() == 1);
    CHECK(vacation("Voorjaarsvakantie").from == *parse_date("2027-02-27"));
    auto back = d.call("erik", "POST", "/api/v1/schools/voorbeeldschool/changes",
                       R"({"kind": "school", "school": {"vacation": [{"name": )"
                       R"("Voorjaarsvakantie", "from": null}]}})");
    INFO(back.body);
    CHECK(back.status == 201);
    CHECK(loaded(d).school.vacations.empty());
    CHECK(vacation("Voorjaarsvakantie").from == *parse_date("2027-02-20"));
    // Half a vacation: at the field.
    auto bad =
        d.page("erik", "/wijzigingen/nieuw/school",
               filled_form(d, "/wijzigingen/nieuw/school", {{"school.vacation.herfst.to", ""}}) +
                   "&actie=bekijk");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("kies de eerste en de laatste dag van de vakantie") != std::string::npos);
}

TEST_CASE("official data as data: the daemon plans with the calendars folder's file",
          "[io][setup]") {
    Daemon d("official-file");
    // The file says the herfstvakantie of regio midden 2026-2027 is a week later than the copy
    // built into the program.
    const auto& builtin = builtin_official_holidays();
    std::string text = "source = \"test\"\n";
    for (const OfficialYear& y : builtin.years) {
        auto range = [](const DateRange& r) {
            return "[" + format_date(r.from) + ", " + format_date(r.to) + "]";
        };
        text += "[[year]]\nschool_year = \"" + y.school_year +
                "\"\nprevious_summer = { noord = " + range(y.previous_summer[0]) +
                ", midden = " + range(y.previous_summer[1]) +
                ", zuid = " + range(y.previous_summer[2]) + " }\nvacations = [\n";
        for (const OfficialVacation& v : y.vacations) {
            DateRange midden = v.range[1];
            if (y.school_year == "2026-2027" && v.name == "Herfstvakantie")
                midden = {*parse_date("2026-10-24"), *parse_date("2026-11-01")};
            text += "  { name = \"" + v.name + "\", noord = " + range(v.range[0]) +
                    ", midden = " + range(midden) + ", zuid = " + range(v.range[2]) + " },\n";
        }
        text += "]\n";
    }
    std::filesystem::create_directories(d.dir / "calendars" / "official");
    { std::ofstream(d.dir / "calendars" / "official" / "schoolvakanties.toml") << text; }
    daemon::Services again(d.dir / "calendars", *d.store, d.clock);
    again.schools.reload();
    CHECK(again.schools.official().file.find("schoolvakanties.toml") != std::string::npos);
    const auto& cal = again.schools.snapshot()->schools.at("voorbeeldschool")->school->calendar;
    CHECK(cal.is_school_day(*parse_date("2026-10-19")));
    CHECK(!cal.is_school_day(*parse_date("2026-10-26")));
}

TEST_CASE("next year through the API: the proposal, previewed", "[io][setup][api][next_year]") {
    Daemon d("years-api");
    const std::string years = "/api/v1/schools/voorbeeldschool/years";
    const auto version = d.schools().snapshot()->schools.at("voorbeeldschool")->input_version;
    auto r = d.call("erik", "POST", years, R"({"school_year": "2027-2028", "preview": true})");
    INFO(r.body.substr(0, 2000));
    REQUIRE(r.status == 200);
    const json::object p = json::parse(r.body).as_object();
    CHECK(p.at("school_year").as_string() == "2027-2028");
    CHECK(p.at("first_day").as_string() == "2027-08-30");
    CHECK(p.at("counts").at("planned").to_number<int>() > 200);
    bool midden = false;
    for (const auto& t : p.at("test_periods").as_array())
        midden |= t.at("id").as_string() == "midden" && t.at("from").as_string() == "2028-01-24";
    CHECK(midden);
    CHECK(p.at("people").as_array().size() == loaded(d).school.persons.size());
    bool todo = false;
    for (const auto& t : p.at("todo").as_array())
        todo |= std::string(t.as_string()).find("Datum nog invullen") != std::string::npos;
    CHECK(todo);
    bool kerst = false;
    for (const auto& c : p.at("closures").as_array())
        kerst |=
            c.at("name").as_string() == "Kerstvakantie" && c.at("from").as_string() == "2027-12-25";
    CHECK(kerst);
    // Nothing is stored.
    CHECK(d.schools().snapshot()->schools.at("voorbeeldschool")->input_version == version);
    // A year that is not after this one, a year without official data, a teacher.
    CHECK(
        d.call("erik", "POST", years, R"({"school_year": "2025-2026", "preview": true})").status ==
        400);
    auto far = d.call("erik", "POST", years, R"({"school_year": "2031-2032", "preview": true})");
    CHECK(far.status == 422);
    CHECK(far.body.find("bekend zijn") != std::string::npos);
    CHECK(d.call("bram", "POST", years, R"({"preview": true})").status == 403);
}

TEST_CASE("next year in the pages: the proposal and its files", "[io][setup][web][next_year]") {
    Daemon d("years-page");
    auto page = d.page("anna", "/inrichting/volgend-jaar");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("Volgend schooljaar 2027-2028") != std::string::npos);
    CHECK(page.body.find("Datum nog invullen: Bestuursgesprek") != std::string::npos);
    CHECK(page.body.find("afspraken ingepland") != std::string::npos);
    auto rules = d.page("anna", "/inrichting/volgend-jaar/rules.toml");
    CHECK(rules.status == 200);
    CHECK(rules.body.find("from = 2028-01-24") != std::string::npos);
    CHECK(d.page("anna", "/inrichting/volgend-jaar/iets.toml").status == 404);
    CHECK(d.page("bram", "/inrichting/volgend-jaar").status == 403);
    CHECK(d.page("anna", "/inrichting").body.find("/inrichting/volgend-jaar") != std::string::npos);
}
