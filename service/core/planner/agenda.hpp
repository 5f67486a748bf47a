// Internal to the planner: everyone's agenda as it is being built. Occupying and releasing a
// placement keeps the counts the constraints and the score read (busy intervals per person and
// day, events per week, per rule and day, tests per group and day, observations per group).
#pragma once

#include <vector>

#include "planner/school_index.hpp"
#include "planner/task.hpp"

namespace jk::planner {

class Agenda {
  public:
    explicit Agenda(const SchoolIndex& ix);

    /// Adds a placement (index `event` in the planner's list) to the agendas of its people.
    void occupy(const Placed& pl, int event);
    /// Takes it out again, in any order.
    void release(const Placed& pl, int event);
    /// Adds or removes one optional attendee of a placed timed event.
    void occupy_optional(const Placed& pl, int event, int person);
    /// Keeps Σ over these people and every week of their load² up to date (the IB'ers: the
    /// improvement phase reads it at every move it tries). Before anything is occupied.
    void track_squares(const std::vector<int>& people);
    /// That sum, exact.
    [[nodiscard]] long long tracked_squares() const { return tracked_squares_; }

    /// No event of p overlaps [a, b) on day d.
    [[nodiscard]] bool free_at(int p, int d, Minute a, Minute b) const;
    /// The events of p that overlap [a, b) on day d.
    [[nodiscard]] std::vector<int> events_at(int p, int d, Minute a, Minute b) const;
    /// Timed events p attends (required) in the week of day d.
    [[nodiscard]] int week_load(int p, int d) const {
        return week_load_[static_cast<size_t>(p) * static_cast<size_t>(ix_.weeks()) +
                          static_cast<size_t>(ix_.week_of(d))];
    }
    [[nodiscard]] int week_load_of_week(int p, int week) const {
        return week_load_[static_cast<size_t>(p) * static_cast<size_t>(ix_.weeks()) +
                          static_cast<size_t>(week)];
    }
    [[nodiscard]] int day_load(int p, int d) const {
        return static_cast<int>(busy_[ix_.pd(p, d)].size());
    }
    /// Events of rule r that p attends on day d (max_per_day).
    [[nodiscard]] int rule_day_count(int r, int p, int d) const { return rule_day_[rdp(r, p, d)]; }
    /// Test sessions of period i for group g on day d (max_tests_per_day).
    [[nodiscard]] int tests_on_day(int i, int g, int d) const { return tests_day_[igd(i, g, d)]; }
    /// Occurrences of teacher rule r in which teacher p was observed in group g.
    [[nodiscard]] int group_use(int r, int p, int g) const { return group_use_[rpg(r, p, g)]; }

  private:
    struct Busy {
        Minute start;
        Minute end;
        int event;
    };
    void change(const Placed& pl, int event, int sign);
    void add_interval(int p, int d, const Placed& pl, int event, int sign);
    [[nodiscard]] size_t rdp(int r, int p, int d) const {
        return (static_cast<size_t>(r) * static_cast<size_t>(ix_.persons()) +
                static_cast<size_t>(p)) *
                   static_cast<size_t>(ix_.days()) +
               static_cast<size_t>(d);
    }
    [[nodiscard]] size_t igd(int i, int g, int d) const {
        return (static_cast<size_t>(i) * static_cast<size_t>(ix_.groups()) +
                static_cast<size_t>(g)) *
                   static_cast<size_t>(ix_.days()) +
               static_cast<size_t>(d);
    }
    [[nodiscard]] size_t rpg(int r, int p, int g) const {
        return (static_cast<size_t>(r) * static_cast<size_t>(ix_.persons()) +
                static_cast<size_t>(p)) *
                   static_cast<size_t>(ix_.groups()) +
               static_cast<size_t>(g);
    }

    const SchoolIndex& ix_;
    std::vector<std::vector<Busy>> busy_;  // P×D
    std::vector<int> week_load_;           // P×W timed events attended as required
    std::vector<uint8_t> tracked_;         // P: in tracked_squares_
    long long tracked_squares_ = 0;
    std::vector<int> rule_day_;   // R×P×D
    std::vector<int> tests_day_;  // periods×G×D
    std::vector<int> group_use_;  // R×P×G
};

}  // namespace jk::planner
