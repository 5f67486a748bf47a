// Test fixtures: schools from inline TOML, and the example school.
#pragma once

#include <string>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk::testing {

/// A small valid school.toml (regio midden, 2026-2027) that tests extend or edit.
std::string base_school_toml();

/// Loads inline files, named "school.toml" and "rules.toml" in diagnostics.
Result<LoadedSchool> load_inline(const std::string& school_toml, const std::string& rules_toml,
                                 const std::string& extra_ics = {});

/// A file of the source tree, by its path from the root ("" when it cannot be read).
std::string read_source(const std::string& relative_path);

/// calendars/voorbeeldschool of the source tree.
LoadedSchool load_example();

/// A fresh plan of `school` stamped 2026-08-01T00:00:00Z (tests compare bytes, so no clock).
Plan plan_fixed(const LoadedSchool& school);

/// All diagnostics as text lines "FILE:LINE:COLUMN: message".
std::string diagnostics_text(const Diagnostics& d);

}  // namespace jk::testing
