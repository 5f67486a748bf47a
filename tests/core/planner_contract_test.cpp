// The contract's newer words (calendar-format.md): dated `works`, `any:role:A|B` and
// `most:group_teachers`, each loaded, planned and checked by the independent referee.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "hand_holidays.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"
#include "plan_checker.hpp"

using namespace jk;
using jk::testing::base_school_toml;
using jk::testing::diagnostics_text;
using jk::testing::load_inline;

namespace {

LoadedSchool must_load(const std::string& school, const std::string& rules) {
    auto r = load_inline(school, rules);
    INFO((r ? std::string() : diagnostics_text(r.error())));
    REQUIRE(r);
    return std::move(r).value();
}

std::string errors_of(const std::string& school, const std::string& rules = "") {
    auto r = load_inline(school, rules);
    return r ? std::string() : diagnostics_text(r.error());
}

Plan planned(const LoadedSchool& s) {
    PlanOptions o;
    o.stamp = "2026-08-01T00:00:00Z";
    Plan p = make_plan(s, o);
    const auto problems = jk::testing::check_plan(
        s, jk::testing::hand_official_year(s.school.school_year), plan_to_json(p));
    std::string text;
    for (const auto& x : problems) text += x + "\n";
    INFO(text);
    CHECK(problems.empty());
    return p;
}

std::vector<const Event*> of_rule(const Plan& p, const std::string& rule) {
    std::vector<const Event*> out;
    for (const auto& e : p.events)
        if (e.rule == rule) out.push_back(&e);
    return out;
}

bool has(const std::vector<std::string>& list, const std::string& x) {
    return std::find(list.begin(), list.end(), x) != list.end();
}

std::string replaced(std::string s, const std::string& what, const std::string& with) {
    const size_t at = s.find(what);
    REQUIRE(at != std::string::npos);
    return s.replace(at, what.size(), with);
}

std::string consultation(const std::string& attendee) {
    return R"TOML([[rule]]
id = "klassenconsultatie"
title = "Klassenconsultatie {teacher} ({group})"
for_each = "teacher"
attendees = [")TOML" +
           attendee + R"TOML("]
minutes = 45
slot = "lessons"
count = 2
windows = [ { from = 2026-09-14, to = 2027-01-15 }, { from = 2027-02-08, to = 2027-06-25 } ]
)TOML";
}

const Date kFeb1 = *parse_date("2027-02-01");

}  // namespace

TEST_CASE("dated works: the days of each date count", "[unit][contract][loader][planner]") {
    // Anna, the IB'er, works only on ma until the end of January, then only on do.
    const std::string school = replaced(base_school_toml(), "works = [\"ma\", \"di\", \"do\"]",
                                        "works = [ { days = [\"ma\"], until = 2027-01-31 },\n"
                                        "          { days = [\"do\"], from = 2027-02-01 } ]");
    const LoadedSchool s = must_load(school, consultation("any:role:ib"));
    const Person& anna = *s.school.person("anna");
    CHECK(anna.works_dated());
    CHECK(anna.works.to_string() == "ma do");
    CHECK(anna.works_on(*parse_date("2027-01-25")).to_string() == "ma");
    CHECK(anna.works_on(kFeb1).to_string() == "do");
    CHECK_FALSE(anna.available_on(*parse_date("2027-01-28")));  // a Thursday in January
    CHECK(anna.available_on(*parse_date("2027-02-04")));        // a Thursday in February

    const Plan p = planned(s);
    const auto cons = of_rule(p, "klassenconsultatie");
    // Bram (ma di wo) before February, Carla (do vr) after it; the other two cannot be planned.
    REQUIRE(cons.size() == 2);
    for (const Event* e : cons) {
        REQUIRE(has(e->attendees, "anna"));
        const int wd = weekday_index(e->date);
        if (e->date < kFeb1)
            CHECK((wd == 0 && e->subject == std::optional<std::string>("bram")));
        else
            CHECK((wd == 3 && e->subject == std::optional<std::string>("carla")));
    }
    CHECK(p.unplanned.size() == 2);
}

TEST_CASE("dated works: what the loader refuses", "[unit][contract][loader]") {
    SECTION("overlapping entries") {
        const std::string s = replaced(base_school_toml(), "works = [\"ma\", \"di\", \"do\"]",
                                       "works = [ { days = [\"ma\"], until = 2027-01-31 },\n"
                                       "          { days = [\"do\"], from = 2027-01-15 } ]");
        CHECK_THAT(errors_of(s), Catch::Contains("school.toml:19:11: deze werkdagen overlappen"));
    }
    SECTION("a date outside the school year") {
        const std::string s = replaced(base_school_toml(), "works = [\"ma\", \"di\", \"do\"]",
                                       "works = [ { days = [\"ma\"], until = 2027-09-30 } ]");
        CHECK_THAT(errors_of(s), Catch::Contains("'until' 2027-09-30 ligt buiten het schooljaar"));
    }
    SECTION("a teacher who teaches on a day she no longer works") {
        const std::string s =
            replaced(base_school_toml(), "works = [\"wo\", \"do\", \"vr\"]",
                     "works = [ { days = [\"wo\", \"do\", \"vr\"], until = 2027-01-31 },\n"
                     "          { days = [\"wo\"], from = 2027-02-01 } ]");
        CHECK_THAT(errors_of(s),
                   Catch::Contains("school.toml:42:41:") &&
                       Catch::Contains("Carla Smit geeft les aan Groep 4/5 op do vr, maar werkt "
                                       "volgens 'works' op do 4 februari alleen op wo"));
    }
    SECTION("a table beside a weekday") {
        const std::string s = replaced(base_school_toml(), "works = [\"ma\", \"di\", \"do\"]",
                                       "works = [ { days = [\"ma\"] }, \"di\" ]");
        CHECK_THAT(errors_of(s), Catch::Contains("school.toml:18:30: 'works' moet een tabel zijn"));
    }
}

TEST_CASE("any:role:A|B: the first role when it can, else the second",
          "[unit][contract][planner]") {
    // Bram teaches only on wo, when no IB'er works; the schoolleider (Erik) works wo.
    std::string school =
        replaced(base_school_toml(), "days = [\"ma\", \"di\", \"wo\"]", "days = [\"wo\"]");
    SECTION("any:role:ib alone leaves Bram without a consultation") {
        const Plan p = planned(must_load(school, consultation("any:role:ib")));
        CHECK(p.unplanned.size() == 2);
        REQUIRE_FALSE(p.unplanned.empty());
        CHECK_THAT(p.unplanned.front().reason, Catch::Contains("IB'er"));
    }
    SECTION("any:role:ib|schoolleider gives Bram the schoolleider, Carla the IB'er") {
        const Plan p = planned(must_load(school, consultation("any:role:ib|schoolleider")));
        CHECK(p.unplanned.empty());
        const auto cons = of_rule(p, "klassenconsultatie");
        REQUIRE(cons.size() == 4);
        for (const Event* e : cons) {
            INFO(e->title << " " << format_date(e->date));
            if (e->subject == std::optional<std::string>("bram"))
                CHECK(e->attendees == std::vector<std::string>{"bram", "erik"});
            else
                CHECK(e->attendees == std::vector<std::string>{"carla", "anna"});
        }
    }
    SECTION("an unknown role in the pair is named") {
        CHECK_THAT(errors_of(school, consultation("any:role:ib|schooleider")),
                   Catch::Contains("niemand heeft de rol 'schooleider'") &&
                       Catch::Contains("bedoelde je 'schoolleider'?"));
    }
    SECTION("the reason names both roles") {
        // Erik works wo no longer either: nobody can observe Bram.
        school = replaced(school, "works = [\"ma\", \"di\", \"wo\", \"do\"]",
                          "works = [\"ma\", \"di\", \"do\"]");
        const Plan p = planned(must_load(school, consultation("any:role:ib|schoolleider")));
        REQUIRE(p.unplanned.size() == 2);
        CHECK_THAT(p.unplanned.front().reason, Catch::Contains("IB'er of schoolleider"));
    }
}

TEST_CASE("most:group_teachers: a duo who never meet still hold their groepsbespreking",
          "[unit][contract][planner]") {
    // Bram works ma di wo, Carla do vr: they never share a day.
    const std::string school = replaced(base_school_toml(), "works = [\"wo\", \"do\", \"vr\"]",
                                        "works = [\"do\", \"vr\"]");
    auto rule = [](const std::string& teachers) {
        return R"TOML([[rule]]
id = "groepsbespreking"
title = "Groepsbespreking {group}"
for_each = "group"
attendees = [")TOML" +
               teachers + R"TOML(", "any:role:ib"]
minutes = 45
slot = "after_school"
count = 2
windows = [ { from = 2026-09-14, to = 2027-01-15 }, { from = 2027-02-08, to = 2027-06-25 } ]
)TOML";
    };
    SECTION("group_teachers: never, and the report says why") {
        const Plan p = planned(must_load(school, rule("group_teachers")));
        REQUIRE(p.unplanned.size() == 2);
        CHECK_THAT(p.unplanned.front().reason, Catch::Contains("werken nooit op dezelfde dag"));
    }
    SECTION("most:group_teachers: planned, with the other teacher invited") {
        const Plan p = planned(must_load(school, rule("most:group_teachers")));
        CHECK(p.unplanned.empty());
        const auto gb = of_rule(p, "groepsbespreking");
        REQUIRE(gb.size() == 2);
        for (const Event* e : gb) {
            INFO(format_date(e->date));
            CHECK(has(e->attendees, "anna"));
            const bool bram = has(e->attendees, "bram"), carla = has(e->attendees, "carla");
            CHECK(bram != carla);  // exactly one of the duo is required
            CHECK(has(e->optional_attendees, bram ? "carla" : "bram"));
        }
    }
    SECTION("most:group_teachers takes everyone when a day allows it") {
        // Carla works di too (teaching do vr): di is the day they and the IB'er can all come.
        const std::string both =
            replaced(school, "works = [\"do\", \"vr\"]", "works = [\"di\", \"do\", \"vr\"]");
        const Plan p = planned(must_load(both, rule("most:group_teachers")));
        CHECK(p.unplanned.empty());
        for (const Event* e : of_rule(p, "groepsbespreking")) {
            INFO(format_date(e->date));
            CHECK(weekday_index(e->date) == 1);
            CHECK(has(e->attendees, "bram"));
            CHECK(has(e->attendees, "carla"));
            CHECK(e->optional_attendees.empty());
        }
    }
    SECTION("only for a group rule") {
        CHECK_THAT(errors_of(school, consultation("most:group_teachers")),
                   Catch::Contains("most:group_teachers kan alleen bij for_each = group"));
    }
}

TEST_CASE("active = false: a rule kept but switched off, with what follows it",
          "[unit][contract][loader][planner]") {
    const std::string nabespreking = R"TOML(
[[rule]]
id = "nabespreking"
title = "Nabespreking {teacher}"
minutes = 20
slot = "after_school"
after = { rule = "klassenconsultatie", within_school_days = 3 }
)TOML";
    const std::string on = consultation("any:role:ib") + nabespreking;
    const LoadedSchool both = must_load(base_school_toml(), on);
    CHECK(both.rules.inactive.empty());
    CHECK(!of_rule(planned(both), "nabespreking").empty());

    const std::string off = replaced(on, "count = 2", "count = 2\nactive = false");
    const LoadedSchool s = must_load(base_school_toml(), off);
    CHECK(s.rules.rules.empty());
    REQUIRE(s.rules.inactive.size() == 2);
    CHECK(s.rules.any_rule("nabespreking"));
    CHECK(!s.rules.rule("klassenconsultatie"));
    const Plan p = planned(s);
    CHECK(of_rule(p, "klassenconsultatie").empty());
    CHECK(of_rule(p, "nabespreking").empty());
    CHECK(p.unplanned.empty());
    // Switched off, it is still checked: a mistake in it is found before it is switched on.
    CHECK_THAT(errors_of(base_school_toml(), replaced(off, "minutes = 45", "minutes = \"lang\"")),
               Catch::Contains("minutes"));
}
