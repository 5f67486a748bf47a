// Re-planning against an earlier plan (spec: "Stable re-planning"): what was done, cancelled or
// moved by hand is pinned; what starts before --as-of is history; every other event keeps its
// time when that still breaks nothing; a repair lets a kept event move for an occurrence that no
// longer fits; and the changes are listed with their reasons.
#include <algorithm>

#include "planner/planner.hpp"

namespace jk::planner {

/// Kept events tried as the one to move for an occurrence that no longer fits, and runs of the
/// planner a re-plan may spend on such repairs (each run costs about a fresh plan).
constexpr size_t kMaxBlockers = 6;
constexpr int kMaxRepairRuns = 12;

Placed Planner::placed_from(const Event& e) const {
    Placed pl;
    pl.event = e;
    pl.day = ix_.cal.index(e.date);
    pl.occupies = e.status != EventStatus::cancelled && pl.day >= 0;
    for (const auto& id : e.attendees)
        if (const int p = ix_.person(id); p >= 0) pl.required.push_back(p);
    for (const auto& id : e.optional_attendees)
        if (const int p = ix_.person(id); p >= 0) pl.optional.push_back(p);
    if (e.kind == EventKind::rule) pl.rule = ix_.rule(e.rule);
    if (e.group) pl.group = ix_.group(*e.group);
    return pl;
}

void Planner::pin_previous() {
    if (!opt_.previous) return;
    for (const Event& e : opt_.previous->events) {
        if (e.kind == EventKind::test_period) continue;
        const bool history = opt_.as_of && starts_before(e, *opt_.as_of);
        if (e.status == EventStatus::planned && !history) continue;
        // What the planner itself gave up is not final (only a person's cancel is): ahead of
        // the moment it is planned again like any occurrence, and stays cancelled if it still
        // does not fit.
        if (e.status == EventStatus::cancelled && !e.planner_reason.empty() && !history) continue;
        Placed pl = placed_from(e);
        agenda_.occupy(pl, static_cast<int>(placed_.size()));
        resolved_.insert(e.uid);
        placed_.push_back(std::move(pl));
    }
}

bool Planner::try_keep(const Task& t) {
    const Event* prev = previous(t.uid);
    if (!prev || prev->status != EventStatus::planned || resolved_.count(t.uid)) return false;
    if (hints_.no_keep.count(t.uid)) return false;  // a repair lets it move
    const int d = ix_.cal.index(prev->date);
    if (d < 0) return false;
    const Rule* r = t.kind == TaskKind::rule ? &ix_.rule_at(t.rule) : nullptr;
    if (r && prev->all_day != r->all_day) return false;
    // Keep the people chosen before (the same IB'er) when they still fit; else any valid choice.
    std::optional<Choice> c;
    const int start = prev->all_day ? -1 : prev->start;
    if (t.kind == TaskKind::rule) {
        std::vector<int> people;
        bool all_known = true;
        for (const auto& id : prev->attendees) {
            const int p = ix_.person(id);
            if (p < 0)
                all_known = false;
            else
                people.push_back(p);
        }
        // The previous people are valid only if they are what the rule asks for now, on that
        // day (a leaver with no successor yet is no longer the teacher of the group).
        std::vector<int> fixed = people_.required(t, -1, d, followed(t));
        bool covers = all_known;
        for (int p : fixed)
            if (std::find(people.begin(), people.end(), p) == people.end()) covers = false;
        if (covers && people.size() == fixed.size() + people_.any_roles(t).size()) {
            bool roles_ok = true;
            std::vector<int> extra;
            for (int p : people)
                if (std::find(fixed.begin(), fixed.end(), p) == fixed.end()) extra.push_back(p);
            auto specs = people_.any_roles(t);
            for (size_t i = 0; i < specs.size() && i < extra.size(); ++i)
                if (!specs[i]->held_by(ix_.person_at(extra[i])) || extra[i] == t.subject_person)
                    roles_ok = false;
            if (roles_ok) c = try_day(t, d, nullptr, start, &people);
        }
    }
    if (!c) c = try_day(t, d, nullptr, start);
    if (!c || (!prev->all_day && (c->start != prev->start || c->end != prev->end))) {
        // Why the old moment no longer holds, for the list of changes.
        Diagnosis diag;
        try_day(t, d, &diag, start);
        const DayInfo& day = ix_.cal.day(d);
        if ((diag.furthest == Stage::closed || diag.furthest == Stage::studiedag) &&
            day.closure >= 0) {
            // The day itself closed (a new studiedag or vrije dag): say that, not the window.
            const Closure& closure = ix_.cal.closures()[static_cast<size_t>(day.closure)];
            kept_failed_[t.uid] =
                "op " + format_day_nl(prev->date) +
                (closure.kind == ClosureKind::studiedag ? " is nu een studiedag ("
                                                        : " is de school nu dicht (") +
                closure.name + ")";
        } else
            kept_failed_[t.uid] = diag.furthest == Stage::ok
                                      ? "het oude moment botst nu met een andere afspraak"
                                      : explain(ix_, with_window(t), diag);
        return false;
    }
    const int e = commit(t, *c);
    kept_.insert(t.uid);
    placed_[static_cast<size_t>(e)].kept = true;
    keep_follow_ups(e);
    return true;
}

void Planner::keep_follow_ups(int event) {
    // A cancelled occurrence takes its follow-ups with it (they end up cancelled in finish()).
    if (placed_[static_cast<size_t>(event)].event.status == EventStatus::cancelled) return;
    for (const Task& f : follow_ups_of(event)) try_keep(f);
}

void Planner::find_blocked(const std::vector<Task>& roots) {
    for (const Task& t : unplanned_tasks_) {
        // Not what a person cancelled. What the earlier plan did not have placed is a candidate
        // too: repair_replan tries it only when a fresh plan places it (what the planner gave
        // up is not final, and a re-plan plans what a fresh plan plans).
        const Event* prev = previous(t.uid);
        if (prev && prev->status == EventStatus::cancelled && prev->planner_reason.empty())
            continue;
        Blocked b;
        b.uid = t.uid;
        b.was_placed = prev && prev->status != EventStatus::cancelled;
        // Moving others helps only an item that is short of time in agendas; one that fails
        // earlier (nobody works that day, no lessons) is not worth a fresh plan or a repair.
        if (!b.was_placed && diagnose(t).furthest < Stage::no_time) continue;
        b.root_uid = t.uid;
        if (t.follows >= 0) {
            // The root of its chain: the occurrence it follows, or what that one follows.
            std::string up = placed_[static_cast<size_t>(t.follows)].event.uid;
            for (int guard = 0; guard < 8; ++guard) {
                const Event* e = nullptr;
                for (const Placed& pl : placed_)
                    if (pl.alive && pl.event.uid == up) e = &pl.event;
                if (!e || !e->follows) break;
                up = *e->follows;
            }
            b.root_uid = up;
        }
        if (std::none_of(roots.begin(), roots.end(),
                         [&](const Task& r) { return r.uid == b.root_uid; }))
            continue;
        std::vector<int> people = t.kind == TaskKind::rule
                                      ? people_.required(t, -1, -1, followed(t))
                                      : std::vector<int>{};
        for (const AttendeeSpec* a : people_.any_roles(t))
            for (int p : ix_.holders(a->name)) people.push_back(p);
        if (t.kind == TaskKind::test_session)
            for (int p : people_.group_teachers(t.subject_group, -1)) people.push_back(p);
        for (const Placed& pl : placed_) {
            if (b.blockers.size() >= kMaxBlockers) break;
            if (!pl.alive) continue;
            if (!kept_.count(pl.event.uid) || pl.day < std::max(t.lo, min_day_) || pl.day > t.hi)
                continue;
            const bool shares = std::any_of(pl.required.begin(), pl.required.end(), [&](int p) {
                return std::find(people.begin(), people.end(), p) != people.end();
            });
            if (shares) b.blockers.push_back(pl.event.uid);
        }
        if (!b.blockers.empty()) blocked_.push_back(std::move(b));
    }
}

std::string Planner::passed_reason(const Task& t, const std::string& reason) const {
    if (!opt_.as_of || t.hi >= min_day_ + (min_minute_ > 0 ? 1 : 0) || t.lo > t.hi) return reason;
    // Unplanned before for a reason of its own: that reason still says most.
    if (opt_.previous) {
        const std::string rule =
            t.kind == TaskKind::rule ? ix_.rule_at(t.rule).id : ix_.period_at(t.period).id;
        const Unplanned* before = nullptr;
        for (const Unplanned& u : opt_.previous->unplanned)
            if (u.occurrence == t.occurrence && u.subject == std::optional(t.subject_id) &&
                u.rule == rule)
                before = &u;
        if (before) return before->reason;
    }
    return "de termijn (" + window_text(t) + ") is al voorbij op " +
           format_day_nl(opt_.as_of->date);
}

std::vector<PlanChange> Planner::changes_against_previous(const Plan& plan) const {
    std::vector<PlanChange> out;
    for (const Event& e : plan.events) {
        const Event* prev = previous(e.uid);
        if (!prev || e.kind == EventKind::test_period) continue;
        if (prev->status == EventStatus::done) continue;
        PlanChange c{e.uid, e.title, PlanChangeKind::moved, prev->start_iso(), "", ""};
        if (prev->status == EventStatus::cancelled) {
            // What the planner had given up and now places again.
            if (e.status == EventStatus::cancelled || prev->planner_reason.empty()) continue;
            c.what = PlanChangeKind::restored;
            c.to = e.start_iso();
            c.reason = "past weer (was vervallen: " + prev->planner_reason + ")";
        } else if (e.status == EventStatus::cancelled) {
            c.what = PlanChangeKind::cancelled;
            c.reason = e.planner_reason;
        } else if (e.date != prev->date || e.start != prev->start || e.all_day != prev->all_day) {
            c.what = PlanChangeKind::moved;
            c.to = e.start_iso();
            const Event* target = e.follows ? plan.find(*e.follows) : nullptr;
            const Event* was = e.follows ? previous(*e.follows) : nullptr;
            if (target && was &&
                (target->date != was->date || target->status == EventStatus::moved ||
                 target->status == EventStatus::done))
                c.reason = "gaat mee met de afspraak waar hij op volgt";
            else if (auto it = kept_failed_.find(e.uid); it != kept_failed_.end())
                c.reason = it->second;
            else
                c.reason = "verplaatst om plaats te maken";
        } else {
            continue;
        }
        out.push_back(std::move(c));
    }
    return out;
}

Plan repair_replan(const LoadedSchool& school, const PlanOptions& options, Plan plan,
                   std::vector<Blocked> todo) {
    // Minimal perturbation, not keep-at-all-cost: an occurrence the earlier plan had placed, and
    // that now only fits where a kept future event stands, is placed by letting that event move
    // (and be placed again elsewhere), one event at a time, as long as that plans more.
    RepairHints hints;
    int runs = 0;
    // What the earlier plan did not have placed is worth moving others for only when it fits
    // at all: when a fresh plan of the same input places it ahead of the moment (one run).
    if (std::any_of(todo.begin(), todo.end(), [](const Blocked& b) { return !b.was_placed; })) {
        PlanOptions fresh = options;
        fresh.previous = nullptr;
        fresh.as_of.reset();
        Planner free(school, fresh);
        const Plan f = free.run();
        ++runs;
        std::erase_if(todo, [&](const Blocked& b) {
            if (b.was_placed) return false;
            const Event* e = f.find(b.uid);
            return !e || e->status == EventStatus::cancelled ||
                   (options.as_of && starts_before(*e, *options.as_of));
        });
    }
    // One trial: let `release` move, place the occurrence's root first; taken when it places
    // the occurrence, plans more, and gives up nothing that was planned.
    auto attempt = [&](const Blocked& b, const std::vector<std::string>& release) {
        RepairHints trial = hints;
        for (const auto& uid : release) trial.no_keep.insert(uid);
        trial.first.insert(b.root_uid);
        Planner again(school, options, trial);
        Plan better = again.run();
        ++runs;
        const Event* now = better.find(b.uid);
        const bool placed = now && now->status != EventStatus::cancelled;
        const bool loses = std::any_of(plan.events.begin(), plan.events.end(), [&](const Event& e) {
            if (e.status == EventStatus::cancelled) return false;
            const Event* after = better.find(e.uid);
            return !after || after->status == EventStatus::cancelled;
        });
        if (!placed || loses || better.unplanned.size() >= plan.unplanned.size()) return false;
        plan = std::move(better);
        hints = std::move(trial);
        return true;
    };
    for (size_t i = 0; i < todo.size() && runs < kMaxRepairRuns; ++i) {
        bool done = false;
        for (const std::string& blocker : todo[i].blockers) {
            if (runs >= kMaxRepairRuns) break;
            if ((done = attempt(todo[i], {blocker}))) break;
        }
        // Where no single event makes room, all of them together may (a full afternoon).
        if (!done && todo[i].blockers.size() > 1 && runs < kMaxRepairRuns)
            attempt(todo[i], todo[i].blockers);
    }
    return plan;
}

}  // namespace jk::planner
