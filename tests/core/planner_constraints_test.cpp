// One test per hard constraint of the planner (service/core/planner/constraints.hpp), each on a
// small school whose days the test names, in the manner of one test per constraint provider.
#include <catch2/catch.hpp>

#include "core/planner/constraints.hpp"
#include "fixtures.hpp"

using namespace jk;
using namespace jk::planner;
namespace hc = jk::planner::constraints;

namespace {

const std::string kSchool = jk::testing::base_school_toml() + R"TOML(
[[closure]]
date = "2026-10-05"
kind = "studiedag"
name = "Studiedag team"
)TOML";

const char* kRules = R"TOML([[test_period]]
id = "midden"
name = "Toetsperiode midden"
from = 2027-01-18
to = 2027-02-05
max_tests_per_day = 1
morning_only = true
[[test_period.test]]
name = "Rekenen"
grades = [4, 5]
minutes = 60

[[rule]]
id = "consultatie"
title = "Consultatie {teacher}"
for_each = "teacher"
attendees = ["any:role:ib"]
minutes = 45
slot = "lessons"
max_per_day = 1
avoid = ["test_periods", "first_day_after_holiday"]
count = 1
windows = [ { from = 2026-09-14, to = 2027-06-25 } ]
)TOML";

struct Fixture {
    LoadedSchool school;
    SchoolIndex ix;
    Agenda agenda;
    explicit Fixture(LoadedSchool s) : school(std::move(s)), ix(school), agenda(ix) {}
    int day(const char* iso) const { return ix.cal.index(*parse_date(iso)); }
    int person(const char* id) const { return ix.person(id); }
};

Fixture make() {
    auto r = jk::testing::load_inline(kSchool, kRules);
    INFO((r ? std::string() : jk::testing::diagnostics_text(r.error())));
    REQUIRE(r);
    return Fixture(std::move(r).value());
}

Placed meeting(const Fixture& f, const char* date, Minute start, Minute end,
               std::vector<int> people, int rule = -1) {
    Placed pl;
    pl.day = f.day(date);
    pl.rule = rule;
    pl.event.start = start;
    pl.event.end = end;
    pl.event.kind = EventKind::rule;
    pl.required = std::move(people);
    return pl;
}

}  // namespace

TEST_CASE("constraint within_term: the day lies in the term and not before the re-plan moment",
          "[unit][planner][constraint]") {
    Task t;
    t.lo = 10;
    t.hi = 20;
    CHECK(hc::within_term(t, 10, 0));
    CHECK(hc::within_term(t, 20, 0));
    CHECK_FALSE(hc::within_term(t, 9, 0));
    CHECK_FALSE(hc::within_term(t, 21, 0));
    CHECK_FALSE(hc::within_term(t, 12, 13));  // --as-of on day 13
}

TEST_CASE("constraint on_staff_day: not in a vacation or on a weekend; a studiedag is a staff day",
          "[unit][planner][constraint]") {
    auto f = make();
    CHECK(hc::on_staff_day(f.ix, f.day("2026-09-14")));
    CHECK(hc::on_staff_day(f.ix, f.day("2026-10-05")));        // studiedag
    CHECK_FALSE(hc::on_staff_day(f.ix, f.day("2026-09-19")));  // zaterdag
    CHECK_FALSE(hc::on_staff_day(f.ix, f.day("2026-10-20")));  // herfstvakantie
}

TEST_CASE("constraint lessons_on_school_day: nothing during lessons on a studiedag",
          "[unit][planner][constraint]") {
    auto f = make();
    const int studiedag = f.day("2026-10-05");
    CHECK_FALSE(hc::lessons_on_school_day(f.ix, SlotKind::lessons, false, studiedag));
    CHECK(hc::lessons_on_school_day(f.ix, SlotKind::after_school, false, studiedag));
    CHECK(hc::lessons_on_school_day(f.ix, SlotKind::lessons, true, studiedag));  // a deadline
    CHECK(hc::lessons_on_school_day(f.ix, SlotKind::lessons, false, f.day("2026-10-06")));
}

TEST_CASE("constraint avoids_test_periods and avoids_first_day_after_holiday",
          "[unit][planner][constraint]") {
    auto f = make();
    const Rule& r = f.ix.rule_at(f.ix.rule("consultatie"));
    CHECK_FALSE(hc::avoids_test_periods(f.ix, &r, f.day("2027-01-20")));
    CHECK(hc::avoids_test_periods(f.ix, &r, f.day("2027-02-08")));
    CHECK(hc::avoids_test_periods(f.ix, nullptr, f.day("2027-01-20")));  // a test session
    CHECK_FALSE(hc::avoids_first_day_after_holiday(f.ix, &r, f.day("2026-10-26")));
    CHECK(hc::avoids_first_day_after_holiday(f.ix, &r, f.day("2026-10-27")));
    // After a weekend or a studiedag it is an ordinary day.
    CHECK(hc::avoids_first_day_after_holiday(f.ix, &r, f.day("2026-09-14")));
    CHECK(hc::avoids_first_day_after_holiday(f.ix, &r, f.day("2026-10-06")));
}

TEST_CASE("constraint slot_window: lesson hours of the weekday, after school, or the fixed time",
          "[unit][planner][constraint]") {
    auto f = make();
    const int wednesday = f.day("2026-09-16");
    auto lessons = hc::slot_window(f.ix, SlotKind::lessons, 0, 45, wednesday, -1);
    REQUIRE(lessons);
    CHECK(*lessons == TimeRange{8 * 60 + 30, 12 * 60 + 15});
    auto after = hc::slot_window(f.ix, SlotKind::after_school, 0, 45, wednesday, -1);
    REQUIRE(after);
    CHECK(*after == f.ix.school.after_school);
    auto fixed = hc::slot_window(f.ix, SlotKind::fixed, 15 * 60, 60, wednesday, -1);
    REQUIRE(fixed);
    CHECK(*fixed == TimeRange{15 * 60, 16 * 60});
    // A meeting moved by hand gets the start asked for.
    CHECK(*hc::slot_window(f.ix, SlotKind::fixed, 15 * 60, 60, wednesday, 14 * 60) ==
          TimeRange{14 * 60, 15 * 60});
}

TEST_CASE("constraint observed_group: a teacher is observed in a group she teaches that day",
          "[unit][planner][constraint]") {
    auto f = make();
    const int rule = f.ix.rule("consultatie");
    // Bram teaches groep 4/5 ma di wo, Carla do vr.
    CHECK(hc::observed_group(f.ix, f.agenda, rule, f.person("bram"), f.day("2026-09-14")) == 0);
    CHECK(hc::observed_group(f.ix, f.agenda, rule, f.person("bram"), f.day("2026-09-17")) == -1);
    CHECK(hc::observed_group(f.ix, f.agenda, rule, f.person("carla"), f.day("2026-09-17")) == 0);
}

TEST_CASE("constraint unavailable: who does not work that day, or is not at school",
          "[unit][planner][constraint]") {
    auto f = make();
    const std::vector<int> people{f.person("anna"), f.person("bram"), f.person("carla")};
    // Wednesday: Anna does not work; Bram and Carla do.
    CHECK(hc::unavailable(f.ix, people, f.day("2026-09-16")) == std::vector<int>{f.person("anna")});
    // Monday: Carla does not work.
    CHECK(hc::unavailable(f.ix, people, f.day("2026-09-14")) ==
          std::vector<int>{f.person("carla")});
}

TEST_CASE("constraint teaching_in_the_way: a teacher is busy during her group's lessons",
          "[unit][planner][constraint]") {
    auto f = make();
    const int monday = f.day("2026-09-14");
    const int bram = f.person("bram");
    const Minute nine = 9 * 60, ten = 10 * 60;
    // Bram teaches groep 4/5 (index 0) on Monday. During its lessons he is busy for anything
    // but that group's own lesson-time event; he may be its subject whatever he teaches.
    CHECK(hc::teaching_in_the_way(f.ix, bram, monday, nine, ten, -1, -1) == 0);
    CHECK(hc::teaching_in_the_way(f.ix, bram, monday, nine, ten, 0, -1) == -1);
    CHECK(hc::teaching_in_the_way(f.ix, bram, monday, nine, ten, 1, bram) == -1);
    // A meeting at a fixed time inside the lesson hours (not a lesson-time event) is in the way,
    // also when only its end reaches into them; one after the lessons is not.
    CHECK(hc::teaching_in_the_way(f.ix, bram, monday, 8 * 60, 8 * 60 + 45, -1, -1) == 0);
    CHECK(hc::teaching_in_the_way(f.ix, bram, monday, 16 * 60, 17 * 60, -1, -1) == -1);
    // Somebody who teaches nothing that day, and a day without lessons.
    CHECK(hc::teaching_in_the_way(f.ix, f.person("anna"), monday, nine, ten, -1, -1) == -1);
    CHECK(hc::teaching_in_the_way(f.ix, bram, f.day("2026-09-19"), nine, ten, -1, -1) == -1);
}

TEST_CASE("constraint under_max_per_day: per attendee per day for the rule",
          "[unit][planner][constraint]") {
    auto f = make();
    const int rule = f.ix.rule("consultatie");
    const Rule& r = f.ix.rule_at(rule);
    const int anna = f.person("anna");
    CHECK(hc::under_max_per_day(f.agenda, &r, rule, anna, f.day("2026-09-14")));
    f.agenda.occupy(meeting(f, "2026-09-14", 9 * 60, 9 * 60 + 45, {anna}, rule), 0);
    CHECK_FALSE(hc::under_max_per_day(f.agenda, &r, rule, anna, f.day("2026-09-14")));
    CHECK(hc::under_max_per_day(f.agenda, &r, rule, anna, f.day("2026-09-15")));
    f.agenda.release(meeting(f, "2026-09-14", 9 * 60, 9 * 60 + 45, {anna}, rule), 0);
    CHECK(hc::under_max_per_day(f.agenda, &r, rule, anna, f.day("2026-09-14")));
}

TEST_CASE("constraint under_max_tests_per_day and latest_morning_start",
          "[unit][planner][constraint]") {
    auto f = make();
    const int d = f.day("2027-01-19");
    CHECK(hc::under_max_tests_per_day(f.ix, f.agenda, 0, 0, d));
    Placed test = meeting(f, "2027-01-19", 8 * 60 + 30, 9 * 60 + 30, {f.person("bram")});
    test.event.kind = EventKind::test_session;
    test.event.rule = "midden";
    test.group = 0;
    f.agenda.occupy(test, 0);
    CHECK_FALSE(hc::under_max_tests_per_day(f.ix, f.agenda, 0, 0, d));
    // Morning only: a 60-minute test in 08:30-14:30 starts before 11:30.
    CHECK(hc::latest_morning_start({8 * 60 + 30, 14 * 60 + 30}, 60) == 11 * 60 + 29);
    // A window too short for the test leaves no start.
    CHECK(hc::latest_morning_start({8 * 60 + 30, 9 * 60}, 60) < 8 * 60 + 30);
}

TEST_CASE(
    "constraint follow_up_starts: after the end of its target, never on an all-day target's day",
    "[unit][planner][constraint]") {
    auto f = make();
    Placed target = meeting(f, "2026-09-14", 10 * 60, 10 * 60 + 45, {});
    const int same = f.day("2026-09-14"), later = f.day("2026-09-15");
    auto after = hc::follow_up_starts(target, false, false, same, 8 * 60, 16 * 60, 30);
    REQUIRE(after);
    CHECK(after->start == 10 * 60 + 45);
    auto before = hc::follow_up_starts(target, true, false, same, 8 * 60, 16 * 60, 30);
    REQUIRE(before);
    CHECK(before->end == 9 * 60 + 30);
    CHECK(hc::follow_up_starts(target, false, false, later, 8 * 60, 16 * 60, 30)->start == 8 * 60);
    CHECK_FALSE(hc::follow_up_starts(target, false, true, same, 8 * 60, 16 * 60, 30));
    target.event.all_day = true;
    CHECK_FALSE(hc::follow_up_starts(target, false, false, same, 8 * 60, 16 * 60, 30));
}

TEST_CASE("constraint free_at: nobody has two overlapping events", "[unit][planner][constraint]") {
    auto f = make();
    const int anna = f.person("anna"), d = f.day("2026-09-14");
    f.agenda.occupy(meeting(f, "2026-09-14", 15 * 60, 16 * 60, {anna}), 0);
    CHECK_FALSE(hc::free_at(f.agenda, anna, d, 15 * 60 + 30, 16 * 60 + 30));
    CHECK_FALSE(hc::free_at(f.agenda, anna, d, 14 * 60 + 30, 15 * 60 + 1));
    CHECK(hc::free_at(f.agenda, anna, d, 16 * 60, 17 * 60));  // back to back is fine
    CHECK(hc::free_at(f.agenda, anna, d, 14 * 60, 15 * 60));
    CHECK(hc::free_at(f.agenda, f.person("erik"), d, 15 * 60, 16 * 60));
    // Released in any order.
    f.agenda.occupy(meeting(f, "2026-09-14", 9 * 60, 10 * 60, {anna}), 1);
    f.agenda.release(meeting(f, "2026-09-14", 15 * 60, 16 * 60, {anna}), 0);
    CHECK(hc::free_at(f.agenda, anna, d, 15 * 60, 16 * 60));
    CHECK_FALSE(hc::free_at(f.agenda, anna, d, 9 * 60, 10 * 60));
}
