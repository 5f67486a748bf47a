#include "fixtures.hpp"

#include <fstream>
#include <sstream>

#include "jaarkalender/planner.hpp"

#include <stdexcept>

namespace jk::testing {

std::string base_school_toml() {
    return R"TOML([school]
id = "testschool"
name = "Testschool"
region = "midden"
school_year = "2026-2027"

[school.hours]
ma = "08:30-14:30"
di = "08:30-14:30"
wo = "08:30-12:15"
do = "08:30-14:30"
vr = "08:30-14:30"

[[person]]
id = "anna"
name = "Anna de Vries"
roles = ["ib"]
works = ["ma", "di", "do"]

[[person]]
id = "erik"
name = "Erik Hoekstra"
roles = ["schoolleider"]
works = ["ma", "di", "wo", "do"]

[[person]]
id = "bram"
name = "Bram Jansen"
works = ["ma", "di", "wo"]

[[person]]
id = "carla"
name = "Carla Smit"
works = ["wo", "do", "vr"]

[[group]]
id = "groep-4-5"
name = "Groep 4/5"
grades = [4, 5]
teachers = [ { person = "bram", days = ["ma", "di", "wo"] },
             { person = "carla", days = ["do", "vr"] } ]
)TOML";
}

Result<LoadedSchool> load_inline(const std::string& school_toml, const std::string& rules_toml,
                                 const std::string& extra_ics) {
    SchoolSources src;
    src.folder = ".";
    src.school_path = "school.toml";
    src.school_toml = school_toml;
    src.rules_path = "rules.toml";
    src.rules_toml = rules_toml;
    if (!extra_ics.empty()) {
        src.extra_path = "vrij.ics";
        src.extra_ics = extra_ics;
    }
    return load_school(src, builtin_official_holidays());
}

LoadedSchool load_example() {
    auto r = load_school(std::string(JK_SOURCE_DIR) + "/calendars/voorbeeldschool");
    if (!r)
        throw std::runtime_error("example school does not load:\n" + diagnostics_text(r.error()));
    return std::move(r).value();
}

Plan plan_fixed(const LoadedSchool& school) {
    PlanOptions o;
    o.stamp = "2026-08-01T00:00:00Z";
    return make_plan(school, o);
}

std::string diagnostics_text(const Diagnostics& d) {
    std::string s;
    for (const auto& item : d.items()) s += to_string(item) + "\n";
    return s;
}

std::string read_source(const std::string& relative_path) {
    std::ifstream in(std::string(JK_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace jk::testing
