// The school calendar: which days are school days and staff days, and why the others are not.
#pragma once

#include <string>
#include <vector>

#include "jaarkalender/date.hpp"
#include "jaarkalender/model.hpp"

namespace jk {

/// One vacation of the official data, per region.
struct OfficialVacation {
    std::string name;    // "Herfstvakantie"
    DateRange range[3];  // indexed by Region
};

/// The official data of one school year (Rijksoverheid).
struct OfficialYear {
    std::string school_year;                  // "2026-2027"
    DateRange previous_summer[3];             // the zomervakantie before the year, per region
    std::vector<OfficialVacation> vacations;  // includes the closing zomervakantie
};

struct OfficialHolidays {
    std::string source;
    /// Where the data was read: a file's path, "" for the copy built into the program.
    std::string file;
    std::vector<OfficialYear> years;
    [[nodiscard]] const OfficialYear* year(std::string_view school_year) const;
    [[nodiscard]] std::vector<std::string> known_years() const;
};

/// The public holidays on which schools close by default (domain.md), for a calendar year.
std::vector<Closure> public_holidays(int year);

/// How a single day is classified.
struct DayInfo {
    Date date;
    bool staff_day = false;   // staff present (school day or studiedag)
    bool school_day = false;  // pupils present
    int closure = -1;  // index into SchoolCalendar::closures(): why it is closed or a studiedag
};

/// The resolved calendar of one school year. Days outside first_day..last_day are closed.
class SchoolCalendar {
  public:
    SchoolCalendar() = default;
    SchoolCalendar(const School& school, const OfficialYear& official);

    [[nodiscard]] Date first_day() const { return first_; }
    [[nodiscard]] Date last_day() const { return last_; }
    /// Number of calendar days first_day..last_day.
    [[nodiscard]] int size() const { return static_cast<int>(days_.size()); }
    /// Day index of a date; -1 when outside the year.
    [[nodiscard]] int index(Date d) const;
    [[nodiscard]] const DayInfo& day(int index) const { return days_[static_cast<size_t>(index)]; }
    [[nodiscard]] bool is_school_day(Date d) const;
    [[nodiscard]] bool is_staff_day(Date d) const;
    /// Every closure of the year, sorted by start: vacations (as overridden), public holidays
    /// (minus open_on), studiedagen and vrije dagen.
    [[nodiscard]] const std::vector<Closure>& closures() const { return closures_; }
    /// A school day whose previous weekday was a vacation, public holiday, `vrij` closure or
    /// before first_day (not a weekend, not a studiedag).
    [[nodiscard]] bool is_first_day_after_holiday(int index) const;
    /// Weeks (their Mondays) that have between 1 and 4 school days for a reason other than a
    /// public holiday or the start and end of the year.
    [[nodiscard]] std::vector<Date> short_weeks() const;

  private:
    Date first_{};
    Date last_{};
    std::vector<DayInfo> days_;
    std::vector<Closure> closures_;
};

/// Maximum four-day school weeks a year before the plan warns (domain.md).
inline constexpr int kMaxFourDayWeeks = 7;

/// Spec "Changes during the year": a term (a window, the school days after a test period, a
/// fixed date) counts for a person when they are at the school on at least half of its school
/// days. A term without school days counts (what stops it is reported as before).
bool counts_while_there(const SchoolCalendar& calendar, const Person& person, DateRange term);

}  // namespace jk
