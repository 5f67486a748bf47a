// The official school holidays compiled into the program, checked against a table typed by hand
// from published sources, not from our own data file: both ends of every range we have a source
// for. A wrong week in calendars/official/schoolvakanties.toml fails here.
//
// The table, its sources and what could not be found: tests/support/hand_holidays.cpp. The plan
// checker of the property and referee tests uses the same table (hand_official_year), so a wrong
// week also shows there as a plan on a closed day.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

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
    for (size_t k = 1; k < official.years.size(); ++k) {
        const OfficialYear& year = official.years[k];
        const OfficialYear& before = official.years[k - 1];
        INFO(year.school_year);
        for (int region = 0; region < 3; ++region) {
            const DateRange& closing = before.vacations.back().range[region];
            CHECK(year.previous_summer[region].from == closing.from);
            CHECK(year.previous_summer[region].to == closing.to);
        }
    }
    CHECK(official.year("2028-2029"));
}

TEST_CASE("official holidays: a calendars folder's own file, the built-in copy beside it",
          "[unit][calendar]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "jk-official-test";
    fs::remove_all(dir);
    fs::create_directories(dir / "official");
    // No file: the built-in copy.
    auto none = official_holidays_in(dir);
    REQUIRE(none);
    CHECK(none->file.empty());
    CHECK(none->known_years() == builtin_official_holidays().known_years());
    // A file with one year (its herfstvakantie moved for the test): its year wins, the built-in
    // copy fills in the others.
    std::string text =
        "source = \"test\"\n[[year]]\nschool_year = \"2028-2029\"\n"
        "previous_summer = { noord = [2028-07-15, 2028-08-27], midden = "
        "[2028-07-08, 2028-08-20], zuid = [2028-07-22, 2028-09-03] }\n"
        "vacations = [\n";
    for (const OfficialVacation& v : builtin_official_holidays().year("2028-2029")->vacations) {
        auto range = [&](int r) {
            DateRange d = v.range[r];
            if (v.name == "Herfstvakantie")
                d = {*parse_date("2028-10-07"), *parse_date("2028-10-15")};
            return "[" + format_date(d.from) + ", " + format_date(d.to) + "]";
        };
        text += "  { name = \"" + v.name + "\", noord = " + range(0) + ", midden = " + range(1) +
                ", zuid = " + range(2) + " },\n";
    }
    text += "]\n";
    { std::ofstream(dir / "official" / "schoolvakanties.toml") << text; }
    auto own = official_holidays_in(dir);
    INFO((own ? std::string() : to_string(own.error().items().front())));
    REQUIRE(own);
    CHECK(own->file == (dir / "official" / "schoolvakanties.toml").string());
    CHECK(own->known_years() == builtin_official_holidays().known_years());
    CHECK(format_date(own->year("2028-2029")->vacations.front().range[1].from) == "2028-10-07");
    // An unknown year names the years known and the file to add it to.
    std::string school =
        "[school]\nid = \"x\"\nname = \"X\"\nregion = \"midden\"\n"
        "school_year = \"2031-2032\"\n";
    SchoolSources src;
    src.folder = (dir / "x").string();
    src.school_path = (dir / "x" / "school.toml").string();
    src.school_toml = school;
    src.rules_path = (dir / "x" / "rules.toml").string();
    auto loaded = load_school(src, *own);
    REQUIRE(!loaded);
    std::string messages;
    for (const auto& d : loaded.error().items()) messages += to_string(d) + "\n";
    CHECK_THAT(messages,
               Catch::Contains("bekend zijn: 2025-2026, 2026-2027, 2027-2028, 2028-2029"));
    CHECK_THAT(messages, Catch::Contains(own->file));
    // A broken file: its own errors, at file and line.
    { std::ofstream(dir / "official" / "schoolvakanties.toml") << "source = \"x\"\n[[year]\n"; }
    auto broken = official_holidays_in(dir);
    REQUIRE(!broken);
    CHECK_THAT(to_string(broken.error().items().front()),
               Catch::Contains("schoolvakanties.toml:2"));
    fs::remove_all(dir);
}
