#include "jaarkalender/calendar.hpp"

#include <algorithm>
#include <cctype>

namespace jk {
namespace {

using std::chrono::days;

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Date ymd(int y, unsigned m, unsigned d) {
    return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} /
                                 std::chrono::day{d}};
}

}  // namespace

std::vector<Closure> public_holidays(int y) {
    const Date easter = easter_sunday(y);
    Date koningsdag = ymd(y, 4, 27);
    if (weekday_index(koningsdag) == 6) koningsdag -= days{1};  // 27 April on a Sunday → 26th
    auto one = [](Date d, const char* name) {
        return Closure{DateRange{d, d}, ClosureKind::feestdag, name};
    };
    std::vector<Closure> out = {
        one(ymd(y, 1, 1), "Nieuwjaarsdag"),           one(easter - days{2}, "Goede Vrijdag"),
        one(easter + days{1}, "Tweede Paasdag"),      one(koningsdag, "Koningsdag"),
        one(ymd(y, 5, 5), "Bevrijdingsdag"),          one(easter + days{39}, "Hemelvaartsdag"),
        one(easter + days{50}, "Tweede Pinksterdag"), one(ymd(y, 12, 25), "Eerste Kerstdag"),
        one(ymd(y, 12, 26), "Tweede Kerstdag"),
    };
    std::sort(out.begin(), out.end(),
              [](const Closure& a, const Closure& b) { return a.range.from < b.range.from; });
    return out;
}

SchoolCalendar::SchoolCalendar(const School& school, const OfficialYear& official)
    : first_(school.first_day), last_(school.last_day) {
    const auto region = static_cast<size_t>(school.region);

    // Vacations: the official ones of the region, replaced or extended by [[vacation]].
    std::vector<Closure> vacations;
    for (const auto& v : official.vacations)
        vacations.push_back({v.range[region], ClosureKind::vakantie, v.name});
    for (const auto& o : school.vacations) {
        auto same = std::find_if(vacations.begin(), vacations.end(),
                                 [&](const Closure& c) { return lower(c.name) == lower(o.name); });
        if (same != vacations.end())
            same->range = o.range;
        else
            vacations.push_back({o.range, ClosureKind::vakantie, o.name});
    }

    auto in_vacation = [&](Date d) {
        return std::any_of(vacations.begin(), vacations.end(),
                           [&](const Closure& c) { return c.range.contains(d); });
    };

    // Public holidays of the calendar years the school year spans, minus open_on.
    std::vector<Closure> holidays;
    const int y0 = static_cast<int>(std::chrono::year_month_day{first_}.year());
    const int y1 = static_cast<int>(std::chrono::year_month_day{last_}.year());
    for (int y = y0; y <= y1; ++y)
        for (auto& h : public_holidays(y)) {
            if (h.range.from < first_ || h.range.from > last_) continue;
            if (std::find(school.open_on.begin(), school.open_on.end(), h.range.from) !=
                school.open_on.end())
                continue;
            holidays.push_back(std::move(h));
        }

    // closures_: vacations that touch the year, holidays outside vacations, the school's own.
    for (const auto& v : vacations)
        if (v.range.to >= first_ - days{7} && v.range.from <= last_ + days{60})
            closures_.push_back(v);
    for (const auto& h : holidays)
        if (!in_vacation(h.range.from)) closures_.push_back(h);
    for (const auto& c : school.closures) closures_.push_back(c);
    std::stable_sort(closures_.begin(), closures_.end(), [](const Closure& a, const Closure& b) {
        return a.range.from < b.range.from;
    });

    // Classify every day; the first closure that covers a day in this precedence explains it:
    // vacation, public holiday, the school's own closure.
    auto find_closure = [&](Date d, ClosureKind kind) -> int {
        for (size_t i = 0; i < closures_.size(); ++i)
            if (closures_[i].kind == kind && closures_[i].range.contains(d))
                return static_cast<int>(i);
        return -1;
    };
    for (Date d = first_; d <= last_; d += days{1}) {
        DayInfo info;
        info.date = d;
        const bool weekday = weekday_index(d) < 5;
        int c = find_closure(d, ClosureKind::vakantie);
        if (c < 0 && std::any_of(holidays.begin(), holidays.end(),
                                 [&](const Closure& h) { return h.range.from == d; })) {
            c = find_closure(d, ClosureKind::feestdag);
        }
        if (c < 0) c = find_closure(d, ClosureKind::vrij);
        if (c < 0) c = find_closure(d, ClosureKind::studiedag);
        info.closure = c;
        if (weekday) {
            if (c < 0) {
                info.school_day = info.staff_day = true;
            } else if (closures_[static_cast<size_t>(c)].kind == ClosureKind::studiedag) {
                info.staff_day = true;
            }
        }
        days_.push_back(info);
    }
}

int SchoolCalendar::index(Date d) const {
    if (d < first_ || d > last_) return -1;
    return static_cast<int>((d - first_).count());
}

bool SchoolCalendar::is_school_day(Date d) const {
    int i = index(d);
    return i >= 0 && days_[static_cast<size_t>(i)].school_day;
}

bool SchoolCalendar::is_staff_day(Date d) const {
    int i = index(d);
    return i >= 0 && days_[static_cast<size_t>(i)].staff_day;
}

bool SchoolCalendar::is_first_day_after_holiday(int i) const {
    if (!days_[static_cast<size_t>(i)].school_day) return false;
    for (int j = i - 1; j >= 0; --j) {
        const DayInfo& p = days_[static_cast<size_t>(j)];
        if (weekday_index(p.date) >= 5) continue;  // an ordinary weekend does not count
        return !p.staff_day;  // a studiedag does not count; vacation, feestdag, vrij do
    }
    return true;  // the first school day of the year follows the zomervakantie
}

std::vector<Date> SchoolCalendar::short_weeks() const {
    std::vector<Date> out;
    for (Date monday = monday_of(first_); monday <= last_; monday += days{7}) {
        if (monday < first_ || monday + days{4} > last_) continue;  // start and end of the year
        int school = 0;
        bool excluded = false;
        for (int k = 0; k < 5; ++k) {
            const DayInfo& info = days_[static_cast<size_t>(index(monday + days{k}))];
            if (info.school_day) {
                ++school;
                continue;
            }
            const ClosureKind kind = closures_[static_cast<size_t>(info.closure)].kind;
            if (kind == ClosureKind::vakantie || kind == ClosureKind::feestdag) excluded = true;
        }
        // A week with a public holiday is not counted (domain.md); nor is a vacation week.
        if (!excluded && school < 5) out.push_back(monday);
    }
    return out;
}

bool counts_while_there(const SchoolCalendar& cal, const Person& p, DateRange term) {
    if (!p.ever_away()) return true;
    int all = 0, there = 0;
    for (Date d = std::max(term.from, cal.first_day()); d <= std::min(term.to, cal.last_day());
         d += std::chrono::days{1}) {
        if (!cal.is_school_day(d)) continue;
        ++all;
        there += p.there(d) ? 1 : 0;
    }
    return all == 0 || there * 2 >= all;
}

}  // namespace jk
