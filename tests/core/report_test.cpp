#include "jaarkalender/report.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "jaarkalender/planner.hpp"

using namespace jk;

TEST_CASE("the report lists per rule, every unplanned item with its reason, and load per week",
          "[unit][report]") {
    auto s = jk::testing::load_example();
    Plan p = jk::testing::plan_fixed(s);
    const std::string r = render_report(p, s);
    CHECK_THAT(r, Catch::Contains("Per regel"));
    // For people: rule titles, not ids; Dutch dates; per rule the dated list.
    CHECK_THAT(r, Catch::Contains("Klassenconsultatie  "));
    CHECK_THAT(r, Catch::Contains("eerste schooldag ma 31 aug 2026"));
    CHECK_THAT(r, Catch::Contains("Wat er gepland is, per afspraak"));
    int consultations = 0;
    for (const Event& e : p.events)
        if (e.kind == EventKind::rule && e.rule == "klassenconsultatie") {
            ++consultations;
            CHECK_THAT(r, Catch::Contains(format_date_nl(e.date) + " " + format_time(e.start)));
            CHECK_THAT(r, Catch::Contains(e.title));
        }
    CHECK(consultations > 0);
    CHECK_THAT(r, !Catch::Contains("\n- klassenconsultatie,"));
    CHECK_THAT(r, !Catch::Contains("'klassenconsultatie'"));
    CHECK_THAT(r, !Catch::Contains("2026-09"));
    CHECK_THAT(r, Catch::Contains("Niet ingepland"));
    for (const auto& u : p.unplanned) CHECK_THAT(r, Catch::Contains(u.reason));
    CHECK_THAT(r, Catch::Contains("Belasting per persoon per week"));
    CHECK_THAT(r, Catch::Contains("Anna de Vries"));
}
