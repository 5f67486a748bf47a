// Internal to the planner: the hard constraints of the contract (spec/calendar-format.md, "Hard
// constraints"), each as a named check with its own test (tests/core/planner_constraints_test).
// Planner::try_day applies them in this order; the first that fails says why a day is refused.
#pragma once

#include <optional>
#include <vector>

#include "planner/agenda.hpp"
#include "planner/school_index.hpp"
#include "planner/task.hpp"

namespace jk::planner::constraints {

/// 4. The day lies in the occurrence's term, and not before the moment of a re-plan.
bool within_term(const Task& t, int d, int first_open_day);
/// 1. Nothing on a day that is not a staff day.
bool on_staff_day(const SchoolIndex& ix, int d);
/// 1. Nothing with slot = "lessons" on a studiedag (a staff day without pupils).
bool lessons_on_school_day(const SchoolIndex& ix, SlotKind slot, bool all_day, int d);
/// 4. avoid = ["test_periods"].
bool avoids_test_periods(const SchoolIndex& ix, const Rule* r, int d);
/// 4. avoid = ["first_day_after_holiday"].
bool avoids_first_day_after_holiday(const SchoolIndex& ix, const Rule* r, int d);
/// 3. The window the slot allows on day d: the lesson hours of that weekday, the after-school
/// window, or the fixed time (`fixed_start` >= 0 overrides it: a meeting moved by hand).
/// nullopt: lessons on a weekday without lesson hours.
std::optional<TimeRange> slot_window(const SchoolIndex& ix, SlotKind slot, Minute fixed_time,
                                     Minute minutes, int d, Minute fixed_start);
/// 3. For a teacher rule during lessons: a group the teacher teaches that day (the one observed
/// least for this rule, so that consultations rotate). -1: none.
int observed_group(const SchoolIndex& ix, const Agenda& agenda, int rule, int teacher, int d);
/// 2. Every required attendee is available that day: those who are not.
std::vector<int> unavailable(const SchoolIndex& ix, const std::vector<int>& people, int d);
/// 2/3. A teacher who teaches a group during its lesson hours is busy then: only an event that
/// lies in that group's lessons by its rule (`own_group`, -1 for any other event) may take that
/// time, and the subject of such an event may be in it whichever of her groups she teaches.
/// Returns the group p stands in front of during [start, end) on day d, or -1 when p is free
/// of teaching then.
int teaching_in_the_way(const SchoolIndex& ix, int p, int d, Minute start, Minute end,
                        int own_group, int subject);
/// 4. max_per_day: p attends fewer than the rule's maximum of its events that day.
bool under_max_per_day(const Agenda& agenda, const Rule* r, int rule, int p, int d);
/// 4. max_tests_per_day of a test period, per group and day.
bool under_max_tests_per_day(const SchoolIndex& ix, const Agenda& agenda, int period, int group,
                             int d);
/// 4. morning_only: the latest start of a test session in the lesson window.
Minute latest_morning_start(const TimeRange& lessons, Minute minutes);
/// 4. A follow-up lies after the end (before the start) of its target; on the target's own day
/// only when neither is all day: the bounds of its start then, else nullopt.
std::optional<TimeRange> follow_up_starts(const Placed& target, bool before, bool all_day, int d,
                                          Minute first, Minute last, Minute minutes);
/// 2. No attendee has two overlapping events.
bool free_at(const Agenda& agenda, int p, int d, Minute start, Minute end);

}  // namespace jk::planner::constraints
