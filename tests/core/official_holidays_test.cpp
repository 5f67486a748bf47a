// The official school holidays compiled into the program, checked against a table typed by hand
// from published sources, not from our own data file: both ends of every range we have a source
// for. A wrong week in calendars/official/schoolvakanties.toml fails here.
//
// The table, its sources and what could not be found: tests/support/hand_holidays.cpp. The plan
// checker of the property and referee tests uses the same table (hand_official_year), so a wrong
// week also shows there as a plan on a closed day.
#include <catch2/catch.hpp>

#include "hand_holidays.hpp"
#include "jaarkalender/calendar.hpp"
#include "jaarkalender/loader.hpp"

using namespace jk;
using jk::testing::HandVacation;

TEST_CASE("official holidays: both ends of every range with a source", "[unit][calendar]") {
    const OfficialHolidays& official = builtin_official_holidays();
    for (const HandVacation& e : jk::testing::hand_vacations()) {
        INFO(e.school_year << " " << e.vacation << " region " << static_cast<int>(e.region));
        const OfficialYear* year = official.year(e.school_year);
        REQUIRE(year);
        const OfficialVacation* found = nullptr;
        for (const OfficialVacation& v : year->vacations)
            if (v.name == e.vacation) found = &v;
        REQUIRE(found);
        const DateRange& r = found->range[static_cast<int>(e.region)];
        CHECK(format_date(r.from) == e.from);
        CHECK(format_date(r.to) == e.to);
        // Official vacations run Saturday to Sunday.
        CHECK(weekday_index(r.from) == 5);
        CHECK(weekday_index(r.to) == 6);
    }
    // The zomervakantie before a year is the one that closes the year before.
    const OfficialYear* y2728 = official.year("2027-2028");
    const OfficialYear* y2627 = official.year("2026-2027");
    REQUIRE(y2728);
    REQUIRE(y2627);
    for (int region = 0; region < 3; ++region) {
        const DateRange& closing = y2627->vacations.back().range[region];
        CHECK(y2728->previous_summer[region].from == closing.from);
        CHECK(y2728->previous_summer[region].to == closing.to);
    }
}
