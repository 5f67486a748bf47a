// Next school year from this one (include/jaarkalender/next_year.hpp): the example school's
// proposal for 2027-2028 loads as it is, moves its toetskalender by school weeks, carries who is
// still there at the end of the year, and lists what it does not guess.
#include <catch2/catch.hpp>

#include <algorithm>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/next_year.hpp"

using namespace jk;

namespace {

std::string replaced(std::string s, const std::string& what, const std::string& with) {
    const size_t at = s.find(what);
    REQUIRE(at != std::string::npos);
    return s.replace(at, what.size(), with);
}

bool has_line(const std::vector<std::string>& lines, const std::string& part) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("next year: the example school's proposal", "[unit][next_year]") {
    auto sources = read_school_sources(std::string(JK_SOURCE_DIR) + "/calendars/voorbeeldschool");
    REQUIRE(sources);
    // Bram leaves in March, Anna works Fridays too from February, and Tim's groep 3 goes to
    // Hanna alone from June.
    sources->school_toml =
        replaced(sources->school_toml, "id = \"bram\"", "id = \"bram\"\nuntil = 2027-03-12");
    sources->school_toml = replaced(
        sources->school_toml, "roles = [\"ib\"]\nworks = [\"ma\", \"di\", \"wo\", \"do\"]",
        "roles = [\"ib\"]\nworks = [ { days = [\"ma\", \"di\", \"wo\", \"do\"], until = "
        "2027-01-31 }, { days = [\"ma\", \"di\", \"wo\", \"do\", \"vr\"], from = 2027-02-01 } ]");
    const auto& official = builtin_official_holidays();
    auto now = load_school(*sources, official);
    INFO((now ? std::string() : to_string(now.error().items().front())));
    REQUIRE(now);
    CHECK(following_school_year(now->school.school_year) == "2027-2028");
    CHECK(previous_school_year("2027-2028") == "2026-2027");
    CHECK(previous_school_year("2027/2028").empty());
    CHECK(following_school_year("volgend jaar").empty());

    auto p = propose_next_year(*now, *sources, official, "2027-2028");
    INFO((p ? std::string() : to_string(p.error().items().front())));
    REQUIRE(p);
    auto next = load_school(p->sources, official);
    REQUIRE(next);
    const School& s = next->school;
    CHECK(s.school_year == "2027-2028");
    CHECK(format_date(s.first_day) == "2027-08-30");
    // People: who is still there, without absences; working days of the last week.
    CHECK(!s.person("bram"));
    CHECK(has_line(p->left_out, "Bram Jansen"));
    REQUIRE(s.person("anna"));
    CHECK(!s.person("anna")->works_dated());
    CHECK(s.person("anna")->works.contains(4));
    REQUIRE(s.person("karin"));
    CHECK(s.person("karin")->absent.empty());
    CHECK(s.closures.empty());
    CHECK(has_line(p->todo, "Studiedagen en vrije dagen nog invullen"));
    // Groep 4/5 lost Bram: only Carla, on her days.
    const Group* g45 = s.group("groep-4-5");
    REQUIRE(g45);
    REQUIRE(g45->teachers.size() == 1);
    CHECK(g45->teachers[0].person == "carla");
    // The toetskalender: midden in the third school week after the kerstvakantie, as this year.
    const TestPeriod* midden = next->rules.period("midden");
    REQUIRE(midden);
    CHECK(format_date(midden->range.from) == "2028-01-24");
    CHECK(format_date(midden->range.to) == "2028-02-11");
    CHECK(has_line(p->carried, "Toetsperiode midden"));
    // A window ends in the same school week it ended this year.
    const Rule* kc = next->rules.rule("klassenconsultatie");
    REQUIRE(kc);
    const auto& windows = std::get<CountTiming>(kc->timing).windows;
    REQUIRE(windows.size() == 2);
    CHECK(format_date(windows[0].range.from) == "2027-09-13");
    CHECK(format_date(windows[0].range.to) == "2028-01-21");
    // Fixed dates are not guessed: the rule is off until they are filled in.
    CHECK(!next->rules.rule("bestuursgesprek"));
    CHECK(next->rules.any_rule("bestuursgesprek"));
    CHECK(has_line(p->todo, "Datum nog invullen: Bestuursgesprek"));
    // The same input gives the same proposal.
    auto again = propose_next_year(*now, *sources, official, "2027-2028");
    REQUIRE(again);
    CHECK(again->sources.school_toml == p->sources.school_toml);
    CHECK(again->sources.rules_toml == p->sources.rules_toml);
}

TEST_CASE("next year: a year without official data says where to add it", "[unit][next_year]") {
    auto sources = read_school_sources(std::string(JK_SOURCE_DIR) + "/calendars/voorbeeldschool");
    REQUIRE(sources);
    auto now = load_school(*sources, builtin_official_holidays());
    REQUIRE(now);
    auto p = propose_next_year(*now, *sources, builtin_official_holidays(), "2031-2032");
    REQUIRE(!p);
    CHECK_THAT(to_string(p.error().items().front()), Catch::Contains("bekend zijn"));
    CHECK_THAT(to_string(p.error().items().front()), Catch::Contains("schoolvakanties.toml"));
}
