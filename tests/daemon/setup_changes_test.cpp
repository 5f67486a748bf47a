// The school's set-up through the API (issue "the school sets up its own year"; docs/api.md):
// [school], groups, test periods and rules as JSON tables with the keys of the files, each kind
// valid, invalid at its field with the loader's words, previewed without storing, undone; and
// the input they make is files that load again.
#include <catch2/catch.hpp>

#include "daemon_fixture.hpp"
#include "jaarkalender/loader.hpp"

using namespace jk;
using namespace jk::daemon;
using namespace jk::daemon::testing;

namespace {

const std::string kChanges = "/api/v1/schools/voorbeeldschool/changes";
const std::string kInput = "/api/v1/schools/voorbeeldschool/input";

const SchoolSnapshot& school(Daemon& d) {
    return *d.schools().snapshot()->schools.at("voorbeeldschool");
}

json::value post(Daemon& d, const std::string& who, const json::object& body, int status) {
    const std::string text = json::serialize(body);
    auto r = d.call(who, "POST", kChanges, text);
    INFO(text << " -> " << r.body);
    REQUIRE(r.status == status);
    return json::parse(r.body);
}

/// The table of `array` with `id` from GET input, to change and send back.
json::object table(Daemon& d, const char* array, const char* id) {
    const json::value input = d.get("anna", kInput);
    for (const auto& t : input.at(array).as_array())
        if (t.at("id").as_string() == id) return t.as_object();
    FAIL("no " << array << " " << id);
    return {};
}

const Rule* rule(Daemon& d, const std::string& id) {
    for (const Rule& r : school(d).school->rules.rules)
        if (r.id == id) return &r;
    return nullptr;
}

/// The events of a rule that are not cancelled.
size_t events_of(Daemon& d, const std::string& rule_id) {
    size_t n = 0;
    for (const auto held = school(d).plan.load(); const Event& e : held->events)
        n += e.rule == rule_id && e.status != EventStatus::cancelled;
    return n;
}

std::string field_of(const json::value& answer) {
    return std::string(answer.at("fields").at(0).at("field").as_string());
}
std::string message_of(const json::value& answer) {
    return std::string(answer.at("fields").at(0).at("message").as_string());
}

}  // namespace

TEST_CASE("set-up: a rule changed, added, refused at its field, removed, undone", "[io][setup]") {
    Daemon d("setup-rules");
    json::object r = table(d, "rule", "klassenconsultatie");
    CHECK(r.at("minutes").as_int64() == 45);
    r["minutes"] = 60;
    const size_t versions = d.get("anna", kChanges).as_array().size();
    auto preview = post(d, "anna", {{"kind", "rule"}, {"rule", r}, {"preview", true}}, 200);
    CHECK(preview.at("summary").as_string() == "Regel 'Klassenconsultatie' gewijzigd");
    CHECK(d.get("anna", kChanges).as_array().size() == versions);  // nothing stored
    CHECK(rule(d, "klassenconsultatie")->minutes == 45);

    auto saved = post(d, "erik", {{"kind", "rule"}, {"rule", r}}, 201);
    CHECK(rule(d, "klassenconsultatie")->minutes == 60);
    // What lies ahead takes the new time; the past stays as it was.
    const Date today = local_date(d.clock.now());
    for (const auto held = school(d).plan.load(); const Event& e : held->events)
        if (e.rule == "klassenconsultatie" && e.status == EventStatus::planned)
            CHECK(e.end - e.start == (e.date > today ? 60 : 45));

    SECTION("undone") {
        post(
            d, "anna",
            {{"kind", "rule"}, {"rule", table(d, "rule", "klassenconsultatie")}, {"preview", true}},
            200);
        auto r2 = d.call("anna", "POST",
                         kChanges + "/" + std::to_string(saved.at("version").as_int64()) + "/undo");
        REQUIRE(r2.status == 201);
        CHECK(rule(d, "klassenconsultatie")->minutes == 45);
    }
    SECTION("refused at the field, in the loader's words; what was sent is not stored") {
        r["minutes"] = "lang";
        auto bad = post(d, "anna", {{"kind", "rule"}, {"rule", r}}, 400);
        CHECK(field_of(bad) == "rule.minutes");
        r["minutes"] = 45;
        r["attendees"] = json::array{"any:role:ib|schooleider"};
        bad = post(d, "anna", {{"kind", "rule"}, {"rule", r}}, 400);
        CHECK(field_of(bad) == "rule.attendees");
        CHECK_THAT(message_of(bad), Catch::Contains("bedoelde je 'schoolleider'?"));
        bad = post(d, "anna", {{"kind", "rule"}, {"rule", json::object{{"title", "x"}}}}, 400);
        CHECK(field_of(bad) == "rule.id");
        CHECK(rule(d, "klassenconsultatie")->minutes == 60);
    }
    SECTION("a new rule, then removed") {
        json::object fresh{{"id", "rekenoverleg"},
                           {"title", "Rekenoverleg"},
                           {"for_each", "school"},
                           {"attendees", json::array{"role:schoolleider", "role:ib"}},
                           {"minutes", 45},
                           {"slot", "after_school"},
                           {"count", 2}};
        auto added = post(d, "anna", {{"kind", "rule"}, {"rule", fresh}}, 201);
        CHECK(added.at("summary").as_string() == "Regel 'Rekenoverleg' toegevoegd");
        // The year in numbers: only the rule whose numbers change.
        REQUIRE(added.at("counts").as_array().size() == 1);
        const auto& count = added.at("counts").at(0);
        CHECK(count.at("title").as_string() == "Rekenoverleg");
        CHECK(count.at("planned_before").as_int64() == 0);
        CHECK(count.at("planned_after").as_int64() == 2);
        CHECK(events_of(d, "rekenoverleg") == 2);
        auto removed = post(d, "anna", {{"kind", "rule_remove"}, {"id", "rekenoverleg"}}, 201);
        CHECK(removed.at("summary").as_string() == "Regel 'Rekenoverleg' verwijderd");
        CHECK(events_of(d, "rekenoverleg") == 0);
        CHECK(rule(d, "rekenoverleg") == nullptr);
        auto bad = post(d, "anna", {{"kind", "rule_remove"}, {"id", "rekenoverleg"}}, 400);
        CHECK(field_of(bad) == "id");
        // A rule another follows cannot simply go: the loader says which.
        bad = post(d, "anna", {{"kind", "rule_remove"}, {"id", "klassenconsultatie"}}, 400);
        CHECK_THAT(bad.at("error").as_string().c_str(), Catch::Contains("klassenconsultatie"));
    }
    SECTION("the groepsbespreking with the teachers who can come") {
        json::object gb = table(d, "rule", "groepsbespreking");
        gb["attendees"] = json::array{"most:group_teachers", "any:role:ib|schoolleider"};
        post(d, "erik", {{"kind", "rule"}, {"rule", gb}}, 201);
        CHECK(rule(d, "groepsbespreking")->attendees.at(0).kind ==
              AttendeeKind::most_group_teachers);
    }
    // Rights: the teacher and the bestuurder change no rule.
    CHECK(d.call("bram", "POST", kChanges,
                 json::serialize(json::object{{"kind", "rule"}, {"rule", r}}))
              .status == 403);
    CHECK(d.call("fatima", "POST", kChanges,
                 json::serialize(json::object{{"kind", "rule"}, {"rule", r}}))
              .status == 403);
}

TEST_CASE("set-up: a test period moved a week, a new one copied, one removed", "[io][setup]") {
    Daemon d("setup-periods");
    json::object p = table(d, "test_period", "eind");
    CHECK(p.at("test").as_array().size() == 5);
    p["from"] = "2027-06-07";
    p["to"] = "2027-06-25";
    auto saved = post(d, "anna", {{"kind", "test_period"}, {"test_period", p}}, 201);
    CHECK(saved.at("summary").as_string() == "Toetsperiode 'Toetsperiode eind' gewijzigd");
    const auto& periods = school(d).school->rules.test_periods;
    const auto it = std::find_if(periods.begin(), periods.end(),
                                 [](const TestPeriod& t) { return t.id == "eind"; });
    REQUIRE(it != periods.end());
    CHECK(format_date(it->range.from) == "2027-06-07");
    CHECK(it->tests.size() == 5);
    for (const auto held = school(d).plan.load(); const Event& e : held->events)
        if (e.kind == EventKind::test_session && e.rule == "eind")
            CHECK(format_date(e.date) >= "2027-06-07");

    // Only its dates, the rest (its tests) kept: a patch.
    post(d, "anna",
         {{"kind", "test_period"},
          {"patch", true},
          {"test_period",
           json::object{{"id", "eind"}, {"from", "2027-06-14"}, {"to", "2027-06-30"}}}},
         201);
    for (const TestPeriod& t : school(d).school->rules.test_periods)
        if (t.id == "eind") {
            CHECK(format_date(t.range.from) == "2027-06-14");
            CHECK(t.tests.size() == 5);
        }
    // A copy of a period under another id ("copy a period").
    json::object copy = table(d, "test_period", "midden");
    copy["id"] = "extra";
    copy["name"] = "Extra toetsweek";
    copy["from"] = "2027-03-08";
    copy["to"] = "2027-03-19";
    post(d, "anna", {{"kind", "test_period"}, {"test_period", copy}}, 201);
    CHECK(school(d).school->rules.test_periods.size() == 3);
    // A test with grade 9 is refused at the test.
    copy["test"].as_array()[0].as_object()["grades"] = json::array{9};
    auto bad = post(d, "anna", {{"kind", "test_period"}, {"test_period", copy}}, 400);
    CHECK(field_of(bad) == "test_period.test");
    CHECK_THAT(message_of(bad), Catch::Contains("1 tot en met 8"));
    post(d, "anna", {{"kind", "test_period_remove"}, {"id", "extra"}}, 201);
    CHECK(school(d).school->rules.test_periods.size() == 2);
}

TEST_CASE("set-up: the school's own keys, and groups", "[io][setup]") {
    Daemon d("setup-school");
    auto saved = post(d, "erik",
                      {{"kind", "school"},
                       {"school", json::object{{"name", "Basisschool De Voorbeeld (Noord)"},
                                               {"hours", json::object{{"wo", "08:30-12:30"}}}}}},
                      201);
    CHECK(saved.at("summary").as_string() == "Schoolgegevens gewijzigd: naam en lestijden");
    CHECK(school(d).school->school.name == "Basisschool De Voorbeeld (Noord)");
    CHECK(school(d).school->school.hours[2]->end == 12 * 60 + 30);
    auto bad = post(d, "erik",
                    {{"kind", "school"},
                     {"school", json::object{{"hours", json::object{{"wo", "25:00-26:00"}}}}}},
                    400);
    CHECK(field_of(bad) == "school.hours.wo");
    bad = post(d, "erik", {{"kind", "school"}, {"school", json::object{{"id", "andere"}}}}, 400);
    CHECK(field_of(bad) == "school.id");

    // A group added, with a teacher; renamed; its formatie changed from a date; removed.
    json::object g{{"id", "groep-4b"},
                   {"name", "Groep 4b"},
                   {"grades", json::array{4}},
                   {"teachers", json::array{json::object{{"person", "eva"},
                                                         {"days", json::array{"ma", "di"}}}}}};
    CHECK(post(d, "anna", {{"kind", "group"}, {"group", g}}, 201).at("summary").as_string() ==
          "Groep 'Groep 4b' toegevoegd");
    REQUIRE(school(d).school->school.group("groep-4b"));
    g["teachers"] = json::array{json::object{{"person", "tim"}, {"days", json::array{"wo", "do"}}}};
    auto from = post(d, "anna", {{"kind", "group"}, {"group", g}, {"from", "2027-02-01"}}, 201);
    CHECK(from.at("summary").as_string() == "Groep 'Groep 4b' gewijzigd vanaf ma 1 februari");
    const Group& g4b = *school(d).school->school.group("groep-4b");
    REQUIRE(g4b.teachers.size() == 2);
    CHECK(g4b.teachers[0].person == "eva");
    CHECK(format_date(*g4b.teachers[0].until) == "2027-01-31");
    CHECK(g4b.teachers[1].person == "tim");
    CHECK(format_date(*g4b.teachers[1].from) == "2027-02-01");
    g["teachers"] = json::array{json::object{{"person", "niemand"}, {"days", json::array{"wo"}}}};
    bad = post(d, "anna", {{"kind", "group"}, {"group", g}}, 400);
    CHECK(field_of(bad) == "group.teachers");
    post(d, "anna", {{"kind", "group_remove"}, {"group", "groep-4b"}}, 201);
    CHECK_FALSE(school(d).school->school.group("groep-4b"));

    // The input the changes made loads as files again (what `export` writes and `check` reads).
    const auto sources = d.services->input.current_input("voorbeeldschool");
    REQUIRE(sources);
    SchoolSources files = *sources;
    files.extra_ics = sources->extra_ics;
    auto loaded = load_school(files, builtin_official_holidays());
    INFO((loaded ? std::string() : loaded.error().items()[0].message));
    CHECK(loaded);
}

TEST_CASE("set-up pages: a rule changed in the school's words, previewed, saved",
          "[io][setup][web]") {
    Daemon d("setup-rule-page");
    auto list = d.page("erik", "/wijzigingen");
    REQUIRE(list.status == 200);
    CHECK(list.body.find("id=\"regels\">Regels</h2>") != std::string::npos);
    CHECK(list.body.find("/wijzigingen/nieuw/regel?rule.id=groepsbespreking") != std::string::npos);
    CHECK(list.body.find("de leerkracht(en) van de groep, allemaal en een IB&#39;er") !=
          std::string::npos);
    // The form of one rule: what it is now, in words, not the files' keys.
    auto form = d.page("erik", "/wijzigingen/nieuw/regel?rule.id=groepsbespreking");
    REQUIRE(form.status == 200);
    CHECK(form.body.find("bij een duo die elkaar nooit treft: wie er kan") != std::string::npos);
    CHECK(form.body.find("value=\"group_teachers\" checked") != std::string::npos);
    CHECK(form.body.find("value=\"45\"") != std::string::npos);
    CHECK(form.body.find("most:group_teachers</") == std::string::npos);
    // Wat verandert er? Then saved: the rule has the teachers who can come.
    const std::string fields =
        "rule.id=groepsbespreking&rule.title=Groepsbespreking+%7Bgroup%7D+%28%7Bperiod%7D%29"
        "&rule.attendees=most%3Agroup_teachers&rule.attendees=any%3Arole%3Aib%7Cschoolleider"
        "&rule.minutes=60&rule.remind_days_before=7%2C+1&rule.track=ja";
    auto preview = d.page("erik", "/wijzigingen/nieuw/regel", fields + "&actie=bekijk");
    INFO(preview.body.substr(0, 3000));
    REQUIRE(preview.status == 200);
    CHECK(preview.body.find("Regel &#39;Groepsbespreking&#39; gewijzigd") != std::string::npos);
    CHECK(preview.body.find("Verschoven") != std::string::npos);
    CHECK(rule(d, "groepsbespreking")->minutes == 45);  // nothing stored yet
    auto saved = d.page("erik", "/wijzigingen/nieuw/regel", fields + "&actie=opslaan");
    CHECK(saved.status == 303);
    const Rule* gb = rule(d, "groepsbespreking");
    REQUIRE(gb);
    CHECK(gb->minutes == 60);
    CHECK(gb->attendees.at(0).kind == AttendeeKind::most_group_teachers);
    CHECK(gb->attendees.at(1).roles == std::vector<std::string>{"ib", "schoolleider"});
    // A bad value comes back at its field, with what was typed.
    auto bad = d.page("erik", "/wijzigingen/nieuw/regel",
                      "rule.id=groepsbespreking&rule.minutes=lang&actie=bekijk");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("&#39;lang&#39; is geen getal") != std::string::npos);
    CHECK(bad.body.find("value=\"lang\"") != std::string::npos);
    // A teacher sees no rule form.
    CHECK(d.page("bram", "/wijzigingen/nieuw/regel?rule.id=groepsbespreking").status == 403);
}

TEST_CASE("set-up pages: the school's own days and hours", "[io][setup][web]") {
    Daemon d("setup-school-page");
    auto form = d.page("erik", "/wijzigingen/nieuw/school");
    REQUIRE(form.status == 200);
    CHECK(form.body.find("value=\"Basisschool De Voorbeeld\"") != std::string::npos);
    CHECK(form.body.find("value=\"08:30-12:15\"") != std::string::npos);
    const std::string same =
        "school.name=Basisschool+De+Voorbeeld&school.hours.ma=08%3A30-14%3A30"
        "&school.hours.di=08%3A30-14%3A30&school.hours.do=08%3A30-14%3A30"
        "&school.hours.vr=08%3A30-14%3A30&school.meetings.after_school=14%3A45-17%3A00"
        "&school.first_day=2026-08-31&school.last_day=2027-07-16";
    auto preview = d.page("erik", "/wijzigingen/nieuw/school",
                          same + "&school.hours.wo=08%3A30-12%3A30&actie=bekijk");
    INFO(preview.body.substr(0, 2000));
    REQUIRE(preview.status == 200);
    CHECK(preview.body.find("Schoolgegevens gewijzigd: lestijden") != std::string::npos);
    auto bad = d.page("erik", "/wijzigingen/nieuw/school",
                      same + "&school.hours.wo=25%3A00-26%3A00&actie=bekijk");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("value=\"25:00-26:00\"") != std::string::npos);
    auto nothing = d.page("erik", "/wijzigingen/nieuw/school",
                          same + "&school.hours.wo=08%3A30-12%3A15&actie=bekijk");
    CHECK(nothing.status == 400);
    CHECK(nothing.body.find("er is niets veranderd") != std::string::npos);
    CHECK(d.page("erik", "/wijzigingen/nieuw/school",
                 same + "&school.hours.wo=08%3A30-12%3A30&actie=opslaan")
              .status == 303);
    CHECK(school(d).school->school.hours[2]->end == 12 * 60 + 30);
}
