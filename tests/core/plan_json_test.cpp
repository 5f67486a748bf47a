#include "jaarkalender/plan_json.hpp"

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "jaarkalender/planner.hpp"

using namespace jk;

TEST_CASE("plan.json round-trips and keeps the contract's keys", "[unit][plan_json]") {
    auto s = jk::testing::load_example();
    Plan p = jk::testing::plan_fixed(s);
    const std::string json = plan_to_json(p);
    for (const char* key :
         {"\"uid\"",     "\"rule\"",       "\"kind\"",      "\"subject\"",
          "\"group\"",   "\"occurrence\"", "\"title\"",     "\"start\"",
          "\"end\"",     "\"all_day\"",    "\"attendees\"", "\"optional_attendees\"",
          "\"owner\"",   "\"phase\"",      "\"status\"",    "\"sequence\"",
          "\"follows\"", "\"unplanned\"",  "\"closures\"",  "\"reason\""})
        CHECK(json.find(key) != std::string::npos);
    auto back = plan_from_json(json, "plan.json");
    REQUIRE(back);
    CHECK(plan_to_json(*back) == json);
}

TEST_CASE("a broken plan.json is refused with its position", "[unit][plan_json]") {
    auto r = plan_from_json("{\n  \"school\": \"x\",\n  \"events\": [ }\n", "oud/plan.json");
    REQUIRE_FALSE(r);
    CHECK_THAT(to_string(r.error().items().front()), Catch::StartsWith("oud/plan.json:3:"));
    auto r2 = plan_from_json(
        R"TOML({"school": "x", "school_year": "2026-2027", "events": [{"uid": 3}]})TOML", "p.json");
    REQUIRE_FALSE(r2);
    CHECK_THAT(to_string(r2.error().items().front()),
               Catch::Contains("events[0]: 'uid' moet tekst zijn"));
}
