// plan.json: writing and reading the machine-readable plan (spec/plan-output.md).
#pragma once

#include <string>
#include <string_view>

#include "jaarkalender/plan.hpp"
#include "jaarkalender/result.hpp"

namespace jk {

/// Pretty-printed, deterministic JSON (keys in contract order, two-space indent, final newline).
std::string plan_to_json(const Plan& plan);

/// Parses a plan.json written by plan_to_json (or edited by hand); errors name `path`.
Result<Plan> plan_from_json(std::string_view text, const std::string& path);

}  // namespace jk
