#include "planner/school_index.hpp"

#include <algorithm>

namespace jk::planner {

SchoolIndex::SchoolIndex(const LoadedSchool& loaded)
    : in(loaded), school(loaded.school), rules(loaded.rules.rules), cal(loaded.calendar) {
    persons_ = static_cast<int>(school.persons.size());
    groups_ = static_cast<int>(school.groups.size());
    rules_ = static_cast<int>(rules.size());
    for (int p = 0; p < persons_; ++p) {
        person_index_[person_at(p).id] = p;
        for (const std::string& role : person_at(p).roles) {
            auto& list = holders_[role];
            if (list.empty() || list.back() != p) list.push_back(p);
        }
    }
    // any:role:A|B: its holders under its own name, A's first (the preferred role).
    most_teachers_.assign(static_cast<size_t>(rules_), 0);
    for (int r = 0; r < rules_; ++r)
        for (const AttendeeSpec& a : rules[static_cast<size_t>(r)].attendees) {
            if (a.kind == AttendeeKind::most_group_teachers)
                most_teachers_[static_cast<size_t>(r)] = 1;
            if (a.kind != AttendeeKind::any_role || a.roles.size() <= 1 || holders_.count(a.name))
                continue;
            std::vector<int> list;
            for (const std::string& role : a.roles)
                if (auto it = holders_.find(role); it != holders_.end())
                    for (int p : it->second)
                        if (std::find(list.begin(), list.end(), p) == list.end()) list.push_back(p);
            holders_[a.name] = std::move(list);
        }
    followers_.resize(static_cast<size_t>(rules_));
    for (int r = 0; r < rules_; ++r)
        if (const FollowUpTiming* f = rules[static_cast<size_t>(r)].follow_up())
            if (const int t = rule(f->rule); t >= 0)
                followers_[static_cast<size_t>(t)].push_back(r);

    days_ = cal.size();
    first_weekday_ = days_ > 0 ? weekday_index(cal.first_day()) : 0;
    weeks_ = (days_ + first_weekday_) / 7 + 1;
    available_.assign(static_cast<size_t>(persons_) * static_cast<size_t>(days_), 0);
    teaches_.assign(static_cast<size_t>(persons_) * static_cast<size_t>(days_), {});
    school_day_ordinal_.assign(static_cast<size_t>(days_), 0);
    in_test_period_.assign(static_cast<size_t>(days_), 0);
    first_after_holiday_.assign(static_cast<size_t>(days_), 0);
    const auto G = static_cast<size_t>(groups_), D = static_cast<size_t>(days_);
    group_teachers_.resize(G * (D + 1));
    teachers_on_.resize(G * D);
    int ordinal = 0;
    std::vector<const Person*> teachers;
    for (int d = 0; d < days_; ++d) {
        const DayInfo& info = cal.day(d);
        school_day_ordinal_[static_cast<size_t>(d)] = ordinal;
        if (info.school_day) {
            school_days_.push_back(d);
            ++ordinal;
        }
        first_after_holiday_[static_cast<size_t>(d)] = cal.is_first_day_after_holiday(d) ? 1 : 0;
        for (const auto& tp : in.rules.test_periods)
            if (tp.range.contains(info.date)) in_test_period_[static_cast<size_t>(d)] = 1;
        for (int p = 0; p < persons_; ++p)
            available_[pd(p, d)] = info.staff_day && person_at(p).available_on(info.date) ? 1 : 0;
        if (!info.school_day) continue;
        // Who stands in front of each group that day: assignments by their days and dates, a
        // substitute for an absent teacher.
        for (int g = 0; g < groups_; ++g) {
            school.teacher_people_on(group_at(g), info.date, teachers);
            for (const Person* teacher : teachers) teaches_[pd(index_of(teacher), d)].push_back(g);
        }
    }
}

const std::vector<int>& SchoolIndex::group_teachers(int g, int d) const {
    const size_t at = static_cast<size_t>(g) * (static_cast<size_t>(days_) + 1) +
                      static_cast<size_t>(d < 0 ? days_ : d);
    return group_teachers_.get(at, [&](std::vector<int>& out) {
        auto add = [&](int p) {
            if (p >= 0 && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
        };
        const Group& grp = group_at(g);
        if (d >= 0)
            for (const Person* teacher : school.group_teacher_people_on(grp, cal.day(d).date))
                add(index_of(teacher));
        else
            for (const auto& ta : grp.teachers) add(person(ta.person));
    });
}

const std::vector<int>& SchoolIndex::teachers_on(int g, int d) const {
    const size_t at = static_cast<size_t>(g) * static_cast<size_t>(days_) + static_cast<size_t>(d);
    return teachers_on_.get(at, [&](std::vector<int>& out) {
        for (const Person* teacher : school.teacher_people_on(group_at(g), cal.day(d).date))
            out.push_back(index_of(teacher));
    });
}

int SchoolIndex::nth_school_day_after(int d, int n) const {
    auto it = std::upper_bound(school_days_.begin(), school_days_.end(), d);
    auto idx = static_cast<size_t>(it - school_days_.begin()) + static_cast<size_t>(n) - 1;
    return idx < school_days_.size() ? school_days_[idx] : days_ - 1;
}

int SchoolIndex::nth_school_day_before(int d, int n) const {
    auto it = std::lower_bound(school_days_.begin(), school_days_.end(), d);
    auto pos = it - school_days_.begin();
    return pos - n >= 0 ? school_days_[static_cast<size_t>(pos - n)] : 0;
}

std::string SchoolIndex::range_text(int lo, int hi) const {
    if (lo > hi || lo < 0 || hi >= days_) return "in het schooljaar";
    if (lo == hi) return "op " + format_day_nl(cal.day(lo).date);
    return "tussen " + format_day_nl(cal.day(lo).date) + " en " + format_day_nl(cal.day(hi).date);
}

std::vector<int> SchoolIndex::school_days_there(int person) const {
    if (person < 0) return school_days_;
    std::vector<int> out;
    for (int d : school_days_)
        if (person_at(person).there(cal.day(d).date)) out.push_back(d);
    return out;
}

int SchoolIndex::person(std::string_view id) const {
    auto it = person_index_.find(id);
    return it == person_index_.end() ? -1 : it->second;
}

const std::vector<int>& SchoolIndex::holders(std::string_view role) const {
    static const std::vector<int> nobody;
    auto it = holders_.find(role);
    return it == holders_.end() ? nobody : it->second;
}

int SchoolIndex::group(std::string_view id) const {
    for (int g = 0; g < groups_; ++g)
        if (group_at(g).id == id) return g;
    return -1;
}

int SchoolIndex::rule(std::string_view id) const {
    for (int r = 0; r < rules_; ++r)
        if (rules[static_cast<size_t>(r)].id == id) return r;
    return -1;
}

int SchoolIndex::test_period(std::string_view id) const {
    for (int i = 0; i < periods(); ++i)
        if (period_at(i).id == id) return i;
    return -1;
}

}  // namespace jk::planner
