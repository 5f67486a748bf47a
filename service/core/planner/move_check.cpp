// The move check: whether an event may be moved by hand to another moment, by the planner's own
// hard constraints (the web pages and the API ask it before a move is stored).
#include <set>

#include "planner/planner.hpp"

namespace jk::planner {

bool Planner::prepare_move(const std::string& uid, MoveSetup& out, std::string& error) {
    const Event* target = previous(uid);
    if (!target) {
        error = "onbekende afspraak '" + uid + "'";
        return false;
    }
    if (target->kind == EventKind::test_period) {
        error = "een toetsperiode wordt niet verzet";
        return false;
    }
    out.target = target;
    // Its planned follow-ups go along with it (a re-plan moves them): they are in nobody's way.
    std::set<std::string> along{uid};
    for (bool grew = true; grew;) {
        grew = false;
        for (const Event& e : opt_.previous->events)
            if (e.follows && along.count(*e.follows) && e.status == EventStatus::planned)
                grew = along.insert(e.uid).second || grew;
    }
    // Everything else as it is now (planned ones included), then this one at its new time.
    for (const Event& e : opt_.previous->events) {
        if (e.uid == uid || e.kind == EventKind::test_period || e.status == EventStatus::cancelled)
            continue;
        Placed pl = placed_from(e);
        if (along.count(e.uid)) pl.occupies = false;
        agenda_.occupy(pl, static_cast<int>(placed_.size()));
        placed_.push_back(std::move(pl));
    }
    out.own = own_task(*target);
    Task& t = out.task;
    if (target->kind == EventKind::test_session) {
        t.kind = TaskKind::test_session;
        t.period = ix_.test_period(target->rule);
        t.subject_group = ix_.group(target->group.value_or(""));
        t.test = target->occurrence - 1;
        if (t.period < 0 || t.subject_group < 0 ||
            t.test >= static_cast<int>(ix_.period_at(t.period).tests.size())) {
            error = "deze toets staat niet meer in de regels";
            return false;
        }
    } else {
        t.rule = ix_.rule(target->rule);
        if (t.rule < 0) {
            error = "de regel '" + target->rule + "' bestaat niet meer";
            return false;
        }
        t.subject_person = ix_.person(target->subject.value_or(""));
        t.subject_group = ix_.group(target->subject.value_or(""));
    }
    t.subject_id = target->subject.value_or("");
    t.occurrence = target->occurrence;
    t.uid = uid;
    for (const auto& id : target->attendees)
        if (const int p = ix_.person(id); p >= 0) out.people.push_back(p);
    // A fixed-time rule moved by hand may get another start time; everything else holds.
    moving_ = true;
    return true;
}

std::vector<std::string> Planner::check_move(const std::string& uid, Date date, Minute start) {
    MoveSetup m;
    std::string error;
    if (!prepare_move(uid, m, error)) return {error};
    const int d = ix_.cal.index(date);
    if (d < 0) return {format_day_nl(date) + " valt buiten het schooljaar"};
    // Hard constraint 4 first: the occurrence's own term (its window, `after`/`before` bounds,
    // fixed date or test period), as the planner itself would give it.
    std::vector<std::string> conflicts;
    if (m.own && (d < m.own->lo || d > m.own->hi))
        conflicts.push_back(format_day_nl(date) + " valt buiten de termijn van deze afspraak (" +
                            window_text(*m.own) + ")");
    // Then every other constraint on the new day.
    Task& t = m.task;
    t.lo = t.hi = d;
    t.window_text = "op " + format_day_nl(date);
    const std::vector<int>* keep = t.kind == TaskKind::rule ? &m.people : nullptr;
    const Minute s = m.target->all_day ? -1 : start;
    if (try_day(t, d, nullptr, s, keep)) return conflicts;
    Diagnosis diag;
    try_day(t, d, &diag, s, keep);
    conflicts.push_back(explain(ix_, t, diag));
    return conflicts;
}

std::vector<MoveSuggestion> Planner::suggest_moves(const std::string& uid, Date from, int count) {
    MoveSetup m;
    std::string error;
    std::vector<MoveSuggestion> out;
    if (!prepare_move(uid, m, error)) return out;
    Task& t = m.task;
    const std::vector<int>* keep = t.kind == TaskKind::rule ? &m.people : nullptr;
    int first = ix_.cal.index(from);
    if (first < 0) first = from < ix_.cal.first_day() ? 0 : ix_.days();
    // Within its term first; when the term has no room left (or has passed), after it.
    auto search = [&](int lo, int hi, bool outside) {
        for (int d = lo; d <= hi && static_cast<int>(out.size()) < count; ++d) {
            if (!ix_.cal.day(d).staff_day) continue;
            t.lo = t.hi = d;
            t.window_text = "op " + format_day_nl(ix_.cal.day(d).date);
            const Minute s = m.target->all_day ? -1 : fixed_start_of(t);
            if (auto c = try_day(t, d, nullptr, s, keep))
                out.push_back({ix_.cal.day(d).date, c->start, c->end, outside});
        }
    };
    if (m.own) {
        search(std::max(first, m.own->lo), std::min(m.own->hi, ix_.days() - 1), false);
        if (out.empty()) search(std::max(first, m.own->hi + 1), ix_.days() - 1, true);
    } else {
        search(first, ix_.days() - 1, false);
    }
    return out;
}

std::optional<Task> Planner::own_task(const Event& target) {
    for (Task& t : factory_.root_tasks())
        if (t.uid == target.uid) return std::move(t);
    if (!target.follows) return std::nullopt;
    for (size_t i = 0; i < placed_.size(); ++i)
        if (placed_[i].event.uid == *target.follows)
            for (Task& t : follow_ups_of(static_cast<int>(i)))
                if (t.uid == target.uid) return std::move(t);
    return std::nullopt;
}

}  // namespace jk::planner

namespace jk {

std::vector<std::string> move_conflicts(const LoadedSchool& school, const Plan& plan,
                                        const std::string& uid, Date date, Minute start) {
    PlanOptions o;
    o.previous = &plan;
    planner::Planner planner(school, o);
    return planner.check_move(uid, date, start);
}

std::vector<MoveSuggestion> move_suggestions(const LoadedSchool& school, const Plan& plan,
                                             const std::string& uid, Date from, int count) {
    PlanOptions o;
    o.previous = &plan;
    planner::Planner planner(school, o);
    return planner.suggest_moves(uid, from, count);
}

}  // namespace jk
