// The schoolleider's trend over the years: each school year's cycle on time, from its newest
// stored plan with the change records after it (a late mark after the switch counts). A past
// year's figure is computed once per change of it and kept.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "daemon/schools/registry.hpp"
#include "daemon/years/year_service.hpp"

namespace jk::daemon {

/// One school year of the trend: its cycle on time, or none for the current year.
struct YearShare {
    std::string school_year;
    std::optional<std::string> share;
};

class CycleTrend {
  public:
    CycleTrend(SchoolRegistry& schools, PlanStore& plans, YearService& years)
        : schools_(schools), plans_(plans), years_(years) {}

    /// Each school year with a stored plan, oldest first, with its cycle on time ("12 van 30
    /// (40%)"); none for the current year, whose figure the caller has.
    std::vector<YearShare> of(const std::string& school);

  private:
    SchoolRegistry& schools_;
    PlanStore& plans_;
    YearService& years_;
    std::mutex mu_;
    /// By stored plan id and the newest change record of its year.
    std::map<std::pair<long long, long long>, std::string> past_;
};

}  // namespace jk::daemon
