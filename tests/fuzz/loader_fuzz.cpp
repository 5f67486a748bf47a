// Fuzz target: the rule-file loader and, for inputs that load, the planner and the feeds.
// Input: school.toml, a line "=====", rules.toml. Nothing may crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string>

#include "jaarkalender/ical_feeds.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto split = input.find("\n=====\n");
    jk::SchoolSources src;
    src.folder = "fuzz";
    src.school_path = "school.toml";
    src.rules_path = "rules.toml";
    src.school_toml = input.substr(0, split);
    src.rules_toml = split == std::string::npos ? "" : input.substr(split + 7);
    auto loaded = jk::load_school(src, jk::builtin_official_holidays());
    if (!loaded) {
        for (const auto& d : loaded.error().items())
            if (d.message.empty()) __builtin_trap();  // every problem is explained
        return 0;
    }
    jk::PlanOptions o;
    o.stamp = "2026-08-01T00:00:00Z";
    const jk::Plan plan = jk::make_plan(*loaded, o);
    auto back = jk::plan_from_json(jk::plan_to_json(plan), "plan.json");
    if (!back) __builtin_trap();  // what we write, we read
    jk::FeedRenderer feeds(plan, *loaded);
    for (const auto& f : jk::all_feeds(*loaded)) (void)feeds.render(f);
    return 0;
}
