#include "daemon/http/http_date.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace jk::daemon {
namespace {
using namespace std::chrono;
constexpr std::array<const char*, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// An instant in UTC, split into calendar and clock fields (both formats print these).
struct Civil {
    int year;
    unsigned month, day, weekday;  // weekday: Monday = 0
    int hour, minute, second;
};

Civil civil(std::int64_t t) {
    const sys_seconds s{seconds{t}};
    const sys_days d = floor<days>(s);
    const year_month_day ymd{d};
    const auto tod = (s - d).count();
    return {static_cast<int>(ymd.year()),     static_cast<unsigned>(ymd.month()),
            static_cast<unsigned>(ymd.day()), weekday{d}.iso_encoding() - 1,
            static_cast<int>(tod / 3600),     static_cast<int>(tod / 60 % 60),
            static_cast<int>(tod % 60)};
}
}  // namespace

std::string format_http_date(std::int64_t t) {
    const Civil c = civil(t);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", kDays[c.weekday], c.day,
                  kMonths[c.month - 1], c.year, c.hour, c.minute, c.second);
    return buf;
}

std::optional<std::int64_t> parse_http_date(std::string_view s) {
    // "Sun, 22 Nov 2026 08:00:00 GMT"
    if (s.size() != 29 || s.substr(3, 2) != ", " || s.substr(25) != " GMT") return std::nullopt;
    char mon[4] = {};
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    const std::string str(s);
    if (std::sscanf(str.c_str() + 5, "%2d %3s %4d %2d:%2d:%2d", &day, mon, &year, &hh, &mm, &ss) !=
        6)
        return std::nullopt;
    int m = -1;
    for (int i = 0; i < 12; ++i)
        if (std::string_view(mon) == kMonths[static_cast<size_t>(i)]) m = i + 1;
    const year_month_day ymd{std::chrono::year{year}, month{static_cast<unsigned>(m)},
                             std::chrono::day{static_cast<unsigned>(day)}};
    if (m < 0 || !ymd.ok() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    return duration_cast<seconds>(sys_days{ymd}.time_since_epoch()).count() + hh * 3600 + mm * 60 +
           ss;
}

std::string format_utc_iso(std::int64_t t) {
    const Civil c = civil(t);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                  c.minute, c.second);
    return buf;
}

}  // namespace jk::daemon
