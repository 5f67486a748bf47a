// report.txt: the plan for people (per rule planned/unplanned, reasons, load per person per week).
#pragma once

#include <string>

#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk {

std::string render_report(const Plan& plan, const LoadedSchool& school);

}  // namespace jk
