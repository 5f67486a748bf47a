#include "jaarkalender/plan_json.hpp"

#include <boost/json.hpp>
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

TEST_CASE("plan.json writes each event as the event's own JSON says, escapes included",
          "[unit][plan_json]") {
    auto s = jk::testing::load_example();
    Plan p = jk::testing::plan_fixed(s);
    // Notes and titles with what needs escaping, in the events written directly.
    p.events[0].note = "Ze zei: \"goed\"\\ \n\tnieuwe regel \x01 en é";
    p.events[1].title = "Groep 1/2 \"a\"";
    p.events[2].subject.reset();
    p.events[2].attendees.clear();
    const std::string text = plan_to_json(p);
    const auto root = boost::json::parse(text).as_object();
    const auto& events = root.at("events").as_array();
    REQUIRE(events.size() == p.events.size());
    for (size_t i = 0; i < p.events.size(); ++i) {
        INFO(p.events[i].uid);
        const auto own = boost::json::parse(event_to_json(p.events[i])).as_object();
        const auto& written = events[i].as_object();
        REQUIRE(written.size() == own.size());
        auto a = written.begin();
        for (auto b = own.begin(); b != own.end(); ++a, ++b) {
            CHECK(a->key() == b->key());  // the same keys in the same order
            CHECK(a->value() == b->value());
        }
    }
    auto back = plan_from_json(text, "plan.json");
    REQUIRE(back);
    CHECK(back->events[0].note == p.events[0].note);
    CHECK(plan_to_json(*back) == text);
    Plan empty = p;
    empty.events.clear();
    CHECK(plan_to_json(empty).find("\"events\": []") != std::string::npos);
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
