// The planner: pure code from a validated school to its plan. No clock, no I/O.
#pragma once

#include <optional>
#include <string>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk {

struct PlanOptions {
    /// Instant (`YYYY-MM-DDTHH:MM:SSZ`) stamped on new and changed events. Required: the core
    /// has no clock; the CLI derives a deterministic one, the daemon passes its clock.
    std::string stamp;
    /// An earlier plan of the same school and year: done, cancelled and moved events are kept
    /// as they are, every other event keeps its time when that breaks no hard constraint.
    const Plan* previous = nullptr;
    /// Re-plan as of this local moment (spec: "Stable re-planning", `--as-of`): every event of
    /// `previous` that starts before it stays exactly as it was; nothing new is placed before
    /// it; an occurrence whose term has passed is reported unplanned with that reason.
    std::optional<LocalMoment> as_of;
    /// After construction, repair what is unplanned and lower the soft score (local search).
    /// Off only to measure what the improvement phase does (bench/plan).
    bool improve = true;
};

/// The planner's revision, written into every plan it makes (Plan::planner). Raise it with
/// every change that makes the same input plan differently: a daemon that starts serves the
/// plans it stored without planning every school again, unless they are another planner's.
inline constexpr int kPlannerRevision = 1;

/// Plans a school year. Never fails: what cannot be planned is in Plan::unplanned with a reason.
Plan make_plan(const LoadedSchool& school, const PlanOptions& options);

/// One named part of a plan's soft score: weight × amount is its share of the total.
struct ScorePart {
    std::string key;    // as in SoftWeights (service/core/planner/score.hpp)
    std::string label;  // Dutch, for the report
    double weight = 0;
    double amount = 0;
};

/// An IB'er's weekly load: her timed events per school week.
struct IbLoad {
    std::string person;
    std::string name;
    int worst = 0;       // events in her busiest week
    int worst_week = 0;  // its ISO week number
    double mean = 0;     // events per school week (weeks without any school day not counted)
};

/// The soft score of a plan (lower is better), in the parts the planner weighs; with the
/// figures a school reads to see why its plan looks as it does.
struct PlanScore {
    std::vector<ScorePart> parts;
    std::vector<IbLoad> ibs;
    int optional_wanted = 0;   // optional attendees the rules invite (at school that day)
    int optional_present = 0;  // of them, invited and at work then
    [[nodiscard]] double total() const;
};

/// Scores a plan of this school with the planner's own weights and functions.
PlanScore score_plan(const LoadedSchool& school, const Plan& plan);

/// Why moving event `uid` to `date` at `start` (ignored for all-day events) would break a hard
/// constraint, in Dutch, checked by the planner's own rules against every other event of `plan`
/// and with the event's own people. Empty: the move is allowed.
std::vector<std::string> move_conflicts(const LoadedSchool& school, const Plan& plan,
                                        const std::string& uid, Date date, Minute start);

/// A moment an event may be moved to without breaking a hard constraint.
struct MoveSuggestion {
    Date date{};
    Minute start = 0;  // all-day events: 0
    Minute end = 0;
    bool outside_term = false;  // after the event's own term (which has no room, or has passed)
};

/// The first `count` moments from `from` on at which event `uid` may be moved, found by the
/// planner's own checks: within its term first, after it when the term has no room left.
std::vector<MoveSuggestion> move_suggestions(const LoadedSchool& school, const Plan& plan,
                                             const std::string& uid, Date from, int count = 5);

/// The UID of an occurrence: depends on school, school year, rule, subject and occurrence
/// number only (spec: calendar-format.md, "Stable re-planning").
std::string make_uid(std::string_view school, std::string_view school_year, std::string_view kind,
                     std::string_view rule, std::string_view subject, int occurrence);

}  // namespace jk
