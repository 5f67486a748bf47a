// One test per part of the planner's soft score (service/core/planner/score.hpp), and the score
// of the example school's plan: the IB'er's weeks flattened by the improvement phase.
#include <catch2/catch.hpp>

#include "core/planner/score.hpp"
#include "fixtures.hpp"
#include "jaarkalender/planner.hpp"

using namespace jk;
using namespace jk::planner;

namespace {

struct Fixture {
    LoadedSchool school;
    SchoolIndex ix;
    Agenda agenda;
    Scorer scorer;
    explicit Fixture(LoadedSchool s)
        : school(std::move(s)), ix(school), agenda(ix), scorer(ix, SoftWeights{}) {}
    int day(const char* iso) const { return ix.cal.index(*parse_date(iso)); }
};

Fixture make() {
    auto r = jk::testing::load_inline(jk::testing::base_school_toml(), "");
    INFO((r ? std::string() : jk::testing::diagnostics_text(r.error())));
    REQUIRE(r);
    return Fixture(std::move(r).value());
}

ScoreAmounts amounts_of(const Fixture& f, const Task& t, int day, Minute start, int target = -1) {
    ScoreAmounts a;
    f.scorer.add_preference(t, day, start, target, a);
    return a;
}

}  // namespace

TEST_CASE("score part spread: school days from the item's place in the spread",
          "[unit][planner][score]") {
    auto f = make();
    Task t;
    t.form = TimingForm::windowed;
    const int monday = f.day("2026-09-14");
    t.target = f.ix.school_day_ordinal(monday) + 0.5;
    CHECK(amounts_of(f, t, monday, 600).spread == 0);
    CHECK(amounts_of(f, t, f.day("2026-09-16"), 600).spread == 2);
    CHECK(amounts_of(f, t, f.day("2026-09-21"), 600).spread == 5);
}

TEST_CASE("score part outside_preferred_part: a counted item out of its part of the year",
          "[unit][planner][score]") {
    auto f = make();
    Task t;
    t.form = TimingForm::windowed;
    t.soft_lo = f.day("2026-09-14");
    t.soft_hi = f.day("2026-09-25");
    CHECK(amounts_of(f, t, f.day("2026-09-18"), 600).outside_preferred_part == 0);
    CHECK(amounts_of(f, t, f.day("2026-10-01"), 600).outside_preferred_part == 1);
}

TEST_CASE("score part test_afternoon: a test session from noon on", "[unit][planner][score]") {
    auto f = make();
    Task t;
    t.kind = TaskKind::test_session;
    t.form = TimingForm::test_session;
    CHECK(amounts_of(f, t, f.day("2026-09-14"), 11 * 60 + 45).test_afternoon == 0);
    CHECK(amounts_of(f, t, f.day("2026-09-14"), 12 * 60).test_afternoon == 1);
}

TEST_CASE("score part after_period_delay: school days after the first possible day",
          "[unit][planner][score]") {
    auto f = make();
    Task t;
    t.form = TimingForm::after_period;
    t.lo = f.day("2026-09-14");
    t.hi = f.day("2026-09-25");
    CHECK(amounts_of(f, t, t.lo, 900).after_period_delay == 0);
    CHECK(amounts_of(f, t, f.day("2026-09-21"), 900).after_period_delay == 5);
}

TEST_CASE("score parts follow_up_delay and follow_up_same_day", "[unit][planner][score]") {
    auto f = make();
    Task t;
    t.form = TimingForm::follow_up;
    const int target = f.day("2026-09-14");
    const ScoreAmounts same = amounts_of(f, t, target, 900, target);
    CHECK(same.follow_up_same_day == 1);
    CHECK(same.follow_up_delay == 0);
    const ScoreAmounts later = amounts_of(f, t, f.day("2026-09-16"), 900, target);
    CHECK(later.follow_up_same_day == 0);
    CHECK(later.follow_up_delay == 2);
}

TEST_CASE("score: fixed-date items have no preference to trade", "[unit][planner][score]") {
    auto f = make();
    Task t;
    t.form = TimingForm::on_date;
    t.target = 0;
    CHECK(amounts_of(f, t, f.day("2026-10-01"), 900).total(SoftWeights{}) == 0);
}

TEST_CASE("score part ib_week_load: one heavy week costs more than the same load spread",
          "[unit][planner][score]") {
    auto f = make();
    const int anna = f.ix.person("anna");
    auto meeting = [&](const char* date, Minute start) {
        Placed pl;
        pl.day = f.day(date);
        pl.event.start = start;
        pl.event.end = start + 45;
        pl.required = {anna};
        return pl;
    };
    REQUIRE(f.scorer.ibs() == std::vector<int>{anna});
    f.agenda.occupy(meeting("2026-09-14", 900), 0);
    f.agenda.occupy(meeting("2026-09-15", 900), 1);
    CHECK(f.scorer.ib_week_load(f.agenda) == 4);  // 2² in one week
    f.agenda.release(meeting("2026-09-15", 900), 1);
    f.agenda.occupy(meeting("2026-09-21", 900), 1);
    CHECK(f.scorer.ib_week_load(f.agenda) == 2);  // 1² + 1²
}

TEST_CASE("the example school's score: named parts, the IB'er's weeks, optional attendance",
          "[unit][planner][score]") {
    const LoadedSchool s = jk::testing::load_example();
    const Plan plan = jk::testing::plan_fixed(s);
    const PlanScore score = score_plan(s, plan);
    REQUIRE(score.parts.size() == 8);
    double sum = 0;
    for (const ScorePart& p : score.parts) {
        CHECK(!p.label.empty());
        CHECK(p.amount >= 0);
        sum += p.weight * p.amount;
    }
    CHECK(score.total() == Approx(sum));
    // Anna is the only IB'er. An exact solver found a plan whose busiest week has 6 of her
    // events (the weeks after a test period); the planner stays within one of that (it had 11).
    REQUIRE(score.ibs.size() == 1);
    CHECK(score.ibs[0].person == "anna");
    CHECK(score.ibs[0].worst <= 7);
    CHECK(score.ibs[0].mean > 2);
    UNSCOPED_INFO("Anna: worst week " << score.ibs[0].worst << " (week " << score.ibs[0].worst_week
                                      << "), mean " << score.ibs[0].mean);
    // Invitees: most of those a rule invites are there; the part counts the others.
    CHECK(score.optional_wanted > 0);
    CHECK(score.optional_present * 10 > score.optional_wanted * 7);
    CHECK(score.parts[6].amount == score.optional_wanted - score.optional_present);
}
