// The planner's output: titles and owners of what it placed, and the plan itself.
#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>

#include "jaarkalender/tracking.hpp"
#include "planner/planner.hpp"
#include "text.hpp"

namespace jk::planner {

std::string Planner::title_of(const Task& t, int group, int day, int period) const {
    const Rule& r = ix_.rule_at(t.rule);
    std::string teacher, person, group_name, period_name;
    if (t.subject_person >= 0) teacher = person = ix_.pname(t.subject_person);
    const int g = t.subject_group >= 0 ? t.subject_group : group;
    if (g >= 0) {
        group_name = ix_.group_at(g).name;
        if (t.subject_group >= 0) {
            std::vector<std::string> names;
            for (int p : people_.group_teachers(g, day)) names.push_back(ix_.pname(p));
            teacher = join_names(names);
        }
    }
    // {period}: the test period of this occurrence, or of the occurrence it follows
    // (Placed::period).
    if (period >= 0) period_name = ix_.period_at(period).name;
    return substitute(r.title, {{"teacher", teacher},
                                {"person", person},
                                {"group", group_name},
                                {"period", period_name},
                                {"n", std::to_string(t.occurrence)}});
}

std::string Planner::event_title(int event) const {
    const Placed& pl = placed_[static_cast<size_t>(event)];
    if (pl.described) return pl.event.title;
    return title_of(tasks_[static_cast<size_t>(pl.task)], pl.group, pl.day, pl.period);
}

std::string Planner::window_text(const Task& t) const {
    if (t.follows_event.task < 0) return t.window_text;
    const std::string title =
        title_of(tasks_[static_cast<size_t>(t.follows_event.task)], t.follows_event.group,
                 t.follows_event.day, t.follows_event.period);
    return factory_.follow_up_window(t.rule, title, t.follows_event.date);
}

Task Planner::with_window(const Task& t) const {
    Task out = t;
    out.window_text = window_text(t);
    out.follows_event.task = -1;
    return out;
}

void Planner::describe(Placed& pl) const {
    if (pl.described) return;
    const Task& t = tasks_[static_cast<size_t>(pl.task)];
    Event& e = pl.event;
    e.title = title_of(t, pl.group, pl.day, pl.period);
    e.description = ix_.rule_at(t.rule).description;
    for (int p : pl.required) e.attendees.push_back(ix_.pid(p));
    e.owner = owner_of(t, pl.required);
    pl.described = true;
}

std::optional<std::string> Planner::owner_of(const Task& t, const std::vector<int>& req) const {
    if (t.kind == TaskKind::test_session) {
        if (!req.empty()) return ix_.pid(req.front());
        return std::nullopt;
    }
    const Rule& r = ix_.rule_at(t.rule);
    if (r.owner) {
        if (!r.owner->is_role) return r.owner->name;
        for (int p : req)
            if (ix_.person_at(p).has_role(r.owner->name)) return ix_.pid(p);
        for (int p = 0; p < ix_.persons(); ++p)
            if (ix_.person_at(p).has_role(r.owner->name)) return ix_.pid(p);
    }
    for (int p : req)
        if (p != t.subject_person) return ix_.pid(p);
    if (!req.empty()) return ix_.pid(req.front());
    return std::nullopt;
}

std::optional<DateRange> Planner::counted_term(const Event& e) const {
    const Rule* r = in_.rules.rule(e.rule);
    const auto* c = r ? std::get_if<CountTiming>(&r->timing) : nullptr;
    if (!c || e.occurrence < 1 || e.occurrence > c->count) return std::nullopt;
    if (c->windows.empty()) return DateRange{ix_.cal.first_day(), ix_.cal.last_day()};
    if (static_cast<size_t>(e.occurrence) > c->windows.size()) return std::nullopt;
    return c->windows[static_cast<size_t>(e.occurrence - 1)].range;
}

/// The events placed this run, with their SEQUENCE and LAST-MODIFIED against the previous plan.
void Planner::add_placed(Plan& plan, std::set<std::string>& uids) {
    for (Placed& pl : placed_) {
        if (!pl.alive) continue;
        describe(pl);
        Event e = std::move(pl.event);
        uids.insert(e.uid);
        if (const Event* prev = previous(e.uid); prev && prev != nullptr) {
            if (e.status != EventStatus::planned) {
                // pinned: exactly as it was
            } else {
                const bool same = prev->date == e.date && prev->end_date == e.end_date &&
                                  prev->all_day == e.all_day && prev->start == e.start &&
                                  prev->end == e.end && prev->title == e.title &&
                                  prev->description == e.description && prev->status == e.status &&
                                  prev->attendees == e.attendees &&
                                  prev->optional_attendees == e.optional_attendees;
                e.sequence = same ? prev->sequence : prev->sequence + 1;
                e.last_modified = same ? prev->last_modified : opt_.stamp;
                e.note = prev->note;
            }
        } else {
            e.sequence = 0;
            e.last_modified = opt_.stamp;
        }
        plan.events.push_back(std::move(e));
    }
}

/// Test periods: one all-day event each.
void Planner::add_test_periods(Plan& plan, std::set<std::string>& uids) const {
    for (const auto& tp : in_.rules.test_periods) {
        Event e;
        e.uid = make_uid(ix_.school.id, ix_.school.school_year, "period", tp.id, "", 1);
        e.rule = tp.id;
        e.kind = EventKind::test_period;
        e.title = tp.name;
        std::vector<std::string> names;
        for (const auto& t : tp.tests) names.push_back(t.name);
        e.description = "Toetsen: " + join_names(names) + ".";
        e.all_day = true;
        e.date = tp.range.from;
        e.end_date = tp.range.to;
        e.phase = Phase::check;
        e.sequence = 0;
        e.last_modified = opt_.stamp;
        if (const Event* prev = previous(e.uid)) {
            const bool same = prev->date == e.date && prev->end_date == e.end_date &&
                              prev->title == e.title && prev->description == e.description;
            e.sequence = same ? prev->sequence : prev->sequence + 1;
            e.last_modified = same ? prev->last_modified : opt_.stamp;
        }
        uids.insert(e.uid);
        plan.events.push_back(std::move(e));
    }
}

/// Why an event of the previous plan has no place now (`plan`: the events placed this time).
std::string Planner::dropped_reason(const Event& e, const Plan& plan) const {
    const auto why = unplanned_reason_.find(e.uid);
    const Person* subject = e.subject ? ix_.school.person(*e.subject) : nullptr;
    // The events placed this time are in plan.events already (moved out of placed_).
    const Event* target = nullptr;
    if (e.follows)
        for (const Event& placed : plan.events)
            if (placed.uid == *e.follows) target = &placed;
    if (target && target->status == EventStatus::cancelled)
        // A follow-up goes with the occurrence it follows (spec: follow-ups).
        return follows_cancelled_nl(*target);
    else if (why != unplanned_reason_.end())
        return "niet meer in te plannen (" + why->second + ")";
    else if (subject && (subject->until || subject->from) && !subject->at_school(e.date))
        // Required only while there (spec: "Changes during the year").
        return "niet meer nodig: " + not_at_school_nl(*subject, e.date);
    else if (const auto term = counted_term(e);
             subject && term && !counts_while_there(ix_.cal, *subject, *term))
        // There on the day, but not for half of the occurrence's term.
        return "niet meer nodig: " + not_there_nl(*subject, *term);
    else
        return "staat niet meer in de regels";
}

void Planner::add_dropped(Plan& plan, const std::set<std::string>& uids) const {
    // Events of the previous plan that no longer have a place (a teacher left, a rule was
    // removed): done ones stay as the record of what happened; the rest is cancelled by the
    // planner, with its reason, so that nothing silently disappears from the history. One the
    // planner had cancelled before keeps its place in the history (same SEQUENCE) with today's
    // reason: a later re-plan places it again when it fits.
    if (opt_.previous)
        for (const Event& prev : opt_.previous->events) {
            if (uids.count(prev.uid)) continue;
            Event e = prev;
            const bool dropped_before = e.status == EventStatus::cancelled &&
                                        !e.planner_reason.empty() &&
                                        !(opt_.as_of && starts_before(e, *opt_.as_of));
            if (e.status == EventStatus::planned || e.status == EventStatus::moved ||
                dropped_before) {
                if (!dropped_before) {
                    e.status = EventStatus::cancelled;
                    e.sequence = prev.sequence + 1;
                    e.last_modified = opt_.stamp;
                }
                e.planner_reason = dropped_reason(e, plan);
            }
            plan.events.push_back(std::move(e));
        }
}

Plan Planner::finish() {
    Plan plan;
    plan.school = ix_.school.id;
    plan.school_name = ix_.school.name;
    plan.school_year = ix_.school.school_year;
    plan.timezone = ix_.school.timezone;
    plan.stamp = opt_.stamp;
    plan.planner = kPlannerRevision;
    plan.closures = ix_.cal.closures();
    for (const auto& w : in_.warnings.items()) plan.warnings.push_back(w.message);

    std::set<std::string> uids;
    add_placed(plan, uids);
    add_test_periods(plan, uids);
    add_dropped(plan, uids);
    sort_events(plan.events);
    plan.as_of = opt_.as_of;
    if (opt_.previous) plan.changes = changes_against_previous(plan);
    plan.unplanned = std::move(unplanned_);
    std::stable_sort(plan.unplanned.begin(), plan.unplanned.end(),
                     [&](const Unplanned& a, const Unplanned& b) {
                         if (a.rule != b.rule) return a.rule < b.rule;
                         if (a.subject != b.subject) return a.subject < b.subject;
                         return a.occurrence < b.occurrence;
                     });
    release_spare_capacity(plan);
    return plan;
}

}  // namespace jk::planner

namespace jk {

std::string make_uid(std::string_view school, std::string_view school_year, std::string_view kind,
                     std::string_view rule, std::string_view subject, int occurrence) {
    // UUID v5 (RFC 4122 name-based, SHA-1) over the identity of the occurrence: stable across
    // runs and machines, and never dependent on the date.
    static const boost::uuids::uuid ns =
        boost::uuids::string_generator()("6f1d3c2a-8a4e-4c7b-9e0d-6a61726b616c");
    boost::uuids::name_generator_sha1 gen(ns);
    std::string name;
    name.reserve(96);
    name.append(school).append("/").append(school_year).append("/").append(kind).append("/");
    name.append(rule).append("/").append(subject).append("/").append(std::to_string(occurrence));
    return boost::uuids::to_string(gen(name)) + "@" + std::string(school) + ".jaarkalender";
}

}  // namespace jk
