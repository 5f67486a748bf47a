// Dates, weekdays and local times of a school (std::chrono calendar types underneath).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace jk {

using Date = std::chrono::sys_days;

/// Strict `YYYY-MM-DD` (a real calendar date); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
/// `YYYY-MM-DD`.
std::string format_date(Date d);
/// `YYYYMMDD` (iCalendar DATE).
std::string format_date_compact(Date d);
/// Dutch, for people: "di 6 okt 2026".
std::string format_date_nl(Date d);
/// Dutch, in a sentence within the school year: "do 21 januari".
std::string format_day_nl(Date d);
/// The Dutch name of a month, 1..12: "januari".
std::string_view month_name_nl(unsigned month);

/// Monday = 0 … Sunday = 6.
int weekday_index(Date d);
/// The Monday on or before `d`.
Date monday_of(Date d);
/// ISO 8601 week number ("week 41").
int iso_week(Date d);

/// The school week days as the rule files write them: ma di wo do vr (and za zo for completeness).
std::optional<int> parse_weekday(std::string_view code);
std::string_view weekday_code(int index);

/// A set of weekdays (bit i = weekday index i).
class WeekdaySet {
  public:
    constexpr WeekdaySet() = default;
    constexpr explicit WeekdaySet(std::uint8_t bits) : bits_(bits) {}
    [[nodiscard]] constexpr bool contains(int wd) const { return (bits_ >> wd) & 1U; }
    constexpr void insert(int wd) { bits_ = static_cast<std::uint8_t>(bits_ | (1U << wd)); }
    [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
    [[nodiscard]] constexpr std::uint8_t bits() const { return bits_; }
    [[nodiscard]] constexpr WeekdaySet operator&(WeekdaySet o) const {
        return WeekdaySet(static_cast<std::uint8_t>(bits_ & o.bits_));
    }
    constexpr bool operator==(const WeekdaySet&) const = default;
    /// "ma di do".
    [[nodiscard]] std::string to_string() const;

  private:
    std::uint8_t bits_ = 0;
};

/// Minutes since local midnight.
using Minute = int;

/// `HH:MM` → minutes; nullopt unless 00:00..23:59.
std::optional<Minute> parse_time(std::string_view text);
std::string format_time(Minute m);

/// An interval of local time on one day, [start, end).
struct TimeRange {
    Minute start = 0;
    Minute end = 0;
    constexpr bool operator==(const TimeRange&) const = default;
};
/// `HH:MM-HH:MM` with start < end.
std::optional<TimeRange> parse_time_range(std::string_view text);

/// An inclusive range of dates.
struct DateRange {
    Date from;
    Date to;
    [[nodiscard]] bool contains(Date d) const { return from <= d && d <= to; }
    constexpr bool operator==(const DateRange&) const = default;
};

/// Europe/Amsterdam: UTC offset in minutes (60 or 120) of a local wall-clock time. The EU rule
/// (last Sunday of March 02:00 → CEST, last Sunday of October 03:00 → CET) is fixed by
/// Directive 2000/84/EC. A non-existent spring time gets CEST, an ambiguous autumn one CEST.
int amsterdam_utc_offset(Date d, Minute local);
/// Epoch seconds of a local wall-clock time in the school's zone (Europe/Amsterdam).
std::int64_t local_to_epoch(Date d, Minute local);
/// The local date and minute of an instant.
std::pair<Date, Minute> epoch_to_local(std::int64_t epoch_seconds);
/// The local date of an instant (what "today" is at the school).
Date local_date(std::int64_t epoch_seconds);
/// `2026-10-06T09:15:00+02:00`.
std::string format_local_iso(Date d, Minute local);

/// Easter Sunday of a Gregorian year (anonymous Gregorian computus).
Date easter_sunday(int year);

}  // namespace jk
