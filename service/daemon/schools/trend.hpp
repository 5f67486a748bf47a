// The schoolleider's trend over the years: each school year's cycle on time, from its newest
// stored plan. A past year's plan no longer changes: its figure is computed once and kept.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "daemon/schools/registry.hpp"

namespace jk::daemon {

/// One school year of the trend: its cycle on time, or none for the current year.
struct YearShare {
    std::string school_year;
    std::optional<std::string> share;
};

class CycleTrend {
  public:
    CycleTrend(SchoolRegistry& schools, PlanStore& plans) : schools_(schools), plans_(plans) {}

    /// Each school year with a stored plan, oldest first, with its cycle on time ("12 van 30
    /// (40%)"); none for the current year, whose figure the caller has.
    std::vector<YearShare> of(const std::string& school);

  private:
    SchoolRegistry& schools_;
    PlanStore& plans_;
    std::mutex mu_;
    std::map<long long, std::string> past_;  // by stored plan id
};

}  // namespace jk::daemon
