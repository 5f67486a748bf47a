// Every kind of structural impossibility gets a reason that is true and says what to change,
// in Dutch and without configuration words (spec: "What cannot be planned ... is reported").
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "jaarkalender/planner.hpp"

using namespace jk;

namespace {

/// The reasons of the one rule "r" of a plan of the base school with these rules (and extra
/// school lines).
std::vector<std::string> reasons(const std::string& rules, const std::string& school_extra = "",
                                 const std::string& school = jk::testing::base_school_toml()) {
    auto r = jk::testing::load_inline(school + school_extra, rules);
    INFO((r ? std::string() : jk::testing::diagnostics_text(r.error())));
    REQUIRE(r);
    const Plan p = jk::testing::plan_fixed(*r);
    std::vector<std::string> out;
    for (const Unplanned& u : p.unplanned)
        if (u.rule == "r") out.push_back(u.reason);
    return out;
}

std::string rule(const std::string& body) {
    return "[[rule]]\nid = \"r\"\ntitle = \"Afspraak {n}\"\n" + body;
}

/// No configuration word reaches a school (keys, values, section names).
void plain(const std::string& reason) {
    INFO(reason);
    for (const char* word : {"avoid", "slot", "max_per_day", "test_periods", "lessons", "[school",
                             "any:", "role:", "_"})
        CHECK(reason.find(word) == std::string::npos);
}

}  // namespace

TEST_CASE("reason: a fixed date in a vacation", "[unit][planner][reasons]") {
    auto r =
        reasons(rule("for_each = \"school\"\nattendees = [\"role:ib\"]\nminutes = 30\n"
                     "dates = [2026-10-20]\ntime = \"10:00\"\n"));
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("op di 20 oktober is de school dicht (Herfstvakantie)"));
    plain(r[0]);
}

TEST_CASE("reason: every day of the term is closed", "[unit][planner][reasons]") {
    auto r =
        reasons(rule("for_each = \"school\"\nattendees = [\"role:ib\"]\nminutes = 30\n"
                     "slot = \"after_school\"\ncount = 1\n"
                     "windows = [ { from = 2026-10-17, to = 2026-10-25 } ]\n"));
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("geen werkdag"));
    plain(r[0]);
}

TEST_CASE("reason: only studiedagen for something during lessons", "[unit][planner][reasons]") {
    auto r = reasons(
        rule("for_each = \"school\"\nattendees = [\"role:ib\"]\nminutes = 30\n"
             "slot = \"lessons\"\ncount = 1\n"
             "windows = [ { from = 2026-10-05, to = 2026-10-05 } ]\n"),
        "\n[[closure]]\ndate = \"2026-10-05\"\nkind = \"studiedag\"\nname = \"Studiedag\"\n");
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0],
               Catch::Contains("ma 5 oktober is een studiedag (Studiedag), zonder leerlingen"));
    plain(r[0]);
}

TEST_CASE("reason: every day of the term is in a test period it avoids",
          "[unit][planner][reasons]") {
    const std::string period =
        "[[test_period]]\nid = \"midden\"\nname = \"Toetsperiode midden\"\nfrom = 2027-01-18\n"
        "to = 2027-01-29\n[[test_period.test]]\nname = \"Rekenen\"\ngrades = [4]\nminutes = 60\n\n";
    auto r = reasons(period + rule("for_each = \"school\"\nattendees = [\"role:ib\"]\n"
                                   "minutes = 30\nslot = \"after_school\"\n"
                                   "avoid = [\"test_periods\"]\ncount = 1\n"
                                   "windows = [ { from = 2027-01-18, to = 2027-01-22 } ]\n"));
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("toetsperiode"));
    plain(r[0]);
}

TEST_CASE("reason: only the first day after a vacation, which it avoids",
          "[unit][planner][reasons]") {
    auto r =
        reasons(rule("for_each = \"school\"\nattendees = [\"role:ib\"]\nminutes = 30\n"
                     "slot = \"after_school\"\navoid = [\"first_day_after_holiday\"]\n"
                     "count = 1\nwindows = [ { from = 2026-10-26, to = 2026-10-26 } ]\n"));
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("eerste schooldag na een vakantie"));
    plain(r[0]);
}

TEST_CASE("reason: a teacher who does not teach on the days of the term",
          "[unit][planner][reasons]") {
    // Carla teaches on do and vr; the window is ma–wo.
    auto r =
        reasons(rule("for_each = \"teacher\"\nattendees = []\nminutes = 30\n"
                     "slot = \"lessons\"\ncount = 1\n"
                     "windows = [ { from = 2026-09-14, to = 2026-09-16 } ]\n"));
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("Carla Smit geeft"));
    CHECK_THAT(r[0], Catch::Contains("geen les"));
    plain(r[0]);
}

TEST_CASE("reason: two required people who never work on the same day",
          "[unit][planner][reasons]") {
    const std::string dirk =
        "\n[[person]]\nid = \"dirk\"\nname = \"Dirk Bakker\"\nworks = [\"vr\"]\n";
    auto r = reasons(rule("for_each = \"school\"\nattendees = [\"person:bram\", \"person:dirk\"]\n"
                          "minutes = 30\nslot = \"after_school\"\ncount = 1\n"),
                     dirk);
    REQUIRE(!r.empty());
    CHECK_THAT(r[0], Catch::Contains("werken nooit op dezelfde dag"));
    plain(r[0]);
}

TEST_CASE("reason: no IB'er works on the days the teacher teaches", "[unit][planner][reasons]") {
    // Anna (the IB'er) works ma di do; Carla teaches do vr: only Friday in the window.
    auto r =
        reasons(rule("for_each = \"teacher\"\nattendees = [\"any:role:ib\"]\nminutes = 30\n"
                     "slot = \"lessons\"\ncount = 1\n"
                     "windows = [ { from = 2026-09-18, to = 2026-09-18 } ]\n"));
    REQUIRE(r.size() == 2);  // Bram's too: he does not teach on Fridays
    CHECK_THAT(r[1], Catch::Contains("Carla Smit geeft Groep 4/5 alleen les op vr; geen IB'er "
                                     "werkt op vr"));
    plain(r[1]);
}

TEST_CASE("reason: the only IB'er teaches the group herself", "[unit][planner][reasons]") {
    // Anna is the only IB'er and teaches groep 4/5 on ma and di, Carla on do and vr: on
    // Thursday both work, and no other IB'er is there to discuss the group with them.
    std::string school = jk::testing::base_school_toml();
    const std::string from = "teachers = [ { person = \"bram\", days = [\"ma\", \"di\", \"wo\"] },";
    const auto at = school.find(from);
    REQUIRE(at != std::string::npos);
    school.replace(at, from.size(), "teachers = [ { person = \"anna\", days = [\"ma\", \"di\"] },");
    auto r = reasons(rule("for_each = \"group\"\nattendees = [\"group_teachers\", "
                          "\"any:role:ib\"]\nminutes = 45\nslot = \"after_school\"\ncount = 1\n"),
                     "", school);
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("Anna de Vries is de enige IB'er"));
    CHECK_THAT(r[0], Catch::Contains("geeft zelf les aan Groep 4/5"));
    CHECK(r[0].find("werkt op") == std::string::npos);  // not "geen IB'er werkt op ma di wo do vr"
    plain(r[0]);
}

TEST_CASE("reason: the maximum per day is reached on every possible day",
          "[unit][planner][reasons]") {
    // Bram and Dirk both work on Monday 14 September; Anna sees one teacher a day.
    const std::string dirk =
        "\n[[person]]\nid = \"dirk\"\nname = \"Dirk Bakker\"\n"
        "works = [\"ma\", \"di\", \"wo\", \"do\", \"vr\"]\n\n[[group]]\nid = \"groep-6\"\n"
        "name = \"Groep 6\"\ngrades = [6]\nteachers = [ { person = \"dirk\", days = [\"ma\", "
        "\"di\", \"wo\", \"do\", \"vr\"] } ]\n";
    auto r = reasons(rule("for_each = \"teacher\"\nattendees = [\"person:anna\"]\n"
                          "minutes = 30\nslot = \"after_school\"\nmax_per_day = 1\ncount = 1\n"
                          "windows = [ { from = 2026-09-14, to = 2026-09-14 } ]\n"),
                     dirk);
    bool found = false;
    for (const auto& x : r) {
        found = found || x.find("het hoogste aantal per dag") != std::string::npos;
        plain(x);
    }
    CHECK(found);
}

TEST_CASE("reason: the time of the slot is shorter than the item", "[unit][planner][reasons]") {
    // Wednesday's lessons end at 12:15: 225 minutes.
    auto r =
        reasons(rule("for_each = \"school\"\nattendees = [\"person:erik\"]\nminutes = 300\n"
                     "slot = \"lessons\"\ncount = 1\n"
                     "windows = [ { from = 2026-09-16, to = 2026-09-16 } ]\n"));
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("korter dan 300 minuten"));
    plain(r[0]);
}

TEST_CASE("reason: a meeting on its own date whose attendee is in another meeting then",
          "[unit][planner][reasons]") {
    auto r = reasons(
        "[[rule]]\nid = \"eerst\"\ntitle = \"Overleg\"\nfor_each = \"school\"\n"
        "attendees = [\"role:ib\"]\nminutes = 60\ndates = [2026-09-14]\n"
        "time = \"15:00\"\n\n" +
        rule("for_each = \"school\"\nattendees = [\"role:ib\"]\nminutes = 30\n"
             "dates = [2026-09-14]\ntime = \"15:30\"\n"));
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("om 15:30"));
    CHECK_THAT(r[0], Catch::Contains("Anna de Vries"));
    CHECK_THAT(r[0], Catch::Contains("(Overleg)"));
    plain(r[0]);
}

TEST_CASE("reason: the one who must come stands in front of her own class then",
          "[unit][planner][reasons]") {
    // Bram works and teaches groep 4/5 on ma, di and wo; a meeting in lesson hours those days
    // cannot have him. The reason says he teaches, not which days he works.
    auto r = reasons(rule(
        "for_each = \"school\"\nattendees = [\"person:bram\"]\nminutes = 30\n"
        "slot = \"lessons\"\ncount = 1\nwindows = [ { from = 2026-09-14, to = 2026-09-16 } ]\n"));
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], Catch::Contains("Bram Jansen staat dan zelf voor de klas"));
    CHECK_THAT(r[0], !Catch::Contains("werkt alleen op"));
    plain(r[0]);
}
