// The independent hard-constraint checker. It shares the input model with the planner (the
// loader's output is the meaning of the files) but none of its derived facts: school days,
// public holidays, availability, windows and counts are computed here again, differently.
#include "plan_checker.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace jk::testing {
namespace {

namespace json = boost::json;
using std::chrono::days;
using std::chrono::sys_days;

sys_days ymd(int y, unsigned m, unsigned d) {
    return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

/// Easter Sunday by table (not by the planner's computus).
sys_days easter(int y) {
    switch (y) {
        case 2025:
            return ymd(2025, 4, 20);
        case 2026:
            return ymd(2026, 4, 5);
        case 2027:
            return ymd(2027, 3, 28);
        case 2028:
            return ymd(2028, 4, 16);
        case 2029:
            return ymd(2029, 4, 1);
        default:
            throw std::runtime_error("checker: no Easter date for " + std::to_string(y));
    }
}

std::set<sys_days> holidays(int y) {
    sys_days e = easter(y);
    sys_days kd = ymd(y, 4, 27);
    if (std::chrono::weekday{kd} == std::chrono::Sunday) kd = ymd(y, 4, 26);
    return {ymd(y, 1, 1), e - days{2},    e + days{1},   kd, ymd(y, 5, 5), e + days{39},
            e + days{50}, ymd(y, 12, 25), ymd(y, 12, 26)};
}

int wd_of(sys_days d) {
    return static_cast<int>(std::chrono::weekday{d}.iso_encoding()) - 1;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

struct Ev {
    std::string uid, rule, kind, title, status;
    std::optional<std::string> subject, group, follows;
    int occurrence = 0;
    bool all_day = false;
    sys_days date{}, end_date{};
    int start = 0, end = 0;
    std::vector<std::string> attendees, optional;
};

std::optional<std::string> opt_str(const json::object& o, const char* k) {
    auto it = o.find(k);
    if (it == o.end() || it->value().is_null()) return std::nullopt;
    return std::string(it->value().as_string());
}

class Checker {
  public:
    Checker(const LoadedSchool& in, const OfficialYear& off, const std::string& text)
        : in_(in), s_(in.school) {
        build_calendar(off);
        parse(text);
    }

    std::vector<std::string> run() {
        check_order_and_uids();
        std::map<std::string, std::vector<std::pair<int, int>>> busy;  // person|date → intervals
        std::map<std::string, int> per_day;                            // rule|person|date → n
        std::map<std::string, int> tests_per_day;                      // period|group|date → n
        for (const Ev& e : events_) {
            if (e.status == "cancelled" || e.kind == "test_period") continue;
            if (history(e)) continue;
            const std::string where = e.rule + "/" + e.subject.value_or("-") + "/" +
                                      std::to_string(e.occurrence) + " " + e.uid;
            if (!staff(e.date)) bad(where, "not a staff day");
            if (e.kind == "test_session")
                check_test(e, where, tests_per_day);
            else
                check_rule(e, where, per_day);
            if (!e.all_day) {
                for (const auto& list : {e.attendees, e.optional})
                    for (const auto& p : list) {
                        auto& v = busy[p + "|" + std::to_string(e.date.time_since_epoch().count())];
                        for (const auto& [a, b] : v)
                            if (a < e.end && e.start < b)
                                bad(where, "attendee " + p + " double-booked");
                        v.emplace_back(e.start, e.end);
                    }
            }
        }
        check_completeness();
        return std::move(problems_);
    }

  private:
    void bad(const std::string& where, const std::string& what) {
        problems_.push_back(where + ": " + what);
    }

    void build_calendar(const OfficialYear& off) {
        const auto r = static_cast<size_t>(s_.region);
        std::vector<std::pair<std::string, DateRange>> vac;
        for (const auto& v : off.vacations) vac.emplace_back(v.name, v.range[r]);
        for (const auto& o : s_.vacations) {
            bool replaced = false;
            for (auto& [name, range] : vac)
                if (lower(name) == lower(o.name)) range = o.range, replaced = true;
            if (!replaced) vac.emplace_back(o.name, o.range);
        }
        const int y0 = static_cast<int>(std::chrono::year_month_day{s_.first_day}.year());
        std::set<sys_days> hol = holidays(y0);
        for (auto d : holidays(y0 + 1)) hol.insert(d);
        for (sys_days d = s_.first_day; d <= s_.last_day; d += days{1}) {
            bool open = wd_of(d) < 5;
            for (const auto& [n, range] : vac)
                if (range.contains(d)) open = false;
            if (hol.count(d) &&
                std::find(s_.open_on.begin(), s_.open_on.end(), d) == s_.open_on.end())
                open = false;
            bool study = false;
            for (const auto& c : s_.closures)
                if (c.range.contains(d)) {
                    if (c.kind == ClosureKind::vrij) open = false;
                    if (c.kind == ClosureKind::studiedag) study = true;
                }
            if (open) staff_.insert(d);
            if (open && !study) school_.insert(d);
        }
        school_list_.assign(school_.begin(), school_.end());
    }

    bool staff(sys_days d) const { return staff_.count(d) > 0; }
    bool school(sys_days d) const { return school_.count(d) > 0; }

    /// The n-th school day after d (or the last day of the year).
    sys_days nth_after(sys_days d, int n) const {
        auto it = std::upper_bound(school_list_.begin(), school_list_.end(), d);
        for (int i = 1; i < n && it != school_list_.end(); ++i) ++it;
        return it == school_list_.end() ? s_.last_day : *it;
    }
    sys_days nth_before(sys_days d, int n) const {
        auto it = std::lower_bound(school_list_.begin(), school_list_.end(), d);
        for (int i = 0; i < n; ++i) {
            if (it == school_list_.begin()) return s_.first_day;
            --it;
        }
        return *it;
    }

    /// Written from the contract ("Changes during the year"), apart from the model's helpers.
    static bool at_school(const Person& p, sys_days d) {
        return !(p.from && d < *p.from) && !(p.until && d > *p.until);
    }
    static const Absence* absence(const Person& p, sys_days d) {
        for (const auto& a : p.absent)
            if (d >= a.range.from && d <= a.range.to) return &a;
        return nullptr;
    }
    /// The weekdays worked on d: the dated `works` entry that covers it (none in a gap).
    static bool works(const Person& p, sys_days d, int wd) {
        if (p.work_periods.empty()) return p.works.contains(wd);
        for (const auto& w : p.work_periods)
            if (!(w.from && d < *w.from) && !(w.until && d > *w.until)) return w.days.contains(wd);
        return false;
    }
    bool available(const std::string& pid, sys_days d) const {
        const Person* p = s_.person(pid);
        return p && staff(d) && works(*p, d, wd_of(d)) && at_school(*p, d) && !absence(*p, d);
    }
    /// Who teaches g on d: the assignment's days and dates; an available teacher, else the
    /// available substitute of their absence.
    std::vector<std::string> teachers_of(const Group& g, sys_days d) const {
        std::vector<std::string> out;
        for (const auto& t : g.teachers) {
            if (!t.days.contains(wd_of(d)) || (t.from && d < *t.from) || (t.until && d > *t.until))
                continue;
            std::string who;
            if (available(t.person, d)) {
                who = t.person;
            } else if (const Person* p = s_.person(t.person)) {
                const Absence* a = absence(*p, d);
                if (a && a->substitute && available(*a->substitute, d)) who = *a->substitute;
            }
            if (!who.empty() && std::find(out.begin(), out.end(), who) == out.end())
                out.push_back(who);
        }
        return out;
    }
    bool history(const Ev& e) const {
        if (!as_of) return false;
        if (e.date != as_of->date) return e.date < as_of->date;
        return e.all_day ? as_of->minute > 0 : e.start < as_of->minute;
    }
    /// Spec: a person subject's term counts when they are there (inside from..until and not in
    /// one of their absences) on at least half of its school days.
    bool counts_for(const std::string& subject, sys_days lo, sys_days hi) const {
        const Person* p = s_.person(subject);
        if (!p) return true;
        int all = 0, there = 0;
        for (sys_days d : school_list_)
            if (d >= lo && d <= hi) {
                ++all;
                there += at_school(*p, d) && !absence(*p, d) ? 1 : 0;
            }
        return all == 0 || there * 2 >= all;
    }

    bool first_after_holiday(sys_days d) const {
        if (!school(d)) return false;
        for (sys_days p = d - days{1};; p -= days{1}) {
            if (p < s_.first_day) return true;
            if (wd_of(p) >= 5) continue;
            return !staff(p);
        }
    }

    void parse(const std::string& text) {
        json::value root = json::parse(text);
        for (const auto& v : root.at("events").as_array()) {
            const json::object& o = v.as_object();
            Ev e;
            e.uid = std::string(o.at("uid").as_string());
            e.rule = std::string(o.at("rule").as_string());
            e.kind = std::string(o.at("kind").as_string());
            e.title = std::string(o.at("title").as_string());
            e.status = std::string(o.at("status").as_string());
            e.subject = opt_str(o, "subject");
            e.group = opt_str(o, "group");
            e.follows = opt_str(o, "follows");
            e.occurrence = static_cast<int>(o.at("occurrence").as_int64());
            e.all_day = o.at("all_day").as_bool();
            const std::string st(o.at("start").as_string()), en(o.at("end").as_string());
            e.date = *parse_date(st.substr(0, 10));
            e.end_date = *parse_date(en.substr(0, 10));
            if (!e.all_day) {
                e.start = *parse_time(st.substr(11, 5));
                e.end = *parse_time(en.substr(11, 5));
                // The offset must be Amsterdam's on that date: +01:00 in winter, +02:00 in summer.
                const std::string off = st.substr(19);
                const bool summer = e.date > sys_days{std::chrono::year_month_day{e.date}.year() /
                                                      3 / std::chrono::Sunday[std::chrono::last]} &&
                                    e.date < sys_days{std::chrono::year_month_day{e.date}.year() /
                                                      10 / std::chrono::Sunday[std::chrono::last]};
                if (off != (summer ? "+02:00" : "+01:00")) bad(e.uid, "wrong UTC offset " + off);
                if (e.end_date != e.date || e.end <= e.start)
                    bad(e.uid, "end not after start on the same day");
            } else if (e.end_date < e.date) {
                bad(e.uid, "all-day end before start");
            }
            for (const auto& a : o.at("attendees").as_array())
                e.attendees.emplace_back(a.as_string());
            for (const auto& a : o.at("optional_attendees").as_array())
                e.optional.emplace_back(a.as_string());
            by_uid_[e.uid] = events_.size();
            events_.push_back(std::move(e));
        }
        for (const auto& v : root.at("unplanned").as_array()) {
            const json::object& o = v.as_object();
            unplanned_.insert(std::string(o.at("rule").as_string()) + "|" +
                              opt_str(o, "subject").value_or("") + "|" +
                              std::to_string(o.at("occurrence").as_int64()));
            if (o.at("reason").as_string().empty()) bad("unplanned", "empty reason");
        }
    }

    void check_order_and_uids() {
        std::set<std::string> uids;
        for (size_t i = 0; i < events_.size(); ++i) {
            if (!uids.insert(events_[i].uid).second) bad(events_[i].uid, "duplicate UID");
            if (i == 0) continue;
            const Ev& a = events_[i - 1];
            const Ev& b = events_[i];
            auto key = [](const Ev& e) {
                return std::make_tuple(e.date, !e.all_day, e.start, e.uid);
            };
            if (key(b) < key(a)) bad(b.uid, "events not sorted by start, then uid");
        }
    }

    void check_test(const Ev& e, const std::string& where, std::map<std::string, int>& per_day) {
        const TestPeriod* tp = in_.rules.period(e.rule);
        const Group* g = e.group ? s_.group(*e.group) : nullptr;
        if (!tp || !g) return bad(where, "unknown test period or group");
        if (!tp->range.contains(e.date)) bad(where, "test session outside its period");
        if (!school(e.date)) bad(where, "test session not on a school day");
        const int wd = wd_of(e.date);
        const auto& hours = s_.hours[wd];
        if (!hours || e.start < hours->start || e.end > hours->end)
            bad(where, "test outside lesson hours");
        if (hours && tp->morning_only && e.start >= hours->start + (hours->end - hours->start) / 2)
            bad(where, "test not in the morning");
        const std::vector<std::string> expected = teachers_of(*g, e.date);
        if (expected != e.attendees)
            bad(where, "test attendees are not the group's teachers of that day");
        for (const auto& p : e.attendees)
            if (!available(p, e.date)) bad(where, "teacher " + p + " not available");
        const Test* test =
            e.occurrence >= 1 && static_cast<size_t>(e.occurrence) <= tp->tests.size()
                ? &tp->tests[static_cast<size_t>(e.occurrence - 1)]
                : nullptr;
        if (!test) return bad(where, "test number out of range");
        if (e.end - e.start != test->minutes) bad(where, "test duration differs from minutes");
        if (++per_day[e.rule + "|" + *e.group + "|" + format_date(e.date)] > tp->max_tests_per_day)
            bad(where, "more tests on a day than max_tests_per_day");
    }

    void check_rule(const Ev& e, const std::string& where, std::map<std::string, int>& per_day) {
        const Rule* r = in_.rules.rule(e.rule);
        if (!r) return bad(where, "unknown rule");
        const int wd = wd_of(e.date);
        if (r->all_day != e.all_day) bad(where, "all_day differs from the rule");
        if (!e.all_day) {
            if (e.end - e.start != r->minutes) bad(where, "duration differs from minutes");
            for (const auto& p : e.attendees)
                if (!available(p, e.date)) bad(where, "required attendee " + p + " not available");
            // A teacher is busy during her group's lessons: only that group's own lesson-time
            // event (a teacher rule in its lessons naming the group) may take that time.
            const bool lesson_event = (r->for_each.kind == SubjectKind::teacher ||
                                       r->for_each.kind == SubjectKind::group) &&
                                      r->slot.kind == SlotKind::lessons;
            const auto& h = s_.hours[wd];
            if (school(e.date) && h && e.start < h->end && h->start < e.end)
                for (const auto& p : e.attendees) {
                    if (lesson_event && e.subject && p == *e.subject) continue;
                    for (const auto& g : s_.groups) {
                        const auto who = teachers_of(g, e.date);
                        if (std::find(who.begin(), who.end(), p) == who.end()) continue;
                        if (!(lesson_event && e.group && *e.group == g.id))
                            bad(where, "required attendee " + p + " stands in front of " + g.id);
                    }
                }
        }
        // An optional attendee is invited only while there: inside from..until and not absent
        // (a day they do not work is fine: they decide themselves).
        for (const auto& pid : e.optional) {
            const Person* p = s_.person(pid);
            if (!p || !at_school(*p, e.date) || absence(*p, e.date))
                bad(where, "optional attendee " + pid + " invited while not there");
        }
        // A follow-up that lists its own attendees has only the optional ones it lists.
        if (e.follows && r->attendees_given && !r->optional_attendees_given && !e.optional.empty())
            bad(where,
                "a follow-up with its own attendees has optional attendees it does not list");
        if (!e.all_day) {
            switch (r->slot.kind) {
                case SlotKind::lessons: {
                    if (!school(e.date)) bad(where, "lessons slot on a day without lessons");
                    const auto& h = s_.hours[wd];
                    if (!h || e.start < h->start || e.end > h->end)
                        bad(where, "outside lesson hours");
                    break;
                }
                case SlotKind::after_school:
                    if (e.start < s_.after_school.start || e.end > s_.after_school.end)
                        bad(where, "outside the after-school window");
                    break;
                case SlotKind::fixed:
                    if (e.start != r->slot.fixed_start) bad(where, "not at the rule's fixed time");
                    break;
            }
        }
        // The subject attends, and a teacher rule in lessons lies in a group the teacher teaches.
        const Person* subject = e.subject ? s_.person(*e.subject) : nullptr;
        if (subject && r->for_each.kind != SubjectKind::group &&
            r->for_each.kind != SubjectKind::school &&
            (e.attendees.empty() || e.attendees.front() != subject->id))
            bad(where, "the subject is not the first attendee");
        if (r->for_each.kind == SubjectKind::teacher && r->slot.kind == SlotKind::lessons &&
            !r->all_day) {
            const Group* g = e.group ? s_.group(*e.group) : nullptr;
            bool teaches = false;
            if (g && e.subject)
                for (const auto& who : teachers_of(*g, e.date))
                    if (who == *e.subject) teaches = true;
            if (!teaches || !school(e.date))
                bad(where, "the teacher does not teach the named group that day");
        }
        // any:role picks someone with the role who is not the subject.
        if (!r->follow_up() || r->attendees_given)
            for (const auto& a : r->attendees)
                if (a.kind == AttendeeKind::any_role) {
                    bool found = false;
                    for (const auto& p : e.attendees)
                        if (const Person* pp = s_.person(p); pp && p != e.subject)
                            for (const auto& role : a.roles)
                                if (pp->has_role(role)) found = true;
                    if (!found)
                        bad(where, "no attendee with role " + a.name + " besides the subject");
                }
        if (r->max_per_day)
            for (const auto& p : e.attendees)
                if (++per_day[r->id + "|" + p + "|" + format_date(e.date)] > *r->max_per_day)
                    bad(where, "max_per_day exceeded for " + p);
        if (r->avoid_test_periods)
            for (const auto& tp : in_.rules.test_periods)
                if (tp.range.contains(e.date)) bad(where, "inside a test period it must avoid");
        if (r->avoid_first_day_after_holiday && first_after_holiday(e.date))
            bad(where, "on the first school day after a holiday");

        if (const auto* c = std::get_if<CountTiming>(&r->timing)) {
            if (!c->windows.empty()) {
                const size_t k = static_cast<size_t>(e.occurrence - 1);
                if (k >= c->windows.size() || !c->windows[k].range.contains(e.date))
                    bad(where, "outside its window");
            }
            if (e.occurrence < 1 || e.occurrence > c->count) bad(where, "occurrence beyond count");
        } else if (const auto* ap = std::get_if<AfterPeriodTiming>(&r->timing)) {
            const size_t k = static_cast<size_t>(e.occurrence - 1);
            const TestPeriod* tp =
                k < ap->periods.size() ? in_.rules.period(ap->periods[k]) : nullptr;
            if (!tp) return bad(where, "no period for this occurrence");
            if (e.date <= tp->range.to || e.date > nth_after(tp->range.to, ap->within_school_days))
                bad(where, "not within " + std::to_string(ap->within_school_days) +
                               " school days after " + tp->id);
        } else if (const auto* f = r->follow_up()) {
            auto it = e.follows ? by_uid_.find(*e.follows) : by_uid_.end();
            if (it == by_uid_.end()) return bad(where, "follow-up without its target");
            const Ev& t = events_[it->second];
            if (t.rule != f->rule || t.subject != e.subject || t.occurrence != e.occurrence)
                bad(where, "follows the wrong occurrence");
            if (!f->before) {
                const bool order = e.date > t.date || (e.date == t.date && !e.all_day &&
                                                       !t.all_day && e.start >= t.end);
                if (!order) bad(where, "not after its target");
                if (e.date > nth_after(t.date, f->within_school_days))
                    bad(where, "too long after its target");
            } else {
                const bool order = e.date < t.date || (e.date == t.date && !e.all_day &&
                                                       !t.all_day && e.end <= t.start);
                if (!order) bad(where, "not before its target");
                if (e.date < nth_before(t.date, f->within_school_days))
                    bad(where, "too long before its target");
            }
        } else if (const auto* rec = std::get_if<RecurrenceTiming>(&r->timing)) {
            check_fixed(e, where, *r, rec->instances, rec->on_closed_day);
        } else if (const auto* dt = std::get_if<DatesTiming>(&r->timing)) {
            check_fixed(e, where, *r, dt->dates, dt->on_closed_day);
        }
    }

    void check_fixed(const Ev& e, const std::string& where, const Rule& r,
                     const std::vector<Date>& dates, OnClosedDay oc) {
        const size_t k = static_cast<size_t>(e.occurrence - 1);
        if (k >= dates.size()) return bad(where, "occurrence beyond the rule's dates");
        if (e.date == dates[k]) return;
        if (oc != OnClosedDay::next_staff_day || e.date < dates[k])
            return bad(where, "not on its date");
        // next_staff_day moves an instance off a closed day only: on an open day an absent or
        // busy attendee makes it unplanned, not moved.
        const bool open = staff(dates[k]) && (r.slot.kind != SlotKind::lessons || school(dates[k]));
        if (open) bad(where, "moved off an open day");
        if (k + 1 < dates.size() && e.date >= dates[k + 1])
            bad(where, "moved past the next occurrence");
    }

    void check_completeness() {
        std::set<std::string> have;
        for (const Ev& e : events_)
            have.insert(e.rule + "|" + e.subject.value_or("") + "|" + std::to_string(e.occurrence));
        auto expect = [&](const std::string& rule, const std::string& subject, int n) {
            const std::string key = rule + "|" + subject + "|" + std::to_string(n);
            if (!have.count(key) && !unplanned_.count(key))
                bad(key, "occurrence neither planned nor reported unplanned");
        };
        for (const auto& r : in_.rules.rules) {
            std::vector<std::string> subjects;
            switch (r.for_each.kind) {
                case SubjectKind::teacher: {
                    // Assigned to a group, or standing in for someone who is (the contract's
                    // "the substitute who teaches the group meanwhile is a teacher").
                    std::set<std::string> teachers;
                    for (const auto& g : s_.groups)
                        for (const auto& ta : g.teachers) {
                            teachers.insert(ta.person);
                            if (const Person* p = s_.person(ta.person))
                                for (const auto& a : p->absent)
                                    if (a.substitute) teachers.insert(*a.substitute);
                        }
                    for (const auto& p : s_.persons)
                        if (teachers.count(p.id)) subjects.push_back(p.id);
                    break;
                }
                case SubjectKind::group:
                    for (const auto& g : s_.groups) subjects.push_back(g.id);
                    break;
                case SubjectKind::starter:
                    for (const auto& p : s_.persons)
                        if (p.starter) subjects.push_back(p.id);
                    break;
                case SubjectKind::role:
                    for (const auto& p : s_.persons)
                        if (p.has_role(r.for_each.role)) subjects.push_back(p.id);
                    break;
                case SubjectKind::school:
                    subjects.push_back(s_.id);
                    break;
            }
            const bool person_subject =
                r.for_each.kind != SubjectKind::group && r.for_each.kind != SubjectKind::school;
            for (const auto& sub : subjects) {
                // Only while there: a term counts for a person at school on half its days.
                auto required = [&](sys_days lo, sys_days hi) {
                    return !person_subject || counts_for(sub, lo, hi);
                };
                if (const auto* c = std::get_if<CountTiming>(&r.timing))
                    for (int k = 1; k <= c->count; ++k) {
                        const bool w = static_cast<size_t>(k) <= c->windows.size();
                        if (w ? required(c->windows[static_cast<size_t>(k - 1)].range.from,
                                         c->windows[static_cast<size_t>(k - 1)].range.to)
                              : required(s_.first_day, s_.last_day))
                            expect(r.id, sub, k);
                    }
                if (const auto* ap = std::get_if<AfterPeriodTiming>(&r.timing))
                    for (size_t k = 1; k <= ap->periods.size(); ++k) {
                        const TestPeriod* tp = in_.rules.period(ap->periods[k - 1]);
                        if (!tp || required(tp->range.to + days{1},
                                            nth_after(tp->range.to, ap->within_school_days)))
                            expect(r.id, sub, static_cast<int>(k));
                    }
                if (const auto* dt = std::get_if<DatesTiming>(&r.timing))
                    for (size_t k = 1; k <= dt->dates.size(); ++k)
                        if (required(dt->dates[k - 1], dt->dates[k - 1]))
                            expect(r.id, sub, static_cast<int>(k));
            }
            if (const auto* f = r.follow_up())
                for (const Ev& t : events_)
                    if (t.rule == f->rule && t.status != "cancelled")
                        expect(r.id, t.subject.value_or(""), t.occurrence);
        }
        for (const auto& tp : in_.rules.test_periods)
            for (const auto& g : s_.groups)
                for (size_t k = 0; k < tp.tests.size(); ++k)
                    if (std::any_of(tp.tests[k].grades.begin(), tp.tests[k].grades.end(),
                                    [&](int gr) {
                                        return std::find(g.grades.begin(), g.grades.end(), gr) !=
                                               g.grades.end();
                                    }))
                        expect(tp.id, g.id, static_cast<int>(k + 1));
    }

    const LoadedSchool& in_;
    const School& s_;
    std::set<sys_days> staff_, school_;
    std::vector<sys_days> school_list_;
    std::vector<Ev> events_;
    std::map<std::string, size_t> by_uid_;
    std::set<std::string> unplanned_;
    std::vector<std::string> problems_;

  public:
    std::optional<LocalMoment> as_of;
};

}  // namespace

std::vector<std::string> check_plan(const LoadedSchool& school, const OfficialYear& official,
                                    const std::string& plan_json,
                                    std::optional<LocalMoment> as_of) {
    Checker c(school, official, plan_json);
    c.as_of = as_of;
    return c.run();
}

}  // namespace jk::testing
