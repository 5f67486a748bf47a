// Internal to the planner: the Planner puts the school's tasks on the agendas.
//
//   1. construct (planner.cpp): events of an earlier plan that are done, cancelled or moved by
//      hand (pinned); with --previous every other event at its old time when that still breaks
//      nothing (replan.cpp); then fixed dates, test sessions, rules after test periods and
//      counted rules, each on the best candidate day whose follow-ups fit too;
//   2. repair and improve (improve.cpp): what is still unplanned is placed by moving what
//      stands in its way (ejection chains), then moves that lower the soft score (score.hpp);
//   3. invite (planner.cpp): optional attendees where they are free, so that optional
//      attendance never costs a required item;
//   4. explain (explain.cpp) what is still unplanned, and write the plan (output.cpp).
// Every step keeps every hard constraint (constraints.hpp) and is deterministic.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "jaarkalender/planner.hpp"
#include "planner/agenda.hpp"
#include "planner/attendees.hpp"
#include "planner/explain.hpp"
#include "planner/school_index.hpp"
#include "planner/score.hpp"
#include "planner/tasks.hpp"

namespace jk::planner {

/// Start times are tried on this grid, counted from the start of the slot.
constexpr Minute kGridMinutes = 15;
/// Candidate days tried for an item before accepting one whose follow-ups do not all fit.
constexpr int kMaxJointAttempts = 40;

/// What a re-plan's repair run asks of the planner (make_plan): kept events it may move after
/// all, and the root occurrences to place first.
struct RepairHints {
    std::set<std::string> no_keep;
    std::set<std::string> first;
};

/// An occurrence that a re-plan could not place, and the kept events that stand in its way.
struct Blocked {
    std::string uid;
    std::string root_uid;               // the root occurrence (itself, or what it follows)
    std::vector<std::string> blockers;  // kept events on its days that share its people
    /// The earlier plan had it placed. If not (never placed, or given up by the planner), a
    /// repair is tried only when a fresh plan of the same input places it.
    bool was_placed = true;
};

class Planner {
  public:
    Planner(const LoadedSchool& in, const PlanOptions& opt, RepairHints hints = {},
            SoftWeights weights = {});

    Plan run();
    /// After run(): the occurrences the earlier plan had placed that this one could not (a
    /// re-plan), each with the kept events that stand in its way.
    [[nodiscard]] const std::vector<Blocked>& blocked() const { return blocked_; }
    /// Why moving `uid` to `date` at `start` breaks a hard constraint (move_check.cpp).
    std::vector<std::string> check_move(const std::string& uid, Date date, Minute start);
    /// The first moments from `from` on where `uid` may go (move_check.cpp).
    std::vector<MoveSuggestion> suggest_moves(const std::string& uid, Date from, int count);

  private:
    /// The event being moved by hand as a task, with everything else in the agenda.
    struct MoveSetup {
        const Event* target = nullptr;
        Task task;
        std::vector<int> people;  // its attendees now
        std::optional<Task> own;  // its own task (the term), when the rules still make it
    };
    bool prepare_move(const std::string& uid, MoveSetup& out, std::string& error);

    // ---- construct (planner.cpp) ----------------------------------------------------------
    std::vector<int> candidate_days(const Task& t) const;
    /// The hard constraints on one day, in order: the first that fails is recorded in `diag`
    /// (Stage) and nothing is returned; else the best choice that day.
    std::optional<Choice> try_day(const Task& t, int day, Diagnosis* diag, int fixed_start = -1,
                                  const std::vector<int>* keep_people = nullptr) const;
    /// try_day, part 1: the fixed required people of that day, all available (or why not).
    std::optional<std::vector<int>> required_on(const Task& t, int d, int group,
                                                const std::vector<int>* keep_people, bool all_day,
                                                Diagnosis* diag, Stage& refused) const;
    /// How loaded a holder of an any:role is on day d (lower is chosen first): a holder of the
    /// spec's second role only after those of its first, then the week (an IB'er's counts
    /// double), then the day.
    [[nodiscard]] std::pair<int, int> holder_load(const AttendeeSpec& spec, int p, int d) const;
    /// try_day, part 2: per any:role, the holders who may be chosen that day.
    std::optional<std::vector<std::vector<int>>> role_pools(
        const Task& t, int d, const std::vector<const AttendeeSpec*>& anys,
        const std::vector<int>& req, bool all_day, Diagnosis* diag) const;
    /// What try_day hands to the search over start times.
    struct SlotSearch {
        int day;
        int group;
        SlotKind slot;
        const Rule* rule;
        std::vector<int> required;
        std::vector<const AttendeeSpec*> anys;
        std::vector<std::vector<int>> pools;
        Minute first, last, minutes;  // the possible starts, and the length
        const Placed* target;
    };
    /// try_day, part 3: among the free starts, the one most invitees can attend, with the
    /// lightest-loaded any:role holders.
    std::optional<Choice> best_start(const Task& t, const SlotSearch& s, int fixed_start,
                                     Diagnosis* diag) const;
    /// try_day on every day of t's term, recording why each was refused.
    [[nodiscard]] Diagnosis diagnose(const Task& t) const;
    /// Places t (and, jointly, its follow-ups) on its best day. strict: only when every
    /// follow-up fits too, else nothing; not strict: what does not fit is recorded as failed.
    bool place(const Task& t, bool strict);
    bool place_follow_ups(int event, bool strict);
    int commit(const Task& t, const Choice& c, EventStatus status = EventStatus::planned);
    /// Takes back every placement from `mark` on (they are the newest).
    void rollback_to(size_t mark);
    [[nodiscard]] const Placed* followed(const Task& t) const {
        return t.follows >= 0 ? &placed_[static_cast<size_t>(t.follows)] : nullptr;
    }
    [[nodiscard]] Minute minutes_of(const Task& t) const;
    [[nodiscard]] int fixed_start_of(const Task& t) const;
    /// An event that lies in its group's lessons by its rule: a test session, or a teacher or
    /// group rule with slot = "lessons" (the group observed, the group discussed). Only such an
    /// event may take its group's teachers' lesson time.
    [[nodiscard]] bool lesson_time_event(const Task& t) const;
    void invite_optional();
    /// Explains and reports every task that is still not placed.
    void report_failures();
    void unplanned(const Task& t, std::string reason);
    void unplanned_chain(const Task& t, const std::string& why);

    // ---- repair and improve (improve.cpp) ------------------------------------------------
    void improve();
    /// Repairs what failed, round after round, while that plans more.
    void repair_all();
    /// Everyone t may need: its required people, every holder of its any:roles, the teachers
    /// of a test's group.
    [[nodiscard]] std::vector<int> people_needed(const Task& t) const;
    bool repair(const Task& t, int depth);
    /// Lifts one blocker at a time, places t, then the lifted chain elsewhere (or, at depth
    /// > 1, by lifting one in its way in turn).
    bool try_ejections(const Task& t, const std::vector<int>& blockers, int depth);
    /// Lifts every blocker at once, places t, then the lifted again: kept when it plans more.
    bool recreate(const Task& t, std::vector<int> blockers);
    /// Depth first over the pending tasks' candidate days (and leaving one out) until `target`
    /// items are placed; `skipped` gets what was left out. Bounded by kMaxExactNodes per plan.
    bool search(std::vector<Task> pending, size_t placed, size_t target,
                std::vector<Task>& skipped);
    /// The most items a task can become: itself and what follows it.
    [[nodiscard]] int potential(const Task& t) const;
    bool improve_event(int event);
    /// The placement and everything that follows it, transitively.
    [[nodiscard]] std::vector<int> chain_of(int event) const;
    void lift(const std::vector<int>& chain);
    void restore(const std::vector<int>& chain);
    [[nodiscard]] bool movable(int event) const;
    [[nodiscard]] double preference_of(int event) const;

    // ---- text (output.cpp) -------------------------------------------------------------------
    std::string title_of(const Task& t, int group, int day, int period) const;
    /// The task's term in words, for a reason ("binnen 3 schooldagen na ...").
    [[nodiscard]] std::string window_text(const Task& t) const;
    /// The task with its window_text written (explain() and the reasons read it).
    [[nodiscard]] Task with_window(const Task& t) const;
    /// The title of a placed event: worked out when it is needed (a follow-up's term, a
    /// reason, the plan), not at every placement the improvement phase tries.
    [[nodiscard]] std::string event_title(int event) const;
    /// Writes the title, description, attendees and owner of a placed event (commit leaves
    /// them out of a rule's event).
    void describe(Placed& pl) const;
    /// The follow-up tasks of a placed event (TaskFactory::follow_up_tasks).
    [[nodiscard]] std::vector<Task> follow_ups_of(int event) const {
        return factory_.follow_up_tasks(placed_[static_cast<size_t>(event)], event);
    }
    std::optional<std::string> owner_of(const Task& t, const std::vector<int>& req) const;
    Plan finish();
    void add_placed(Plan& plan, std::set<std::string>& uids);
    void add_test_periods(Plan& plan, std::set<std::string>& uids) const;
    /// Events of the previous plan that no longer have a place.
    void add_dropped(Plan& plan, const std::set<std::string>& uids) const;
    std::string dropped_reason(const Event& e, const Plan& plan) const;

    // ---- previous plan (replan.cpp) ------------------------------------------------------
    [[nodiscard]] const Event* previous(const std::string& uid) const {
        auto it = prev_.find(uid);
        return it == prev_.end() ? nullptr : it->second;
    }
    void pin_previous();
    bool try_keep(const Task& t);
    void keep_follow_ups(int event);
    /// An event of an earlier plan as a placement: its people, rule and group resolved.
    Placed placed_from(const Event& e) const;
    void find_blocked(const std::vector<Task>& roots);
    std::vector<PlanChange> changes_against_previous(const Plan& plan) const;
    /// The term of a counted rule's occurrence (its window, or the school year without
    /// windows), for "required only while there".
    std::optional<DateRange> counted_term(const Event& e) const;
    std::string passed_reason(const Task& t, const std::string& reason) const;

    // ---- move check (move_check.cpp) -----------------------------------------------------
    std::optional<Task> own_task(const Event& target);

    const LoadedSchool& in_;
    const PlanOptions& opt_;
    SchoolIndex ix_;
    Agenda agenda_;
    AttendeeResolver people_;
    TaskFactory factory_;
    Scorer scorer_;
    RepairHints hints_;
    /// Placements tried by repair and improvement (their budget: kMaxEvaluations).
    int evaluations_ = 0;
    /// Days tried by the exact search (its budget: kMaxExactNodes).
    int exact_nodes_ = 0;

    std::vector<Task> tasks_;  // every task placed, by Placed::task
    std::vector<Placed> placed_;
    std::vector<Task> failed_;  // not placed (yet)
    std::vector<Unplanned> unplanned_;
    std::vector<Task> unplanned_tasks_;                    // the tasks behind unplanned_
    std::unordered_set<std::string> resolved_;             // uids placed or pinned
    std::map<std::string, std::string> unplanned_reason_;  // uid → why it could not be planned
    std::vector<Blocked> blocked_;
    std::set<std::string> kept_;  // uids kept at their old time by try_keep
    bool moving_ = false;         // check_move: a fixed-time rule may be moved to another time
    /// --as-of: the first day on which something may be placed, and the first minute on it.
    int min_day_ = 0;
    Minute min_minute_ = 0;
    /// uid → why its old moment no longer held (for the list of changes).
    std::map<std::string, std::string> kept_failed_;
    std::map<std::string, const Event*, std::less<>> prev_;
};

/// Minimal perturbation for a re-plan (spec: "Stable re-planning"): lets kept events that stand
/// in the way of what the earlier plan had placed move after all, one at a time (replan.cpp).
Plan repair_replan(const LoadedSchool& school, const PlanOptions& options, Plan plan,
                   std::vector<Blocked> todo);

}  // namespace jk::planner
