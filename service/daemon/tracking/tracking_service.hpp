// Tracking: what was held, cancelled or moved, and undone (docs/api.md). A change is checked
// against the school's plan of today, stored as a change record, replayed on the plan and
// published; each account has its limit of changes.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "daemon/http/throttle.hpp"
#include "daemon/schools/registry.hpp"
#include "daemon/years/year_service.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk::daemon {

/// What a tracking change (held, cancelled, moved, undone) did, or why it did not: a domain
/// result that the API and the pages each say in their own way.
struct EventChangeResult {
    enum class Outcome {
        applied,          // stored and published
        unchanged,        // it changes nothing: answered without a write
        conflicts,        // a move that breaks a hard constraint (`conflicts` say which)
        invalid,          // `message` says why
        unknown_school,   // no such school (or not planned yet)
        unknown_event,    // no such event
        nothing_to_undo,  // undo without a change to undo
        rate_limited,     // too many changes; `retry_after` seconds
    };
    Outcome outcome = Outcome::applied;
    std::optional<Event> event;  // applied, unchanged: the event as it is now
    std::vector<std::string> conflicts;
    std::string message;
    int retry_after = 0;
    /// invalid: the field of the request the message is about ("held_on"), or empty.
    std::string field;
};

class TrackingService {
  public:
    /// `writes`: the per-account limit of changes, shared with the staff changes.
    TrackingService(SchoolRegistry& schools, TrackingStore& changes, PlanStore& plans,
                    RateLimit& writes, Clock& clock, YearService& years)
        : schools_(schools),
          changes_(changes),
          plans_(plans),
          writes_(writes),
          clock_(clock),
          years_(years) {}

    /// Applies a change (or undoes the last one of its event when `undo`), stores it, re-plans
    /// the school and publishes the new feeds; `force` lets a move that breaks a constraint pass.
    EventChangeResult change(const std::string& school, const std::string& actor,
                             const Change& change, bool undo, bool force);
    /// Marks the events `uids` held on their own day, for "alles t/m vandaag gehouden": one
    /// rate-limit step for the lot, each its own change record (each can be undone). Returns
    /// one result per uid, in order.
    std::vector<EventChangeResult> mark_held(const std::string& school, const std::string& actor,
                                             const std::vector<std::string>& uids);
    /// The newest change of an event that was not undone (who made it, for undo rights).
    std::optional<ChangeRecord> last_change(const std::string& school, const std::string& uid) {
        return changes_.last_change(school, uid);
    }

  private:
    /// A change without the rate limit (change() and mark_held() take it).
    EventChangeResult apply(const std::string& school, const std::string& actor,
                            const Change& change, bool undo, bool force);
    /// One attempt of it (with the school's lock held); nothing when another daemon stored a
    /// change of the school first.
    std::optional<EventChangeResult> try_apply(const std::string& school, const std::string& actor,
                                               const Change& change, bool undo, bool force);
    /// A change record made for `event`, applied to the plan and committed on top of the
    /// snapshot's newest record: the record, the plan after it and the record's id; or the
    /// answer without a write; or nothing when another daemon stored a change first.
    struct Committed {
        ChangeRecord record;
        Plan plan;
        long long id = 0;
    };
    std::optional<std::variant<Committed, EventChangeResult>> commit(const SchoolSnapshot& snap,
                                                                     const Event& event,
                                                                     const std::string& actor,
                                                                     const Change& change,
                                                                     bool undo, bool force);
    /// The same for an event of the year before the current one (ticked off late, after the
    /// switch): stored as a change record of that year, counted in its figures.
    std::optional<EventChangeResult> try_apply_past(const SchoolSnapshot& current,
                                                    const std::string& actor, const Change& change,
                                                    bool undo, bool force);
    /// The change record of a change to `event` (or of the undo of its last change), or the
    /// answer when there is nothing to store.
    std::variant<ChangeRecord, EventChangeResult> record_for(const SchoolSnapshot& snap,
                                                             const Event& event,
                                                             const std::string& actor,
                                                             const Change& change, bool undo,
                                                             bool force);

    SchoolRegistry& schools_;
    TrackingStore& changes_;
    PlanStore& plans_;
    RateLimit& writes_;
    Clock& clock_;
    YearService& years_;
};

}  // namespace jk::daemon
