// The jaarplanning view model and the event rows of the exports
// (include/jaarkalender/jaarplanning.hpp).
#include "jaarkalender/jaarplanning.hpp"

#include <algorithm>
#include <map>

#include "jaarkalender/tracking.hpp"
#include "text.hpp"

namespace jk {
namespace {

using std::chrono::days;

/// "di 19 jan": the day without the year, the month abbreviated as in when_nl().
std::string short_day(Date d) {
    const std::string full = format_date_nl(d);  // "di 19 jan 2027"
    return full.substr(0, full.rfind(' '));
}

std::string names_of(const LoadedSchool& s, const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        const Person* p = s.school.person(id);
        out += (out.empty() ? "" : ", ") + (p ? p->name : id);
    }
    return out;
}

std::string kind_text(const Event& e, const LoadedSchool& s) {
    if (e.kind == EventKind::test_period) return "Toetsperiode";
    std::string k(to_string(category_of(e, s.rules)));
    k[0] = static_cast<char>(k[0] - 'a' + 'A');
    return k;
}

/// A test session's test: its title without the group ("Rekenen-Wiskunde (Groep 4/5)").
std::string test_name(const Event& e) {
    const auto paren = e.title.rfind(" (");
    return paren == std::string::npos ? e.title : e.title.substr(0, paren);
}

}  // namespace

std::string_view heading_nl(PlanColumn c) {
    constexpr std::string_view kHeadings[kPlanColumns] = {"Toetsen", "Consultaties", "Besprekingen",
                                                          "Vergaderingen", "Bestuur en overleg"};
    return kHeadings[static_cast<std::size_t>(c)];
}

PlanColumn column_of(Category c) {
    switch (c) {
        case Category::toets:
            return PlanColumn::toetsen;
        case Category::consultatie:
            return PlanColumn::consultaties;
        case Category::bespreking:
        case Category::taak:
            return PlanColumn::besprekingen;
        case Category::vergadering:
            return PlanColumn::vergaderingen;
        case Category::overleg:
            return PlanColumn::overleg;
    }
    return PlanColumn::besprekingen;
}

bool in_filter(const Event& e, const LoadedSchool& s, const PlanFilter& f) {
    if (f.person && !e.attended_by(*f.person) && e.owner != f.person) return false;
    if (f.group) {
        if (e.kind == EventKind::test_period) {
            const Group* g = s.school.group(*f.group);
            const TestPeriod* tp = s.rules.period(e.rule);
            return g && tp && tp->concerns(g->grades);
        }
        return e.group == f.group || e.subject == f.group;
    }
    return true;
}

Jaarplanning build_jaarplanning(const Plan& plan, const LoadedSchool& s, const PlanFilter& f) {
    Jaarplanning jp;
    jp.school_name = s.school.name;
    jp.school_year = plan.school_year;
    jp.title = "Jaarplanning " + plan.school_year;
    if (f.person)
        if (const Person* p = s.school.person(*f.person)) jp.title += " van " + p->name;
    if (f.group)
        if (const Group* g = s.school.group(*f.group)) jp.title += " van " + g->name;
    const SchoolCalendar& cal = s.calendar;
    const bool whole_school = !f.person && !f.group;
    for (Date monday = monday_of(cal.first_day()); monday <= cal.last_day(); monday += days{7}) {
        PlanWeek w;
        w.iso_week = iso_week(monday);
        w.monday = monday;
        const Date friday = monday + days{4};
        w.dates = short_day(std::max(monday, cal.first_day())) + " – " +
                  short_day(std::min(friday, cal.last_day()));
        std::optional<Date> first_school_day;
        std::vector<int> seen;  // closure indices already named this week
        for (Date d = monday; d <= friday; d += days{1}) {
            const int idx = cal.index(d);
            if (idx >= 0 && cal.is_school_day(d) && !first_school_day) first_school_day = d;
            if (idx < 0 || cal.day(idx).closure < 0) continue;
            const int c = cal.day(idx).closure;
            if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
            seen.push_back(c);
            const Closure& cl = cal.closures()[static_cast<size_t>(c)];
            // A vacation by its name; a single day with its date.
            w.closed.push_back(cl.range.from == cl.range.to ? short_day(d) + ": " + cl.name
                                                            : cl.name);
        }
        w.school_week = first_school_day.has_value();
        const unsigned month = static_cast<unsigned>(
            std::chrono::year_month_day{first_school_day.value_or(monday)}.month());
        w.month = static_cast<int>(month);
        for (const TestPeriod& tp : s.rules.test_periods)
            if (tp.range.from <= friday && tp.range.to >= monday) {
                if (f.group) {
                    const Group* g = s.school.group(*f.group);
                    if (!g || !tp.concerns(g->grades)) continue;
                }
                w.periods.push_back(tp.name);
            }
        // The week's events by column; the whole school's test sessions as one line per test.
        std::map<std::string, std::pair<int, std::pair<Date, Date>>> tests;
        for (const Event& e : plan.events) {
            if (e.date < monday || e.date > friday + days{2}) continue;
            if (e.kind == EventKind::test_period || e.status == EventStatus::cancelled) continue;
            if (!in_filter(e, s, f)) continue;
            const PlanColumn col = column_of(category_of(e, s.rules));
            if (e.kind == EventKind::test_session && whole_school) {
                auto& [n, span] = tests[test_name(e)];
                span = n == 0
                           ? std::pair{e.date, e.date}
                           : std::pair{std::min(span.first, e.date), std::max(span.second, e.date)};
                ++n;
                continue;
            }
            std::string text = short_day(e.date);
            if (!e.all_day) text += " " + format_time(e.start);
            text += " " + e.title;
            if (e.status == EventStatus::done) text += " (gehouden)";
            w.columns[static_cast<size_t>(col)].push_back({e.date, text, e.uid});
        }
        for (const auto& [name, v] : tests) {
            const auto& [n, span] = v;
            std::string when = short_day(span.first);
            if (span.second != span.first) when += " – " + short_day(span.second);
            w.columns[static_cast<size_t>(PlanColumn::toetsen)].push_back(
                {span.first,
                 name + ": " + std::to_string(n) + (n == 1 ? " groep" : " groepen") + " (" + when +
                     ")",
                 ""});
        }
        auto& t = w.columns[static_cast<size_t>(PlanColumn::toetsen)];
        std::stable_sort(t.begin(), t.end(),
                         [](const PlanItem& a, const PlanItem& b) { return a.date < b.date; });
        jp.weeks.push_back(std::move(w));
    }
    return jp;
}

std::vector<EventRow> event_rows(const Plan& plan, const LoadedSchool& s, const PlanFilter& f) {
    std::vector<EventRow> out;
    for (const Event& e : plan.events) {
        if (!in_filter(e, s, f)) continue;
        EventRow r;
        r.date = e.date;
        r.end_date = e.end_date;
        if (!e.all_day) r.start = e.start, r.end = e.end;
        r.title = e.title;
        r.kind = kind_text(e, s);
        r.attendees = names_of(s, e.attendees);
        r.status = describe_nl(e.status);
        if (e.owner)
            if (const Person* p = s.school.person(*e.owner)) r.owner = p->name;
        r.uid = e.uid;
        out.push_back(std::move(r));
    }
    return out;
}

std::string render_csv(const std::vector<EventRow>& rows) {
    // A cell that a spreadsheet would read as a formula (=, +, -, @; a tab or CR before one)
    // starts with an apostrophe, so that it shows as the text it is (OWASP, CSV injection); no
    // cell holds a control character.
    auto field = [](const std::string& raw) {
        const bool formula =
            !raw.empty() && std::string_view("=+-@\t\r").find(raw[0]) != std::string_view::npos;
        std::string v = (formula ? "'" : "") + without_controls(raw, true);
        if (v.find_first_of(";\"\n") == std::string::npos) return v;
        std::string q = "\"";
        for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    auto date = [](Date d) {
        const std::string iso = format_date(d);  // yyyy-mm-dd → dd-mm-yyyy
        return iso.substr(8, 2) + "-" + iso.substr(5, 2) + "-" + iso.substr(0, 4);
    };
    std::string out = "\xEF\xBB\xBF";
    out += "Datum;Tot en met;Begin;Einde;Wat;Soort;Wie;Status;Eigenaar;UID\r\n";
    for (const EventRow& r : rows) {
        out += date(r.date) + ";" + date(r.end_date) + ";" +
               (r.start ? format_time(*r.start) : "") + ";" + (r.end ? format_time(*r.end) : "") +
               ";" + field(r.title) + ";" + field(r.kind) + ";" + field(r.attendees) + ";" +
               r.status + ";" + field(r.owner) + ";" + r.uid + "\r\n";
    }
    return out;
}

}  // namespace jk
