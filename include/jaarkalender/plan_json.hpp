// plan.json: writing and reading the machine-readable plan (spec/plan-output.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "jaarkalender/plan.hpp"
#include "jaarkalender/result.hpp"

namespace jk {

/// Pretty-printed, deterministic JSON (keys in contract order, two-space indent, final newline).
std::string plan_to_json(const Plan& plan);

/// Parses a plan.json written by plan_to_json (or edited by hand); errors name `path`.
Result<Plan> plan_from_json(std::string_view text, const std::string& path);

/// One event as plan.json writes it (compact), and a list of them: for the API.
std::string event_to_json(const Event& event);
std::string events_to_json(const std::vector<const Event*>& events);
/// The inverse of event_to_json.
Result<Event> event_from_json(std::string_view text, const std::string& where);

}  // namespace jk
