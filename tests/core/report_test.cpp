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
    CHECK_THAT(r, Catch::Contains("klassenconsultatie"));
    CHECK_THAT(r, Catch::Contains("Niet ingepland"));
    for (const auto& u : p.unplanned) CHECK_THAT(r, Catch::Contains(u.reason));
    CHECK_THAT(r, Catch::Contains("Belasting per persoon per week"));
    CHECK_THAT(r, Catch::Contains("Anna de Vries"));
}
