// Internal: a date as libical's all-day time, for the feeds and the RRULE expansion alike.
#pragma once

#include <libical/ical.h>

#include <chrono>

#include "jaarkalender/date.hpp"

namespace jk::detail {

inline icaltimetype to_ical_date(Date d) {
    std::chrono::year_month_day ymd{d};
    icaltimetype t = icaltime_null_date();
    t.year = static_cast<int>(ymd.year());
    t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    t.is_date = 1;
    // icaltime_null_date() leaves -1 in the time fields; the RRULE iterator then starts a day
    // early and drifts, so they are zeroed.
    t.hour = t.minute = t.second = 0;
    return t;
}

}  // namespace jk::detail
