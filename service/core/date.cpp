#include "jaarkalender/date.hpp"

#include <array>
#include <charconv>
#include <cstdio>

namespace jk {
namespace {

using namespace std::chrono;

bool parse_int(std::string_view s, int& out) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

constexpr std::array<std::string_view, 7> kWeekdayCodes = {"ma", "di", "wo", "do",
                                                           "vr", "za", "zo"};
constexpr std::array<std::string_view, 12> kMonthsNl = {"jan", "feb", "mrt", "apr", "mei", "jun",
                                                        "jul", "aug", "sep", "okt", "nov", "dec"};

// Last Sunday of a month, for the EU daylight-saving rule.
Date last_sunday(int y, unsigned m) {
    return sys_days{year{y} / month{m} / Sunday[last]};
}

}  // namespace

std::optional<Date> parse_date(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    int y = 0, m = 0, d = 0;
    if (!parse_int(t.substr(0, 4), y) || !parse_int(t.substr(5, 2), m) ||
        !parse_int(t.substr(8, 2), d))
        return std::nullopt;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd};
}

std::string format_date(Date d) {
    year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string format_date_compact(Date d) {
    year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string format_date_nl(Date d) {
    year_month_day ymd{d};
    std::string s(weekday_code(weekday_index(d)));
    s += ' ';
    s += std::to_string(static_cast<unsigned>(ymd.day()));
    s += ' ';
    s += kMonthsNl[static_cast<unsigned>(ymd.month()) - 1];
    s += ' ';
    s += std::to_string(static_cast<int>(ymd.year()));
    return s;
}

std::string_view month_name_nl(unsigned month) {
    static constexpr std::array<std::string_view, 12> kNames = {
        "januari", "februari", "maart",     "april",   "mei",      "juni",
        "juli",    "augustus", "september", "oktober", "november", "december"};
    return kNames[(month + 11) % 12];
}

std::string format_day_nl(Date d) {
    year_month_day ymd{d};
    return std::string(weekday_code(weekday_index(d))) + ' ' +
           std::to_string(static_cast<unsigned>(ymd.day())) + ' ' +
           std::string(month_name_nl(static_cast<unsigned>(ymd.month())));
}

int weekday_index(Date d) {
    return static_cast<int>(weekday{d}.iso_encoding()) - 1;
}

Date monday_of(Date d) {
    return d - days{weekday_index(d)};
}

int iso_week(Date d) {
    // The ISO week belongs to the year of its Thursday.
    Date thursday = monday_of(d) + days{3};
    year_month_day ymd{thursday};
    Date jan1 = sys_days{ymd.year() / January / 1};
    return static_cast<int>((thursday - jan1).count() / 7) + 1;
}

std::optional<int> parse_weekday(std::string_view code) {
    for (size_t i = 0; i < kWeekdayCodes.size(); ++i)
        if (kWeekdayCodes[i] == code) return static_cast<int>(i);
    return std::nullopt;
}

std::string_view weekday_code(int index) {
    return kWeekdayCodes.at(static_cast<size_t>(index));
}

std::string WeekdaySet::to_string() const {
    std::string s;
    for (int i = 0; i < 7; ++i) {
        if (!contains(i)) continue;
        if (!s.empty()) s += ' ';
        s += weekday_code(i);
    }
    return s;
}

std::optional<Minute> parse_time(std::string_view t) {
    if (t.size() != 5 || t[2] != ':') return std::nullopt;
    int h = 0, m = 0;
    if (!parse_int(t.substr(0, 2), h) || !parse_int(t.substr(3, 2), m)) return std::nullopt;
    if (h > 23 || m > 59) return std::nullopt;
    return h * 60 + m;
}

std::string format_time(Minute m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", m / 60, m % 60);
    return buf;
}

std::optional<TimeRange> parse_time_range(std::string_view t) {
    auto dash = t.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    auto a = parse_time(t.substr(0, dash));
    auto b = parse_time(t.substr(dash + 1));
    if (!a || !b || *a >= *b) return std::nullopt;
    return TimeRange{*a, *b};
}

int amsterdam_utc_offset(Date d, Minute local) {
    int y = static_cast<int>(year_month_day{d}.year());
    Date spring = last_sunday(y, 3);
    Date autumn = last_sunday(y, 10);
    if (d < spring || d > autumn) return 60;
    if (d > spring && d < autumn) return 120;
    if (d == spring) return local >= 2 * 60 ? 120 : 60;
    return local >= 3 * 60 ? 60 : 120;  // autumn day: 02:00-03:00 is ambiguous, read as CEST
}

namespace {
constexpr std::int64_t kDay = 86400;
}  // namespace

std::int64_t local_to_epoch(Date d, Minute local) {
    const std::int64_t day = d.time_since_epoch().count();
    return day * kDay + static_cast<std::int64_t>(local - amsterdam_utc_offset(d, local)) * 60;
}

std::pair<Date, Minute> epoch_to_local(std::int64_t t) {
    for (int offset : {120, 60}) {
        const std::int64_t local = t + offset * 60;
        const std::int64_t day = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
        const Date d{days{day}};
        const Minute m = static_cast<Minute>((local - day * kDay) / 60);
        if (amsterdam_utc_offset(d, m) == offset) return {d, m};
    }
    const std::int64_t local = t + 3600;
    const std::int64_t day = local >= 0 ? local / kDay : (local - kDay + 1) / kDay;
    return {Date{days{day}}, static_cast<Minute>((local - day * kDay) / 60)};
}

Date local_date(std::int64_t epoch_seconds) {
    return epoch_to_local(epoch_seconds).first;
}

std::string format_local_iso(Date d, Minute local) {
    int off = amsterdam_utc_offset(d, local);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:00+%02d:%02d", format_date(d).c_str(), local / 60,
                  local % 60, off / 60, off % 60);
    return buf;
}

Date easter_sunday(int y) {
    // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
    int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month_ = (h + l - 7 * m + 114) / 31;
    int day_ = ((h + l - 7 * m + 114) % 31) + 1;
    return sys_days{year{y} / month{static_cast<unsigned>(month_)} /
                    day{static_cast<unsigned>(day_)}};
}

}  // namespace jk
