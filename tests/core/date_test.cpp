#include "jaarkalender/date.hpp"

#include <catch2/catch.hpp>

using namespace jk;

TEST_CASE("dates parse strictly and format back", "[unit][date]") {
    auto d = parse_date("2026-10-06");
    REQUIRE(d);
    CHECK(format_date(*d) == "2026-10-06");
    CHECK(format_date_compact(*d) == "20261006");
    CHECK(weekday_index(*d) == 1);  // a Tuesday
    CHECK(format_date_nl(*d) == "di 6 okt 2026");
    CHECK_FALSE(parse_date("2026-02-30"));
    CHECK_FALSE(parse_date("2026-2-3"));
    CHECK_FALSE(parse_date("06-10-2026"));
    CHECK_FALSE(parse_date(""));
    CHECK_FALSE(parse_date("2026-10-0a"));
}

TEST_CASE("times and time ranges", "[unit][date]") {
    CHECK(parse_time("08:30") == 8 * 60 + 30);
    CHECK_FALSE(parse_time("24:00"));
    CHECK_FALSE(parse_time("8:30"));
    CHECK(format_time(15 * 60 + 5) == "15:05");
    auto r = parse_time_range("08:30-14:30");
    REQUIRE(r);
    CHECK(r->start == 510);
    CHECK(r->end == 870);
    CHECK_FALSE(parse_time_range("14:30-08:30"));
    CHECK_FALSE(parse_time_range("08:30"));
}

TEST_CASE("weekday codes and sets", "[unit][date]") {
    CHECK(parse_weekday("ma") == 0);
    CHECK(parse_weekday("vr") == 4);
    CHECK_FALSE(parse_weekday("mo"));
    WeekdaySet s;
    s.insert(0);
    s.insert(3);
    CHECK(s.to_string() == "ma do");
    CHECK(s.contains(3));
    CHECK_FALSE(s.contains(1));
}

TEST_CASE("Easter by the Gregorian computus", "[unit][date]") {
    CHECK(format_date(easter_sunday(2025)) == "2025-04-20");
    CHECK(format_date(easter_sunday(2026)) == "2026-04-05");
    CHECK(format_date(easter_sunday(2027)) == "2027-03-28");
    CHECK(format_date(easter_sunday(2028)) == "2028-04-16");
    CHECK(format_date(easter_sunday(2038)) == "2038-04-25");
}

TEST_CASE("Europe/Amsterdam offsets follow the EU rule", "[unit][date]") {
    CHECK(amsterdam_utc_offset(*parse_date("2026-10-06"), 9 * 60) == 120);
    CHECK(amsterdam_utc_offset(*parse_date("2026-12-01"), 9 * 60) == 60);
    // 2027: CEST from Sunday 28 March 02:00 to Sunday 31 October 03:00.
    CHECK(amsterdam_utc_offset(*parse_date("2027-03-28"), 60) == 60);
    CHECK(amsterdam_utc_offset(*parse_date("2027-03-28"), 3 * 60) == 120);
    CHECK(amsterdam_utc_offset(*parse_date("2027-10-31"), 60) == 120);
    CHECK(amsterdam_utc_offset(*parse_date("2027-10-31"), 4 * 60) == 60);
    CHECK(format_local_iso(*parse_date("2027-01-18"), 8 * 60 + 30) == "2027-01-18T08:30:00+01:00");
}

TEST_CASE("ISO weeks", "[unit][date]") {
    CHECK(iso_week(*parse_date("2026-12-31")) == 53);
    CHECK(iso_week(*parse_date("2027-01-04")) == 1);
    CHECK(format_date(monday_of(*parse_date("2026-10-08"))) == "2026-10-05");
}
