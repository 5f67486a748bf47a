// Change records: what a tracking change asked, as stored, and how a record changes a plan.
#pragma once

#include <string>

#include "daemon/schools/snapshot.hpp"
#include "daemon/store/store.hpp"
#include "jaarkalender/result.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk::daemon {

/// A change as asked, for its record (replayed on the stored plan at start).
std::string change_to_json(const Change& c);

/// The plan after one change record, re-planned from the event as of the moment the change was
/// made (the same for the live change and its replay, so that a restart serves the same bytes).
Result<Plan> apply_record(const LoadedSchool& school, const Plan& plan, const ChangeRecord& rec);

}  // namespace jk::daemon
