// An independent checker of the contract's hard constraints, written apart from the planner: it
// reads plan.json text and derives school days, availability and windows by its own code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "jaarkalender/calendar.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk::testing {

/// Every violation found, as one line each; empty when the plan keeps every hard constraint.
/// Also checks completeness: every occurrence a rule asks for is planned or reported unplanned.
/// With `as_of` (a re-plan as of that moment), events that start before it are history: they are
/// not checked against today's files (the caller compares them with the earlier plan).
std::vector<std::string> check_plan(const LoadedSchool& school, const OfficialYear& official,
                                    const std::string& plan_json,
                                    std::optional<LocalMoment> as_of = std::nullopt);

}  // namespace jk::testing
