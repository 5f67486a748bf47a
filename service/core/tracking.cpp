// Tracking views (docs/tracking.md): overdue, compliance per counted rule, cycle timeliness.
#include "jaarkalender/tracking.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace jk {
namespace {

using std::chrono::days;

/// The n-th school day after d (n >= 1); the year's last day when the year ends first.
Date nth_school_day_after(const SchoolCalendar& cal, Date d, int n) {
    Date x = d;
    for (int found = 0; found < n;) {
        x += days{1};
        if (x > cal.last_day()) return cal.last_day();
        if (cal.is_school_day(x)) ++found;
    }
    return x;
}

/// School days d with a < d <= b.
int school_days_between(const SchoolCalendar& cal, Date a, Date b) {
    int n = 0;
    for (Date x = a + days{1}; x <= b; x += days{1}) n += cal.is_school_day(x) ? 1 : 0;
    return n;
}

std::string key(const std::string& rule, const std::optional<std::string>& subject,
                int occurrence) {
    return rule + "\n" + subject.value_or("") + "\n" + std::to_string(occurrence);
}

}  // namespace

bool is_tracked(const Event& e, const Rules& rules) {
    switch (e.kind) {
        case EventKind::test_session:
            return true;
        case EventKind::test_period:
            return false;
        case EventKind::rule:
            break;
    }
    const Rule* r = rules.rule(e.rule);
    return r ? r->track : true;
}

Category category_of(const Event& e, const Rules& rules) {
    if (e.kind != EventKind::rule) return Category::toets;
    const Rule* r = rules.rule(e.rule);
    return r ? r->category : Category::bespreking;
}

std::vector<std::string> responsible(const Event& e) {
    if (e.owner) return {*e.owner};
    return e.attendees;
}

std::vector<const Event*> open_for(const Plan& plan, const LoadedSchool& school,
                                   std::string_view person, Date today) {
    std::vector<const Event*> out;
    for (const Event& e : plan.events) {
        if (e.date > today || e.date < school.school.track_from) continue;
        if (!is_tracked(e, school.rules)) continue;
        if (e.status != EventStatus::planned && e.status != EventStatus::moved) continue;
        const bool required =
            std::find(e.attendees.begin(), e.attendees.end(), person) != e.attendees.end();
        if (required || (e.owner && *e.owner == person)) out.push_back(&e);
    }
    return out;
}

std::vector<const Event*> open_until(const Plan& plan, const LoadedSchool& school, Date until) {
    std::vector<const Event*> out;
    for (const Event& e : plan.events) {
        if (e.date > until || e.date < school.school.track_from) continue;
        if (!is_tracked(e, school.rules)) continue;
        if (e.status == EventStatus::planned || e.status == EventStatus::moved) out.push_back(&e);
    }
    return out;
}

Result<Plan> apply_change(const Plan& plan, const Change& c, const std::string& stamp) {
    Diagnostics d;
    Plan out = plan;
    auto it = std::find_if(out.events.begin(), out.events.end(),
                           [&](const Event& e) { return e.uid == c.uid; });
    if (it == out.events.end()) {
        d.error("verzoek", 1, 1, "onbekende afspraak '" + c.uid + "'");
        return d;
    }
    Event& e = *it;
    if (e.kind == EventKind::test_period) {
        d.error("verzoek", 1, 1, "een toetsperiode is geen afspraak die gehouden of verzet wordt");
        return d;
    }
    if (c.note.size() > kMaxNoteLength) {
        d.error("verzoek", 1, 1,
                "de notitie is langer dan " + std::to_string(kMaxNoteLength) + " tekens");
        return d;
    }
    if (e.status == EventStatus::cancelled && c.kind != ChangeKind::move) {
        d.error("verzoek", 1, 1, "'" + e.title + "' is geannuleerd");
        return d;
    }
    const auto length = e.end_date - e.date;
    switch (c.kind) {
        case ChangeKind::done:
            if (c.held_on) {
                e.date = *c.held_on;
                e.end_date = *c.held_on + length;
            }
            e.status = EventStatus::done;
            e.note = c.note;
            break;
        case ChangeKind::cancel:
            if (c.note.empty()) {
                d.error("verzoek", 1, 1, "geef een reden voor het annuleren");
                return d;
            }
            e.status = EventStatus::cancelled;
            e.note = c.note;
            break;
        case ChangeKind::move: {
            const Minute duration = e.end - e.start;
            e.date = c.date;
            e.end_date = c.date + length;
            if (!e.all_day) {
                if (c.start < 0 || c.start + duration > 24 * 60) {
                    d.error("verzoek", 1, 1, "die begintijd past niet op één dag");
                    return d;
                }
                e.start = c.start;
                e.end = c.start + duration;
            }
            e.status = EventStatus::moved;
            if (!c.note.empty()) e.note = c.note;
            break;
        }
    }
    e.sequence += 1;
    e.last_modified = stamp;
    sort_events(out.events);
    return out;
}

bool changes_nothing(const Event& e, const Change& c) {
    switch (c.kind) {
        case ChangeKind::done:
            return e.status == EventStatus::done && (!c.held_on || *c.held_on == e.date) &&
                   c.note == e.note;
        case ChangeKind::cancel:
            return e.status == EventStatus::cancelled;
        case ChangeKind::move:
            return e.status != EventStatus::cancelled && e.date == c.date &&
                   (e.all_day || e.start == c.start) && (c.note.empty() || c.note == e.note);
    }
    return false;
}

std::optional<std::string> held_on_error(const SchoolCalendar& cal, Date held_on, Date today) {
    if (held_on < cal.first_day() || held_on > cal.last_day())
        return "die datum ligt buiten het schooljaar (" + format_date_nl(cal.first_day()) +
               " tot en met " + format_date_nl(cal.last_day()) + ")";
    if (held_on > today)
        return "die datum ligt in de toekomst: markeer een afspraak als "
               "gehouden op of na de dag zelf";
    return std::nullopt;
}

Date grace_day(const Event& e, const SchoolCalendar& cal) {
    return nth_school_day_after(cal, e.end_date, 1);
}

std::vector<OverdueItem> overdue(const Plan& plan, const LoadedSchool& school, Date today) {
    const SchoolCalendar& cal = school.calendar;
    std::vector<OverdueItem> out;
    for (const Event& e : plan.events) {
        if (!is_tracked(e, school.rules) || e.date < school.school.track_from) continue;
        if (e.status != EventStatus::planned && e.status != EventStatus::moved) continue;
        const Date grace = grace_day(e, cal);
        if (today <= grace) continue;
        out.push_back({&e, grace, std::max(1, school_days_between(cal, grace, today))});
    }
    std::stable_sort(out.begin(), out.end(), [](const OverdueItem& a, const OverdueItem& b) {
        if (a.event->date != b.event->date) return a.event->date < b.event->date;
        return a.event->uid < b.event->uid;
    });
    return out;
}

bool ib_follows_up(const Event& e, const LoadedSchool& school) {
    switch (category_of(e, school.rules)) {
        case Category::consultatie:
        case Category::bespreking:
        case Category::taak:
        case Category::toets:
            return true;
        case Category::vergadering:
        case Category::overleg:
            break;
    }
    const Person* owner = e.owner ? school.school.person(*e.owner) : nullptr;
    return owner && owner->has_role("ib");
}

std::vector<OverdueItem> ib_overdue(std::vector<OverdueItem> all, const LoadedSchool& school) {
    std::erase_if(all, [&](const OverdueItem& o) { return !ib_follows_up(*o.event, school); });
    return all;
}

std::string not_at_school_nl(const Person& p, Date day) {
    if (p.until && day > *p.until)
        return p.name + " is na " + format_day_nl(*p.until) + " niet meer op school";
    if (p.from && day < *p.from)
        return p.name + " komt pas op " + format_day_nl(*p.from) + " op school";
    return p.name + " is er dan niet";
}

std::string follows_cancelled_nl(const Event& followed) {
    return "vervalt met '" + followed.title + "' van " + format_day_nl(followed.date) +
           ", die niet doorgaat";
}

std::string not_there_nl(const Person& p, DateRange term) {
    std::vector<std::string> parts;
    if (p.from && *p.from > term.from)
        parts.push_back("komt pas op " + format_day_nl(*p.from) + " op school");
    if (p.until && *p.until < term.to)
        parts.push_back("is na " + format_day_nl(*p.until) + " niet meer op school");
    for (const Absence& a : p.absent)
        if (a.range.from <= term.to && a.range.to >= term.from)
            parts.push_back("is afwezig van " + format_day_nl(a.range.from) + " tot en met " +
                            format_day_nl(a.range.to));
    std::string out = p.name;
    for (size_t i = 0; i < parts.size(); ++i)
        out += (i == 0 ? " " : i + 1 == parts.size() ? " en " : ", ") + parts[i];
    if (parts.empty()) out += " is er dan niet";
    return out + ": minder dan de helft van de schooldagen van " + format_day_nl(term.from) +
           " tot en met " + format_day_nl(term.to);
}

std::vector<RuleCompliance> compliance(const Plan& plan, const LoadedSchool& s, Date today) {
    std::map<std::string, const Event*> events;
    for (const Event& e : plan.events) events[key(e.rule, e.subject, e.occurrence)] = &e;
    std::map<std::string, const Unplanned*> unplanned;
    for (const Unplanned& u : plan.unplanned) unplanned[key(u.rule, u.subject, u.occurrence)] = &u;
    std::set<std::string> late;
    for (const auto& o : overdue(plan, s, today)) late.insert(o.event->uid);

    std::vector<RuleCompliance> out;
    for (const Rule& r : s.rules.rules) {
        const auto* c = std::get_if<CountTiming>(&r.timing);
        if (!c) continue;
        RuleCompliance rc;
        rc.rule = r.id;
        rc.count = c->count;
        for (const auto& w : c->windows) rc.windows.push_back(w.range);
        for (const std::string& subject : subject_ids(r.for_each, s.school)) {
            ComplianceRow row;
            row.subject = subject;
            const Person* person = s.school.person(subject);
            for (int k = 1; k <= c->count; ++k) {
                ComplianceCell cell;
                cell.occurrence = k;
                const std::string id = key(r.id, subject, k);
                // Required only while there: a term they were (or will be) mostly away for is
                // not counted, unless it was held anyway (what was held stays held).
                const DateRange term = static_cast<size_t>(k) <= c->windows.size()
                                           ? c->windows[static_cast<size_t>(k - 1)].range
                                           : DateRange{s.school.first_day, s.school.last_day};
                auto e = events.find(id);
                // An occurrence whose event stands (held, planned, overdue, or cancelled by a
                // person) was required when it was planned: the past keeps the facts as they
                // were then (a leaver's overdue talk of November stays overdue). Only one the
                // plan has not (or that the planner let go) is judged by who is there now.
                const bool stands =
                    e != events.end() && (e->second->status != EventStatus::cancelled ||
                                          e->second->planner_reason.empty());
                if (person && r.for_each.kind != SubjectKind::group &&
                    r.for_each.kind != SubjectKind::school && !stands &&
                    !counts_while_there(s.calendar, *person, term)) {
                    cell.status = OccurrenceStatus::not_required;
                    cell.reason = not_there_nl(*person, term);
                    row.cells.push_back(std::move(cell));
                    continue;
                }
                if (e != events.end()) {
                    const Event& ev = *e->second;
                    cell.uid = ev.uid;
                    cell.date = ev.date;
                    switch (ev.status) {
                        case EventStatus::done:
                            cell.status = OccurrenceStatus::held, ++row.held;
                            break;
                        case EventStatus::cancelled:
                            cell.status = OccurrenceStatus::cancelled, ++row.cancelled;
                            break;
                        default:
                            if (late.count(ev.uid))
                                cell.status = OccurrenceStatus::overdue, ++row.overdue;
                            else
                                cell.status = OccurrenceStatus::planned, ++row.planned;
                    }
                } else {
                    cell.status = OccurrenceStatus::unplannable;
                    ++row.unplannable;
                    if (auto u = unplanned.find(id); u != unplanned.end())
                        cell.reason = u->second->reason;
                }
                row.cells.push_back(std::move(cell));
            }
            rc.rows.push_back(std::move(row));
        }
        out.push_back(std::move(rc));
    }
    return out;
}

std::string_view to_string(OccurrenceStatus s) {
    constexpr std::string_view kWords[] = {"held",        "planned",   "overdue",
                                           "unplannable", "cancelled", "not_required"};
    static_assert(std::size(kWords) ==
                  static_cast<std::size_t>(OccurrenceStatus::not_required) + 1);
    return kWords[static_cast<std::size_t>(s)];
}

std::string_view to_string(CycleStatus s) {
    constexpr std::string_view kWords[] = {"on_time", "late",        "overdue",
                                           "pending", "unplannable", "cancelled"};
    static_assert(std::size(kWords) == static_cast<std::size_t>(CycleStatus::cancelled) + 1);
    return kWords[static_cast<std::size_t>(s)];
}

HeldOfRequired held_of_required(const std::vector<RuleCompliance>& rules, std::string_view rule) {
    HeldOfRequired out;
    for (const auto& rc : rules) {
        if (!rule.empty() && rc.rule != rule) continue;
        for (const auto& row : rc.rows)
            for (const auto& cell : row.cells) {
                out.held += cell.status == OccurrenceStatus::held;
                out.required += cell.status != OccurrenceStatus::not_required;
            }
    }
    return out;
}

std::vector<PeriodTimeliness> timeliness(const Plan& plan, const LoadedSchool& s, Date today) {
    std::map<std::string, const Event*> events;
    for (const Event& e : plan.events) events[key(e.rule, e.subject, e.occurrence)] = &e;
    std::set<std::string> unplanned;
    for (const Unplanned& u : plan.unplanned)
        unplanned.insert(key(u.rule, u.subject, u.occurrence));
    std::set<std::string> late;
    for (const auto& o : overdue(plan, s, today)) late.insert(o.event->uid);

    // The rules that follow a rule (after/before it).
    std::map<std::string, std::vector<const Rule*>> followers;
    for (const Rule& r : s.rules.rules)
        if (const FollowUpTiming* f = r.follow_up()) followers[f->rule].push_back(&r);

    std::vector<PeriodTimeliness> out;
    for (const TestPeriod& tp : s.rules.test_periods) {
        PeriodTimeliness pt;
        pt.period = tp.id;
        // cell for (rule, subject, occurrence) with its deadline; then its follow-ups.
        std::function<void(const Rule&, const std::string&, int, Date)> visit =
            [&](const Rule& r, const std::string& subject, int occurrence, Date deadline) {
                TimelinessCell cell;
                cell.rule = r.id;
                cell.subject = subject;
                cell.deadline = deadline;
                const std::string id = key(r.id, subject, occurrence);
                const Event* e = events.count(id) ? events[id] : nullptr;
                if (!e) {
                    cell.status =
                        unplanned.count(id) ? CycleStatus::unplannable : CycleStatus::pending;
                } else if (e->status == EventStatus::cancelled) {
                    cell.status = CycleStatus::cancelled;
                } else if (e->status == EventStatus::done) {
                    const int days_late =
                        e->date > deadline ? school_days_between(s.calendar, deadline, e->date) : 0;
                    cell.status = days_late > 0 ? CycleStatus::late : CycleStatus::on_time;
                    cell.days_late = days_late;
                } else if (late.count(e->uid)) {
                    // Not recorded after its day: how far the step is past the cycle's deadline
                    // today (0 while the deadline is still ahead).
                    cell.status = CycleStatus::overdue;
                    cell.days_late =
                        today > deadline ? school_days_between(s.calendar, deadline, today) : 0;
                } else {
                    cell.status = CycleStatus::pending;
                }
                if (cell.status == CycleStatus::on_time) ++pt.on_time;
                if (cell.status == CycleStatus::on_time || cell.status == CycleStatus::late ||
                    cell.status == CycleStatus::overdue)
                    ++pt.due;
                pt.cells.push_back(cell);
                if (!e) return;
                for (const Rule* f : followers[r.id]) {
                    const FollowUpTiming& ft = *f->follow_up();
                    if (ft.before)
                        continue;  // preparation before a step is not part of its timeliness
                    visit(*f, subject, occurrence,
                          nth_school_day_after(s.calendar, e->end_date, ft.within_school_days));
                }
            };
        for (const Rule& r : s.rules.rules) {
            const auto* ap = std::get_if<AfterPeriodTiming>(&r.timing);
            if (!ap) continue;
            for (size_t k = 0; k < ap->periods.size(); ++k) {
                if (ap->periods[k] != tp.id) continue;
                const Date deadline =
                    nth_school_day_after(s.calendar, tp.range.to, ap->within_school_days);
                for (const std::string& subject : subject_ids(r.for_each, s.school))
                    visit(r, subject, static_cast<int>(k) + 1, deadline);
            }
        }
        out.push_back(std::move(pt));
    }
    return out;
}

int SchoolFigures::overdue_other() const {
    return overdue - overdue_of(Category::consultatie) - overdue_of(Category::bespreking) -
           overdue_of(Category::toets);
}

SchoolFigures school_figures(const Plan& plan, const LoadedSchool& s, Date today) {
    return school_figures(plan, s, today, timeliness(plan, s, today), compliance(plan, s, today));
}

SchoolFigures school_figures(const Plan& plan, const LoadedSchool& s, Date today,
                             const std::vector<PeriodTimeliness>& periods,
                             const std::vector<RuleCompliance>& rules) {
    SchoolFigures f;
    f.today = today;
    const auto late = overdue(plan, s, today);
    for (const auto& o : late) {
        ++f.overdue;
        ++f.overdue_by_category[static_cast<size_t>(category_of(*o.event, s.rules))];
    }
    for (const auto& pt : periods) f.cycle_on_time += pt.on_time, f.cycle_due += pt.due;
    f.counted = held_of_required(rules);
    for (const auto& rc : rules) {
        const Rule* r = s.rules.rule(rc.rule);
        if (!r || r->category != Category::consultatie) continue;
        const auto h = held_of_required(rules, rc.rule);
        f.consultations.held += h.held;
        f.consultations.required += h.required;
    }
    for (const Event& e : plan.events)
        if (e.status == EventStatus::done && is_tracked(e, s.rules)) ++f.held_by_now;
    f.expected_by_now = f.held_by_now + f.overdue;
    f.by_category = category_tallies(plan, s, today, late);
    f.unplanned = static_cast<int>(plan.unplanned.size());
    return f;
}

CategoryTallies category_tallies(const Plan& plan, const LoadedSchool& s, Date today,
                                 const std::vector<OverdueItem>& late) {
    CategoryTallies out{};
    for (const auto& o : late) ++out[static_cast<size_t>(category_of(*o.event, s.rules))].overdue;
    for (const Event& e : plan.events) {
        if (!is_tracked(e, s.rules)) continue;
        auto& t = out[static_cast<size_t>(category_of(e, s.rules))];
        if (e.status == EventStatus::done)
            ++t.held;
        else if (e.status == EventStatus::cancelled)
            ++t.cancelled;
        else if (e.date >= s.school.track_from && today <= grace_day(e, s.calendar))
            ++t.ahead;
    }
    return out;
}

std::string share_nl(int part, int whole) {
    if (whole == 0) return "nog niets te beoordelen";
    return std::to_string(part) + " van " + std::to_string(whole) + " (" +
           std::to_string((part * 100 + whole / 2) / whole) + "%)";
}

}  // namespace jk
