#include <algorithm>

#include "jaarkalender/model.hpp"
#include "jaarkalender/plan.hpp"

namespace jk {

std::string_view to_string(Region r) {
    switch (r) {
        case Region::noord:
            return "noord";
        case Region::midden:
            return "midden";
        case Region::zuid:
            return "zuid";
    }
    return "?";
}

std::string_view to_string(ClosureKind k) {
    switch (k) {
        case ClosureKind::vakantie:
            return "vakantie";
        case ClosureKind::feestdag:
            return "feestdag";
        case ClosureKind::studiedag:
            return "studiedag";
        case ClosureKind::vrij:
            return "vrij";
    }
    return "?";
}

std::string_view to_string(Phase p) {
    switch (p) {
        case Phase::plan:
            return "plan";
        case Phase::do_:
            return "do";
        case Phase::check:
            return "check";
        case Phase::act:
            return "act";
    }
    return "?";
}

std::string_view to_string(EventKind k) {
    switch (k) {
        case EventKind::rule:
            return "rule";
        case EventKind::test_session:
            return "test_session";
        case EventKind::test_period:
            return "test_period";
    }
    return "?";
}

std::string_view describe_nl(EventStatus s) {
    switch (s) {
        case EventStatus::planned:
            return "gepland";
        case EventStatus::done:
            return "gehouden";
        case EventStatus::cancelled:
            return "geannuleerd";
        case EventStatus::moved:
            return "verplaatst";
    }
    return "gepland";
}

std::string_view to_string(EventStatus s) {
    switch (s) {
        case EventStatus::planned:
            return "planned";
        case EventStatus::done:
            return "done";
        case EventStatus::cancelled:
            return "cancelled";
        case EventStatus::moved:
            return "moved";
    }
    return "?";
}

std::optional<EventStatus> parse_event_status(std::string_view s) {
    for (auto st :
         {EventStatus::planned, EventStatus::done, EventStatus::cancelled, EventStatus::moved})
        if (to_string(st) == s) return st;
    return std::nullopt;
}

bool Person::has_role(std::string_view role) const {
    return std::find(roles.begin(), roles.end(), role) != roles.end();
}

const Absence* Person::absence_on(Date d) const {
    for (const auto& a : absent)
        if (a.range.contains(d)) return &a;
    return nullptr;
}

WeekdaySet Person::works_on(Date d) const {
    if (work_periods.empty()) return works;
    for (const WorkPeriod& w : work_periods)
        if (w.covers(d)) return w.days;
    return {};
}

bool Person::available_on(Date d) const {
    return works_on(d).contains(weekday_index(d)) && at_school(d) && !absence_on(d);
}

namespace {

std::vector<std::string> ids_of(const std::vector<const Person*>& people) {
    std::vector<std::string> out;
    out.reserve(people.size());
    for (const Person* p : people) out.push_back(p->id);
    return out;
}

void add_once(std::vector<const Person*>& out, const Person* p) {
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
}

}  // namespace

std::vector<const Person*> School::teacher_people_on(const Group& g, Date d) const {
    std::vector<const Person*> out;
    teacher_people_on(g, d, out);
    return out;
}

void School::teacher_people_on(const Group& g, Date d, std::vector<const Person*>& out) const {
    out.clear();
    const int wd = weekday_index(d);
    for (const auto& ta : g.teachers) {
        if (!ta.days.contains(wd) || !ta.covers(d)) continue;
        const Person* p = person(ta.person);
        if (!p) continue;
        if (p->available_on(d)) {
            add_once(out, p);
        } else if (const Absence* a = p->absence_on(d); a && a->substitute) {
            const Person* sub = person(*a->substitute);
            if (sub && sub->available_on(d)) add_once(out, sub);
        }
    }
}

std::vector<std::string> School::teachers_on(const Group& g, Date d) const {
    return ids_of(teacher_people_on(g, d));
}

std::vector<const Person*> School::group_teacher_people_on(const Group& g, Date d) const {
    std::vector<const Person*> out;
    for (const auto& ta : g.teachers) {
        const Person* p = person(ta.person);
        if (!p || !ta.covers(d) || !p->at_school(d)) continue;
        const Absence* a = p->absence_on(d);
        const Person* sub = a && a->substitute ? person(*a->substitute) : nullptr;
        add_once(out, sub && sub->at_school(d) ? sub : p);
    }
    return out;
}

std::vector<std::string> School::group_teachers_on(const Group& g, Date d) const {
    return ids_of(group_teacher_people_on(g, d));
}

std::optional<LocalMoment> parse_local_moment(std::string_view text) {
    if (text.size() != 16 || text[10] != 'T') return std::nullopt;
    auto d = parse_date(text.substr(0, 10));
    auto t = parse_time(text.substr(11));
    if (!d || !t) return std::nullopt;
    return LocalMoment{*d, *t};
}

bool starts_before(const Event& e, const LocalMoment& m) {
    if (e.date != m.date) return e.date < m.date;
    return e.all_day ? m.minute > 0 : e.start < m.minute;
}

std::string_view to_string(PlanChangeKind k) {
    switch (k) {
        case PlanChangeKind::moved:
            return "moved";
        case PlanChangeKind::cancelled:
            return "cancelled";
        case PlanChangeKind::restored:
            return "restored";
    }
    return "?";
}

std::optional<PlanChangeKind> parse_plan_change_kind(std::string_view s) {
    for (auto k : {PlanChangeKind::moved, PlanChangeKind::cancelled, PlanChangeKind::restored})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

std::string PlanChange::what_nl() const {
    switch (what) {
        case PlanChangeKind::moved:
            return "verschoven van " + start_nl(from) + " naar " + start_nl(to);
        case PlanChangeKind::cancelled:
            return "vervallen (was " + start_nl(from) + ")";
        case PlanChangeKind::restored:
            return "weer ingepland op " + start_nl(to);
    }
    return {};
}

std::string start_nl(std::string_view iso) {
    const auto d = parse_date(iso.substr(0, std::min<size_t>(10, iso.size())));
    return (d ? format_date_nl(*d) : std::string(iso)) +
           (iso.size() >= 16 ? " " + std::string(iso.substr(11, 5)) : "");
}

const Person* School::person(std::string_view pid) const {
    for (const auto& p : persons)
        if (p.id == pid) return &p;
    return nullptr;
}

const Person* School::person_with_email(std::string_view email) const {
    if (email.empty()) return nullptr;
    auto same = [&](const std::string& other) {
        return other.size() == email.size() &&
               std::equal(other.begin(), other.end(), email.begin(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) ==
                          std::tolower(static_cast<unsigned char>(b));
               });
    };
    for (const auto& p : persons)
        if (same(p.email)) return &p;
    return nullptr;
}

const Group* School::group(std::string_view gid) const {
    for (const auto& g : groups)
        if (g.id == gid) return &g;
    return nullptr;
}

bool School::is_teacher(std::string_view pid) const {
    for (const auto& g : groups)
        for (const auto& t : g.teachers) {
            if (t.person == pid) return true;
            // The substitute who teaches the group meanwhile is a teacher too, with windows of
            // their own (spec "Changes during the year").
            if (const Person* p = person(t.person))
                for (const Absence& a : p->absent)
                    if (a.substitute == std::optional<std::string>(pid)) return true;
        }
    return false;
}

bool TestPeriod::concerns(const std::vector<int>& grades) const {
    for (const auto& t : tests)
        for (int g : t.grades)
            if (std::find(grades.begin(), grades.end(), g) != grades.end()) return true;
    return false;
}

std::vector<std::string> subject_ids(const SubjectSpec& for_each, const School& s) {
    std::vector<std::string> out;
    switch (for_each.kind) {
        case SubjectKind::teacher:
            for (const auto& p : s.persons)
                if (s.is_teacher(p.id)) out.push_back(p.id);
            break;
        case SubjectKind::group:
            for (const auto& g : s.groups) out.push_back(g.id);
            break;
        case SubjectKind::starter:
            for (const auto& p : s.persons)
                if (p.starter) out.push_back(p.id);
            break;
        case SubjectKind::role:
            for (const auto& p : s.persons)
                if (p.has_role(for_each.role)) out.push_back(p.id);
            break;
        case SubjectKind::school:
            out.push_back(s.id);
            break;
    }
    return out;
}

const TestPeriod* Rules::period(std::string_view pid) const {
    for (const auto& p : test_periods)
        if (p.id == pid) return &p;
    return nullptr;
}

const Rule* Rules::rule(std::string_view rid) const {
    for (const auto& r : rules)
        if (r.id == rid) return &r;
    return nullptr;
}

const Rule* Rules::any_rule(std::string_view rid) const {
    if (const Rule* r = rule(rid)) return r;
    for (const auto& r : inactive)
        if (r.id == rid) return &r;
    return nullptr;
}

std::string Event::start_iso() const {
    return all_day ? format_date(date) : format_local_iso(date, start);
}

std::string Event::end_iso() const {
    return all_day ? format_date(end_date) : format_local_iso(end_date, end);
}

bool Event::attended_by(std::string_view person) const {
    return std::find(attendees.begin(), attendees.end(), person) != attendees.end() ||
           std::find(optional_attendees.begin(), optional_attendees.end(), person) !=
               optional_attendees.end();
}

std::string Event::when_nl() const {
    std::string s = format_date_nl(date);
    if (all_day) {
        if (end_date != date) s += " t/m " + format_date_nl(end_date);
        return s + " (hele dag)";
    }
    return s + ", " + format_time(start) + "–" + format_time(end);
}

void release_spare_capacity(Plan& plan) {
    // A daemon keeps a plan per school for months: no spare capacity (up to half of it after
    // push_back and append growth; about 100 KB per school).
    plan.events.shrink_to_fit();
    for (Event& e : plan.events) {
        e.attendees.shrink_to_fit();
        e.optional_attendees.shrink_to_fit();
        e.uid.shrink_to_fit();
        e.title.shrink_to_fit();
        e.description.shrink_to_fit();
    }
}

const Event* Plan::find(std::string_view uid) const {
    for (const auto& e : events)
        if (e.uid == uid) return &e;
    return nullptr;
}

void sort_events(std::vector<Event>& events) {
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
        if (a.date != b.date) return a.date < b.date;
        if (a.all_day != b.all_day) return a.all_day;  // all-day first on the same date
        if (a.start != b.start) return a.start < b.start;
        return a.uid < b.uid;
    });
}

std::string_view to_string(Category c) {
    switch (c) {
        case Category::consultatie:
            return "consultatie";
        case Category::bespreking:
            return "bespreking";
        case Category::vergadering:
            return "vergadering";
        case Category::overleg:
            return "overleg";
        case Category::taak:
            return "taak";
        case Category::toets:
            return "toets";
    }
    return "bespreking";
}

std::optional<Category> parse_category(std::string_view s) {
    for (Category c : kAllCategories)
        if (to_string(c) == s) return c;
    return std::nullopt;
}

std::string_view plural_nl(Category c) {
    switch (c) {
        case Category::consultatie:
            return "consultaties";
        case Category::bespreking:
            return "besprekingen";
        case Category::vergadering:
            return "vergaderingen";
        case Category::overleg:
            return "overleggen";
        case Category::taak:
            return "taken";
        case Category::toets:
            return "toetsen";
    }
    return "afspraken";
}

std::string Rule::label() const {
    std::string t = title.substr(0, title.find('{'));
    while (!t.empty() && (t.back() == ' ' || t.back() == '(')) t.pop_back();
    return t.empty() ? id : t;
}

}  // namespace jk
