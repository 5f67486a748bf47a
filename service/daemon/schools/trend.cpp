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
        const auto past = years_.past(sp);
        const std::pair<long long, long long> key{sp.id, past ? past->through_change : 0};
        {
            std::lock_guard lock(mu_);
            if (auto known = past_.find(key); known != past_.end()) {
                out.push_back({sp.school_year, known->second});
                continue;
            }
        }
        std::string share = "–";
        if (past && past->plan && past->school) {
            int on = 0, due = 0;
            for (const auto& pt :
                 timeliness(*past->plan, *past->school, past->school->calendar.last_day()))
                on += pt.on_time, due += pt.due;
            share = share_nl(on, due);
        }
        std::lock_guard lock(mu_);
        past_.emplace(key, share);
        out.push_back({sp.school_year, std::move(share)});
    }
    return out;
}

}  // namespace jk::daemon
