#include "planner/tasks.hpp"

#include <algorithm>

#include "jaarkalender/planner.hpp"

namespace jk::planner {

std::vector<int> TaskFactory::subjects_of(const Rule& r) const {
    // Persons and groups are indexed in file order, as subject_ids lists them.
    std::vector<int> out;
    for (const std::string& id : subject_ids(r.for_each, ix_.school)) {
        if (r.for_each.kind == SubjectKind::school)
            out.push_back(0);
        else if (r.for_each.kind == SubjectKind::group)
            out.push_back(ix_.group(id));
        else if (const int p = ix_.person(id); p >= 0)
            out.push_back(p);
    }
    return out;
}

bool TaskFactory::while_there(Task& t) const {
    if (t.subject_person < 0) return true;
    const Person& p = ix_.person_at(t.subject_person);
    if (!p.ever_away()) return true;
    const int lo = std::max(0, t.lo), hi = std::min(t.hi, ix_.days() - 1);
    if (lo > hi) return true;
    if (!counts_while_there(ix_.cal, p, {ix_.cal.day(lo).date, ix_.cal.day(hi).date})) return false;
    // Its term is then the part they are there.
    int first = -1, last = -1;
    for (int d = lo; d <= hi; ++d)
        if (ix_.cal.day(d).school_day && p.there(ix_.cal.day(d).date)) {
            if (first < 0) first = d;
            last = d;
        }
    if (first < 0) return true;
    t.lo = std::max(t.lo, first);
    t.hi = std::min(t.hi, last);
    if (t.soft_lo >= 0 && (t.soft_hi < t.lo || t.soft_lo > t.hi)) t.soft_lo = t.soft_hi = -1;
    if (t.soft_lo >= 0)
        t.soft_lo = std::max(t.soft_lo, t.lo), t.soft_hi = std::min(t.soft_hi, t.hi);
    return true;
}

Task TaskFactory::base(int rule, int subject) const {
    const Rule& r = ix_.rule_at(rule);
    Task t;
    t.rule = rule;
    switch (r.for_each.kind) {
        case SubjectKind::group:
            t.subject_group = subject;
            t.subject_id = ix_.group_at(subject).id;
            break;
        case SubjectKind::school:
            t.subject_id = ix_.school.id;
            break;
        default:
            t.subject_person = subject;
            t.subject_id = ix_.pid(subject);
    }
    return t;
}

void TaskFactory::counted(int rule, const CountTiming& c, const std::vector<int>& subjects,
                          size_t si, std::vector<Task>& out) const {
    const int subject_count = static_cast<int>(subjects.size());
    for (int k = 0; k < c.count; ++k) {
        Task t = base(rule, subjects[si]);
        t.form = TimingForm::windowed;
        t.occurrence = k + 1;
        t.pref = Pref::nearest;
        if (!c.windows.empty()) {
            const DateRange& w = c.windows[static_cast<size_t>(k)].range;
            t.lo = std::max(0, ix_.cal.index(std::max(w.from, ix_.cal.first_day())));
            t.hi = ix_.cal.index(std::min(w.to, ix_.cal.last_day()));
            if (w.to < ix_.cal.first_day() || w.from > ix_.cal.last_day()) t.lo = 1, t.hi = 0;
            t.window_text = "tussen " + format_day_nl(w.from) + " en " + format_day_nl(w.to);
        } else {
            // No windows: the year (the part of it the subject is at the school) in `count`
            // equal parts of school days, one occurrence preferred in each; the whole of that
            // part remains allowed.
            const std::vector<int> there = ix_.school_days_there(t.subject_person);
            if (there.size() * 2 < ix_.school_days().size()) break;  // not required
            const size_t n = there.size();
            const size_t a = n * static_cast<size_t>(k) / static_cast<size_t>(c.count);
            const size_t b = n * static_cast<size_t>(k + 1) / static_cast<size_t>(c.count);
            const bool whole = there.size() == ix_.school_days().size();
            t.lo = whole ? 0 : there.front();
            t.hi = whole ? ix_.days() - 1 : there.back();
            if (b > a) {
                t.soft_lo = there[a];
                t.soft_hi = there[b - 1];
            }
            t.window_text = whole ? "in het schooljaar" : ix_.range_text(t.lo, t.hi);
        }
        if (!while_there(t)) continue;
        // Spread: the subjects of a window in file order over its school days.
        const int lo = t.soft_lo >= 0 ? t.soft_lo : t.lo;
        const int hi = t.soft_hi >= 0 ? t.soft_hi : t.hi;
        if (lo <= hi) {
            const double a = ix_.school_day_ordinal(lo);
            const double b = ix_.school_day_ordinal(hi) + 1;
            t.target = a + (static_cast<double>(si) + 0.5) * (b - a) / subject_count;
        }
        out.push_back(std::move(t));
    }
}

void TaskFactory::after_period(int rule, const AfterPeriodTiming& ap, int subject,
                               std::vector<Task>& out) const {
    for (size_t k = 0; k < ap.periods.size(); ++k) {
        const TestPeriod* tp = ix_.in.rules.period(ap.periods[k]);
        Task t = base(rule, subject);
        t.form = TimingForm::after_period;
        t.occurrence = static_cast<int>(k) + 1;
        t.pref = Pref::earliest;
        t.period = static_cast<int>(tp - ix_.in.rules.test_periods.data());
        const int end =
            ix_.cal.index(std::clamp(tp->range.to, ix_.cal.first_day(), ix_.cal.last_day()));
        t.lo = tp->range.to < ix_.cal.first_day() ? 0 : end + 1;
        t.hi = ix_.nth_school_day_after(end, ap.within_school_days);
        if (tp->range.to >= ix_.cal.last_day()) t.lo = 1, t.hi = 0;
        t.window_text = "binnen " + std::to_string(ap.within_school_days) + " schooldagen na " +
                        tp->name + " (tot en met " + format_day_nl(tp->range.to) + ")";
        if (!while_there(t)) continue;
        out.push_back(std::move(t));
    }
}

void TaskFactory::on_dates(int rule, int subject, std::vector<Task>& on_date,
                           std::vector<Task>& next_day) const {
    const Rule& r = ix_.rule_at(rule);
    const std::vector<Date>* dates = nullptr;
    OnClosedDay on_closed = OnClosedDay::skip;
    bool recurrence = false;
    if (const auto* rec = std::get_if<RecurrenceTiming>(&r.timing)) {
        dates = &rec->instances;
        on_closed = rec->on_closed_day;
        recurrence = true;
    } else if (const auto* dt = std::get_if<DatesTiming>(&r.timing)) {
        dates = &dt->dates;
        on_closed = dt->on_closed_day;
    }
    if (!dates) return;
    for (size_t k = 0; k < dates->size(); ++k) {
        const Date date = (*dates)[k];
        Task t = base(rule, subject);
        // The occurrence number is the instance's place in the rule, closed days included, so
        // that a new closure never renumbers (and re-UIDs) the rest.
        t.occurrence = static_cast<int>(k) + 1;
        t.pref = Pref::earliest;
        t.window_text = "op " + format_day_nl(date);
        const int d = ix_.cal.index(date);
        const bool open = d >= 0 && ix_.cal.day(d).staff_day &&
                          (r.slot.kind != SlotKind::lessons || ix_.cal.day(d).school_day);
        t.lo = t.hi = d;
        if (d < 0) t.lo = 1, t.hi = 0;
        if (open || on_closed == OnClosedDay::skip) {
            // On its own date, or (a closed date, skipped) not at all: a recurring meeting that
            // falls on a closed day simply does not happen; a fixed date is reported.
            if (recurrence && !open) continue;
            t.form = TimingForm::on_date;
            if (!while_there(t)) continue;
            on_date.push_back(std::move(t));
            continue;
        }
        // A closed date with on_closed_day = "next_staff_day": the first later staff day (before
        // the next instance) on which every required attendee is available and free then.
        t.form = TimingForm::next_staff_day;
        int next = ix_.days() - 1;
        if (k + 1 < dates->size())
            if (const int nd = ix_.cal.index((*dates)[k + 1]); nd > d) next = nd - 1;
        t.hi = next;
        bool staff_day_before_next = false;
        for (int x = t.lo; x <= t.hi && !staff_day_before_next; ++x)
            staff_day_before_next = ix_.cal.day(x).staff_day;
        // A recurring meeting in a vacation with no staff day before its next instance simply
        // does not happen that week (it is not "unplanned").
        if (recurrence && !staff_day_before_next) continue;
        t.window_text = "op de eerste werkdag na " + format_day_nl(date);
        if (!while_there(t)) continue;
        next_day.push_back(std::move(t));
    }
}

void TaskFactory::test_sessions(std::vector<Task>& out) const {
    // Per period, per group, each test whose grades meet the group's.
    for (int pi = 0; pi < ix_.periods(); ++pi) {
        const TestPeriod& tp = ix_.period_at(pi);
        const int lo = ix_.cal.index(std::max(tp.range.from, ix_.cal.first_day()));
        const int hi = ix_.cal.index(std::min(tp.range.to, ix_.cal.last_day()));
        for (int g = 0; g < ix_.groups(); ++g) {
            const Group& grp = ix_.group_at(g);
            std::vector<int> mine;
            for (size_t ti = 0; ti < tp.tests.size(); ++ti)
                for (int gr : tp.tests[ti].grades)
                    if (std::find(grp.grades.begin(), grp.grades.end(), gr) != grp.grades.end()) {
                        mine.push_back(static_cast<int>(ti));
                        break;
                    }
            for (size_t k = 0; k < mine.size(); ++k) {
                Task t;
                t.kind = TaskKind::test_session;
                t.form = TimingForm::test_session;
                t.period = pi;
                t.test = mine[k];
                t.subject_group = g;
                t.subject_id = grp.id;
                t.occurrence = mine[k] + 1;
                t.lo = lo < 0 ? 1 : lo;
                t.hi = hi < 0 ? 0 : hi;
                t.pref = Pref::nearest;
                if (t.lo <= t.hi) {
                    const double a = ix_.school_day_ordinal(t.lo);
                    const double b = ix_.school_day_ordinal(t.hi) + 1;
                    t.target = a + (static_cast<double>(k) + 0.5) * (b - a) /
                                       static_cast<double>(mine.size());
                }
                t.window_text = "in " + tp.name + " (" + format_day_nl(tp.range.from) + " t/m " +
                                format_day_nl(tp.range.to) + ")";
                t.uid = make_uid(ix_.school.id, ix_.school.school_year, "test", tp.id, grp.id,
                                 t.occurrence);
                out.push_back(std::move(t));
            }
        }
    }
}

std::vector<Task> TaskFactory::root_tasks() const {
    std::vector<Task> on_date, next_day, tests, after, count;
    for (int ri = 0; ri < ix_.rule_count(); ++ri) {
        const Rule& r = ix_.rule_at(ri);
        if (r.follow_up()) continue;
        const std::vector<int> subjects = subjects_of(r);
        for (size_t si = 0; si < subjects.size(); ++si) {
            if (const auto* c = std::get_if<CountTiming>(&r.timing))
                counted(ri, *c, subjects, si, count);
            else if (const auto* ap = std::get_if<AfterPeriodTiming>(&r.timing))
                after_period(ri, *ap, subjects[si], after);
            else
                on_dates(ri, subjects[si], on_date, next_day);
        }
    }
    test_sessions(tests);
    // Within a kind, the item with the fewest possible days goes first (a trendanalyse within
    // 5 school days before ten groepsbesprekingen within 10); ties keep file order.
    auto by_slack = [&](std::vector<Task>& list) {
        auto slack = [&](const Task& t) {
            int n = 0;
            for (int d = std::max(0, t.lo); d <= std::min(t.hi, ix_.days() - 1); ++d)
                n += ix_.cal.day(d).staff_day;
            return n;
        };
        std::vector<std::pair<int, size_t>> keys;
        for (size_t i = 0; i < list.size(); ++i) keys.emplace_back(slack(list[i]), i);
        std::stable_sort(keys.begin(), keys.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<Task> sorted;
        for (const auto& k : keys) sorted.push_back(std::move(list[k.second]));
        list = std::move(sorted);
    };
    by_slack(after);
    by_slack(count);
    std::vector<Task> all;
    for (auto* list : {&on_date, &next_day, &tests, &after, &count})
        for (auto& t : *list) {
            if (t.kind == TaskKind::rule)
                t.uid = make_uid(ix_.school.id, ix_.school.school_year, "rule",
                                 ix_.rule_at(t.rule).id, t.subject_id, t.occurrence);
            all.push_back(std::move(t));
        }
    return all;
}

std::string TaskFactory::follow_up_window(int rule, const std::string& target_title,
                                          Date target_date) const {
    const FollowUpTiming& f = *ix_.rule_at(rule).follow_up();
    return "binnen " + std::to_string(f.within_school_days) + " schooldagen " +
           (f.before ? "vóór " : "na ") + "'" + target_title + "' (" + format_day_nl(target_date) +
           ")";
}

std::vector<Task> TaskFactory::follow_up_tasks(const Placed& target, int target_index) const {
    std::vector<Task> out;
    if (target.rule < 0) return out;
    for (int ri : ix_.followers(target.rule)) {
        const Rule& r = ix_.rule_at(ri);
        const FollowUpTiming& f = *r.follow_up();
        Task t;
        t.form = TimingForm::follow_up;
        t.rule = ri;
        t.subject_id = target.event.subject.value_or("");
        if (r.for_each.kind == SubjectKind::group)
            t.subject_group = ix_.group(t.subject_id);
        else if (r.for_each.kind != SubjectKind::school)
            t.subject_person = ix_.person(t.subject_id);
        t.occurrence = target.event.occurrence;
        t.follows = target_index;
        t.before = f.before;
        const int d = target.day;
        if (d < 0) {
            t.lo = 1;
            t.hi = 0;
        } else if (f.before) {
            t.lo = ix_.nth_school_day_before(d, f.within_school_days);
            t.hi = d;
            t.pref = Pref::latest;
        } else {
            t.lo = d;
            t.hi = ix_.nth_school_day_after(d, f.within_school_days);
            t.pref = Pref::earliest;
        }
        if (target.described)
            t.window_text = follow_up_window(ri, target.event.title, target.event.date);
        else
            t.follows_event = {target.task, target.group, target.day, target.period,
                               target.event.date};
        t.uid = rule_uid(ri, t.subject_id, t.occurrence);
        out.push_back(std::move(t));
    }
    return out;
}

const std::string& TaskFactory::rule_uid(int rule, const std::string& subject,
                                         int occurrence) const {
    auto [it, fresh] = uids_.try_emplace({rule, subject, occurrence});
    if (fresh)
        it->second = make_uid(ix_.school.id, ix_.school.school_year, "rule", ix_.rule_at(rule).id,
                              subject, occurrence);
    return it->second;
}

std::vector<Task> TaskFactory::follow_ups_of_unplanned(const Task& t) const {
    std::vector<Task> out;
    if (t.kind != TaskKind::rule) return out;
    for (int ri : ix_.followers(t.rule)) {
        Task f;
        f.form = TimingForm::follow_up;
        f.rule = ri;
        f.subject_id = t.subject_id;
        f.occurrence = t.occurrence;
        f.uid = rule_uid(ri, f.subject_id, f.occurrence);
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace jk::planner
