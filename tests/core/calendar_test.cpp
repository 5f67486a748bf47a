#include "jaarkalender/calendar.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace jk;
using jk::testing::base_school_toml;
using jk::testing::load_inline;

namespace {

std::string school_in(const std::string& region, const std::string& year,
                      const std::string& extra = "") {
    std::string s = base_school_toml();
    s.replace(s.find("\"midden\""), 8, "\"" + region + "\"");
    s.replace(s.find("\"2026-2027\""), 11, "\"" + year + "\"");
    return s.replace(s.find("[school.hours]"), 0, extra);
}

LoadedSchool must_load(const std::string& school) {
    auto r = load_inline(school, "");
    INFO(jk::testing::diagnostics_text(r ? Diagnostics{} : r.error()));
    REQUIRE(r);
    return std::move(r).value();
}

bool school_day(const LoadedSchool& s, const char* d) {
    return s.calendar.is_school_day(*parse_date(d));
}

}  // namespace

TEST_CASE("the built-in holiday data covers four years and three regions", "[unit][calendar]") {
    const auto& data = builtin_official_holidays();
    CHECK(data.known_years() ==
          std::vector<std::string>{"2025-2026", "2026-2027", "2027-2028", "2028-2029"});
    CHECK_FALSE(data.source.empty());
    for (const auto& y : data.years) CHECK(y.vacations.size() == 5);
}

TEST_CASE("public holidays", "[unit][calendar]") {
    auto h = public_holidays(2027);
    std::vector<std::string> dates;
    for (const auto& c : h) dates.push_back(format_date(c.range.from));
    CHECK(dates == std::vector<std::string>{"2027-01-01", "2027-03-26", "2027-03-29", "2027-04-27",
                                            "2027-05-05", "2027-05-06", "2027-05-17", "2027-12-25",
                                            "2027-12-26"});
    // Koningsdag on a Sunday moves to the 26th (2025: 27 April is a Sunday).
    bool found = false;
    for (const auto& c : public_holidays(2025))
        if (c.name == "Koningsdag") found = format_date(c.range.from) == "2025-04-26";
    CHECK(found);
}

TEST_CASE("default first and last day per region and year", "[unit][calendar]") {
    struct Case {
        const char* region;
        const char* year;
        const char* first;
        const char* last;
    };
    for (const Case& c : {Case{"noord", "2025-2026", "2025-08-25", "2026-07-03"},
                          Case{"midden", "2025-2026", "2025-09-01", "2026-07-17"},
                          Case{"zuid", "2025-2026", "2025-08-18", "2026-07-10"},
                          Case{"noord", "2026-2027", "2026-08-17", "2027-07-09"},
                          Case{"midden", "2026-2027", "2026-08-31", "2027-07-16"},
                          Case{"zuid", "2026-2027", "2026-08-24", "2027-07-23"},
                          Case{"noord", "2027-2028", "2027-08-23", "2028-07-14"},
                          Case{"midden", "2027-2028", "2027-08-30", "2028-07-07"},
                          Case{"zuid", "2027-2028", "2027-09-06", "2028-07-21"}}) {
        INFO(c.region << " " << c.year);
        auto s = must_load(school_in(c.region, c.year));
        CHECK(format_date(s.school.first_day) == c.first);
        CHECK(format_date(s.school.last_day) == c.last);
    }
}

TEST_CASE("vacations per region close the school", "[unit][calendar]") {
    auto noord = must_load(school_in("noord", "2026-2027"));
    auto midden = must_load(school_in("midden", "2026-2027"));
    auto zuid = must_load(school_in("zuid", "2026-2027"));
    // Herfst: noord 10-18 okt, midden/zuid 17-25 okt 2026.
    CHECK_FALSE(school_day(noord, "2026-10-12"));
    CHECK(school_day(midden, "2026-10-12"));
    CHECK_FALSE(school_day(midden, "2026-10-19"));
    CHECK(school_day(noord, "2026-10-19"));
    // Voorjaar: zuid 13-21 feb, noord/midden 20-28 feb 2027.
    CHECK_FALSE(school_day(zuid, "2027-02-15"));
    CHECK(school_day(zuid, "2027-02-22"));
    CHECK_FALSE(school_day(midden, "2027-02-22"));
    // Kerst for everyone; the meivakantie too.
    for (auto* s : {&noord, &midden, &zuid}) {
        CHECK_FALSE(school_day(*s, "2026-12-21"));
        CHECK_FALSE(school_day(*s, "2027-01-01"));
        CHECK(school_day(*s, "2027-01-04"));
        CHECK_FALSE(school_day(*s, "2027-04-26"));
        CHECK(school_day(*s, "2027-05-03"));
    }
    // 2025-2026 and 2027-2028 samples.
    auto z25 = must_load(school_in("zuid", "2025-2026"));
    CHECK_FALSE(school_day(z25, "2025-10-13"));
    auto m27 = must_load(school_in("midden", "2027-2028"));
    CHECK_FALSE(school_day(m27, "2028-02-28"));
    CHECK(school_day(m27, "2028-02-21"));
}

TEST_CASE("public holidays, open_on and weekends", "[unit][calendar]") {
    auto s = must_load(school_in("midden", "2026-2027"));
    CHECK_FALSE(school_day(s, "2027-03-26"));  // Goede Vrijdag
    CHECK_FALSE(school_day(s, "2027-03-29"));  // 2e Paasdag
    CHECK_FALSE(school_day(s, "2027-05-05"));  // Bevrijdingsdag
    CHECK_FALSE(school_day(s, "2027-05-06"));  // Hemelvaart
    CHECK_FALSE(school_day(s, "2027-05-17"));  // 2e Pinksterdag
    CHECK_FALSE(school_day(s, "2026-09-05"));  // Saturday
    CHECK(school_day(s, "2027-05-07"));        // the Friday after Hemelvaart is no holiday
    auto open = must_load(school_in("midden", "2026-2027", "open_on = [2027-03-26]\n"));
    CHECK(school_day(open, "2027-03-26"));
}

TEST_CASE("closures, studiedagen and vacation overrides", "[unit][calendar]") {
    std::string s = base_school_toml() + R"TOML(
[[closure]]
date = 2026-10-05
kind = "studiedag"
name = "Studiedag"

[[closure]]
from = 2026-11-09
to = 2026-11-10
kind = "vrij"

[[vacation]]
name = "voorjaarsvakantie"
from = 2027-02-13
to = 2027-02-21

[[vacation]]
name = "Tweede meivakantie"
from = 2027-05-01
to = 2027-05-09
)TOML";
    auto r = must_load(s);
    CHECK_FALSE(r.calendar.is_school_day(*parse_date("2026-10-05")));
    CHECK(r.calendar.is_staff_day(*parse_date("2026-10-05")));
    CHECK_FALSE(r.calendar.is_staff_day(*parse_date("2026-11-10")));
    CHECK_FALSE(school_day(r, "2027-02-15"));  // moved voorjaarsvakantie
    CHECK(school_day(r, "2027-02-22"));        // the official week is a school week now
    CHECK_FALSE(school_day(r, "2027-05-04"));  // added week
}

TEST_CASE("first school day after a holiday", "[unit][calendar]") {
    std::string s = base_school_toml() + R"TOML(
[[closure]]
date = 2026-10-05
kind = "studiedag"
[[closure]]
date = 2026-11-13
kind = "vrij"
)TOML";
    auto r = must_load(s);
    auto first_after = [&](const char* d) {
        return r.calendar.is_first_day_after_holiday(r.calendar.index(*parse_date(d)));
    };
    CHECK(first_after("2026-08-31"));        // first day of the year
    CHECK(first_after("2026-10-26"));        // after the herfstvakantie
    CHECK(first_after("2026-11-16"));        // after a vrije vrijdag and the weekend
    CHECK_FALSE(first_after("2026-10-06"));  // after a studiedag
    CHECK_FALSE(first_after("2026-09-07"));  // after an ordinary weekend
    CHECK(first_after("2027-03-30"));        // after 2e Paasdag
}

TEST_CASE("more than seven short weeks gives a warning", "[unit][calendar]") {
    std::string s = base_school_toml();
    for (const char* d : {"2026-09-11", "2026-09-18", "2026-09-25", "2026-10-02", "2026-10-09",
                          "2026-11-06", "2026-11-13", "2026-11-20"})
        s += std::string("\n[[closure]]\ndate = ") + d + "\nkind = \"studiedag\"\n";
    auto r = must_load(s);
    CHECK(r.calendar.short_weeks().size() == 8);
    REQUIRE(r.warnings.items().size() == 1);
    CHECK_THAT(r.warnings.items()[0].message, Catch::Contains("hoogstens 7"));
    // Weeks with a public holiday do not count.
    auto plain = must_load(base_school_toml());
    CHECK(plain.calendar.short_weeks().empty());
}

TEST_CASE("extra_closures from an .ics file", "[unit][calendar]") {
    std::string s = base_school_toml();
    s.replace(s.find("[school.hours]"), 0, "extra_closures = \"vrij.ics\"\n");
    const std::string ics =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//NL\r\n"
        "BEGIN:VEVENT\r\nUID:a@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20261102\r\n"
        "DTEND;VALUE=DATE:20261104\r\nSUMMARY:Twee vrije dagen\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:b@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20260911\r\n"
        "RRULE:FREQ=MONTHLY;COUNT=2\r\nSUMMARY:Vrije vrijdag\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:c@test\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261201T100000Z\r\n"
        "SUMMARY:Met tijd\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n";
    auto r = load_inline(s, "", ics);
    INFO((r ? std::string() : jk::testing::diagnostics_text(r.error())));
    REQUIRE(r);
    CHECK_FALSE(r->calendar.is_staff_day(*parse_date("2026-11-02")));
    CHECK_FALSE(r->calendar.is_staff_day(*parse_date("2026-11-03")));
    CHECK(r->calendar.is_staff_day(*parse_date("2026-11-04")));
    CHECK_FALSE(r->calendar.is_staff_day(*parse_date("2026-09-11")));
    CHECK(r->calendar.is_staff_day(*parse_date("2026-10-09")));  // 11 Oct is a Sunday anyway
    CHECK(r->warnings.items().size() == 1);                      // the timed event is ignored
    CHECK(r->warnings.items()[0].line == 18);
}
