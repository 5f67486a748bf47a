#include "planner/agenda.hpp"

#include <algorithm>

namespace jk::planner {

Agenda::Agenda(const SchoolIndex& ix) : ix_(ix) {
    const auto P = static_cast<size_t>(ix.persons()), D = static_cast<size_t>(ix.days()),
               G = static_cast<size_t>(ix.groups()), R = static_cast<size_t>(ix.rule_count());
    busy_.assign(P * D, {});
    week_load_.assign(P * static_cast<size_t>(ix.weeks()), 0);
    rule_day_.assign(R * P * D, 0);
    tests_day_.assign(static_cast<size_t>(ix.periods()) * G * D, 0);
    group_use_.assign(R * P * G, 0);
    tracked_.assign(P, 0);
}

void Agenda::track_squares(const std::vector<int>& people) {
    for (int p : people) tracked_[static_cast<size_t>(p)] = 1;
}

void Agenda::occupy(const Placed& pl, int event) {
    change(pl, event, +1);
}
void Agenda::release(const Placed& pl, int event) {
    change(pl, event, -1);
}

void Agenda::add_interval(int p, int d, const Placed& pl, int event, int sign) {
    auto& list = busy_[ix_.pd(p, d)];
    if (sign > 0) {
        list.push_back({pl.event.start, pl.event.end, event});
        return;
    }
    auto it =
        std::find_if(list.rbegin(), list.rend(), [&](const Busy& b) { return b.event == event; });
    if (it != list.rend()) list.erase(std::next(it).base());
}

void Agenda::occupy_optional(const Placed& pl, int event, int person) {
    if (pl.day >= 0 && pl.occupies && !pl.event.all_day)
        add_interval(person, pl.day, pl, event, +1);
}

void Agenda::change(const Placed& pl, int event, int sign) {
    if (pl.day < 0 || !pl.occupies) return;
    const int d = pl.day;
    for (int p : pl.required) {
        if (!pl.event.all_day) {
            add_interval(p, d, pl, event, sign);
            int& load = week_load_[static_cast<size_t>(p) * static_cast<size_t>(ix_.weeks()) +
                                   static_cast<size_t>(ix_.week_of(d))];
            if (tracked_[static_cast<size_t>(p)])
                tracked_squares_ += static_cast<long long>(2 * load + sign) * sign;  // (l±1)²-l²
            load += sign;
        }
        if (pl.rule >= 0) rule_day_[rdp(pl.rule, p, d)] += sign;
    }
    // Optional attendees are kept free too, so that nobody is ever double-booked.
    if (!pl.event.all_day)
        for (int p : pl.optional) add_interval(p, d, pl, event, sign);
    if (pl.event.kind == EventKind::test_session && pl.group >= 0)
        if (const int i = ix_.test_period(pl.event.rule); i >= 0)
            tests_day_[igd(i, pl.group, d)] += sign;
    if (pl.rule >= 0 && pl.group >= 0 && !pl.required.empty() &&
        ix_.rule_at(pl.rule).for_each.kind == SubjectKind::teacher)
        if (const int p = pl.event.subject ? ix_.person(*pl.event.subject) : -1; p >= 0)
            group_use_[rpg(pl.rule, p, pl.group)] += sign;
}

bool Agenda::free_at(int p, int d, Minute a, Minute b) const {
    return std::none_of(busy_[ix_.pd(p, d)].begin(), busy_[ix_.pd(p, d)].end(),
                        [&](const Busy& x) { return x.start < b && a < x.end; });
}

std::vector<int> Agenda::events_at(int p, int d, Minute a, Minute b) const {
    std::vector<int> out;
    for (const Busy& x : busy_[ix_.pd(p, d)])
        if (x.start < b && a < x.end) out.push_back(x.event);
    return out;
}

}  // namespace jk::planner
