#include "daemon/schools/trend.hpp"

#include "daemon/input/inputs.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk::daemon {

std::vector<YearShare> CycleTrend::of(const std::string& school) {
    const auto snap = schools_.snapshot();
    const auto it = snap->schools.find(school);
    if (it == snap->schools.end()) return {};
    const SchoolSnapshot& ss = *it->second;
    std::vector<YearShare> out;
    for (const StoredPlan& sp : plans_.yearly_plans(school)) {
        if (sp.school_year == ss.school_year) {
            out.push_back({sp.school_year, std::nullopt});
            continue;
        }
        {
            std::lock_guard lock(mu_);
            if (auto known = past_.find(sp.id); known != past_.end()) {
                out.push_back({sp.school_year, known->second});
                continue;
            }
        }
        std::string share = "–";
        if (auto old = plan_from_json(sp.plan_json, "opgeslagen plan")) {
            auto src = sources_from_json(sp.sources, ss.folder);
            auto loaded =
                src ? load_school(*src, schools_.official()) : Result<LoadedSchool>(Diagnostics{});
            if (loaded) {
                int on = 0, due = 0;
                for (const auto& pt : timeliness(*old, *loaded, loaded->calendar.last_day()))
                    on += pt.on_time, due += pt.due;
                share = share_nl(on, due);
            }
        }
        std::lock_guard lock(mu_);
        past_.emplace(sp.id, share);
        out.push_back({sp.school_year, std::move(share)});
    }
    return out;
}

}  // namespace jk::daemon
