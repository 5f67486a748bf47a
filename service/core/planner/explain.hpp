// Internal to the planner: why an occurrence could not be planned, in Dutch a school can act on.
// try_day records per candidate day which hard constraint refused it; the furthest stage any day
// reached, and who stood in the way there, make the reason.
#pragma once

#include <map>
#include <string>

#include "planner/school_index.hpp"
#include "planner/task.hpp"

namespace jk::planner {

/// The checks of try_day in their order.
enum class Stage {
    range = 0,
    closed,
    studiedag,
    avoid_test_period,
    avoid_first_day,
    no_lessons,
    not_teaching,
    unavailable,
    no_time,
    ok,
};

struct Diagnosis {
    int days[static_cast<int>(Stage::ok) + 1] = {};
    Stage furthest = Stage::range;
    WeekdaySet weekdays_reaching_availability;
    std::map<int, int> blocked_person;        // person → days they were missing
    std::map<int, int> teaching_person;       // of those, days they stood in front of a class
    std::map<std::string, int> blocked_role;  // any:role with nobody available
    /// any:role whose only holders are the subject or a teacher of the subject group.
    std::map<std::string, int> role_own;
    std::map<int, int> busy_person;        // person → days their agenda was full
    std::map<int, std::string> busy_with;  // person → the title of an event in the way
    std::map<int, int> in_class;           // person → the group they teach at a tried start
    int max_per_day_days = 0;
    int teaching_busy_days = 0;
    int too_short_days = 0;                    // the slot's window is shorter than the item
    std::map<std::string, int> role_teaching;  // any:role holders in front of their own class
    std::map<std::string, int> role_busy;      // any:role holders with no free moment

    void record(Stage s, int weekday) {
        days[static_cast<int>(s)]++;
        if (static_cast<int>(s) > static_cast<int>(furthest)) furthest = s;
        if (static_cast<int>(s) >= static_cast<int>(Stage::unavailable))
            weekdays_reaching_availability.insert(weekday);
    }
};

/// "IB'er" for "ib": the name a school uses for a role.
std::string role_label(std::string_view role);

/// The reason `t` could not be planned, from the diagnosis of every day of its term.
std::string explain(const SchoolIndex& ix, const Task& t, const Diagnosis& d);

}  // namespace jk::planner
