#include "daemon/tracking/tracking_service.hpp"

#include <spdlog/spdlog.h>

#include "daemon/http/http_date.hpp"
#include "daemon/tracking/change_records.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"

namespace jk::daemon {

using O = EventChangeResult::Outcome;

EventChangeResult TrackingService::change(const std::string& school, const std::string& actor,
                                          const Change& c, bool undo, bool force) {
    int retry_after = 0;
    if (!writes_.take(school + "/" + actor, &retry_after)) {
        spdlog::warn("school={} person={} event={} change refused: rate limit", school, actor,
                     c.uid);
        return {O::rate_limited, {}, {}, {}, std::max(1, retry_after), {}};
    }
    return apply(school, actor, c, undo, force);
}

std::vector<EventChangeResult> TrackingService::mark_held(const std::string& school,
                                                          const std::string& actor,
                                                          const std::vector<std::string>& uids) {
    std::vector<EventChangeResult> out;
    int retry_after = 0;
    if (!writes_.take(school + "/" + actor, &retry_after)) {
        spdlog::warn("school={} person={} marking {} event(s) held refused: rate limit", school,
                     actor, uids.size());
        out.assign(uids.size(), {O::rate_limited, {}, {}, {}, std::max(1, retry_after), {}});
        return out;
    }
    for (const auto& uid : uids) {
        Change c;
        c.uid = uid;
        c.kind = ChangeKind::done;
        out.push_back(apply(school, actor, c, false, false));
    }
    spdlog::info("school={} person={} marked {} event(s) held at once", school, actor, uids.size());
    return out;
}

EventChangeResult TrackingService::apply(const std::string& school, const std::string& actor,
                                         const Change& c, bool undo, bool force) {
    // Another daemon may have changed the school since its news reached us: start from what the
    // store has. When it changes the school in between anyway, the commit says so; catch up and
    // apply the change again (the store serialises a school's changes).
    const auto lock = schools_.lock_for_write(school);
    for (int attempt = 0;; ++attempt) {
        auto r = try_apply(school, actor, c, undo, force);
        if (r) return *r;
        if (attempt == 3)
            throw StoreConflict("de school " + school + " wordt door een andere dienst gewijzigd");
        schools_.catch_up_before_write(school);
    }
}

std::variant<ChangeRecord, EventChangeResult> TrackingService::record_for(
    const SchoolSnapshot& snap, const Event& event, const std::string& actor, const Change& c,
    bool undo, bool force) {
    ChangeRecord rec{0,
                     snap.id,
                     snap.school_year,
                     c.uid,
                     EventAction::done,
                     "",
                     c.note,
                     actor,
                     format_utc_iso(clock_.now()),
                     "",
                     0};
    if (undo) {
        auto undone = changes_.last_change(snap.id, c.uid);
        if (!undone) return EventChangeResult{O::nothing_to_undo, {}, {}, {}, 0, {}};
        rec.action = EventAction::undo;
        rec.before_json = undone->before_json;  // what the undo restores
        rec.undo_of = undone->id;
        rec.note.clear();
        return rec;
    }
    if (c.kind == ChangeKind::done && c.held_on)
        if (auto why = held_on_error(snap.school->calendar, *c.held_on, local_date(clock_.now())))
            return EventChangeResult{O::invalid, {}, {}, *why, 0, "held_on"};
    // A repeated call changes nothing: answered without a write.
    if (changes_nothing(event, c)) return EventChangeResult{O::unchanged, event, {}, {}, 0, {}};
    if (c.kind == ChangeKind::move) {
        auto conflicts = move_conflicts(*snap.school, *snap.plan.load(), c.uid, c.date, c.start);
        if (!conflicts.empty() && !force)
            return EventChangeResult{O::conflicts, {}, conflicts, {}, 0, {}};
    }
    rec.action = c.kind == ChangeKind::done     ? EventAction::done
                 : c.kind == ChangeKind::cancel ? EventAction::cancel
                                                : EventAction::move;
    rec.before_json = event_to_json(event);
    rec.change_json = change_to_json(c);
    return rec;
}

std::optional<EventChangeResult> TrackingService::try_apply(const std::string& school,
                                                            const std::string& actor,
                                                            const Change& c, bool undo,
                                                            bool force) {
    const auto current = schools_.planned(school);
    if (!current) return EventChangeResult{O::unknown_school, {}, {}, {}, 0, {}};
    const SchoolSnapshot& snap = *current;
    const auto plan = snap.plan.load();  // held: `event` points into it
    const Event* event = plan->find(c.uid);
    if (!event) return try_apply_past(snap, actor, c, undo, force);
    auto done = commit(snap, *event, actor, c, undo, force);
    if (!done) {
        spdlog::info("school={} event={} changed by another daemon meanwhile; catching up", snap.id,
                     c.uid);
        return std::nullopt;
    }
    if (auto* answer = std::get_if<EventChangeResult>(&*done)) return *answer;
    Committed& made = std::get<Committed>(*done);
    const ChangeRecord& rec = made.record;
    spdlog::info("school={} event={} {} by {} (change {})", snap.id, c.uid, to_string(rec.action),
                 actor, made.id);
    auto after = schools_.render(snap.school, std::move(made.plan), &snap, snap.folder);
    after->feeds->warm(snap.feeds->rendered_keys());
    after->through_change = made.id;
    after->replanned_as_of = snap.replanned_as_of;
    after->replan_changes = snap.replan_changes;
    after->unsaved_changes = snap.unsaved_changes + 1;
    after->stored_plan = snap.stored_plan;
    after->input_version = snap.input_version;
    const auto after_plan = after->plan.load();
    if (after->unsaved_changes >= kCheckpointChanges) {
        // A checkpoint: a start replays at most kCheckpointChanges records.
        after->stored_plan =
            plans_.save_plan({0, snap.id, snap.school_year, rec.at, plan_to_json(*after_plan),
                              plans_.plan_sources(snap.id).value_or(""), made.id});
        after->unsaved_changes = 0;
    }
    schools_.publish_change(snap, after, true);
    const Event* published = after_plan->find(c.uid);
    return EventChangeResult{O::applied, published ? *published : *event, {}, {}, 0, {}};
}

std::optional<std::variant<TrackingService::Committed, EventChangeResult>> TrackingService::commit(
    const SchoolSnapshot& snap, const Event& event, const std::string& actor, const Change& c,
    bool undo, bool force) {
    auto made = record_for(snap, event, actor, c, undo, force);
    if (auto* answer = std::get_if<EventChangeResult>(&made)) return *answer;
    ChangeRecord& rec = std::get<ChangeRecord>(made);
    auto replanned = apply_record(*snap.school, *snap.plan.load(), rec);
    if (!replanned)
        return EventChangeResult{O::invalid, {}, {}, replanned.error().items().front().message,
                                 0,          {}};
    // The note stays in the change record and the plan, never in the audit line of the log.
    AuditEntry audit{rec.at, actor, snap.id, std::string(to_string(rec.action)), c.uid};
    const Stored stored = undo ? changes_.commit_undo(rec, audit, snap.through_change)
                               : changes_.commit_change(rec, audit, snap.through_change);
    if (stored.conflict()) return std::nullopt;
    return Committed{std::move(rec), std::move(replanned).value(), stored.id};
}

std::optional<EventChangeResult> TrackingService::try_apply_past(const SchoolSnapshot& current,
                                                                 const std::string& actor,
                                                                 const Change& c, bool undo,
                                                                 bool force) {
    const std::string before = previous_school_year(current.school_year);
    const auto past = years_.past(current.id, before);
    const Event* event = past && past->plan ? past->plan->find(c.uid) : nullptr;
    if (!event) return EventChangeResult{O::unknown_event, {}, {}, {}, 0, {}};
    SchoolSnapshot snap;
    snap.id = current.id;
    snap.school_year = before;
    snap.school = past->school;
    snap.plan = past->plan;
    snap.through_change = past->through_change;
    auto done = commit(snap, *event, actor, c, undo, force);
    years_.forget_past(snap.id, before);
    if (!done) return std::nullopt;
    if (auto* answer = std::get_if<EventChangeResult>(&*done)) return *answer;
    const Committed& made = std::get<Committed>(*done);
    spdlog::info("school={} year {} event={} {} late by {} (change {})", snap.id, before, c.uid,
                 to_string(made.record.action), actor, made.id);
    // The feeds hold the year before in the summer: they show the mark.
    if (!current.beside.previous.empty()) schools_.refresh_feeds(snap.id);
    const Event* published = made.plan.find(c.uid);
    return EventChangeResult{O::applied, published ? *published : *event, {}, {}, 0, {}};
}

}  // namespace jk::daemon
