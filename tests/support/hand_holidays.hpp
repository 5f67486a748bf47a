// The official school vacations typed by hand from published sources, apart from the program's
// own data file (calendars/official/schoolvakanties.toml): the truth the tests hold the program
// to. Sources and what could not be found: hand_holidays.cpp.
#pragma once

#include <span>
#include <string_view>

#include "jaarkalender/calendar.hpp"

namespace jk::testing {

struct HandVacation {
    const char* school_year;
    const char* vacation;
    Region region;
    const char* from;  // Saturday
    const char* to;    // Sunday
};

/// Every range typed by hand.
std::span<const HandVacation> hand_vacations();

/// The school year as the tests' plan checker knows it: every vacation range of the hand table in
/// place of the program's. A range without a source (see hand_holidays.cpp) stays the program's,
/// and so do the public holidays, which the checker computes itself.
OfficialYear hand_official_year(std::string_view school_year);

}  // namespace jk::testing
