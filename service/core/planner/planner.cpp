// The planner's construction phase and its entry points (spec/calendar-format.md: hard
// constraints always, soft goals where there is room). See planner.hpp for the phases.
#include "planner/planner.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "planner/constraints.hpp"

namespace jk::planner {

namespace hc = constraints;

Planner::Planner(const LoadedSchool& in, const PlanOptions& opt, RepairHints hints,
                 SoftWeights weights)
    : in_(in),
      opt_(opt),
      ix_(in),
      agenda_(ix_),
      people_(ix_),
      factory_(ix_),
      scorer_(ix_, weights),
      hints_(std::move(hints)) {
    agenda_.track_squares(scorer_.ibs());
    if (opt_.previous)
        for (const Event& e : opt_.previous->events) prev_[e.uid] = &e;
}

Minute Planner::minutes_of(const Task& t) const {
    if (t.kind == TaskKind::test_session)
        return ix_.period_at(t.period).tests[static_cast<size_t>(t.test)].minutes;
    return ix_.rule_at(t.rule).minutes;
}

bool Planner::lesson_time_event(const Task& t) const {
    if (t.kind == TaskKind::test_session) return true;
    const Rule& r = ix_.rule_at(t.rule);
    return r.slot.kind == SlotKind::lessons &&
           (r.for_each.kind == SubjectKind::teacher || r.for_each.kind == SubjectKind::group);
}

int Planner::fixed_start_of(const Task& t) const {
    if (t.kind != TaskKind::rule) return -1;
    const Rule& r = ix_.rule_at(t.rule);
    return r.slot.kind == SlotKind::fixed ? r.slot.fixed_start : -1;
}

// ============================================================================================
// candidates

std::vector<int> Planner::candidate_days(const Task& t) const {
    std::vector<int> days;
    if (t.lo > t.hi) return days;
    // A fixed date is tried on its date only; one moved off a closed day on the staff days
    // after it, the first that works (spec: on_closed_day = "next_staff_day").
    if (!t.flexible()) {
        for (int d = std::max(0, t.lo); d <= std::min(t.hi, ix_.days() - 1); ++d)
            if (ix_.cal.day(d).staff_day) days.push_back(d);
        return days;
    }
    // Flexible: the soft score of each day (its preference parts, the IB'ers' weeks, who of
    // the invitees works then), lowest first.
    const SoftWeights& w = scorer_.weights();
    struct Scored {
        double score;
        int day;
    };
    std::vector<Scored> scored;
    const Placed* target = followed(t);
    std::vector<const AttendeeSpec*> anys = people_.any_roles(t);
    std::vector<int> fixed;
    if (t.kind == TaskKind::rule) fixed = people_.required(t, -1, -1, target);
    std::vector<int> optional;
    if (t.kind == TaskKind::rule)
        optional = people_.optional(t, -1, fixed, -1, target ? &target->optional : nullptr);
    const auto& ibs = scorer_.ibs();
    auto is_ib = [&](int p) { return std::find(ibs.begin(), ibs.end(), p) != ibs.end(); };
    // What one more event that week costs a person: for an IB'er the growth of her squared
    // load; for others a small tie-break, so that nobody gets every item in one week.
    auto week_cost = [&](int p, int d) {
        const double load = agenda_.week_load(p, d);
        if (is_ib(p)) return w.ib_week_load * (2 * load + 1);
        return 0.1 * (load + 0.5 * agenda_.day_load(p, d));
    };
    std::vector<const std::vector<int>*> any_holders;  // looked up once, not once a day
    any_holders.reserve(anys.size());
    for (const AttendeeSpec* a : anys) any_holders.push_back(&ix_.holders(a->name));
    scored.reserve(static_cast<size_t>(std::max(0, t.hi - t.lo + 1)));
    for (int d = t.lo; d <= t.hi; ++d) {
        if (!ix_.cal.day(d).staff_day) continue;
        double score = scorer_.preference(t, d, 0, target ? target->day : -1);
        for (int p : fixed)
            if (p != t.subject_person) score += week_cost(p, d);
        for (const std::vector<int>* holders : any_holders) {
            double best = -1;
            for (int p : *holders)
                if (p != t.subject_person && ix_.available(p, d)) {
                    const double c = week_cost(p, d);
                    if (best < 0 || c < best) best = c;
                }
            if (best >= 0) score += best;
        }
        for (int p : optional) score += ix_.available(p, d) ? 0 : w.optional_absent;
        scored.push_back({score, d});
    }
    // (score, day) is a total order: any sort gives this one order.
    std::sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        if (a.score != b.score) return a.score < b.score;
        return a.day < b.day;
    });
    days.reserve(scored.size());
    for (const auto& s : scored) days.push_back(s.day);
    return days;
}

// ============================================================================================
// one day: the hard constraints in order (constraints.hpp)

std::optional<std::vector<int>> Planner::required_on(const Task& t, int d, int group,
                                                     const std::vector<int>* keep_people,
                                                     bool all_day, Diagnosis* diag,
                                                     Stage& refused) const {
    const DayInfo& info = ix_.cal.day(d);
    const int wd = weekday_index(info.date);
    std::vector<int> req;
    if (t.kind == TaskKind::test_session) {
        // The group's teacher(s) of that date, or their substitute (spec: "Changes during the
        // year"); an absent teacher without one leaves the group without a test that day.
        const Group& grp = ix_.group_at(t.subject_group);
        req = ix_.teachers_on(t.subject_group, d);
        if (req.empty()) {
            bool assigned = false;
            for (const auto& ta : grp.teachers)
                if (ta.days.contains(wd) && ta.covers(info.date)) {
                    assigned = true;
                    if (const int p = ix_.person(ta.person); diag && p >= 0)
                        diag->blocked_person[p]++;
                }
            refused = assigned ? Stage::unavailable : Stage::not_teaching;
            return std::nullopt;
        }
    } else if (keep_people) {
        req = *keep_people;
    } else {
        req = people_.required(t, group, d, followed(t));
    }
    if (!all_day) {
        const std::vector<int> missing = hc::unavailable(ix_, req, d);
        if (!missing.empty()) {
            if (diag)
                for (int p : missing) diag->blocked_person[p]++;
            refused = Stage::unavailable;
            return std::nullopt;
        }
    }
    return req;
}

std::optional<std::vector<std::vector<int>>> Planner::role_pools(
    const Task& t, int d, const std::vector<const AttendeeSpec*>& anys, const std::vector<int>& req,
    bool all_day, Diagnosis* diag) const {
    std::vector<std::vector<int>> pools;
    for (const AttendeeSpec* a : anys) {
        const std::vector<int> candidates = people_.role_candidates(t, *a, req, d);
        std::vector<int> pool;
        for (int p : candidates)
            if (all_day || ix_.available(p, d)) pool.push_back(p);
        if (pool.empty()) {
            if (diag) {
                const size_t holders = ix_.holders(a->name).size();
                if (candidates.empty() && holders > 0) {
                    diag->role_own[a->name]++;
                } else {
                    diag->blocked_role[a->name]++;
                    if (candidates.size() < holders) diag->role_own[a->name]++;
                }
            }
            return std::nullopt;
        }
        pools.push_back(std::move(pool));
    }
    return pools;
}

std::pair<int, int> Planner::holder_load(const AttendeeSpec& spec, int p, int d) const {
    const auto& ibs = scorer_.ibs();
    const bool ib = std::find(ibs.begin(), ibs.end(), p) != ibs.end();
    return {ix_.role_rank(spec, p) * 100000 + agenda_.week_load(p, d) * (ib ? 2 : 1),
            agenda_.day_load(p, d)};
}

std::optional<Choice> Planner::best_start(const Task& t, const SlotSearch& s, int fixed_start,
                                          Diagnosis* diag) const {
    const int d = s.day;
    auto under_max = [&](int p) { return hc::under_max_per_day(agenda_, s.rule, t.rule, p, d); };
    // Teaching: a lesson-time event of the group (a teacher rule in its lessons) may take its
    // teacher's time; anything else lying in lesson hours may not.
    const int own_group = lesson_time_event(t) ? s.group : -1;
    auto teaching = [&](int p, Minute start, Minute end) {
        return hc::teaching_in_the_way(ix_, p, d, start, end, own_group, t.subject_person);
    };
    // Whole lesson windows are taught or not; another window is judged per start.
    auto may_attend = [&](int p) {
        return s.slot != SlotKind::lessons || teaching(p, s.first, s.last + s.minutes) < 0;
    };
    // Among the free starts, the one most invitees can attend (they are invited afterwards).
    const std::vector<int> optional =
        people_.optional(t, s.group, s.required, d, s.target ? &s.target->optional : nullptr);
    // Among holders of an any:role, the one with the lightest week (an IB'er's week weighs
    // most), then day; the start where the lightest can come is best.
    // any:role:A|B: a holder of B only when no holder of A can come.
    auto holder_load = [&](size_t k, int p) { return this->holder_load(*s.anys[k], p, d); };
    // The lightest choice at any time: a start that reaches it (with every invitee) is final.
    std::pair<int, int> lightest{0, 0};
    for (size_t k = 0; k < s.pools.size(); ++k) {
        std::optional<std::pair<int, int>> least;
        for (int p : s.pools[k])
            if (may_attend(p) && under_max(p) && (!least || holder_load(k, p) < *least))
                least = holder_load(k, p);
        if (least) lightest.first += least->first, lightest.second += least->second;
    }
    std::optional<Choice> best;
    int best_present = -1;
    std::pair<int, int> best_load{0, 0};
    std::vector<int> chosen;  // one buffer for every start tried
    chosen.reserve(s.required.size() + s.pools.size());
    auto try_start = [&](Minute start) {
        const Minute end = start + s.minutes;
        if (d == min_day_ && start < min_minute_) return;  // --as-of: not before the moment
        for (int p : s.required)
            if (const int g = teaching(p, start, end); g >= 0) {
                if (diag) diag->in_class[p] = g;
                return;
            }
        for (int p : s.required)
            if (!hc::free_at(agenda_, p, d, start, end)) {
                if (diag) {
                    diag->busy_person[p]++;
                    if (const auto in_way = agenda_.events_at(p, d, start, end); !in_way.empty())
                        diag->busy_with[p] = event_title(in_way.front());
                }
                return;
            }
        chosen.assign(s.required.begin(), s.required.end());
        std::pair<int, int> chosen_load{0, 0};
        for (size_t k = 0; k < s.pools.size(); ++k) {
            int pick = -1;
            std::pair<int, int> pick_load{0, 0};
            bool in_class = false;
            for (int p : s.pools[k]) {
                if (std::find(chosen.begin(), chosen.end(), p) != chosen.end()) continue;
                if (teaching(p, start, end) >= 0) {
                    in_class = true;
                    continue;
                }
                if (!under_max(p) || !hc::free_at(agenda_, p, d, start, end)) continue;
                const std::pair<int, int> load = holder_load(k, p);
                if (pick < 0 || load < pick_load) pick_load = load, pick = p;
            }
            if (pick < 0) {
                if (diag) (in_class ? diag->role_teaching : diag->role_busy)[s.anys[k]->name]++;
                return;
            }
            chosen.push_back(pick);
            chosen_load.first += pick_load.first;
            chosen_load.second += pick_load.second;
        }
        int present = 0;
        for (int p : optional)
            if (std::find(chosen.begin(), chosen.end(), p) == chosen.end() && ix_.available(p, d) &&
                hc::free_at(agenda_, p, d, start, end))
                ++present;
        if (present > best_present || (present == best_present && chosen_load < best_load)) {
            best_present = present;
            best_load = chosen_load;
            best = Choice{d, start, end, s.group, chosen};
        }
    };
    if (fixed_start >= 0) {
        if (fixed_start >= s.first && fixed_start <= s.last) try_start(fixed_start);
    } else {
        // The grid counts from the start of the slot; a follow-up on its target's day starts at
        // the target's end.
        for (Minute start = s.first; start <= s.last; start += kGridMinutes) {
            try_start(start);
            if (best && best_present == static_cast<int>(optional.size()) && best_load == lightest)
                break;
        }
    }
    return best;
}

std::optional<Choice> Planner::try_day(const Task& t, int d, Diagnosis* diag, int fixed_start,
                                       const std::vector<int>* keep_people) const {
    const DayInfo& info = ix_.cal.day(d);
    const int wd = weekday_index(info.date);
    auto fail = [&](Stage s) -> std::optional<Choice> {
        if (diag) diag->record(s, wd);
        return std::nullopt;
    };
    if (!hc::within_term(t, d, min_day_)) return fail(Stage::range);
    if (!hc::on_staff_day(ix_, d)) return fail(Stage::closed);

    const bool is_test = t.kind == TaskKind::test_session;
    const Rule* r = is_test ? nullptr : &ix_.rule_at(t.rule);
    const bool all_day = r && r->all_day;
    const SlotKind slot = is_test ? SlotKind::lessons : r->slot.kind;
    const Minute minutes = minutes_of(t);
    if (!hc::lessons_on_school_day(ix_, slot, all_day, d)) return fail(Stage::studiedag);
    if (!hc::avoids_test_periods(ix_, r, d)) return fail(Stage::avoid_test_period);
    if (!hc::avoids_first_day_after_holiday(ix_, r, d)) return fail(Stage::avoid_first_day);

    TimeRange window{0, 0};
    if (!all_day) {
        const auto w = hc::slot_window(ix_, slot, r ? r->slot.fixed_start : 0, minutes, d,
                                       moving_ ? fixed_start : -1);
        if (!w) return fail(Stage::no_lessons);
        window = *w;
    }

    Choice c;
    c.day = d;
    const Placed* target = followed(t);
    // The group: a test session's or group rule's own; for a teacher, a group taught that day.
    if (t.subject_group >= 0) {
        c.group = t.subject_group;
    } else if (r && r->for_each.kind == SubjectKind::teacher && t.subject_person >= 0) {
        if (target) {
            c.group = target->group;
        } else {
            c.group = hc::observed_group(ix_, agenda_, t.rule, t.subject_person, d);
            if (c.group < 0 && slot == SlotKind::lessons && !all_day)
                return fail(Stage::not_teaching);
            for (int g = 0; g < ix_.groups() && c.group < 0; ++g)
                for (const auto& ta : ix_.group_at(g).teachers)
                    if (ta.person == t.subject_id && c.group < 0) c.group = g;
        }
    }

    // Required people that are fixed for this occurrence, all there that day.
    Stage refused = Stage::ok;
    std::optional<std::vector<int>> fixed =
        required_on(t, d, c.group, keep_people, all_day, diag, refused);
    if (!fixed) return fail(refused);
    std::vector<int> req = std::move(*fixed);
    // any:role: the holders who may be chosen (never the subject or its own teachers).
    const std::vector<const AttendeeSpec*> anys =
        keep_people ? std::vector<const AttendeeSpec*>{} : people_.any_roles(t);
    std::optional<std::vector<std::vector<int>>> pools = role_pools(t, d, anys, req, all_day, diag);
    if (!pools) return fail(Stage::unavailable);

    auto under_max = [&](int p) { return hc::under_max_per_day(agenda_, r, t.rule, p, d); };
    // In front of a class for the whole lesson window (other windows: per start, best_start).
    const int own_group = lesson_time_event(t) ? c.group : -1;
    auto may_attend = [&](int p) {
        return slot != SlotKind::lessons ||
               hc::teaching_in_the_way(ix_, p, d, window.start, window.end, own_group,
                                       t.subject_person) < 0;
    };

    if (all_day) {
        // An all-day follow-up, or one of an all-day target, lies on another day.
        if (target && d == target->day) return fail(Stage::no_time);
        if (d == min_day_ && min_minute_ > 0) return fail(Stage::range);  // it would start before
        for (int p : req)
            if (!under_max(p)) {
                if (diag) diag->max_per_day_days++;
                return fail(Stage::no_time);
            }
        for (const auto& pool : *pools) {
            int best = -1;
            for (int p : pool)
                if (under_max(p) && std::find(req.begin(), req.end(), p) == req.end()) {
                    best = p;
                    break;
                }
            if (best < 0) return fail(Stage::no_time);
            req.push_back(best);
        }
        c.required = std::move(req);
        if (diag) diag->record(Stage::ok, wd);
        return c;
    }

    Minute first = window.start, last = window.end - minutes;
    if (is_test) {
        if (!hc::under_max_tests_per_day(ix_, agenda_, t.period, t.subject_group, d)) {
            if (diag) diag->max_per_day_days++;
            return fail(Stage::no_time);
        }
        if (ix_.period_at(t.period).morning_only)
            last = std::min(last, hc::latest_morning_start(window, minutes));
    }
    if (first > last) {
        if (diag) diag->too_short_days++;
        return fail(Stage::no_time);
    }
    if (target) {
        const auto starts =
            hc::follow_up_starts(*target, t.before, all_day, d, first, last, minutes);
        if (!starts) return fail(Stage::no_time);
        first = starts->start;
        last = starts->end;
    }
    for (int p : req)
        if (!under_max(p)) {
            if (diag) diag->max_per_day_days++;
            return fail(Stage::no_time);
        }
    for (int p : req)
        if (!may_attend(p)) {
            if (diag) {
                diag->teaching_busy_days++;
                diag->blocked_person[p]++;
                diag->teaching_person[p]++;
            }
            return fail(Stage::unavailable);
        }

    SlotSearch search{d,     c.group, slot,    r,     std::move(req), anys, std::move(*pools),
                      first, last,    minutes, target};
    std::optional<Choice> best = best_start(t, search, fixed_start, diag);
    if (!best) return fail(Stage::no_time);
    if (diag) diag->record(Stage::ok, wd);
    return best;
}

Diagnosis Planner::diagnose(const Task& t) const {
    Diagnosis diag;
    for (int d = std::max(0, t.lo); d <= std::min(t.hi, ix_.days() - 1); ++d)
        try_day(t, d, &diag, fixed_start_of(t));
    return diag;
}

// ============================================================================================
// placing

int Planner::commit(const Task& t, const Choice& c, EventStatus status) {
    // What it takes from its target, before placed_ grows (and may move).
    const Placed* target = followed(t);
    const int period = t.period >= 0 ? t.period : (target ? target->period : -1);
    std::optional<std::string> follows;
    if (target && t.kind == TaskKind::rule) follows = target->event.uid;
    const int index = static_cast<int>(placed_.size());
    Placed& pl = placed_.emplace_back();  // built in place: an Event is costly to move
    pl.day = c.day;
    pl.rule = t.kind == TaskKind::rule ? t.rule : -1;
    pl.group = c.group;
    pl.period = period;
    pl.required = c.required;
    pl.task = static_cast<int>(tasks_.size());
    tasks_.push_back(t);
    Event& e = pl.event;
    e.uid = t.uid;
    e.subject = t.subject_id;
    e.occurrence = t.occurrence;
    e.status = status;
    e.date = e.end_date = ix_.cal.day(c.day).date;
    if (t.kind == TaskKind::test_session) {
        const TestPeriod& tp = ix_.period_at(t.period);
        const Test& test = tp.tests[static_cast<size_t>(t.test)];
        e.kind = EventKind::test_session;
        e.rule = tp.id;
        e.group = ix_.group_at(c.group).id;
        e.title = test.name + " (" + ix_.group_at(c.group).name + ")";
        e.description =
            tp.name + ": " + test.name + ", " + std::to_string(test.minutes) + " minuten.";
        e.phase = Phase::check;
        e.visibility = Visibility::all;
    } else {
        const Rule& r = ix_.rule_at(t.rule);
        e.kind = EventKind::rule;
        e.rule = r.id;
        if (c.group >= 0) e.group = ix_.group_at(c.group).id;
        // Its title, description, attendees and owner: describe(), for the plan.
        pl.described = false;
        e.phase = r.phase;
        e.visibility = r.visibility;
        e.all_day = r.all_day;
        e.follows = std::move(follows);
    }
    e.start = c.start;
    e.end = c.end;
    if (pl.described) {
        for (int p : c.required) e.attendees.push_back(ix_.pid(p));
        e.owner = owner_of(t, c.required);
    }
    pl.occupies = status != EventStatus::cancelled;
    agenda_.occupy(pl, index);
    resolved_.insert(t.uid);
    return index;
}

void Planner::rollback_to(size_t mark) {
    while (placed_.size() > mark) {
        const int index = static_cast<int>(placed_.size()) - 1;
        if (placed_.back().alive) {
            agenda_.release(placed_.back(), index);
            resolved_.erase(placed_.back().event.uid);
        }
        placed_.pop_back();
    }
}

bool Planner::place(const Task& t, bool strict) {
    const std::vector<int> days = candidate_days(t);
    const size_t mark = placed_.size();
    std::optional<Choice> first_choice;
    int attempts = 0;
    const int fixed_start = fixed_start_of(t);
    for (int d : days) {
        auto c = try_day(t, d, nullptr, fixed_start);
        if (!c) continue;
        if (!first_choice) first_choice = c;
        const int e = commit(t, *c);
        if (place_follow_ups(e, true)) return true;
        rollback_to(mark);
        if (++attempts >= kMaxJointAttempts) break;
    }
    if (strict) return false;
    if (!first_choice) {
        failed_.push_back(t);
        return false;
    }
    const int e = commit(t, *first_choice);
    place_follow_ups(e, false);
    return true;
}

bool Planner::place_follow_ups(int event, bool strict) {
    if (placed_[static_cast<size_t>(event)].event.status == EventStatus::cancelled) return true;
    for (const Task& f : follow_ups_of(event)) {
        if (!resolved_.count(f.uid)) {
            if (!place(f, strict) && strict) return false;
            continue;
        }
        // Kept or pinned: its own follow-ups may still want a place (a deadline before a kept
        // leerlingenbespreking whose day has become a vrije dag).
        for (size_t i = 0; i < placed_.size(); ++i)
            if (placed_[i].alive && placed_[i].event.uid == f.uid) {
                if (!place_follow_ups(static_cast<int>(i), strict) && strict) return false;
                break;
            }
    }
    return true;
}

// ============================================================================================
// invitees: after every required item has its place

void Planner::invite_optional() {
    // In the order of the year (then by uid), whatever order the events were placed in: a plan
    // and its re-plan invite the same people.
    std::vector<int> order;
    for (size_t i = 0; i < placed_.size(); ++i) {
        const Placed& pl = placed_[i];
        if (pl.alive && pl.task >= 0 && pl.day >= 0 && pl.occupies)
            order.push_back(static_cast<int>(i));
    }
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const Placed& x = placed_[static_cast<size_t>(a)];
        const Placed& y = placed_[static_cast<size_t>(b)];
        return std::tie(x.day, x.event.start, x.event.uid) <
               std::tie(y.day, y.event.start, y.event.uid);
    });
    for (int i : order) {
        Placed& pl = placed_[static_cast<size_t>(i)];
        const Task& t = tasks_[static_cast<size_t>(pl.task)];
        // A follow-up inherits the people invited to what it follows (or who would have been).
        std::vector<int> inherited;
        if (t.follows >= 0) {
            const Placed& target = placed_[static_cast<size_t>(t.follows)];
            const Task* tt = target.task >= 0 ? &tasks_[static_cast<size_t>(target.task)] : nullptr;
            inherited =
                tt ? people_.optional(*tt, target.group, target.required, target.day, nullptr)
                   : target.optional;
        }
        const std::vector<int> wanted = people_.optional(t, pl.group, pl.required, pl.day,
                                                         t.follows >= 0 ? &inherited : nullptr);
        for (int p : wanted) {
            if (!pl.event.all_day && !hc::free_at(agenda_, p, pl.day, pl.event.start, pl.event.end))
                continue;  // busy then: not invited to this one (hard constraint 2)
            agenda_.occupy_optional(pl, i, p);
            pl.optional.push_back(p);
            pl.event.optional_attendees.push_back(ix_.pid(p));
        }
    }
}

// ============================================================================================
// what could not be planned

void Planner::unplanned(const Task& t, std::string reason) {
    if (!t.uid.empty() && unplanned_reason_.count(t.uid)) return;  // reported once
    Unplanned u;
    if (t.kind == TaskKind::test_session) {
        const TestPeriod& tp = ix_.period_at(t.period);
        u.rule = tp.id;
        reason = tp.tests[static_cast<size_t>(t.test)].name + ": " + reason;
    } else {
        u.rule = ix_.rule_at(t.rule).id;
    }
    u.subject = t.subject_id;
    u.occurrence = t.occurrence;
    u.reason = std::move(reason);
    if (!t.uid.empty()) unplanned_reason_[t.uid] = u.reason;
    unplanned_.push_back(std::move(u));
    unplanned_tasks_.push_back(t);
}

void Planner::unplanned_chain(const Task& t, const std::string& why) {
    for (const Task& f : factory_.follow_ups_of_unplanned(t)) {
        unplanned(f, why);
        unplanned_chain(f, why);
    }
}

void Planner::report_failures() {
    std::set<std::string> reported;
    for (const Task& t : failed_) {
        if (resolved_.count(t.uid) || !reported.insert(t.uid).second) continue;
        // Against the agendas as they are at the end, so the reason describes the plan made.
        const std::string reason = passed_reason(t, explain(ix_, with_window(t), diagnose(t)));
        unplanned(t, reason);
        if (t.kind == TaskKind::rule)
            unplanned_chain(t, "volgt op '" + ix_.rule_at(t.rule).label() + "' (keer " +
                                   std::to_string(t.occurrence) +
                                   "), dat niet ingepland kon worden: " + reason);
    }
}

// ============================================================================================

Plan Planner::run() {
    if (opt_.as_of) {
        // Nothing new before the moment: from its day on, and on that day from its minute.
        const Date from = std::max(opt_.as_of->date, ix_.cal.first_day());
        min_day_ = opt_.as_of->date > ix_.cal.last_day() ? ix_.days() : ix_.cal.index(from);
        min_minute_ = opt_.as_of->date < ix_.cal.first_day() ? 0 : opt_.as_of->minute;
    }
    pin_previous();
    const std::vector<Task> roots = factory_.root_tasks();
    // Every placement tried keeps its task; the improvement tries several per item.
    tasks_.reserve(roots.size() * 8);
    placed_.reserve(placed_.size() + roots.size() * 2);
    if (opt_.previous) {
        for (const Task& t : roots) {
            if (try_keep(t)) continue;
            // A pinned (done/moved) target may still have follow-ups to keep.
            if (resolved_.count(t.uid))
                for (size_t i = 0; i < placed_.size(); ++i)
                    if (placed_[i].event.uid == t.uid) keep_follow_ups(static_cast<int>(i));
        }
    }
    auto place_root = [&](const Task& t) {
        if (!resolved_.count(t.uid)) {
            place(t, false);
            return;
        }
        for (size_t i = 0; i < placed_.size(); ++i)
            if (placed_[i].alive && placed_[i].event.uid == t.uid) {
                place_follow_ups(static_cast<int>(i), false);
                break;
            }
    };
    // A repair's occurrences first, so that the events let go do not take their place again.
    for (const Task& t : roots)
        if (hints_.first.count(t.uid)) place_root(t);
    for (const Task& t : roots)
        if (!hints_.first.count(t.uid)) place_root(t);
    if (opt_.improve) improve();
    invite_optional();
    report_failures();
    if (opt_.previous) find_blocked(roots);
    return finish();
}

}  // namespace jk::planner

namespace jk {

Plan make_plan(const LoadedSchool& school, const PlanOptions& options) {
    planner::Planner first(school, options);
    Plan plan = first.run();
    if (!options.previous || first.blocked().empty()) return plan;
    return planner::repair_replan(school, options, std::move(plan), first.blocked());
}

}  // namespace jk
