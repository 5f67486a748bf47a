// Re-planning as of a moment (spec: "Changes during the year", "Stable re-planning"): the
// example school is changed the way schools change in January and re-planned; the past stays
// byte for byte, nothing new lands before the moment, the independent checker finds every hard
// constraint kept from then on under the dated facts, and the rest of the year stays in place.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "fixtures.hpp"
#include "hand_holidays.hpp"
#include "jaarkalender/ical_feeds.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"
#include "jaarkalender/tracking.hpp"
#include "plan_checker.hpp"

using namespace jk;

namespace {

std::string read(const std::string& path) {
    return jk::testing::read_source(path);
}

void replace_once(std::string& s, const std::string& what, const std::string& with) {
    const auto at = s.find(what);
    REQUIRE(at != std::string::npos);
    s.replace(at, what.size(), with);
}

struct January {
    std::string school = read("calendars/voorbeeldschool/school.toml");
    std::string rules = read("calendars/voorbeeldschool/rules.toml");
    std::string extra = read("calendars/voorbeeldschool/vrije-dagen.ics");

    LoadedSchool load() const {
        auto r = jk::testing::load_inline(school, rules, extra);
        INFO(jk::testing::diagnostics_text(r ? Diagnostics{} : r.error()));
        REQUIRE(r);
        return std::move(r).value();
    }

    /// Karin leaves on 19 January and Sanne takes groep 5 on the 20th; Lisa (groep 6) is ill
    /// during the toetsperiode with Vera as her invaller; a studiedag on 10 February.
    void change() {
        replace_once(
            school, R"(absent = [ { from = 2027-03-01, to = 2027-03-26, reason = "met verlof" } ])",
            "until = 2027-01-19");
        replace_once(
            school, R"(teachers = [ { person = "karin", days = ["ma", "di", "wo", "do", "vr"] } ])",
            R"(teachers = [ { person = "karin", days = ["ma", "di", "wo", "do", "vr"], until = 2027-01-19 },
             { person = "sanne", days = ["ma", "di", "wo", "do", "vr"], from = 2027-01-20 } ])");
        replace_once(school, "[[group]]", R"([[person]]
id = "sanne"
name = "Sanne Dekker"
email = "s.dekker@voorbeeld.nl"
works = ["ma", "di", "wo", "do", "vr"]
from = 2027-01-20

[[person]]
id = "vera"
name = "Vera Invaller"
email = "vera@voorbeeld.nl"
works = ["ma", "di", "wo", "do", "vr"]
from = 2027-01-18
until = 2027-02-12

[[group]])");
        replace_once(school, "id = \"lisa\"",
                     "id = \"lisa\"\nabsent = [ { from = 2027-01-18, to = 2027-02-12, reason = "
                     "\"ziek: burn-out\", substitute = \"vera\" } ]");
        school +=
            "\n[[closure]]\ndate = 2027-02-10\nkind = \"studiedag\"\nname = \"Extra studiedag\"\n";
    }
};

}  // namespace

TEST_CASE("re-plan as of a moment in January: the past stays, the future follows the files",
          "[unit][replan]") {
    January year;
    const LoadedSchool original = year.load();
    const Plan p0 = jk::testing::plan_fixed(original);

    year.change();
    const LoadedSchool changed = year.load();
    const LocalMoment moment{*parse_date("2027-01-20"), 8 * 60};
    PlanOptions again;
    again.stamp = "2027-01-20T07:00:00Z";
    again.previous = &p0;
    again.as_of = moment;
    const Plan p1 = make_plan(changed, again);
    REQUIRE(p1.as_of == moment);

    // The past, byte for byte.
    std::map<std::string, const Event*> now;
    for (const Event& e : p1.events) now[e.uid] = &e;
    int past = 0;
    for (const Event& e : p0.events) {
        if (e.kind == EventKind::test_period || !starts_before(e, moment)) continue;
        ++past;
        REQUIRE(now.count(e.uid));
        CHECK(event_to_json(*now[e.uid]) == event_to_json(e));
    }
    CHECK(past > 50);
    // Nothing new before the moment.
    std::map<std::string, const Event*> then;
    for (const Event& e : p0.events) then[e.uid] = &e;
    for (const Event& e : p1.events) {
        if (e.kind == EventKind::test_period || !starts_before(e, moment)) continue;
        INFO(e.title << " " << e.start_iso());
        CHECK(then.count(e.uid));
    }
    // Every hard constraint from the moment on, by the independent checker, under the dated
    // facts (and every occurrence required while its subject is there is planned or reported).
    const auto problems = jk::testing::check_plan(
        changed, jk::testing::hand_official_year(changed.school.school_year), plan_to_json(p1),
        moment);
    for (const auto& p : problems) INFO(p);
    CHECK(problems.empty());

    // The right people at the right tests: groep 6's tests during Lisa's illness with Vera;
    // groep 5's from the 20th with Sanne.
    int vera_tests = 0, sanne_tests = 0;
    for (const Event& e : p1.events) {
        if (e.kind != EventKind::test_session || starts_before(e, moment)) continue;
        if (e.group == std::optional<std::string>("groep-6") &&
            e.date <= *parse_date("2027-02-12")) {
            CHECK(e.attendees == std::vector<std::string>{"vera"});
            ++vera_tests;
        }
        if (e.group == std::optional<std::string>("groep-5")) {
            CHECK(e.attendees == std::vector<std::string>{"sanne"});
            ++sanne_tests;
        }
    }
    CHECK(vera_tests > 0);
    CHECK(sanne_tests > 0);
    // The leaver and the newcomer only while there.
    for (const Event& e : p1.events) {
        if (e.status == EventStatus::cancelled || starts_before(e, moment)) continue;
        const bool karin =
            std::find(e.attendees.begin(), e.attendees.end(), "karin") != e.attendees.end();
        const bool sanne =
            std::find(e.attendees.begin(), e.attendees.end(), "sanne") != e.attendees.end();
        INFO(e.title << " " << e.start_iso());
        CHECK_FALSE(karin);  // she left on the 19th
        if (sanne) CHECK(e.date >= *parse_date("2027-01-20"));
        if (e.kind == EventKind::test_session)  // the new studiedag: no lessons, no tests
            CHECK(e.date != *parse_date("2027-02-10"));
    }
    // Sanne's klassenconsultaties: the first window ended before she came, the second counts.
    int sanne_kc = 0;
    for (const Event& e : p1.events)
        if (e.rule == "klassenconsultatie" && e.subject == std::optional<std::string>("sanne")) {
            ++sanne_kc;
            CHECK(e.occurrence == 2);
        }
    for (const auto& u : p1.unplanned)
        CHECK_FALSE((u.rule == "klassenconsultatie" &&
                     u.subject == std::optional<std::string>("sanne") && u.occurrence == 1));
    CHECK(sanne_kc == 1);

    // Compliance counts only while there: Sanne's first window and Karin's second are not
    // required (and not counted); what Karin had before she left stays as it was.
    const auto rows = compliance(p1, changed, *parse_date("2027-03-01"));
    int seen = 0;
    for (const auto& rc : rows)
        if (rc.rule == "klassenconsultatie")
            for (const auto& row : rc.rows) {
                if (row.subject == "sanne") {
                    ++seen;
                    CHECK(row.cells[0].status == OccurrenceStatus::not_required);
                }
                if (row.subject == "karin") {
                    ++seen;
                    CHECK(row.cells[1].status == OccurrenceStatus::not_required);
                    CHECK(row.cells[0].status != OccurrenceStatus::not_required);
                }
            }
    CHECK(seen == 2);
    const auto counted = held_of_required(rows, "klassenconsultatie");
    CHECK(counted.required == 2 * 16 - 2);  // 15 teachers and Sanne; 2 terms not required

    // The reason of an absence is in no feed.
    FeedRenderer feeds(p1, changed);
    for (const auto& f : all_feeds(changed))
        CHECK(feeds.render(f).find("burn-out") == std::string::npos);
    CHECK(plan_to_json(p1).find("burn-out") == std::string::npos);

    // Every change is listed with a reason.
    CHECK_FALSE(p1.changes.empty());
    for (const auto& c : p1.changes) {
        INFO(c.title);
        CHECK_FALSE(c.reason.empty());
        CHECK((c.what == PlanChangeKind::moved || c.what == PlanChangeKind::cancelled));
    }

    // At least 90% of the unaffected rest of the year in place: future events of people and
    // groups the change does not concern.
    const std::vector<std::string> concerned = {"karin", "sanne", "lisa", "vera"};
    int unaffected = 0, kept = 0;
    for (const Event& e : p0.events) {
        if (e.kind == EventKind::test_period || starts_before(e, moment) ||
            e.status == EventStatus::cancelled || e.date == *parse_date("2027-02-10"))
            continue;
        bool touches = e.group == std::optional<std::string>("groep-5") ||
                       e.group == std::optional<std::string>("groep-6");
        for (const auto& p : concerned)
            touches = touches || e.attended_by(p) || e.subject == std::optional<std::string>(p);
        if (touches) continue;
        ++unaffected;
        auto it = now.find(e.uid);
        if (it != now.end() && it->second->date == e.date && it->second->start == e.start &&
            it->second->status != EventStatus::cancelled)
            ++kept;
    }
    INFO(kept << " of " << unaffected << " unaffected future events kept their time");
    CHECK(kept * 10 >= unaffected * 9);
}

TEST_CASE("dated facts: the loader's errors name the place and what to do", "[unit][replan]") {
    January year;
    year.change();
    auto bad = [&](const std::string& from, const std::string& to) {
        std::string school = year.school;
        replace_once(school, from, to);
        auto r = jk::testing::load_inline(school, year.rules, year.extra);
        REQUIRE_FALSE(r);
        return jk::testing::diagnostics_text(r.error());
    };
    CHECK_THAT(bad("substitute = \"vera\"", "substitute = \"verra\""),
               Catch::Contains("invaller 'verra' staat niet bij de personen") &&
                   Catch::Contains("bedoelde je 'vera'?") && Catch::Contains("school.toml:"));
    CHECK_THAT(bad("substitute = \"vera\"", "substitute = \"lisa\""),
               Catch::Contains("eigen invaller"));
    CHECK_THAT(bad("from = 2027-01-20\n", "from = 2027-09-20\n"),
               Catch::Contains("ligt buiten het schooljaar"));
    CHECK_THAT(bad("until = 2027-02-12", "until = 2027-01-01"),
               Catch::Contains("'until' (2027-01-01) ligt voor 'from' (2027-01-18)"));
    CHECK_THAT(bad(R"(until = 2027-01-19 },)", R"(until = 2027-01-25 },)"),
               Catch::Contains("niet op school"));
}

TEST_CASE("minimal perturbation: a kept event moves when that is the only way to place another",
          "[unit][replan]") {
    // Anna works Mondays only, with one free hour after school. Overleg C may only be on 2 or 9
    // November, overleg B on 2, 9 or 16 November. The earlier plan had B on the 2nd and C on
    // the 9th; then Anna is away on the 9th. Keeping B where it is would cancel C; moving B to
    // the 16th (one move) plans both.
    std::string school = jk::testing::base_school_toml();
    replace_once(school, R"(works = ["ma", "di", "do"])", R"(works = ["ma"])");
    replace_once(school, "[[person]]",
                 "[school.meetings]\nafter_school = \"15:00-16:00\"\n\n[[person]]");
    const std::string rules = R"TOML(
[[rule]]
id = "b"
title = "Overleg B"
for_each = "school"
attendees = ["person:anna"]
minutes = 60
slot = "after_school"
count = 1
windows = [ { from = 2026-11-02, to = 2026-11-16 } ]

[[rule]]
id = "c"
title = "Overleg C"
for_each = "school"
attendees = ["person:anna"]
minutes = 60
slot = "after_school"
count = 1
windows = [ { from = 2026-11-02, to = 2026-11-09 } ]
)TOML";
    auto before = jk::testing::load_inline(school, rules);
    REQUIRE(before);
    Plan p0 = jk::testing::plan_fixed(*before);
    for (Event& e : p0.events) {
        if (e.rule == "b") e.date = e.end_date = *parse_date("2026-11-02");
        if (e.rule == "c") e.date = e.end_date = *parse_date("2026-11-09");
        if (e.rule == "b" || e.rule == "c") e.start = 15 * 60, e.end = 16 * 60;
    }
    sort_events(p0.events);
    replace_once(school, R"(works = ["ma"])",
                 R"(works = ["ma"]
absent = [ { from = 2026-11-09, to = 2026-11-09, reason = "cursus" } ])");
    auto after = jk::testing::load_inline(school, rules);
    REQUIRE(after);
    PlanOptions o;
    o.stamp = "2026-10-01T00:00:00Z";
    o.previous = &p0;
    o.as_of = LocalMoment{*parse_date("2026-10-01"), 8 * 60};
    const Plan p1 = make_plan(*after, o);
    CHECK(p1.unplanned.empty());
    std::map<std::string, Date> on;
    for (const Event& e : p1.events)
        if (e.status != EventStatus::cancelled) on[e.rule] = e.date;
    CHECK(on["c"] == *parse_date("2026-11-02"));
    CHECK(on["b"] == *parse_date("2026-11-16"));
    CHECK(p1.changes.size() == 2);  // C had to move, and B made room: nothing else
    const auto problems = jk::testing::check_plan(
        *after, jk::testing::hand_official_year("2026-2027"), plan_to_json(p1), o.as_of);
    CHECK(problems.empty());
}

TEST_CASE("a consultation moved by hand takes its nabespreking along, and says so",
          "[unit][replan]") {
    const LoadedSchool s = jk::testing::load_example();
    const Plan p0 = jk::testing::plan_fixed(s);
    const LocalMoment moment{*parse_date("2027-02-08"), 8 * 60};
    int dragged = 0;
    for (const Event& e : p0.events) {
        if (e.rule != "klassenconsultatie" || e.occurrence != 2 || dragged >= 3) continue;
        const Event* follow = nullptr;
        for (const Event& f : p0.events)
            if (f.follows == std::optional<std::string>(e.uid)) follow = &f;
        REQUIRE(follow);
        // A week later, at a moment the planner's own check allows.
        std::optional<Date> to;
        for (int k = 7; k <= 21 && !to; ++k)
            if (move_conflicts(s, p0, e.uid, e.date + std::chrono::days{k}, e.start).empty())
                to = e.date + std::chrono::days{k};
        if (!to) continue;
        auto moved = apply_change(p0, {e.uid, ChangeKind::move, {}, "", *to, e.start},
                                  "2027-02-08T07:00:00Z");
        REQUIRE(moved);
        PlanOptions o;
        o.stamp = "2027-02-08T07:00:00Z";
        o.previous = &*moved;
        o.as_of = moment;
        const Plan p1 = make_plan(s, o);
        const Event* f1 = p1.find(follow->uid);
        REQUIRE(f1);
        INFO(e.title << " moved to " << format_date(*to));
        CHECK(f1->status != EventStatus::cancelled);
        CHECK(f1->date >= *to);  // after its consultation, within its school days (checker)
        bool listed = false;
        for (const auto& c : p1.changes)
            if (c.uid == follow->uid)
                listed = c.what == PlanChangeKind::moved &&
                         c.reason.find("gaat mee") != std::string::npos;
        CHECK(listed);
        const auto problems = jk::testing::check_plan(
            s, jk::testing::hand_official_year("2026-2027"), plan_to_json(p1), moment);
        CHECK(problems.empty());
        ++dragged;
    }
    CHECK(dragged == 3);
}

TEST_CASE("a leaver, then his successor: what the planner gave up comes back (issue scenario)",
          "[unit][replan]") {
    // Mohammed, groep 7's only teacher, leaves after Friday 29 January (entered on Monday 11
    // January); the next morning his successor is entered, groep 7 from Monday 1 February.
    January year;
    const LoadedSchool original = year.load();
    const Plan p0 = jk::testing::plan_fixed(original);
    auto eind_groep_7 = [](const Plan& p) {
        std::vector<const Event*> out;
        for (const Event& e : p.events)
            if (e.kind == EventKind::test_session && e.rule == "eind" &&
                e.group == std::optional<std::string>("groep-7"))
                out.push_back(&e);
        return out;
    };
    REQUIRE(eind_groep_7(p0).size() >= 2);

    replace_once(year.school, "id = \"mohammed\"", "id = \"mohammed\"\nuntil = 2027-01-29");
    replace_once(
        year.school,
        R"(teachers = [ { person = "mohammed", days = ["ma", "di", "wo", "do", "vr"] } ])",
        R"(teachers = [ { person = "mohammed", days = ["ma", "di", "wo", "do", "vr"], until = 2027-01-29 } ])");
    const LoadedSchool leaver = year.load();
    PlanOptions o1;
    o1.stamp = "2027-01-11T07:30:00Z";
    o1.previous = &p0;
    o1.as_of = LocalMoment{*parse_date("2027-01-11"), 8 * 60 + 30};
    const Plan p1 = make_plan(leaver, o1);
    // Without a teacher from February, groep 7's eind tests cannot be sat: the planner cancels
    // them, says why, and lists them as what cannot be planned.
    for (const Event* e : eind_groep_7(p1)) {
        INFO(e->title << " " << e->start_iso());
        CHECK(e->status == EventStatus::cancelled);
        CHECK_FALSE(e->planner_reason.empty());
        CHECK(e->note.empty());
    }
    auto unplanned_eind_7 = [](const Plan& p) {
        return std::count_if(p.unplanned.begin(), p.unplanned.end(), [](const Unplanned& u) {
            return u.rule == "eind" && u.subject == std::optional<std::string>("groep-7");
        });
    };
    CHECK(unplanned_eind_7(p1) == static_cast<long>(eind_groep_7(p0).size()));

    // Re-planned again before anyone comes (another change that day): still not plannable,
    // still listed as such with its reason, and the cancelled events unchanged (no new SEQUENCE).
    PlanOptions o1b = o1;
    o1b.previous = &p1;
    o1b.as_of = LocalMoment{*parse_date("2027-01-11"), 15 * 60};
    const Plan p1b = make_plan(leaver, o1b);
    CHECK(unplanned_eind_7(p1b) == static_cast<long>(eind_groep_7(p0).size()));
    for (const Event* e : eind_groep_7(p1b)) {
        CHECK(e->status == EventStatus::cancelled);
        CHECK(e->sequence == p1.find(e->uid)->sequence);
        CHECK_FALSE(e->planner_reason.empty());
    }
    CHECK(std::none_of(p1b.changes.begin(), p1b.changes.end(),
                       [](const PlanChange& c) { return c.what == PlanChangeKind::restored; }));

    replace_once(year.school, R"(until = 2027-01-29 } ])",
                 R"(until = 2027-01-29 },
             { person = "okke", days = ["ma", "di", "wo", "do", "vr"], from = 2027-02-01 } ])");
    replace_once(year.school, "[[group]]", R"([[person]]
id = "okke"
name = "Okke Visser"
email = "okke.visser@voorbeeld.nl"
works = ["ma", "di", "wo", "do", "vr"]
from = 2027-02-01

[[group]])");
    const LoadedSchool successor = year.load();
    PlanOptions o2;
    o2.stamp = "2027-01-12T07:30:00Z";
    o2.previous = &p1b;
    o2.as_of = LocalMoment{*parse_date("2027-01-12"), 8 * 60 + 30};
    const Plan p2 = make_plan(successor, o2);
    // The tests are back, with the successor, told as such; nothing of them is unplanned.
    const auto back = eind_groep_7(p2);
    REQUIRE(back.size() == eind_groep_7(p0).size());
    for (const Event* e : back) {
        INFO(e->title << " " << e->start_iso());
        CHECK(e->status == EventStatus::planned);
        CHECK(e->attendees == std::vector<std::string>{"okke"});
        CHECK(e->planner_reason.empty());
        const Event* was = p1b.find(e->uid);
        REQUIRE(was);
        CHECK(e->sequence == was->sequence + 1);
        const bool told =
            std::any_of(p2.changes.begin(), p2.changes.end(), [&](const PlanChange& c) {
                return c.uid == e->uid && c.what == PlanChangeKind::restored &&
                       c.reason.find("past weer") != std::string::npos;
            });
        CHECK(told);
    }
    CHECK(unplanned_eind_7(p2) == 0);
    // As a fresh plan of the same input: every future occurrence it plans is planned here too.
    PlanOptions fresh;
    fresh.stamp = "2027-01-12T07:30:00Z";
    const Plan f = make_plan(successor, fresh);
    for (const Event& e : f.events) {
        if (e.kind == EventKind::test_period || e.status != EventStatus::planned ||
            starts_before(e, *o2.as_of))
            continue;
        const Event* mine = p2.find(e.uid);
        INFO(e.title << " " << e.start_iso());
        REQUIRE(mine);
        CHECK(mine->status != EventStatus::cancelled);
    }
    const auto problems = jk::testing::check_plan(
        successor, jk::testing::hand_official_year("2026-2027"), plan_to_json(p2), o2.as_of);
    std::string text;
    for (const auto& p : problems) text += p + "\n";
    INFO(text);
    CHECK(problems.empty());
    // Stored and read back, the planner's reason stays apart from people's notes.
    const auto reread = plan_from_json(plan_to_json(p1), "plan.json");
    REQUIRE(reread);
    CHECK(reread->find(eind_groep_7(p1).front()->uid)->planner_reason ==
          eind_groep_7(p1).front()->planner_reason);
}

TEST_CASE("a leaving starter: his past talks stay owed, the rest is not required, and says why",
          "[unit][replan]") {
    // Issue 26: Jeroen, a starter, leaves after Friday 29 January (entered on 11 January). His
    // six coaching talks have no windows: the school year is their term, and he is there for
    // less than half of it. What was planned before the change stands (the November talk stays
    // overdue); the rest is not required, and the reasons say so with the dates.
    January year;
    const LoadedSchool original = year.load();
    const Plan p0 = jk::testing::plan_fixed(original);
    replace_once(year.school, "id = \"jeroen\"", "id = \"jeroen\"\nuntil = 2027-01-29");
    replace_once(
        year.school, R"({ person = "jeroen", days = ["ma", "di", "wo", "do", "vr"] })",
        R"({ person = "jeroen", days = ["ma", "di", "wo", "do", "vr"], until = 2027-01-29 })");
    const LoadedSchool leaver = year.load();
    PlanOptions o;
    o.stamp = "2027-01-11T07:30:00Z";
    o.previous = &p0;
    o.as_of = LocalMoment{*parse_date("2027-01-11"), 8 * 60 + 30};
    const Plan p1 = make_plan(leaver, o);
    int past = 0, later = 0;
    for (const Event& e : p0.events) {
        if (e.rule != "coaching-starter") continue;
        const Event* now = p1.find(e.uid);
        REQUIRE(now);
        INFO(e.title << " " << e.start_iso() << ": " << now->planner_reason);
        if (starts_before(e, *o.as_of)) {
            ++past;
            CHECK(event_to_json(*now) == event_to_json(e));  // the past as it was
        } else {
            ++later;
            CHECK(now->status == EventStatus::cancelled);
            CHECK(now->planner_reason.find("niet meer nodig") == 0);
            CHECK(now->planner_reason.find("Jeroen Vos is na vr 29 ja") != std::string::npos);
            CHECK(now->planner_reason.find("staat niet meer in de regels") == std::string::npos);
        }
    }
    REQUIRE(past >= 2);
    REQUIRE(later >= 1);
    // In February: the past talks are overdue (none was recorded), the rest not required, with
    // who is not there and when.
    const Date feb = *parse_date("2027-02-15");
    int overdue_talks = 0;
    for (const auto& item : overdue(p1, leaver, feb))
        overdue_talks += item.event->rule == "coaching-starter";
    CHECK(overdue_talks == past);
    const auto rules = compliance(p1, leaver, feb);
    const auto rc = std::find_if(rules.begin(), rules.end(), [](const RuleCompliance& r) {
        return r.rule == "coaching-starter";
    });
    REQUIRE(rc != rules.end());
    const auto row = std::find_if(rc->rows.begin(), rc->rows.end(),
                                  [](const ComplianceRow& r) { return r.subject == "jeroen"; });
    REQUIRE(row != rc->rows.end());
    int owed = 0, not_required = 0;
    for (const auto& cell : row->cells) {
        INFO("occurrence " << cell.occurrence << ": " << to_string(cell.status) << " "
                           << cell.reason);
        if (cell.status == OccurrenceStatus::overdue) ++owed;
        if (cell.status == OccurrenceStatus::not_required) {
            ++not_required;
            CHECK(cell.reason.find("Jeroen Vos is na vr 29 januari niet meer op school") == 0);
        }
    }
    CHECK(owed == past);
    CHECK(not_required == 6 - past);
}

TEST_CASE("long leave with a substitute: the independent checker, and who owes what",
          "[unit][replan]") {
    // Issue 26 (the sharpened contract): Lisa, groep 6's teacher, is on leave from February to
    // the end of May; Vera teaches groep 6 meanwhile. *There* excludes absences: Lisa owes no
    // consultation in the second window, which she is away for most of; Vera, who teaches the
    // group then, is a teacher with that window of her own.
    January year;
    replace_once(year.school, "id = \"lisa\"",
                 "id = \"lisa\"\nabsent = [ { from = 2027-02-01, to = 2027-05-28, reason = "
                 "\"verlof\", substitute = \"vera\" } ]");
    replace_once(year.school, "[[group]]", R"([[person]]
id = "vera"
name = "Vera Invaller"
email = "vera@voorbeeld.nl"
works = ["ma", "di", "wo", "do", "vr"]
from = 2027-02-01
until = 2027-05-28

[[group]])");
    const LoadedSchool s = year.load();
    PlanOptions o;
    o.stamp = "2026-08-01T00:00:00Z";
    const Plan p = make_plan(s, o);
    const auto problems =
        jk::testing::check_plan(s, jk::testing::hand_official_year("2026-2027"), plan_to_json(p));
    std::string text;
    for (const auto& pr : problems) text += pr + "\n";
    INFO(text);
    CHECK(problems.empty());
    auto consultations = [&](const std::string& who) {
        std::vector<const Event*> out;
        for (const Event& e : p.events)
            if (e.rule == "klassenconsultatie" && e.subject == std::optional<std::string>(who))
                out.push_back(&e);
        return out;
    };
    // Lisa: the first window only; nothing of the second is planned or reported.
    REQUIRE(consultations("lisa").size() == 1);
    CHECK(consultations("lisa").front()->occurrence == 1);
    for (const Unplanned& u : p.unplanned)
        CHECK_FALSE(
            (u.rule == "klassenconsultatie" && u.subject == std::optional<std::string>("lisa")));
    // Vera: the second window, in groep 6, while she is there.
    const auto vera = consultations("vera");
    REQUIRE(vera.size() == 1);
    CHECK(vera.front()->occurrence == 2);
    CHECK(vera.front()->title == "Klassenconsultatie Vera Invaller (Groep 6)");
    CHECK(vera.front()->date >= *parse_date("2027-02-08"));
    CHECK(vera.front()->date <= *parse_date("2027-05-28"));
    // Compliance agrees: Lisa's second cell is not required, and says why without the reason.
    const auto rules = compliance(p, s, *parse_date("2027-07-16"));
    for (const auto& rc : rules)
        if (rc.rule == "klassenconsultatie")
            for (const auto& row : rc.rows)
                if (row.subject == "lisa") {
                    REQUIRE(row.cells.size() == 2);
                    CHECK(row.cells[1].status == OccurrenceStatus::not_required);
                    CHECK(row.cells[1].reason.find("Lisa Smits is afwezig van ma 1 februari") == 0);
                    CHECK(row.cells[1].reason.find("verlof") == std::string::npos);
                }
}
