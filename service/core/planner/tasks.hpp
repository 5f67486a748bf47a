// Internal to the planner: the occurrences a school's rules ask for, one task each, with their
// term (the hard bounds of the day) and soft preferences, per timing form.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "planner/school_index.hpp"
#include "planner/task.hpp"

namespace jk::planner {

class TaskFactory {
  public:
    explicit TaskFactory(const SchoolIndex& ix) : ix_(ix) {}

    /// Every occurrence that does not follow another, in placing order: fixed dates first (on
    /// their date, then those moved off a closed day), then test sessions, then rules after a
    /// test period and counted rules, each the least free first.
    [[nodiscard]] std::vector<Task> root_tasks() const;
    /// The follow-ups of the occurrence placed as `target` (index `target_index`).
    /// The follow-ups of a placed event. Their window_text names the target; for a target
    /// without its title yet, Task::follows_event holds what Planner::window_text writes it from.
    [[nodiscard]] std::vector<Task> follow_up_tasks(const Placed& target, int target_index) const;
    /// "binnen 3 schooldagen na 'Klassenconsultatie groep 5' (di 13 oktober)".
    [[nodiscard]] std::string follow_up_window(int rule, const std::string& target_title,
                                               Date target_date) const;
    /// The follow-ups of an occurrence that could not be planned (for the report).
    [[nodiscard]] std::vector<Task> follow_ups_of_unplanned(const Task& t) const;

  private:
    [[nodiscard]] std::vector<int> subjects_of(const Rule& r) const;
    /// Spec "Changes during the year": an occurrence of a person subject is required only when
    /// the person is at the school on at least half of the school days of its term, and then
    /// its term is the part they are there. False: not required (not planned, not reported).
    bool while_there(Task& t) const;
    [[nodiscard]] Task base(int rule, int subject) const;
    void counted(int rule, const CountTiming& c, const std::vector<int>& subjects, size_t si,
                 std::vector<Task>& out) const;
    void after_period(int rule, const AfterPeriodTiming& ap, int subject,
                      std::vector<Task>& out) const;
    void on_dates(int rule, int subject, std::vector<Task>& on_date,
                  std::vector<Task>& next_day) const;
    void test_sessions(std::vector<Task>& out) const;

    /// The UID of a rule occurrence; follow-up UIDs are asked for at every placement, so they
    /// are kept (a SHA-1 each).
    const std::string& rule_uid(int rule, const std::string& subject, int occurrence) const;

    const SchoolIndex& ix_;
    mutable std::map<std::tuple<int, std::string, int>, std::string> uids_;
};

}  // namespace jk::planner
