#include "jaarkalender/loader.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace jk;
using jk::testing::base_school_toml;
using jk::testing::diagnostics_text;
using jk::testing::load_inline;

namespace {

/// The diagnostics of loading, as text; empty when it loads.
std::string errors_of(const std::string& school, const std::string& rules) {
    auto r = load_inline(school, rules);
    return r ? std::string() : diagnostics_text(r.error());
}

const char* kRule = R"TOML([[rule]]
id = "klassenconsultatie"
title = "Klassenconsultatie {teacher} ({group})"
for_each = "teacher"
attendees = ["any:role:ib"]
minutes = 45
slot = "lessons"
count = 2
windows = [ { from = 2026-09-14, to = 2027-01-15 }, { from = 2027-02-08, to = 2027-06-25 } ]
)TOML";

}  // namespace

TEST_CASE("a valid school loads without diagnostics", "[unit][loader]") {
    CHECK(errors_of(base_school_toml(), kRule).empty());
}

TEST_CASE("TOML syntax errors carry their position", "[unit][loader]") {
    CHECK_THAT(errors_of(base_school_toml(), "[[rule]]\nid = \n"),
               Catch::StartsWith("rules.toml:2:"));
    CHECK_THAT(errors_of("[school\n", ""), Catch::StartsWith("school.toml:1:"));
}

TEST_CASE("unknown keys are refused with a suggestion", "[unit][loader]") {
    std::string s = base_school_toml();
    s.replace(s.find("region ="), 0, "regoin = \"x\"\n");
    const std::string e = errors_of(s, "");
    CHECK_THAT(
        e, Catch::Contains(
               "school.toml:4:1: onbekende sleutel 'regoin' in [school]; bedoelde je 'region'?"));
    std::string rules = kRule;
    rules += "remind_day_before = [1]\n";
    CHECK_THAT(errors_of(base_school_toml(), rules),
               Catch::Contains("rules.toml:10:1: onbekende sleutel 'remind_day_before'") &&
                   Catch::Contains("bedoelde je 'remind_days_before'?"));
}

TEST_CASE("all errors of all files are reported at once", "[unit][loader]") {
    std::string s = base_school_toml();
    s.replace(s.find("\"midden\""), 8, "\"midde\"");
    std::string rules = kRule;
    rules.replace(rules.find("minutes = 45"), 12, "minutes = \"45\"");
    const std::string e = errors_of(s, rules);
    CHECK_THAT(e, Catch::Contains("school.toml:4:10: region 'midde' bestaat niet") &&
                      Catch::Contains("bedoelde je 'midden'?"));
    CHECK_THAT(e, Catch::Contains("rules.toml:6:11: 'minutes' moet een geheel getal zijn"));
}

TEST_CASE("school.toml cross-references", "[unit][loader]") {
    SECTION("unknown teacher") {
        std::string s = base_school_toml();
        s.replace(s.find("person = \"carla\""), 16, "person = \"karla\"");
        CHECK_THAT(errors_of(s, ""),
                   Catch::Contains("school.toml:41:") &&
                       Catch::Contains(
                           "leerkracht 'karla' staat niet bij de personen; bedoelde je 'carla'?"));
    }
    SECTION("teacher days outside works") {
        std::string s = base_school_toml();
        s.replace(s.find("days = [\"do\", \"vr\"]"), 19, "days = [\"ma\", \"vr\"]");
        CHECK_THAT(errors_of(s, ""),
                   Catch::Contains("school.toml:41:") &&
                       Catch::Contains("Carla Smit geeft les aan Groep 4/5 op ma, maar werkt "
                                       "volgens 'works' alleen op wo do vr"));
    }
    SECTION("duplicate ids") {
        std::string s = base_school_toml() + "\n[[person]]\nid = \"anna\"\nname = \"Anna twee\"\n";
        CHECK_THAT(errors_of(s, ""), Catch::Contains("persoon-id 'anna' komt twee keer voor"));
    }
    SECTION("bad id, weekday, grade and date") {
        std::string s = base_school_toml() +
                        "\n[[person]]\nid = \"Piet Pieters\"\nname = \"Piet\"\nworks = [\"mo\"]\n"
                        "\n[[group]]\nid = \"g9\"\nname = \"G9\"\ngrades = [9]\nteachers = []\n"
                        "\n[[closure]]\ndate = \"2026-02-30\"\nkind = \"studiedag\"\n";
        const std::string e = errors_of(s, "");
        CHECK_THAT(e, Catch::Contains("school.toml:44:6: 'Piet Pieters' is geen geldige id"));
        CHECK_THAT(e, Catch::Contains("school.toml:46:10: 'works': 'mo' is geen schooldag") &&
                          Catch::Contains("bedoelde je 'ma'?"));
        CHECK_THAT(
            e, Catch::Contains(
                   "school.toml:51:11: 'grades': een jaargroep is een getal van 1 tot en met 8"));
        CHECK_THAT(e,
                   Catch::Contains("school.toml:55:8: 'date': '2026-02-30' is geen geldige datum"));
    }
    SECTION("unknown school year names the known ones") {
        std::string s = base_school_toml();
        s.replace(s.find("\"2026-2027\""), 11, "\"2030-2031\"");
        CHECK_THAT(
            errors_of(s, ""),
            Catch::Contains("school.toml:5:15: voor schooljaar '2030-2031' zijn geen officiële "
                            "vakanties bekend; bekend zijn: 2025-2026, 2026-2027, 2027-2028"));
    }
    SECTION("open_on must be a public holiday") {
        std::string s = base_school_toml();
        s.replace(s.find("[school.hours]"), 0, "open_on = [2027-03-25]\n");
        CHECK_THAT(errors_of(s, ""),
                   Catch::Contains("school.toml:7:12: 2027-03-25 is geen feestdag"));
    }
    SECTION("missing hours") {
        std::string s = base_school_toml();
        s.erase(s.find("[school.hours]"), s.find("[[person]]") - s.find("[school.hours]"));
        CHECK_THAT(errors_of(s, ""), Catch::Contains("de sleutel 'hours' ontbreekt"));
    }
    SECTION("extra_closures file missing") {
        std::string s = base_school_toml();
        s.replace(s.find("[school.hours]"), 0, "extra_closures = \"vrij.ics\"\n");
        CHECK_THAT(errors_of(s, ""),
                   Catch::Contains("school.toml:7:18: extra_closures: het bestand 'vrij.ics' naast "
                                   "school.toml ontbreekt"));
    }
    SECTION("first_day after last_day") {
        std::string s = base_school_toml();
        s.replace(s.find("[school.hours]"), 0, "first_day = 2027-07-01\nlast_day = 2026-09-01\n");
        CHECK_THAT(errors_of(s, ""),
                   Catch::Contains("school.toml:8:12: last_day (2026-09-01) ligt voor first_day"));
    }
}

TEST_CASE("rules.toml cross-references", "[unit][loader]") {
    auto with = [](std::string from, const std::string& what, const std::string& to) {
        from.replace(from.find(what), what.size(), to);
        return from;
    };
    SECTION("role nobody has") {
        CHECK_THAT(
            errors_of(base_school_toml(), with(kRule, "any:role:ib", "any:role:ibb")),
            Catch::Contains("rules.toml:5:14: niemand heeft de rol 'ibb'; bedoelde je 'ib'?"));
    }
    SECTION("unknown person") {
        CHECK_THAT(
            errors_of(base_school_toml(), with(kRule, "any:role:ib", "person:ana")),
            Catch::Contains(
                "rules.toml:5:14: persoon 'ana' bestaat niet in school.toml; bedoelde je 'anna'?"));
    }
    SECTION("count against windows") {
        CHECK_THAT(errors_of(base_school_toml(), with(kRule, "count = 2", "count = 3")),
                   Catch::Contains("rules.toml:8:9: count = 3, maar er zijn 2 vensters"));
    }
    SECTION("placeholders the subject cannot fill") {
        std::string r = with(kRule, "for_each = \"teacher\"", "for_each = \"school\"");
        r = with(r, "any:role:ib", "role:ib");
        CHECK_THAT(errors_of(base_school_toml(), r),
                   Catch::Contains("rules.toml:3:9: de titel gebruikt {teacher}, maar het "
                                   "onderwerp (for_each = school) is geen leerkracht of groep"));
        CHECK_THAT(errors_of(base_school_toml(), with(kRule, "{group})", "{groep})")),
                   Catch::Contains("onbekende plaatshouder {groep}") &&
                       Catch::Contains("bedoelde je {group}?"));
        CHECK_THAT(
            errors_of(base_school_toml(), with(kRule, "{group})", "{period})")),
            Catch::Contains(
                "de titel gebruikt {period}, maar deze regel volgt niet op een toetsperiode"));
    }
    SECTION("unknown rule and test period") {
        std::string r =
            std::string(kRule) +
            "\n[[rule]]\nid = \"nabespreking\"\ntitle = \"Nabespreking\"\nminutes = 30\n"
            "after = { rule = \"klassenconsultatei\", within_school_days = 3 }\n"
            "\n[[rule]]\nid = \"gb\"\ntitle = \"GB\"\nfor_each = \"group\"\nattendees = "
            "[\"group_teachers\"]\n"
            "minutes = 30\nafter = { test_period = \"midden\" }\n";
        const std::string e = errors_of(base_school_toml(), r);
        CHECK_THAT(e, Catch::Contains("rules.toml:15:18: regel 'klassenconsultatei' bestaat niet; "
                                      "bedoelde je 'klassenconsultatie'?"));
        CHECK_THAT(e, Catch::Contains("rules.toml:23:25: toetsperiode 'midden' bestaat niet"));
    }
    SECTION("RRULEs libical rejects") {
        const std::string r =
            "[[rule]]\nid = \"overleg\"\ntitle = \"Overleg\"\nfor_each = \"school\"\nattendees = "
            "[\"role:ib\"]\n"
            "minutes = 60\ntime = \"15:00\"\nrecurrence = \"FREQ=FORTNIGHTLY;BYDAY=TU\"\n";
        CHECK_THAT(
            errors_of(base_school_toml(), r),
            Catch::Contains("rules.toml:8:14: 'FREQ=FORTNIGHTLY;BYDAY=TU' is geen geldige RRULE"));
    }
    SECTION("exactly one timing form") {
        CHECK_THAT(errors_of(base_school_toml(), with(kRule, "count = 2\n", "")),
                   Catch::Contains("'windows' hoort bij 'count'") &&
                       Catch::Contains("geen planning; geef precies één van count, after, before, "
                                       "recurrence of dates"));
        std::string r = std::string(kRule) + "dates = [2026-10-01]\n";
        CHECK_THAT(errors_of(base_school_toml(), r),
                   Catch::Contains("gebruik precies één planningsvorm"));
    }
    SECTION("a follow-up cycle") {
        const std::string r =
            "[[rule]]\nid = \"a\"\ntitle = \"A\"\nminutes = 30\nafter = { rule = \"b\", "
            "within_school_days = 3 }\n"
            "[[rule]]\nid = \"b\"\ntitle = \"B\"\nminutes = 30\nafter = { rule = \"a\", "
            "within_school_days = 3 }\n";
        CHECK_THAT(errors_of(base_school_toml(), r),
                   Catch::Contains("volgt via een kring op zichzelf"));
    }
    SECTION("duration that fits no slot, and duplicates") {
        std::string r = with(kRule, "minutes = 45", "minutes = 400");
        r += std::string("\n") + kRule;
        const std::string e = errors_of(base_school_toml(), r);
        CHECK_THAT(e, Catch::Contains("rules.toml:6:11: regel 'klassenconsultatie': 400 minuten "
                                      "past in geen enkele lesdag"));
        CHECK_THAT(e, Catch::Contains(
                          "rules.toml:11:1: regel-id 'klassenconsultatie' komt twee keer voor"));
    }
    SECTION("window outside the school year and dates outside it") {
        CHECK_THAT(
            errors_of(base_school_toml(), with(kRule, "{ from = 2027-02-08, to = 2027-06-25 }",
                                               "{ from = 2027-08-02, to = 2027-08-20 }")),
            Catch::Contains("rules.toml:9:") && Catch::Contains("valt buiten het schooljaar"));
        const std::string r =
            "[[rule]]\nid = \"bg\"\ntitle = \"BG\"\nfor_each = \"school\"\nattendees = "
            "[\"role:schoolleider\"]\n"
            "minutes = 60\ntime = \"10:00\"\ndates = [2027-08-12]\n";
        CHECK_THAT(errors_of(base_school_toml(), r),
                   Catch::Contains("rules.toml:8:10: 2027-08-12 valt buiten het schooljaar"));
    }
    SECTION("group_teachers needs a group") {
        const std::string r =
            "[[rule]]\nid = \"x\"\ntitle = \"X\"\nfor_each = \"school\"\nattendees = "
            "[\"group_teachers\"]\n"
            "minutes = 60\ncount = 1\n";
        CHECK_THAT(
            errors_of(base_school_toml(), r),
            Catch::Contains(
                "rules.toml:5:13: group_teachers kan alleen bij for_each = group of teacher"));
    }
}

TEST_CASE("the example school loads", "[unit][loader]") {
    auto s = jk::testing::load_example();
    CHECK(s.school.persons.size() == 20);
    CHECK(s.school.groups.size() == 10);
    CHECK(s.rules.rules.size() == 14);
    CHECK(s.warnings.items().empty());
}

TEST_CASE("harmless extras are warnings, not errors", "[unit][loader]") {
    const std::string r =
        "[[rule]]\nid = \"deadline\"\ntitle = \"Deadline\"\nfor_each = \"school\"\nattendees = []\n"
        "all_day = true\nslot = \"lessons\"\ncount = 1\non_closed_day = \"skip\"\n"
        "[[rule]]\nid = \"overdracht\"\ntitle = \"Overdracht\"\nfor_each = \"school\"\n"
        "attendees = [\"role:ib\"]\nminutes = 60\ntime = \"15:30\"\ncount = 1\n";
    auto s = jk::testing::load_inline(base_school_toml(), r);
    REQUIRE(s);
    const std::string w = diagnostics_text(s->warnings);
    CHECK_THAT(
        w, Catch::Contains("rules.toml:7:8: waarschuwing: regel 'deadline': een hele-dag-regel"));
    CHECK_THAT(
        w, Catch::Contains("rules.toml:9:17: waarschuwing: 'on_closed_day' heeft alleen effect"));
    CHECK(s->rules.rules[1].slot.kind == SlotKind::fixed);
    CHECK(s->rules.rules[1].slot.fixed_start == 15 * 60 + 30);
}
