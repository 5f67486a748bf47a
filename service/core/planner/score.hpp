// Internal to the planner: the soft score, lower is better. Its parts have names and weights
// (SoftWeights); the planner's improvement phase lowers it, and score_plan reports it for a
// finished plan with the same functions. Hard constraints are never traded for it.
#pragma once

#include <vector>

#include "planner/agenda.hpp"
#include "planner/school_index.hpp"
#include "planner/task.hpp"

namespace jk::planner {

struct SoftWeights {
    /// Per IB'er and school week: the square of her timed events that week. A square makes one
    /// week of 11 cost more than two of 6, so lowering it flattens the peaks without changing
    /// the total; across IB'ers it prefers the one with the lighter week.
    double ib_week_load = 1.0;
    /// Per school day between a spread item (a counted rule, a test session) and its place in
    /// the spread of its window.
    double spread = 0.25;
    /// Per school day a bespreking after a test period lies after its first possible day.
    double after_period_delay = 0.3;
    /// Per school day between a follow-up and the occurrence it follows.
    double follow_up_delay = 0.2;
    /// A follow-up on its target's own day (a talk on a later day is what schools do).
    double follow_up_same_day = 4.0;
    /// A counted item outside its preferred part of the year (no windows: count equal parts).
    double outside_preferred_part = 20.0;
    /// Per invitee who is not there: not at work that day, or busy then.
    double optional_absent = 0.6;
    /// A test session that starts at or after noon.
    double test_afternoon = 1.0;
    /// Per teacher of the group who cannot come to a `most:group_teachers` occurrence: heavy, so
    /// that all of them come whenever a day allows it.
    double teachers_missing = 25.0;
};

/// The soft score's parts, unweighted amounts (weight × amount is the part's share).
struct ScoreAmounts {
    double ib_week_load = 0;  // Σ over IB'ers and weeks of load²
    double spread = 0;        // school days
    double after_period_delay = 0;
    double follow_up_delay = 0;
    double follow_up_same_day = 0;
    double outside_preferred_part = 0;
    double optional_absent = 0;
    double test_afternoon = 0;
    double teachers_missing = 0;

    [[nodiscard]] double total(const SoftWeights& w) const;
};

class Scorer {
  public:
    Scorer(const SchoolIndex& ix, SoftWeights weights);

    [[nodiscard]] const SoftWeights& weights() const { return w_; }
    /// The people whose weekly load counts: holders of the role "ib".
    [[nodiscard]] const std::vector<int>& ibs() const { return ibs_; }
    /// The preference parts of one placement (not the load, not the invitees): where it lies
    /// against its term and target. `target_day`: for a follow-up, the day of its target.
    void add_preference(const Task& t, int day, Minute start, int target_day,
                        ScoreAmounts& into) const;
    [[nodiscard]] double preference(const Task& t, int day, Minute start, int target_day) const;
    /// Σ over IB'ers and weeks of load², from the agendas.
    [[nodiscard]] double ib_week_load(const Agenda& agenda) const;

  private:
    const SchoolIndex& ix_;
    SoftWeights w_;
    std::vector<int> ibs_;
};

}  // namespace jk::planner
