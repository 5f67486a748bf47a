// Staff changes through the API against a real Service and SQLite store (docs/api.md,
// "Wijzigingen in personen en dagen"): each kind with its preview and its stored result,
// validation at the field, rights, undo, the history, and the input as the store's: files that
// change keep the web's changes, a restart and a daemon without the folder plan the same.
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <sstream>

#include "daemon/input/inputs.hpp"
#include "daemon_fixture.hpp"
#include "jaarkalender/plan_json.hpp"

using namespace jk;
using namespace jk::daemon;
using namespace jk::daemon::testing;

namespace {

const std::string kChanges = "/api/v1/schools/voorbeeldschool/changes";

const SchoolSnapshot& school(Daemon& d) {
    return *d.schools().snapshot()->schools.at("voorbeeldschool");
}

json::value post(Daemon& d, const std::string& who, const std::string& target,
                 const std::string& body, int status) {
    auto r = d.call(who, "POST", target, body);
    INFO(target << " " << body << " -> " << r.body);
    REQUIRE(r.status == status);
    return json::parse(r.body);
}

/// The consequences of an answer without what differs between preview and save.
std::string lists(json::value v) {
    v.as_object().erase("preview");
    v.as_object().erase("version");
    return json::serialize(v);
}

const char* kSick = R"({"kind": "absence", "person": "bram", "from": "2027-01-18",
  "to": "2027-01-29", "reason": "ziek",
  "substitute": {"name": "Lotte van Dijk", "email": "lotte@invalpool.nl"}, "note": "griep"})";

/// The events of a plan (what its `changes` say is about the newest re-plan only).
std::string events_of(const Plan& plan) {
    std::vector<const Event*> all;
    for (const Event& e : plan.events) all.push_back(&e);
    return events_to_json(all);
}

}  // namespace

TEST_CASE("staff changes: only the school's IB'er and schoolleider make them", "[io][staff]") {
    Daemon d("staff-rights");
    CHECK(d.call("bram", "POST", kChanges, kSick).status == 403);
    CHECK(d.call("bram", "GET", kChanges).status == 403);
    CHECK(d.call("fatima", "POST", kChanges, kSick).status == 403);  // the bestuur reads only
    CHECK(d.call("", "POST", kChanges, kSick).status == 401);
    CHECK(d.call("anna", "POST", "/api/v1/schools/elders/changes", kSick).status == 404);
    CHECK(d.call("erik", "GET", kChanges).status == 200);
    // The pages: a teacher is told the changes are not hers, a lead that a page is not there
    // (a form posted to the list itself threw out_of_range before the route table).
    CHECK(d.page("bram", "/wijzigingen").status == 403);
    CHECK(d.page("bram", "/wijzigingen/nieuw/afwezig").status == 403);
    CHECK(d.page("bram", "/wijzigingen/iets").status == 403);
    CHECK(d.page("anna", "/wijzigingen").status == 200);
    CHECK(d.page("anna", "/wijzigingen/iets").status == 404);
    CHECK(d.page("anna", "/wijzigingen", "x=1").status == 404);
    CHECK(d.page("anna", "/wijzigingen/1/ongedaan").status == 404);  // undo is a form only
}

TEST_CASE("staff changes: a sick teacher with a new invaller, previewed, then saved",
          "[io][staff]") {
    Daemon d("staff-sick");
    d.clock.set("2027-01-11");
    d.schools().reload();
    const long long version_before = school(d).input_version;
    const auto plan_before = plan_to_json(*school(d).plan.load());

    std::string preview_body = kSick;
    preview_body.insert(preview_body.size() - 1, R"(, "preview": true)");
    auto preview = post(d, "anna", kChanges, preview_body, 200);
    CHECK(preview.at("preview").as_bool());
    CHECK(preview.at("summary").as_string() ==
          "Bram Jansen afwezig van ma 18 januari t/m vr 29 januari; nieuwe invaller Lotte van "
          "Dijk");
    // Nothing is stored by a preview.
    CHECK(school(d).input_version == version_before);
    CHECK(plan_to_json(*school(d).plan.load()) == plan_before);
    CHECK(d.get("anna", kChanges).as_array().size() == 1);  // the import of the files
    // Bram's group's tests in the toetsperiode go to the invaller: they are told by mail.
    bool lotte_told = false;
    for (const auto& m : preview.at("mails").as_array())
        lotte_told = lotte_told || m.at("person").as_string() == "lotte";
    CHECK(lotte_told);

    auto saved = post(d, "anna", kChanges, kSick, 201);
    CHECK_FALSE(saved.at("preview").as_bool());
    CHECK(lists(saved) == lists(preview));  // the lists after saving are the preview's
    CHECK(school(d).input_version == saved.at("version").as_int64());
    const LoadedSchool& now = *school(d).school;
    REQUIRE(now.school.person("lotte"));
    CHECK(now.school.person("bram")->absent.size() == 1);
    bool lotte_sits_a_test = false;
    for (const auto held = school(d).plan.load(); const Event& e : held->events)
        if (e.kind == EventKind::test_session &&
            e.group == std::optional<std::string>("groep-4-5") &&
            e.date >= *parse_date("2027-01-18") && e.date <= *parse_date("2027-01-20"))
            lotte_sits_a_test = lotte_sits_a_test || e.attended_by("lotte");
    CHECK(lotte_sits_a_test);

    // The history: who, when, what, why; the reason is the IB'er's to see, and only hers.
    auto history = d.get("anna", kChanges).as_array();
    REQUIRE(history.size() == 2);
    CHECK(history[0].at("origin").as_string() == "change");
    CHECK(history[0].at("actor").as_string() == "anna");
    CHECK(history[0].at("actor_name").as_string() == "Anna de Vries");
    CHECK(history[0].at("change").at("note").as_string() == "griep");
    CHECK(history[0].at("change").at("reason").as_string() == "ziek");
    for (const auto& a : d.store->audit_log("voorbeeldschool"))
        CHECK(a.detail.find("ziek") == std::string::npos);
    // No feed says why Bram is away.
    CHECK(school(d).feeds->get("school.ics")->body->find("ziek") == std::string::npos);
    CHECK(school(d).feeds->get("person/bram.ics")->body->find("ziek") == std::string::npos);

    SECTION("extended, then ended early: the invaller stays exactly as long") {
        post(d, "anna", kChanges,
             R"({"kind": "absence", "person": "bram", "from": "2027-01-18", "to": "2027-02-05",
                 "reason": "ziek", "substitute": "lotte"})",
             201);
        CHECK(school(d).school->school.person("lotte")->until == parse_date("2027-02-05"));
        post(d, "erik", kChanges,
             R"({"kind": "absence", "person": "bram", "from": "2027-01-18", "to": "2027-01-22",
                 "reason": "ziek", "substitute": "lotte"})",
             201);
        CHECK(school(d).school->school.person("bram")->absent[0].range.to ==
              parse_date("2027-01-22"));
        CHECK(school(d).school->school.person("lotte")->until == parse_date("2027-01-22"));
    }
    SECTION("undone as a new change; the history keeps both") {
        const auto id = std::to_string(saved.at("version").as_int64());
        auto undo_preview =
            post(d, "anna", kChanges + "/" + id + "/undo", R"({"preview": true})", 200);
        CHECK(undo_preview.at("summary").as_string().rfind("Ongedaan gemaakt: Bram Jansen", 0) ==
              0);
        post(d, "anna", kChanges + "/" + id + "/undo", "", 201);
        CHECK(school(d).school->school.person("bram")->absent.empty());
        CHECK_FALSE(school(d).school->school.person("lotte"));
        auto h = d.get("anna", kChanges).as_array();
        REQUIRE(h.size() == 3);
        CHECK(h[0].at("origin").as_string() == "undo");
        CHECK(h[1].at("undone_by").as_int64() == h[0].at("id").as_int64());
        CHECK(d.call("anna", "POST", kChanges + "/" + id + "/undo").status == 404);
        CHECK(d.call("anna", "POST", kChanges + "/999/undo").status == 404);
        CHECK(d.call("anna", "POST", kChanges + "/x/undo").status == 404);
    }
}

TEST_CASE("staff changes: a newcomer, a leaver, a hand-over and a studiedag", "[io][staff]") {
    Daemon d("staff-kinds");
    d.clock.set("2027-01-04");
    d.schools().reload();
    post(d, "erik", kChanges,
         R"({"kind": "leave", "person": "karin", "until": "2027-01-19", "note": "verhuist"})", 201);
    post(d, "erik", kChanges,
         R"({"kind": "person", "name": "Sanne Dekker", "email": "s.dekker@voorbeeld.nl",
             "works": ["ma", "di", "wo", "do", "vr"], "from": "2027-01-20", "roles": [],
             "groups": [{"group": "groep-5"}]})",
         201);
    auto hand = post(d, "erik", kChanges,
                     R"({"kind": "handover", "group": "groep-6", "person": "lisa",
                         "successor": "sanne", "from": "2027-03-01", "preview": true})",
                     200);
    CHECK(hand.at("summary").as_string() ==
          "Groep 6 gaat van Lisa Smits naar Sanne Dekker per "
          "ma 1 maart");
    post(d, "erik", kChanges,
         R"({"kind": "handover", "group": "groep-6", "person": "lisa",
             "successor": "sanne", "from": "2027-03-01"})",
         201);
    auto day = post(d, "anna", kChanges,
                    R"({"kind": "closure", "from": "2027-03-12", "closure_kind": "studiedag",
                        "name": "Studiedag gedrag"})",
                    201);
    const LoadedSchool& s = *school(d).school;
    CHECK(s.school.person("karin")->until == parse_date("2027-01-19"));
    CHECK(s.school.person("sanne")->from == parse_date("2027-01-20"));
    CHECK(s.school.group("groep-6")->teachers.back().person == "sanne");
    CHECK_FALSE(s.calendar.is_school_day(*parse_date("2027-03-12")));
    for (const auto held = school(d).plan.load(); const Event& e : held->events) {
        if (e.date > *parse_date("2027-01-19") && e.status == EventStatus::planned) {
            INFO(e.title << " " << e.when_nl());
            CHECK_FALSE(e.attended_by("karin"));
        }
        if (e.date == *parse_date("2027-03-12")) CHECK(e.kind != EventKind::test_session);
    }
    CHECK(d.get("anna", kChanges).as_array().size() == 5);
}

TEST_CASE("staff changes: a leaver without a successor yet is on nothing after her last day",
          "[io][staff]") {
    Daemon d("staff-gap");
    d.clock.set("2027-01-04");
    d.schools().reload();
    post(d, "erik", kChanges, R"({"kind": "leave", "person": "karin", "until": "2027-01-19"})",
         201);
    for (const auto held = school(d).plan.load(); const Event& e : held->events)
        if (e.date > *parse_date("2027-01-19") && e.status == EventStatus::planned) {
            INFO(e.title << " " << e.when_nl());
            CHECK_FALSE(e.attended_by("karin"));
        }
}

TEST_CASE("staff changes: the leaver's preview warns that his group has no teacher from then on",
          "[io][staff]") {
    // Issue 26: Mohammed, groep 7's only teacher, leaves after Friday 29 January; entered on
    // Monday 11 January. The preview says it before anything is stored, in the API and on the
    // page; with a successor from 1 February nothing is warned about.
    Daemon d("staff-warn");
    d.clock.set("2027-01-11");
    d.schools().reload();
    const std::string leave =
        R"({"kind": "leave", "person": "mohammed", "until": "2027-01-29", "preview": true})";
    const long long version = school(d).input_version;
    const auto preview = post(d, "anna", kChanges, leave, 200);
    std::vector<std::string> warnings;
    if (const auto* w = preview.as_object().if_contains("warnings"))
        for (const auto& x : w->as_array()) warnings.emplace_back(x.as_string());
    INFO(json::serialize(preview));
    REQUIRE_FALSE(warnings.empty());
    CHECK(warnings.front() ==
          "Groep 7 heeft vanaf ma 1 februari geen leerkracht; voer een opvolger in");
    CHECK(std::any_of(warnings.begin(), warnings.end(), [](const std::string& w) {
        return w.find("Groep 7 kan ") == 0 &&
               w.find("toetsen van Toetsperiode eind") != std::string::npos;
    }));
    CHECK(school(d).input_version == version);  // nothing stored
    // The page shows it at the top, as an alert.
    const auto page = d.page("anna", "/wijzigingen/nieuw/vertrek",
                             "actie=bekijk&person=mohammed&until=2027-01-29");
    INFO(page.body.substr(0, 3000));
    CHECK(page.body.find("role=\"alert\">Groep 7 heeft vanaf ma 1 februari geen leerkracht") !=
          std::string::npos);
    // A hand-over to a successor in the same change set: no warning about groep 7.
    post(d, "anna", kChanges,
         R"({"kind": "person", "name": "Okke Visser", "email": "okke.visser@voorbeeld.nl",
             "works": ["ma", "di", "wo", "do", "vr"], "from": "2027-02-01",
             "groups": [{"group": "groep-7"}]})",
         201);
    const auto with_successor = post(d, "anna", kChanges, leave, 200);
    if (const auto* w = with_successor.as_object().if_contains("warnings"))
        for (const auto& x : w->as_array())
            CHECK(std::string(x.as_string()).find("Groep 7 heeft") == std::string::npos);
}

TEST_CASE("staff changes: bad input is refused at its field, with the loader's words",
          "[io][staff]") {
    Daemon d("staff-bad");
    auto bad = post(d, "anna", kChanges,
                    R"({"kind": "absence", "person": "bram", "from": "1-2-2027", "to": 3})", 400);
    REQUIRE(bad.at("fields").as_array().size() == 2);
    CHECK(bad.at("fields").as_array()[0].at("field").as_string() == "from");
    CHECK(bad.at("fields").as_array()[1].at("field").as_string() == "to");
    auto self = post(d, "anna", kChanges,
                     R"({"kind": "absence", "person": "bram", "from": "2027-02-01",
                         "to": "2027-02-05", "substitute": "bram"})",
                     400);
    CHECK(self.at("fields").as_array()[0].at("field").as_string() == "substitute");
    CHECK(self.at("error").as_string() ==
          "substitute: Bram Jansen kan niet haar of zijn eigen invaller zijn");
    post(d, "anna", kChanges, R"({"kind": "verlof"})", 400);
    post(d, "anna", kChanges, R"({"kind": "closure", "wanneer": "morgen"})", 400);
    post(d, "anna", kChanges, R"({"kind": "closure", "preview": "ja"})", 400);
    CHECK(d.call("anna", "POST", kChanges, "kind=closure", "application/x-www-form-urlencoded")
              .status == 415);
    CHECK(d.get("anna", kChanges).as_array().size() == 1);  // nothing stored
}

TEST_CASE("staff changes: the store is the source of truth for the input", "[io][staff]") {
    Daemon d("staff-store");
    post(d, "anna", kChanges,
         R"({"kind": "closure", "from": "2027-03-12", "closure_kind": "vrij", "name": "Vrij"})",
         201);
    const auto path = d.dir / "calendars/voorbeeldschool/school.toml";

    SECTION("files that change keep what was entered in the pages") {
        std::stringstream text;
        text << std::ifstream(path).rdbuf();
        std::string toml = text.str();
        const std::string from = "bram.jansen@voorbeeld.nl";
        toml.replace(toml.find(from), from.size(), "b.jansen@voorbeeld.nl");
        std::ofstream(path, std::ios::trunc) << toml;
        d.schools().reload();
        const LoadedSchool& s = *school(d).school;
        CHECK(s.school.person("bram")->email == "b.jansen@voorbeeld.nl");
        CHECK_FALSE(s.calendar.is_staff_day(*parse_date("2027-03-12")));
        auto h = d.get("anna", kChanges).as_array();
        REQUIRE(h.size() == 3);
        CHECK(h[0].at("origin").as_string() == "files");
        CHECK(h[0].at("skipped").as_array().empty());
    }
    SECTION("files of the next school year leave this year's changes behind") {
        // A newcomer of this year would fit the next one as well (her `from` lies before it):
        // only the school year of the changes keeps her out of it (docs/input.md).
        post(d, "anna", kChanges,
             R"({"kind": "person", "name": "Okke Visser", "email": "okke.visser@voorbeeld.nl",
                 "works": ["ma", "di", "wo", "do", "vr"], "from": "2027-02-01"})",
             201);
        for (const char* name : {"school.toml", "rules.toml"}) {
            const auto file = d.dir / "calendars/voorbeeldschool" / name;
            std::stringstream text;
            text << std::ifstream(file).rdbuf();
            std::string toml = text.str();
            for (auto [from, to] : {std::pair{"2027", "2028"}, std::pair{"2026", "2027"},
                                    std::pair{"2028-03-26", "2028-04-14"}})  // Goede Vrijdag
                for (auto at = toml.find(from); at != std::string::npos;
                     at = toml.find(from, at + std::strlen(to)))
                    toml.replace(at, std::strlen(from), to);
            std::ofstream(file, std::ios::trunc) << toml;
        }
        d.schools().reload();
        const LoadedSchool& s = *school(d).school;
        REQUIRE(s.school.school_year == "2027-2028");
        CHECK(s.school.person("bram"));
        CHECK_FALSE(s.school.person("okke"));
        const auto latest = d.store->latest_input("voorbeeldschool");
        REQUIRE(latest);
        CHECK(latest->school_year == "2027-2028");
        CHECK(latest->skipped == "[]");
        CHECK(latest->sources.find("Okke") == std::string::npos);
        CHECK(latest->sources.find("2027-03-12") == std::string::npos);
    }
    SECTION("a restart, and a daemon without the folder, plan from the store") {
        const std::string before = events_of(*school(d).plan.load());
        Background bg_again;
        SchoolRegistry again(d.dir / "calendars", builtin_official_holidays(), *d.store, d.clock,
                             bg_again);
        again.reload();
        CHECK(events_of(*again.snapshot()->schools.at("voorbeeldschool")->plan.load()) == before);
        const fs::path empty = d.dir / "elsewhere";
        fs::create_directories(empty);
        Background bg_other;
        SchoolRegistry other(empty, builtin_official_holidays(), *d.store, d.clock, bg_other);
        other.reload();
        REQUIRE(other.snapshot()->schools.count("voorbeeldschool"));
        const auto& s = *other.snapshot()->schools.at("voorbeeldschool");
        CHECK_FALSE(s.school->calendar.is_staff_day(*parse_date("2027-03-12")));
        CHECK(events_of(*s.plan.load()) == before);
    }
}

TEST_CASE("staff changes: the leaver form asks who takes over each group, in one change",
          "[io][staff]") {
    // The same leaver; the form, once he is chosen, asks per group for a successor and a first
    // day. One change, one preview without a warning about groep 7, and the successor's tests.
    Daemon d("staff-takeover");
    d.clock.set("2027-01-11");
    d.schools().reload();
    const auto form = d.page("anna", "/wijzigingen/nieuw/vertrek",
                             "actie=terug&person=mohammed&until=2027-01-29");
    REQUIRE(form.status == 200);
    CHECK(form.body.find("Wie neemt Groep 7 over?") != std::string::npos);
    CHECK(form.body.find("name=\"takeovers.groep-7.successor\"") != std::string::npos);
    CHECK(form.body.find("name=\"takeovers.groep-7.from\"") != std::string::npos);
    CHECK(form.body.find("Wie neemt Groep 6 over?") == std::string::npos);  // not his
    // A first day before his last: said at that field.
    const auto early = d.page("anna", "/wijzigingen/nieuw/vertrek",
                              "actie=bekijk&person=mohammed&until=2027-01-29&takeovers.groep-7."
                              "successor=eva&takeovers.groep-7.from=2027-01-20");
    CHECK(early.status == 400);
    CHECK(early.body.find("de eerste dag van de opvolger ligt na de laatste werkdag") !=
          std::string::npos);
    // His successor joined the school first (without a group); the leaver's change hands
    // groep 7 over. The preview: one change, the successor named, no warning about groep 7.
    post(d, "anna", kChanges,
         R"({"kind": "person", "name": "Okke Visser", "email": "okke.visser@voorbeeld.nl",
             "works": ["ma", "di", "wo", "do", "vr"], "from": "2027-02-01"})",
         201);
    const std::string fields =
        "person=mohammed&until=2027-01-29&takeovers.groep-7.successor=okke&takeovers.groep-7.from=";
    const auto preview = d.page("anna", "/wijzigingen/nieuw/vertrek", "actie=bekijk&" + fields);
    REQUIRE(preview.status == 200);
    INFO(preview.body.substr(preview.body.find("<main"), 2500));
    CHECK(preview.body.find("Groep 7 naar Okke Visser per ma 1 februari") != std::string::npos);
    CHECK(preview.body.find("Groep 7 heeft vanaf") == std::string::npos);
    const long long version = school(d).input_version;
    const auto saved = d.page("anna", "/wijzigingen/nieuw/vertrek", "actie=opslaan&" + fields);
    CHECK(saved.status == 303);
    CHECK(school(d).input_version == version + 1);  // one change
    const SchoolSnapshot& s = school(d);
    const Group* g7 = s.school->school.group("groep-7");
    REQUIRE(g7);
    CHECK(s.school->school.teachers_on(*g7, *parse_date("2027-02-01")) ==
          std::vector<std::string>{"okke"});
    // Groep 7's eind tests are planned, with the successor.
    int eind = 0;
    for (const auto held = s.plan.load(); const Event& e : held->events)
        if (e.kind == EventKind::test_session && e.group == std::optional<std::string>("groep-7") &&
            e.rule == "eind" && e.status == EventStatus::planned) {
            ++eind;
            CHECK(e.attended_by("okke"));
        }
    CHECK(eind > 0);
}

TEST_CASE(
    "staff changes: the issue's scenario through the API, a leaver and the next morning "
    "his successor",
    "[io][staff]") {
    // Jeroen, a starter and groep 4's only teacher, leaves after Friday 29 January; entered on
    // Monday 11 January, his successor the next morning. Afterwards groep 4's eind tests are
    // planned with the successor, and his overdue coaching talks of the autumn stay overdue
    // (the past is not rewritten).
    Daemon d("staff-scenario");
    d.clock.set("2027-01-11");
    d.schools().reload();
    const Date today = *parse_date("2027-01-11");
    auto coaching_overdue = [&] {
        std::vector<std::string> out;
        const auto plan = school(d).plan.load();  // held: the items point into it
        for (const auto& o : overdue(*plan, *school(d).school, today))
            if (o.event->rule == "coaching-starter" &&
                o.event->subject == std::optional<std::string>("jeroen"))
                out.push_back(o.event->uid);
        return out;
    };
    const auto before = coaching_overdue();
    REQUIRE_FALSE(before.empty());
    const auto preview = post(
        d, "anna", kChanges,
        R"({"kind": "leave", "person": "jeroen", "until": "2027-01-29", "preview": true})", 200);
    INFO(json::serialize(preview));
    CHECK(json::serialize(preview).find("Groep 4 heeft vanaf ma 1 februari geen leerkracht") !=
          std::string::npos);
    post(d, "anna", kChanges, R"({"kind": "leave", "person": "jeroen", "until": "2027-01-29"})",
         201);
    d.clock.set("2027-01-12");
    post(d, "anna", kChanges,
         R"({"kind": "person", "name": "Okke Visser", "email": "okke.visser@voorbeeld.nl",
             "works": ["ma", "di", "wo", "do", "vr"], "from": "2027-02-01",
             "groups": [{"group": "groep-4"}]})",
         201);
    int eind = 0;
    for (const auto held = school(d).plan.load(); const Event& e : held->events)
        if (e.kind == EventKind::test_session && e.group == std::optional<std::string>("groep-4") &&
            e.rule == "eind") {
            INFO(e.title << " " << e.when_nl() << " " << e.planner_reason);
            CHECK(e.status == EventStatus::planned);
            CHECK(e.attended_by("okke"));
            ++eind;
        }
    CHECK(eind >= 2);
    CHECK(coaching_overdue() == before);  // still overdue, not "niet nodig"
}

TEST_CASE("staff changes: working days from a date, previewed, saved, undone", "[io][staff]") {
    Daemon d("staff-works");
    const char* body = R"({"kind": "works", "person": "anna", "from": "2027-02-01",
                           "works": ["ma", "di", "wo", "do", "vr"]})";
    const size_t before = d.get("anna", kChanges).as_array().size();
    std::string preview_body = body;
    preview_body.insert(1, R"("preview": true, )");
    auto preview = post(d, "anna", kChanges, preview_body, 200);
    CHECK(preview.at("summary").as_string() ==
          "Anna de Vries werkt vanaf ma 1 februari op ma di wo do vr");
    // A preview stores nothing.
    CHECK(d.get("anna", kChanges).as_array().size() == before);
    CHECK_FALSE(school(d).school->school.person("anna")->works_dated());

    auto saved = post(d, "anna", kChanges, body, 201);
    CHECK(lists(saved) == lists(preview));
    const Person& anna = *school(d).school->school.person("anna");
    REQUIRE(anna.works_dated());
    CHECK(anna.works_on(*parse_date("2027-01-29")).to_string() == "ma di wo do");
    CHECK(anna.works_on(*parse_date("2027-02-05")).to_string() == "ma di wo do vr");
    // Her events from February on may lie on a Friday; none before.
    for (const auto held = school(d).plan.load(); const Event& e : held->events)
        if (e.attended_by("anna") && weekday_index(e.date) == 4)
            CHECK(e.date >= *parse_date("2027-02-01"));

    SECTION("GET input: the keys as in the files, and the reasons only for the lead") {
        post(d, "anna", kChanges, kSick, 201);
        const json::value in = d.get("anna", "/api/v1/schools/voorbeeldschool/input");
        CHECK(in.at("school").at("id").as_string() == "voorbeeldschool");
        CHECK(in.at("rule").as_array().size() > 5);
        CHECK(in.at("test_period").at(0).at("test").as_array().size() > 0);
        const json::array& people = in.at("person").as_array();
        for (const auto& p : people) {
            const auto& o = p.as_object();
            if (o.at("id").as_string() == "anna") {
                CHECK(o.at("works").at(1).at("from").as_string() == "2027-02-01");
                CHECK(o.at("works").at(0).at("until").as_string() == "2027-01-31");
            }
            if (o.at("id").as_string() == "bram")
                CHECK(o.at("absent").at(0).at("reason").as_string() == "ziek");
        }
        const std::string board =
            json::serialize(d.get("fatima", "/api/v1/schools/voorbeeldschool/input"));
        CHECK(board.find("ziek") == std::string::npos);
        CHECK(board.find("2027-01-18") != std::string::npos);
        CHECK(d.call("bram", "GET", "/api/v1/schools/voorbeeldschool/input").status == 403);
    }
    SECTION("a second change on a later date keeps the first") {
        post(d, "erik", kChanges,
             R"({"kind": "works", "person": "anna", "from": "2027-05-03", "works": ["ma", "di"]})",
             201);
        const Person& a = *school(d).school->school.person("anna");
        CHECK(a.works_on(*parse_date("2027-01-29")).to_string() == "ma di wo do");
        CHECK(a.works_on(*parse_date("2027-03-05")).to_string() == "ma di wo do vr");
        CHECK(a.works_on(*parse_date("2027-05-07")).to_string() == "ma di");
    }
    SECTION("undone: the whole year as before") {
        const auto id = std::to_string(saved.at("version").as_int64());
        post(d, "anna", kChanges + "/" + id + "/undo", "", 201);
        CHECK_FALSE(school(d).school->school.person("anna")->works_dated());
    }
    SECTION("refused at the field") {
        auto bad = post(d, "anna", kChanges,
                        R"({"kind": "works", "person": "anna", "from": "2027-09-01",
                            "works": ["ma"]})",
                        400);
        CHECK(bad.at("fields").at(0).at("field").as_string() == "from");
        bad = post(d, "anna", kChanges, R"({"kind": "works", "person": "anne", "works": ["ma"]})",
                   400);
        CHECK(bad.at("fields").at(0).at("field").as_string() == "person");
        bad = post(d, "anna", kChanges, R"({"kind": "works", "person": "anna", "works": []})", 400);
        CHECK(bad.at("fields").at(0).at("field").as_string() == "works");
        // Gijs teaches on ma di wo: without those days the loader says so, at "works".
        bad = post(d, "anna", kChanges,
                   R"({"kind": "works", "person": "gijs", "from": "2027-03-01", "works": ["do"]})",
                   400);
        CHECK(bad.at("fields").at(0).at("field").as_string() == "works");
        CHECK_THAT(std::string(bad.at("fields").at(0).at("message").as_string()),
                   Catch::Contains("Gijs de Boer geeft les aan"));
    }
}

TEST_CASE("staff changes: a person's details, and who may give which role", "[io][staff]") {
    Daemon d("staff-person-edit");
    auto saved = post(d, "anna", kChanges,
                      R"({"kind": "person_edit", "person": "gijs", "name": "Gijs de Boer-Smit",
                          "roles": ["bouwcoordinator"], "starter": true})",
                      201);
    CHECK(saved.at("summary").as_string() ==
          "Gegevens van Gijs de Boer gewijzigd: naam Gijs de Boer-Smit, rollen bouwcoordinator "
          "en startende leerkracht");
    const Person& gijs = *school(d).school->school.person("gijs");
    CHECK(gijs.name == "Gijs de Boer-Smit");
    CHECK(gijs.starter);
    CHECK(gijs.has_role("bouwcoordinator"));
    CHECK(gijs.email == "gijs.deboer@voorbeeld.nl");  // not named: unchanged

    // Only the schoolleider makes someone IB'er or schoolleider; nobody makes a bestuurder.
    auto bad = post(d, "anna", kChanges,
                    R"({"kind": "person_edit", "person": "gijs", "roles": ["ib"]})", 400);
    CHECK(bad.at("fields").at(0).at("field").as_string() == "roles");
    CHECK_THAT(std::string(bad.at("fields").at(0).at("message").as_string()),
               Catch::Contains("alleen de schoolleider maakt iemand intern begeleider"));
    post(d, "erik", kChanges, R"({"kind": "person_edit", "person": "gijs", "roles": ["ib"]})", 201);
    CHECK(school(d).school->school.person("gijs")->has_role("ib"));
    bad = post(d, "erik", kChanges,
               R"({"kind": "person_edit", "person": "gijs", "roles": ["bestuurder"]})", 400);
    CHECK_THAT(std::string(bad.at("fields").at(0).at("message").as_string()),
               Catch::Contains("de rol bestuurder geeft alleen de beheerder"));
    // Taking the IB'er's role away is the schoolleider's too.
    bad =
        post(d, "anna", kChanges, R"({"kind": "person_edit", "person": "gijs", "roles": []})", 400);
    CHECK(bad.at("fields").at(0).at("field").as_string() == "roles");
    CHECK(d.call("bram", "POST", kChanges,
                 R"({"kind": "person_edit", "person": "bram", "roles": ["ib"]})")
              .status == 403);
    // The loader's own words, at the field.
    bad = post(d, "anna", kChanges,
               R"({"kind": "person_edit", "person": "gijs", "email": "geen-adres"})", 400);
    CHECK(bad.at("fields").at(0).at("field").as_string() == "email");
    CHECK_THAT(std::string(bad.at("fields").at(0).at("message").as_string()),
               Catch::Contains("geen geldig e-mailadres"));
    bad = post(d, "anna", kChanges, R"({"kind": "person_edit", "person": "gijs"})", 400);
    CHECK_THAT(std::string(bad.at("error").as_string()),
               Catch::Contains("geef aan wat er verandert"));
}
