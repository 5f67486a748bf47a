#include "planner/constraints.hpp"

#include <algorithm>

namespace jk::planner::constraints {

bool within_term(const Task& t, int d, int first_open_day) {
    return d >= t.lo && d <= t.hi && d >= first_open_day;
}

bool on_staff_day(const SchoolIndex& ix, int d) {
    return ix.cal.day(d).staff_day;
}

bool lessons_on_school_day(const SchoolIndex& ix, SlotKind slot, bool all_day, int d) {
    return slot != SlotKind::lessons || all_day || ix.cal.day(d).school_day;
}

bool avoids_test_periods(const SchoolIndex& ix, const Rule* r, int d) {
    return !r || !r->avoid_test_periods || !ix.in_test_period(d);
}

bool avoids_first_day_after_holiday(const SchoolIndex& ix, const Rule* r, int d) {
    return !r || !r->avoid_first_day_after_holiday || !ix.first_after_holiday(d);
}

std::optional<TimeRange> slot_window(const SchoolIndex& ix, SlotKind slot, Minute fixed_time,
                                     Minute minutes, int d, Minute fixed_start) {
    switch (slot) {
        case SlotKind::lessons: {
            const auto& hours = ix.school.hours[weekday_index(ix.cal.day(d).date)];
            if (!hours) return std::nullopt;
            return *hours;
        }
        case SlotKind::after_school:
            return ix.school.after_school;
        default:
            break;
    }
    const Minute start = fixed_start >= 0 ? fixed_start : fixed_time;
    return TimeRange{start, start + minutes};
}

int observed_group(const SchoolIndex& ix, const Agenda& agenda, int rule, int teacher, int d) {
    int best = -1, best_use = 0;
    for (int g : ix.groups_taught(teacher, d)) {
        const int use = agenda.group_use(rule, teacher, g);
        if (best < 0 || use < best_use) best_use = use, best = g;
    }
    return best;
}

std::vector<int> unavailable(const SchoolIndex& ix, const std::vector<int>& people, int d) {
    std::vector<int> out;
    for (int p : people)
        if (!ix.available(p, d)) out.push_back(p);
    return out;
}

int teaching_in_the_way(const SchoolIndex& ix, int p, int d, Minute start, Minute end,
                        int own_group, int subject) {
    const auto& groups = ix.groups_taught(p, d);
    if (groups.empty() || (own_group >= 0 && p == subject)) return -1;
    const DayInfo& info = ix.cal.day(d);
    const auto& hours = ix.school.hours[weekday_index(info.date)];
    if (!info.school_day || !hours || end <= hours->start || start >= hours->end) return -1;
    for (int g : groups)
        if (g != own_group) return g;
    return -1;
}

bool under_max_per_day(const Agenda& agenda, const Rule* r, int rule, int p, int d) {
    return !r || !r->max_per_day || agenda.rule_day_count(rule, p, d) < *r->max_per_day;
}

bool under_max_tests_per_day(const SchoolIndex& ix, const Agenda& agenda, int period, int group,
                             int d) {
    return agenda.tests_on_day(period, group, d) < ix.period_at(period).max_tests_per_day;
}

Minute latest_morning_start(const TimeRange& lessons, Minute minutes) {
    return std::min(lessons.end - minutes, lessons.start + (lessons.end - lessons.start) / 2 - 1);
}

std::optional<TimeRange> follow_up_starts(const Placed& target, bool before, bool all_day, int d,
                                          Minute first, Minute last, Minute minutes) {
    if (d != target.day) return TimeRange{first, last};
    if (all_day || target.event.all_day) return std::nullopt;
    if (before) return TimeRange{first, std::min(last, target.event.start - minutes)};
    return TimeRange{std::max(first, target.event.end), last};
}

bool free_at(const Agenda& agenda, int p, int d, Minute start, Minute end) {
    return agenda.free_at(p, d, start, end);
}

}  // namespace jk::planner::constraints
