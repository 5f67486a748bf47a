// Change records (docs/api.md): a tracking change as asked, stored as JSON, and applied to a
// plan, live or replayed at a start, so that both give the same bytes.
#include "daemon/tracking/change_records.hpp"

#include <boost/json.hpp>

#include "daemon/http/http_date.hpp"
#include "daemon/json_text.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"

namespace jk::daemon {
namespace {

namespace json = boost::json;

std::optional<Change> change_from_json(const std::string& uid, const std::string& text) {
    const auto parsed = json_object_of(text);
    if (!parsed) return std::nullopt;
    const json::object& o = *parsed;
    auto str = [&](const char* k) { return json_string_of(o, k); };
    Change c;
    c.uid = uid;
    const std::string kind = str("kind");
    if (kind == "done")
        c.kind = ChangeKind::done;
    else if (kind == "cancel")
        c.kind = ChangeKind::cancel;
    else if (kind == "move")
        c.kind = ChangeKind::move;
    else
        return std::nullopt;
    if (o.contains("held_on")) {
        c.held_on = parse_date(str("held_on"));
        if (!c.held_on) return std::nullopt;
    }
    c.note = str("note");
    if (c.kind == ChangeKind::move) {
        auto d = parse_date(str("date"));
        auto t = parse_time(str("start"));
        if (!d || !t) return std::nullopt;
        c.date = *d;
        c.start = *t;
    }
    return c;
}

/// The school-time moment of a stored instant "YYYY-MM-DDTHH:MM:SSZ".
std::optional<LocalMoment> local_moment_of(std::string_view utc) {
    if (utc.size() < 19) return std::nullopt;
    const auto day = parse_date(utc.substr(0, 10));
    const auto time = parse_time(utc.substr(11, 5));
    if (!day || !time) return std::nullopt;
    const std::int64_t epoch = static_cast<std::int64_t>(day->time_since_epoch().count()) * 86400 +
                               static_cast<std::int64_t>(*time) * 60 +
                               std::atoi(std::string(utc.substr(17, 2)).c_str());
    const auto [d, m] = epoch_to_local(epoch);
    return LocalMoment{d, m};
}

/// A cancelled occurrence takes its planned follow-ups with it, also those already past (a
/// status, not a move): they are cancelled here, before the re-plan, which keeps the past.
void cancel_follow_ups(Plan& plan, const std::string& uid, const std::string& at) {
    std::vector<std::string> gone{uid};
    for (size_t i = 0; i < gone.size(); ++i) {
        const Event* parent = plan.find(gone[i]);
        if (!parent) continue;
        const std::string because = follows_cancelled_nl(*parent);
        for (Event& e : plan.events)
            if (e.follows == std::optional<std::string>(gone[i]) &&
                (e.status == EventStatus::planned || e.status == EventStatus::moved)) {
                e.status = EventStatus::cancelled;
                e.planner_reason = because;
                e.sequence += 1;
                e.last_modified = at;
                gone.push_back(e.uid);
            }
    }
}

}  // namespace

/// A change as asked, for its record (replayed on the stored plan at start).
std::string change_to_json(const Change& c) {
    json::object o;
    o["kind"] = c.kind == ChangeKind::done     ? "done"
                : c.kind == ChangeKind::cancel ? "cancel"
                                               : "move";
    if (c.held_on) o["held_on"] = format_date(*c.held_on);
    if (!c.note.empty()) o["note"] = c.note;
    if (c.kind == ChangeKind::move) {
        o["date"] = format_date(c.date);
        o["start"] = format_time(c.start);
    }
    return json::serialize(o);
}

/// One change record applied to a plan, then the school re-planned with the result as the
/// previous plan, as of the moment the change was made: the change is pinned, follow-ups move
/// with a moved or late occurrence and are cancelled with a cancelled one, and nothing else
/// moves before that moment (docs/api.md: only the event and its follow-ups move). The same for
/// the live change and its replay, so that a restart serves the same bytes.
Result<Plan> apply_record(const LoadedSchool& school, const Plan& plan, const ChangeRecord& rec) {
    Plan changed;
    if (rec.action == EventAction::undo) {
        auto before = event_from_json(rec.before_json, "opgeslagen afspraak");
        if (!before) return before.error();
        changed = plan;
        for (auto& e : changed.events)
            if (e.uid == rec.uid) {
                const int sequence = e.sequence;
                e = before.value();
                e.sequence = sequence + 1;  // clients must see the restore as a change
                e.last_modified = rec.at;
            }
        sort_events(changed.events);
    } else {
        auto c = change_from_json(rec.uid, rec.change_json);
        if (!c) {
            Diagnostics d;
            d.error("wijziging", 1, 1,
                    "de opgeslagen wijziging " + std::to_string(rec.id) + " is onleesbaar");
            return d;
        }
        auto r = apply_change(plan, *c, rec.at);
        if (!r) return r.error();
        changed = std::move(r).value();
        if (c->kind == ChangeKind::cancel) cancel_follow_ups(changed, rec.uid, rec.at);
    }
    PlanOptions options;
    options.stamp = rec.at;
    options.previous = &changed;
    // As of the change: what lies before it stays as it was (a nabespreking of this afternoon
    // is not moved back to last week to make room); what follows it is re-placed from then on.
    options.as_of = local_moment_of(rec.at);
    return make_plan(school, options);
}

}  // namespace jk::daemon
