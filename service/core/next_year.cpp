// Next school year from this one (next_year.hpp): school.toml and rules.toml of the new year as
// edits of this year's text (the school's comments and its own keys stay), people and groups as
// they are at the end of the year, dates moved by school weeks.
#include "jaarkalender/next_year.hpp"

#include <algorithm>
#include <set>

#include "jaarkalender/planner.hpp"
#include "staff_change/toml_text.hpp"
#include "text.hpp"

namespace jk {

namespace {

using namespace detail::toml_edit;
using std::chrono::days;

Date monday_of(Date d) {
    return d - days{weekday_index(d)};
}

/// A school day on or after `d` (the year's last day at the latest).
Date school_day_from(Date d, const SchoolCalendar& cal) {
    while (d < cal.last_day() && !cal.is_school_day(d)) d += days{1};
    return d;
}

/// The vacation that ended last before `d`, if any.
const Closure* vacation_before(Date d, const SchoolCalendar& cal) {
    const Closure* last = nullptr;
    for (const Closure& c : cal.closures())
        if (c.kind == ClosureKind::vakantie && c.range.to < d && c.range.to >= cal.first_day() &&
            (!last || c.range.to > last->range.to))
            last = &c;
    return last;
}

/// Moves dates of this year to the new one: the same school week counted from the vacation
/// before (or the start of the year), the same weekday, and a span's length in school days.
class Mover {
  public:
    Mover(const SchoolCalendar& from, const SchoolCalendar& to) : from_(from), to_(to) {}

    Date date(Date d) const {
        Date anchor = from_.first_day(), target = to_.first_day();
        anchors(d, anchor, target);
        return school_day_from(same_week(d, anchor, target), to_);
    }

    /// The last day of a span: the same school week and weekday, else the school day before.
    Date end(Date d) const {
        Date anchor = from_.first_day(), target = to_.first_day();
        anchors(d, anchor, target);
        Date e = same_week(d, anchor, target);
        while (e > to_.first_day() && !to_.is_school_day(e)) e -= days{1};
        return e;
    }

    /// A window: both ends by school week (a window is "until the second week after the
    /// kerstvakantie", whatever the school's own days off in it).
    DateRange window(DateRange r) const {
        const Date start = date(r.from);
        return {start, std::max(start, end(r.to))};
    }

    /// A test period: its start by school week, its length in school days.
    DateRange range(DateRange r) const {
        int school_days = 0;
        for (Date d = r.from; d <= r.to; d += days{1}) school_days += from_.is_school_day(d);
        const Date start = date(r.from);
        if (school_days == 0) return {start, start + (r.to - r.from)};
        Date end = start;
        for (int n = 1; n < school_days && end < to_.last_day();) {
            end += days{1};
            n += to_.is_school_day(end);
        }
        return {start, end};
    }

  private:
    /// The first school day after the vacation before `d` in both years (the vacation of the
    /// same name), else both years' first day.
    void anchors(Date d, Date& anchor, Date& target) const {
        if (const Closure* v = vacation_before(d, from_))
            for (const Closure& c : to_.closures())
                if (c.kind == ClosureKind::vakantie && c.name == v->name) {
                    anchor = school_day_from(v->range.to + days{1}, from_);
                    target = school_day_from(c.range.to + days{1}, to_);
                }
    }

    static Date same_week(Date d, Date anchor, Date target) {
        const auto weeks = (monday_of(d) - monday_of(anchor)).count() / 7;
        return monday_of(target) + days{weeks * 7 + weekday_index(d)};
    }

    const SchoolCalendar& from_;
    const SchoolCalendar& to_;
};

std::string span_nl(DateRange r) {
    return format_day_nl(r.from) + " t/m " + format_day_nl(r.to);
}

std::string days_list(WeekdaySet set) {
    std::vector<std::string> out;
    for (int d = 0; d < 5; ++d)
        if (set.contains(d)) out.emplace_back(weekday_code(d));
    return toml_list(out);
}

/// Every `[[array]]` block of the text removed (queued).
void remove_blocks(TomlText& text, std::string_view array) {
    if (const toml::array* a = text.doc()[array].as_array())
        for (const auto& n : *a)
            if (const toml::table* t = n.as_table()) {
                const auto [from, to] =
                    block_range(text.text(), text.offset(t->source().begin), array);
                text.splice(from, to, "");
            }
}

class Proposer {
  public:
    Proposer(const LoadedSchool& current, const SchoolSources& sources,
             const OfficialHolidays& official, std::string_view year)
        : now_(current), sources_(sources), official_(official), year_(year) {}

    Result<NextYearProposal> run() {
        out_.school_year = year_;
        out_.sources = sources_;
        out_.sources.school_toml = school_text();
        out_.sources.rules_toml = "";
        auto bare = load_school(out_.sources, official_);
        if (!bare) return bare.error();
        const Mover mover(now_.calendar, bare->calendar);
        out_.carried.insert(out_.carried.begin(),
                            "Schooljaar " + year_ + ": " +
                                span_nl({bare->calendar.first_day(), bare->calendar.last_day()}) +
                                ", met de vakanties van de overheid voor de regio");
        out_.sources.rules_toml = rules_text(mover);
        auto full = load_school(out_.sources, official_);
        if (!full) return full.error();
        return std::move(out_);
    }

  private:
    [[nodiscard]] bool stays(const Person& p) const {
        return !p.until || *p.until >= now_.school.last_day;
    }

    /// Working days of the last week of the year (a gap: the days of the whole year).
    [[nodiscard]] WeekdaySet works_at_end(const Person& p) const {
        const WeekdaySet end = p.works_on(now_.school.last_day);
        return end.empty() ? p.works : end;
    }

    std::string school_text() {
        const School& s = now_.school;
        TomlText text(sources_.school_toml, sources_.school_path);
        const toml::table* school = text.doc()["school"].as_table();
        if (school) {
            text.set_key(*school, "school_year", toml_string(year_));
            for (const char* k :
                 {"first_day", "last_day", "track_from", "open_on", "extra_closures"})
                if (school->contains(k)) text.remove_key(*school, k);
        }
        if (!s.open_on.empty())
            out_.todo.push_back("Feestdagen waarop de school open is: opnieuw kiezen (dit jaar: " +
                                [&] {
                                    std::vector<std::string> d;
                                    for (Date x : s.open_on) d.push_back(format_day_nl(x));
                                    return join_names(d);
                                }() +
                                ")");
        for (const char* array : {"closure", "vacation", "person", "group"})
            remove_blocks(text, array);
        text.finish();

        // The school's own closures and moved vacations are not guessed.
        std::vector<std::string> closures;
        for (const Closure& c : s.closures) closures.push_back(c.name);
        if (!closures.empty())
            out_.todo.push_back(
                "Studiedagen en vrije dagen nog invullen (dit jaar: " + join_names(closures) + ")");
        for (const VacationOverride& v : s.vacations)
            out_.todo.push_back(v.name + ": dit jaar verschoven (" + span_nl(v.range) +
                                "); kies de data van het nieuwe jaar, of houd die van de "
                                "overheid");

        std::set<std::string> kept;
        int absences = 0;
        for (const Person& p : s.persons) {
            absences += static_cast<int>(p.absent.size());
            if (!stays(p)) {
                out_.left_out.push_back(p.name + ": is er na " + format_day_nl(*p.until) +
                                        " niet meer");
                continue;
            }
            kept.insert(p.id);
            std::string b = "[[person]]\nid = " + toml_string(p.id) +
                            "\nname = " + toml_string(p.name) + "\nemail = " + toml_string(p.email);
            if (!p.roles.empty()) b += "\nroles = " + toml_list(p.roles);
            b += "\nworks = " + days_list(works_at_end(p));
            if (p.starter) b += "\nstarter = true";
            text.append_block(b);
        }
        if (absences > 0)
            out_.left_out.push_back(std::to_string(absences) +
                                    (absences == 1 ? " afwezigheid" : " afwezigheden") +
                                    ": die hoort bij dit schooljaar");
        out_.carried.push_back(std::to_string(kept.size()) +
                               " mensen, met hun werkdagen van de laatste schoolweek");
        for (const Group& g : s.groups) group_block(text, g, kept);
        out_.carried.push_back(std::to_string(s.groups.size()) +
                               " groepen, met de leerkrachten van de laatste schooldag");
        text.finish();
        return text.text();
    }

    void group_block(TomlText& text, const Group& g, const std::set<std::string>& kept) {
        std::string teachers;
        for (const TeacherAssignment& a : g.teachers) {
            if (!a.covers(now_.school.last_day) || !kept.count(a.person)) continue;
            const Person* p = now_.school.person(a.person);
            WeekdaySet days_in;
            for (int d = 0; d < 5; ++d)
                if (a.days.contains(d) && p && works_at_end(*p).contains(d)) days_in.insert(d);
            if (days_in.empty()) continue;
            teachers += std::string(teachers.empty() ? "" : ", ") +
                        "{ person = " + toml_string(a.person) + ", days = " + days_list(days_in) +
                        " }";
        }
        if (teachers.empty())
            out_.todo.push_back(g.name + " heeft nog geen leerkracht: vul de formatie in");
        std::string grades;
        for (int k : g.grades) grades += (grades.empty() ? "" : ", ") + std::to_string(k);
        text.append_block("[[group]]\nid = " + toml_string(g.id) +
                          "\nname = " + toml_string(g.name) + "\ngrades = [" + grades +
                          "]\nteachers = [ " + teachers + " ]");
    }

    std::string rules_text(const Mover& mover) {
        TomlText text(sources_.rules_toml, sources_.rules_path);
        for (const TestPeriod& p : now_.rules.test_periods) {
            const toml::table* t = text.element("test_period", p.id);
            if (!t) continue;
            const DateRange moved = mover.range(p.range);
            text.set_key(*t, "from", toml_date(moved.from));
            text.set_key(*t, "to", toml_date(moved.to));
            out_.carried.push_back(p.name + ": " + span_nl(p.range) + " → " + span_nl(moved));
        }
        std::set<std::string> off;
        for (const auto* list : {&now_.rules.rules, &now_.rules.inactive})
            for (const Rule& r : *list) rule(text, r, mover, off);
        text.finish();
        // What follows a rule that is off until its dates are filled in is off with it.
        for (const auto* list : {&now_.rules.rules, &now_.rules.inactive})
            for (const Rule& r : *list)
                if (const FollowUpTiming* f = r.follow_up(); f && off.count(f->rule))
                    out_.todo.push_back("'" + plain_title(r.title) + "' volgt op '" +
                                        plain_title(now_.rules.any_rule(f->rule)->title) +
                                        "' en staat daarom ook uit tot die data er zijn");
        return text.text();
    }

    void rule(TomlText& text, const Rule& r, const Mover& mover, std::set<std::string>& off) {
        const toml::table* t = text.element("rule", r.id);
        if (!t) return;
        if (const auto* count = std::get_if<CountTiming>(&r.timing);
            count && !count->windows.empty()) {
            std::string windows;
            for (const Window& w : count->windows) {
                const DateRange m = mover.window(w.range);
                windows += std::string(windows.empty() ? "" : ", ") +
                           "{ from = " + toml_date(m.from) + ", to = " + toml_date(m.to) + " }";
            }
            text.set_key(*t, "windows", "[ " + windows + " ]");
            out_.carried.push_back("'" + plain_title(r.title) +
                                   "': de periodes verschoven naar dezelfde schoolweken");
        }
        if (const auto* dates = std::get_if<DatesTiming>(&r.timing)) {
            // Not guessed: the dates stay where they would fall, the rule off until they are set.
            std::vector<std::string> was, moved;
            for (Date d : dates->dates) {
                was.push_back(format_day_nl(d));
                moved.push_back(toml_date(mover.date(d)));
            }
            std::string list;
            for (const auto& m : moved) list += (list.empty() ? "" : ", ") + m;
            text.set_key(*t, "dates", "[" + list + "]");
            if (r.active) text.set_key(*t, "active", "false");
            off.insert(r.id);
            out_.todo.push_back("Datum nog invullen: " + plain_title(r.title) + " (dit jaar " +
                                join_names(was) + "); de regel staat uit tot de data er zijn");
        }
    }

    const LoadedSchool& now_;
    const SchoolSources& sources_;
    const OfficialHolidays& official_;
    std::string year_;
    NextYearProposal out_;
};

}  // namespace

std::vector<std::string> unplanned_in_words(const LoadedSchool& school, const Plan& plan) {
    std::vector<std::string> out;
    for (const auto& u : plan.unplanned) {
        const Rule* r = school.rules.rule(u.rule);
        std::string who;
        if (u.subject) {
            if (const Person* p = school.school.person(*u.subject)) who = p->name;
            if (const Group* g = school.school.group(*u.subject)) who = g->name;
        }
        out.push_back((r ? r->label() : u.rule) + (who.empty() ? "" : ", " + who) + ": " +
                      u.reason);
    }
    return out;
}

ProposalPlan plan_proposal(const LoadedSchool& next) {
    PlanOptions o;
    // A stamp of its own (the proposal is made before the year, and plans the same every time).
    o.stamp = next.school.school_year.substr(0, 4) + "-06-01T00:00:00Z";
    ProposalPlan out{make_plan(next, o), {}};
    out.unplanned = unplanned_in_words(next, out.plan);
    return out;
}

std::string following_school_year(std::string_view year) {
    if (year.size() != 9 || year[4] != '-') return {};
    int first = 0;
    for (char c : year.substr(0, 4)) {
        if (c < '0' || c > '9') return {};
        first = first * 10 + (c - '0');
    }
    return std::to_string(first + 1) + "-" + std::to_string(first + 2);
}

std::string previous_school_year(std::string_view year) {
    if (following_school_year(year).empty()) return {};
    int first = 0;
    for (char c : year.substr(0, 4)) first = first * 10 + (c - '0');
    return std::to_string(first - 1) + "-" + std::to_string(first);
}

Result<NextYearProposal> propose_next_year(const LoadedSchool& current,
                                           const SchoolSources& sources,
                                           const OfficialHolidays& official,
                                           std::string_view school_year) {
    return Proposer(current, sources, official, school_year).run();
}

}  // namespace jk
