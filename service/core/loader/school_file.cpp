// school.toml: people, groups, lesson hours, the school year and its closed days, read with
// their positions (school_file.hpp).
#include "loader/school_file.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>

#include "loader/read_common.hpp"

namespace jk::detail {
namespace {

using std::chrono::days;

/// A date key's position, kept for the checks against the school year.
void keep_pos(const TableReader& t, std::string_view key, const std::string& name,
              SchoolReadState& st) {
    if (const toml::node* n = t.node(key)) st.fact_pos[name] = t.ctx().pos(n->source());
}

/// `works`: a list of days for the whole year, or dated entries when the days change during the
/// year (`[ { days = [...], until = ... }, { days = [...], from = ... } ]`, never overlapping).
/// A person without `works` works every weekday (a full-timer need not list them).
void read_works(const FileContext& ctx, const TableReader& t, Person& p, SchoolReadState& st) {
    const toml::node* n = t.node("works");
    if (!n) {
        p.works = WeekdaySet(0b11111);
        return;
    }
    const toml::array* list = n->as_array();
    if (!list || list->empty() || !list->front().is_table()) {
        if (auto w = read_weekdays(t, "works", true)) p.works = *w;
        return;
    }
    for_each_table(t, "works", [&](const toml::table& wt, size_t i) {
        TableReader w(ctx, wt, "works", {"days", "from", "until"});
        WorkPeriod wp;
        wp.pos = w.pos();
        const auto days = read_weekdays(w, "days", true);
        wp.from = w.date("from");
        wp.until = w.date("until");
        const std::string key = "works\n" + p.id + "\n" + std::to_string(i);
        keep_pos(w, "from", key + "\nfrom", st);
        keep_pos(w, "until", key + "\nuntil", st);
        if (!days) return;
        wp.days = *days;
        if (wp.from && wp.until && *wp.until < *wp.from) {
            ctx.error(w.node("until")->source(), "'until' (" + format_date(*wp.until) +
                                                     ") ligt voor 'from' (" +
                                                     format_date(*wp.from) + ")");
            return;
        }
        for (const WorkPeriod& other : p.work_periods)
            if ((!other.until || !wp.from || *wp.from <= *other.until) &&
                (!wp.until || !other.from || *other.from <= *wp.until)) {
                ctx.error(wp.pos,
                          "deze werkdagen overlappen met een eerdere regel van 'works'; geef de "
                          "ene 'until' en de andere een latere 'from'");
                return;
            }
        p.work_periods.push_back(std::move(wp));
    });
    std::sort(p.work_periods.begin(), p.work_periods.end(),
              [](const WorkPeriod& a, const WorkPeriod& b) { return a.from < b.from; });
    std::uint8_t all = 0;
    for (const WorkPeriod& wp : p.work_periods) all |= wp.days.bits();
    p.works = WeekdaySet(all);
}

void read_person(const FileContext& ctx, const toml::table& pt, SchoolReadState& st) {
    TableReader t(ctx, pt, "[[person]]",
                  {"id", "name", "email", "roles", "works", "starter", "absent", "from", "until"});
    Person p;
    p.pos = t.pos();
    p.id = read_id(t, "de id van deze persoon, bijvoorbeeld 'anna'");
    p.name = t.string("name", true, "de naam, bijvoorbeeld \"Anna de Vries\"").value_or(p.id);
    if (auto email = t.string("email")) {
        auto at = email->find('@');
        if (at == std::string::npos || at == 0 || at + 1 >= email->size() ||
            email->find_first_of(" \t\r\n<>,;\"") != std::string::npos)
            ctx.error(t.node("email")->source(), "'" + *email + "' is geen geldig e-mailadres");
        else
            p.email = *email;
    }
    if (auto roles = t.strings("roles")) {
        for (const auto& r : *roles) {
            if (!is_slug(r))
                ctx.error(t.node("roles")->source(),
                          "rol '" + r + "' is ongeldig: gebruik kleine letters, cijfers en '-'");
            else if (!p.has_role(r))
                p.roles.push_back(r);
        }
    }
    read_works(ctx, t, p, st);
    p.starter = t.boolean("starter").value_or(false);
    p.from = t.date("from");
    p.until = t.date("until");
    keep_pos(t, "from", "person\n" + p.id + "\nfrom", st);
    keep_pos(t, "until", "person\n" + p.id + "\nuntil", st);
    if (p.from && p.until && *p.until < *p.from) {
        ctx.error(t.node("until")->source(), "'until' (" + format_date(*p.until) +
                                                 ") ligt voor 'from' (" + format_date(*p.from) +
                                                 ")");
        p.until.reset();
    }
    t.array("absent", [&](const toml::node& n, size_t) {
        const toml::table* at = n.as_table();
        if (!at) {
            t.type_error(n, "absent", "tabel { from = ..., to = ..., reason = ... }");
            return;
        }
        TableReader a(ctx, *at, "absent", {"from", "to", "reason", "substitute"});
        auto range = read_from_to(a);
        std::string reason = a.string("reason").value_or("afwezig");
        auto substitute = a.string("substitute");
        const std::string key = "absent\n" + p.id + "\n" + std::to_string(p.absent.size());
        keep_pos(a, "from", key + "\nfrom", st);
        keep_pos(a, "substitute", key + "\nsubstitute", st);
        if (range) p.absent.push_back({*range, reason, substitute});
    });
    st.school.persons.push_back(std::move(p));
}

void read_group(const FileContext& ctx, const toml::table& gt, SchoolReadState& st,
                std::map<std::string, SourcePos>& teacher_pos) {
    TableReader t(ctx, gt, "[[group]]", {"id", "name", "grades", "teachers"});
    Group g;
    g.pos = t.pos();
    g.id = read_id(t, "de id van de groep, bijvoorbeeld 'groep-4-5'");
    g.name = t.string("name", true, "de naam, bijvoorbeeld \"Groep 4/5\"").value_or(g.id);
    if (auto grades = read_grades(t, "grades")) g.grades = *grades;
    t.array(
        "teachers",
        [&](const toml::node& n, size_t) {
            const toml::table* tt = n.as_table();
            if (!tt) {
                t.type_error(n, "teachers", "tabel { person = ..., days = [...] }");
                return;
            }
            TableReader a(ctx, *tt, "teachers", {"person", "days", "from", "until"});
            TeacherAssignment ta;
            ta.person = a.string("person", true, "de id van de leerkracht").value_or("");
            auto d = read_weekdays(a, "days", true);
            if (d) ta.days = *d;
            ta.from = a.date("from");
            ta.until = a.date("until");
            if (ta.person.empty() || !d) return;
            if (ta.from && ta.until && *ta.until < *ta.from) {
                ctx.error(a.node("until")->source(), "'until' (" + format_date(*ta.until) +
                                                         ") ligt voor 'from' (" +
                                                         format_date(*ta.from) + ")");
                return;
            }
            // One person may teach a group twice (days that change on a date), never in
            // overlapping periods.
            for (const auto& other : g.teachers)
                if (other.person == ta.person &&
                    (!other.until || !ta.from || *ta.from <= *other.until) &&
                    (!ta.until || !other.from || *other.from <= *ta.until))
                    ctx.error(a.node("person")->source(),
                              "'" + ta.person +
                                  "' staat twee keer bij deze groep in dezelfde periode; geef "
                                  "de ene 'until' en de andere een latere 'from'");
            const std::string key = "group\n" + g.id + "\n" + std::to_string(g.teachers.size());
            keep_pos(a, "from", key + "\nfrom", st);
            keep_pos(a, "until", key + "\nuntil", st);
            keep_pos(a, "days", key + "\ndays", st);
            teacher_pos[g.id + "\n" + ta.person] = ctx.pos(a.node("person")->source());
            teacher_pos[g.id + "\n" + ta.person + "\ndays"] = ctx.pos(a.node("days")->source());
            g.teachers.push_back(std::move(ta));
        },
        true, "de leerkrachten, bijvoorbeeld [ { person = \"bram\", days = [\"ma\", \"di\"] } ]");
    st.school.groups.push_back(std::move(g));
}

void read_school_table(const FileContext& ctx, const toml::table& root, SchoolReadState& st,
                       const OfficialHolidays& official) {
    const toml::node* sn = root.get("school");
    if (!sn || !sn->is_table()) {
        ctx.error(sn ? sn->source() : root.source(),
                  "de tabel [school] ontbreekt (met id, name, region en school_year)");
        st.calendar_ok = false;
        return;
    }
    TableReader t(ctx, *sn->as_table(), "[school]",
                  {"id", "name", "region", "school_year", "timezone", "first_day", "last_day",
                   "track_from", "open_on", "extra_closures", "hours", "meetings", "mail"});
    School& s = st.school;
    s.id = read_id(t, "de id van de school, bijvoorbeeld 'voorbeeldschool'");
    s.name = t.string("name", true, "de naam van de school").value_or(s.id);
    if (auto region = t.string("region", true, "noord, midden of zuid")) {
        if (*region == "noord")
            s.region = Region::noord;
        else if (*region == "midden")
            s.region = Region::midden;
        else if (*region == "zuid")
            s.region = Region::zuid;
        else {
            std::string msg = "region '" + *region + "' bestaat niet; kies noord, midden of zuid";
            std::string near = closest_match(*region, {"noord", "midden", "zuid"});
            if (!near.empty()) msg += " (bedoelde je '" + near + "'?)";
            ctx.error(t.node("region")->source(), msg);
            st.calendar_ok = false;
        }
    } else {
        st.calendar_ok = false;
    }
    if (auto year = t.string("school_year", true, "bijvoorbeeld \"2026-2027\"")) {
        s.school_year = *year;
        st.official = official.year(*year);
        if (!st.official) {
            ctx.error(t.node("school_year")->source(),
                      "voor schooljaar '" + *year +
                          "' zijn geen officiële vakanties bekend; bekend zijn: " +
                          join(official.known_years()) +
                          ". Zet de vakanties van dat jaar (van "
                          "de Rijksoverheid) in " +
                          (official.file.empty()
                               ? std::string("official/schoolvakanties.toml in de map met de "
                                             "scholen (calendars/official/schoolvakanties.toml)")
                               : official.file) +
                          "; een nieuw jaar vraagt een bestand, geen nieuwe versie");
            st.calendar_ok = false;
        }
    } else {
        st.calendar_ok = false;
    }
    if (auto tz = t.string("timezone")) {
        if (*tz != "Europe/Amsterdam")
            ctx.error(t.node("timezone")->source(),
                      "tijdzone '" + *tz + "' wordt niet ondersteund; alleen Europe/Amsterdam");
    }
    st.first_day = t.date("first_day");
    st.last_day = t.date("last_day");
    if ((t.has("first_day") && !st.first_day) || (t.has("last_day") && !st.last_day))
        st.calendar_ok = false;
    st.track_from = t.date("track_from");
    t.array("open_on", [&](const toml::node& n, size_t) {
        if (auto d = t.date_of(n, "open_on")) st.open_on.emplace_back(*d, ctx.pos(n.source()));
    });
    if (auto ec = t.string("extra_closures")) {
        if (ec->empty() || ec->find('/') != std::string::npos ||
            ec->find("..") != std::string::npos)
            ctx.error(t.node("extra_closures")->source(),
                      "extra_closures is de naam van een .ics-bestand naast school.toml, "
                      "zonder map ervoor");
        else
            st.extra_closures.emplace(*ec, ctx.pos(t.node("extra_closures")->source()));
    }
    if (const toml::node* hn = t.node("hours")) {
        if (const toml::table* ht = hn->as_table()) {
            TableReader h(ctx, *ht, "[school.hours]", kWeekdayKeys);
            bool any = false;
            for (int wd = 0; wd < 5; ++wd) {
                auto v = h.string(kWeekdayKeys[static_cast<size_t>(wd)]);
                if (!v) continue;
                auto r = parse_time_range(*v);
                if (!r) {
                    ctx.error(h.node(kWeekdayKeys[static_cast<size_t>(wd)])->source(),
                              "'" + *v + "' is geen lestijd; schrijf \"08:30-14:30\"");
                    continue;
                }
                s.hours[wd] = *r;
                any = true;
            }
            if (!any && !ht->empty()) {
                // errors above already explain it
            } else if (!any) {
                ctx.error(hn->source(), "[school.hours] noemt geen enkele lesdag");
            }
        } else {
            t.type_error(*hn, "hours", "tabel [school.hours]");
        }
    } else {
        t.missing("hours",
                  "de lestijden per dag in [school.hours], bijvoorbeeld ma = \"08:30-14:30\"");
    }
    if (const toml::node* mn = t.node("meetings")) {
        if (const toml::table* mt = mn->as_table()) {
            TableReader m(ctx, *mt, "[school.meetings]", {"after_school"});
            if (auto v = m.string("after_school")) {
                if (auto r = parse_time_range(*v))
                    s.after_school = *r;
                else
                    ctx.error(m.node("after_school")->source(),
                              "'" + *v + "' is geen tijdvak; schrijf \"15:00-17:00\"");
            }
        } else {
            t.type_error(*mn, "meetings", "tabel [school.meetings]");
        }
    }
    if (const toml::node* mn = t.node("mail")) {
        if (const toml::table* mt = mn->as_table()) {
            TableReader m(ctx, *mt, "[school.mail]", {"send_hour", "quiet_days", "quiet_dates"});
            if (auto h = m.integer("send_hour")) {
                if (*h < 0 || *h > 23)
                    ctx.error(m.node("send_hour")->source(),
                              "send_hour is een uur van 0 tot en met 23, bijvoorbeeld 7");
                else
                    s.mail.send_hour = static_cast<int>(*h);
            }
            if (auto days = read_weekdays(m, "quiet_days", false)) s.mail.quiet_days = *days;
            m.array("quiet_dates", [&](const toml::node& n, size_t) {
                if (auto d = m.date_of(n, "quiet_dates")) s.mail.quiet_dates.push_back(*d);
            });
        } else {
            t.type_error(*mn, "mail", "tabel [school.mail]");
        }
    }
}

}  // namespace

void read_school_file(const FileContext& ctx, const toml::table& root, SchoolReadState& st,
                      const OfficialHolidays& official) {
    TableReader top(ctx, root, "school.toml", {"school", "closure", "vacation", "person", "group"});
    read_school_table(ctx, root, st, official);

    for_each_table(top, "closure", [&](const toml::table& ct, size_t) {
        TableReader t(ctx, ct, "[[closure]]", {"date", "from", "to", "kind", "name"});
        Closure c;
        std::optional<DateRange> range;
        if (t.has("date")) {
            if (t.has("from") || t.has("to"))
                ctx.error(ct.source(), "[[closure]]: gebruik óf 'date', óf 'from' en 'to'");
            if (auto d = t.date("date")) range = DateRange{*d, *d};
        } else if (t.has("from") || t.has("to")) {
            range = read_from_to(t);
        } else {
            ctx.error(ct.source(), "[[closure]]: 'date' (of 'from' en 'to') ontbreekt");
        }
        auto kind = t.string("kind", true, "studiedag of vrij");
        if (kind) {
            if (*kind == "studiedag")
                c.kind = ClosureKind::studiedag;
            else if (*kind == "vrij")
                c.kind = ClosureKind::vrij;
            else {
                std::string msg = "kind '" + *kind +
                                  "' bestaat niet; kies studiedag (team werkt, geen leerlingen) "
                                  "of vrij (niemand aanwezig)";
                std::string near = closest_match(*kind, {"studiedag", "vrij"});
                if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                ctx.error(t.node("kind")->source(), msg);
                kind.reset();
            }
        }
        c.name =
            t.string("name").value_or(c.kind == ClosureKind::studiedag ? "Studiedag" : "Vrije dag");
        if (range && kind) {
            c.range = *range;
            st.school.closures.push_back(std::move(c));
        }
    });

    for_each_table(top, "vacation", [&](const toml::table& vt, size_t) {
        TableReader t(ctx, vt, "[[vacation]]", {"name", "from", "to"});
        VacationOverride v;
        v.pos = t.pos();
        v.name = t.string("name", true, "bijvoorbeeld \"Voorjaarsvakantie\"").value_or("");
        auto range = read_from_to(t);
        if (range && !v.name.empty()) {
            v.range = *range;
            st.school.vacations.push_back(std::move(v));
        }
    });

    for_each_table(top, "person", [&](const toml::table& pt, size_t) { read_person(ctx, pt, st); });
    std::map<std::string, SourcePos> teacher_pos;
    for_each_table(top, "group",
                   [&](const toml::table& gt, size_t) { read_group(ctx, gt, st, teacher_pos); });

    // Cross-references within school.toml.
    School& s = st.school;
    std::set<std::string> ids;
    std::vector<std::string> person_ids;
    for (const auto& p : s.persons) {
        if (p.id.empty()) continue;
        if (!ids.insert(p.id).second)
            ctx.error(p.pos, "persoon-id '" + p.id + "' komt twee keer voor");
        person_ids.push_back(p.id);
    }
    ids.clear();
    for (const auto& g : s.groups) {
        if (g.id.empty()) continue;
        if (!ids.insert(g.id).second)
            ctx.error(g.pos, "groep-id '" + g.id + "' komt twee keer voor");
        if (g.teachers.empty())
            ctx.warning(g.pos, "groep '" + g.id +
                                   "' heeft geen leerkrachten; toetsen en "
                                   "groepsregels voor deze groep kunnen niet worden ingepland");
        for (const auto& ta : g.teachers) {
            const SourcePos& at = teacher_pos[g.id + "\n" + ta.person];
            const Person* p = s.person(ta.person);
            if (!p) {
                std::string msg = "leerkracht '" + ta.person + "' staat niet bij de personen";
                std::string near = closest_match(ta.person, person_ids);
                if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                ctx.error(at, msg);
                continue;
            }
            if ((ta.from && !p->at_school(*ta.from)) || (ta.until && !p->at_school(*ta.until)))
                ctx.error(at, p->name + " geeft les aan " + g.name +
                                  " op dagen dat zij of hij niet op school is (kijk naar "
                                  "'from' en 'until' van de persoon en van deze toewijzing)");
            // Dated working days are checked per date, once the school year is known
            // (check_dated_facts).
            WeekdaySet outside(static_cast<std::uint8_t>(ta.days.bits() & ~p->works.bits()));
            if (!p->works_dated() && !outside.empty())
                ctx.error(teacher_pos[g.id + "\n" + ta.person + "\ndays"],
                          p->name + " geeft les aan " + g.name + " op " + outside.to_string() +
                              ", maar werkt volgens 'works' alleen op " + p->works.to_string());
        }
    }
}

/// first_day/last_day defaults and checks, open_on; then the calendar. Needs the official year.
void resolve_calendar(const FileContext& ctx, const toml::table& root, SchoolReadState& st) {
    if (!st.calendar_ok || !st.official) return;
    School& s = st.school;
    const auto r = static_cast<size_t>(s.region);
    const OfficialVacation* summer = nullptr;
    for (const auto& v : st.official->vacations)
        if (v.name == "Zomervakantie") summer = &v;
    // Default first day: the first weekday after the previous zomervakantie; last day: the last
    // weekday before the zomervakantie that closes the year.
    Date first = st.official->previous_summer[r].to + days{1};
    while (weekday_index(first) >= 5) first += days{1};
    Date last = summer ? summer->range[r].from - days{1} : first + days{330};
    while (weekday_index(last) >= 5) last -= days{1};
    const toml::node* school_node = root.get("school");
    auto pos_of = [&](std::string_view key) {
        const toml::node* n =
            school_node && school_node->is_table() ? school_node->as_table()->get(key) : nullptr;
        return n ? n->source() : root.source();
    };
    if (st.first_day) first = *st.first_day;
    if (st.last_day) last = *st.last_day;
    if (last < first) {
        ctx.error(pos_of("last_day"), "last_day (" + format_date(last) + ") ligt voor first_day (" +
                                          format_date(first) + ")");
        st.calendar_ok = false;
        return;
    }
    if ((last - first).count() > 400) {
        ctx.error(pos_of("last_day"),
                  "een schooljaar duurt geen " + std::to_string((last - first).count()) + " dagen");
        st.calendar_ok = false;
        return;
    }
    s.first_day = first;
    s.last_day = last;
    s.track_from = first;
    if (st.track_from) {
        if (*st.track_from < first || *st.track_from > last)
            ctx.error(pos_of("track_from"),
                      "track_from (" + format_date(*st.track_from) +
                          ") ligt buiten het schooljaar (" + format_date(first) + " tot en met " +
                          format_date(last) +
                          "); kies de dag waarop de school begint met afvinken in de jaarkalender");
        else
            s.track_from = *st.track_from;
    }
    std::vector<Date> holiday_dates;
    const int y0 = static_cast<int>(std::chrono::year_month_day{first}.year());
    for (int y = y0; y <= y0 + 1; ++y)
        for (const auto& h : public_holidays(y)) holiday_dates.push_back(h.range.from);
    for (const auto& [d, pos] : st.open_on) {
        if (std::find(holiday_dates.begin(), holiday_dates.end(), d) == holiday_dates.end())
            ctx.error(pos, format_date(d) +
                               " is geen feestdag; open_on noemt feestdagen waarop de school "
                               "toch open is (zoals Goede Vrijdag)");
        else
            s.open_on.push_back(d);
    }
}

/// A teacher whose working days change during the year teaches the group only on days worked:
/// checked on every date of the assignment (spec: "the rules above use the days of each date").
void check_days_worked(const FileContext& ctx, const SchoolReadState& st, const Group& g,
                       const TeacherAssignment& ta, const std::string& days_key) {
    const School& s = st.school;
    const Person* p = s.person(ta.person);
    if (!p || !p->works_dated()) return;
    std::uint8_t outside = 0;
    std::optional<Date> first;
    for (Date d = s.first_day; d <= s.last_day; d += days{1}) {
        const int wd = weekday_index(d);
        if (wd > 4 || !ta.days.contains(wd) || !ta.covers(d) || !p->at_school(d) ||
            p->works_on(d).contains(wd))
            continue;
        outside |= static_cast<std::uint8_t>(1U << wd);
        if (!first) first = d;
    }
    if (!first) return;
    const WeekdaySet then = p->works_on(*first);
    auto it = st.fact_pos.find(days_key);
    ctx.error(it != st.fact_pos.end() ? it->second : g.pos,
              p->name + " geeft les aan " + g.name + " op " + WeekdaySet(outside).to_string() +
                  ", maar werkt volgens 'works' op " + format_day_nl(*first) +
                  (then.empty() ? " op geen enkele dag" : " alleen op " + then.to_string()) +
                  "; pas de werkdagen of de dagen in de groep aan");
}

/// The dated facts against the school year and each other (spec "Changes during the year"):
/// dates inside first_day..last_day, a substitute who exists and is not the absent person.
void check_dated_facts(const FileContext& ctx, SchoolReadState& st) {
    if (!st.calendar_ok) return;
    School& s = st.school;
    const DateRange year{s.first_day, s.last_day};
    auto in_year = [&](const std::optional<Date>& d, const std::string& key,
                       const std::string& what) {
        if (!d || year.contains(*d)) return;
        auto it = st.fact_pos.find(key);
        if (it == st.fact_pos.end()) return;
        ctx.error(it->second, what + " " + format_date(*d) + " ligt buiten het schooljaar (" +
                                  format_date(s.first_day) + " tot en met " +
                                  format_date(s.last_day) + ")");
    };
    std::vector<std::string> ids;
    for (const auto& p : s.persons) ids.push_back(p.id);
    for (const auto& p : s.persons) {
        in_year(p.from, "person\n" + p.id + "\nfrom", "'from'");
        in_year(p.until, "person\n" + p.id + "\nuntil", "'until'");
        for (size_t i = 0; i < p.absent.size(); ++i) {
            const Absence& a = p.absent[i];
            const std::string key = "absent\n" + p.id + "\n" + std::to_string(i);
            if (!year.contains(a.range.from) && !year.contains(a.range.to)) {
                auto it = st.fact_pos.find(key + "\nfrom");
                if (it != st.fact_pos.end())
                    ctx.error(it->second, "deze afwezigheid (" + format_date(a.range.from) +
                                              " tot en met " + format_date(a.range.to) +
                                              ") ligt buiten het schooljaar");
            }
            if (!a.substitute) continue;
            auto pos = st.fact_pos.find(key + "\nsubstitute");
            const SourcePos at = pos != st.fact_pos.end() ? pos->second : p.pos;
            if (*a.substitute == p.id) {
                ctx.error(at, p.name + " kan niet haar of zijn eigen invaller zijn");
            } else if (!s.person(*a.substitute)) {
                std::string msg = "invaller '" + *a.substitute +
                                  "' staat niet bij de personen; voeg haar of hem toe als "
                                  "[[person]] (met 'from' en 'until' voor een tijdelijke invaller)";
                std::string near = closest_match(*a.substitute, ids);
                if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                ctx.error(at, msg);
            }
        }
    }
    for (const auto& p : s.persons)
        for (size_t i = 0; i < p.work_periods.size(); ++i) {
            const std::string key = "works\n" + p.id + "\n" + std::to_string(i);
            in_year(p.work_periods[i].from, key + "\nfrom", "'from'");
            in_year(p.work_periods[i].until, key + "\nuntil", "'until'");
        }
    for (const auto& g : s.groups)
        for (size_t i = 0; i < g.teachers.size(); ++i) {
            const std::string key = "group\n" + g.id + "\n" + std::to_string(i);
            in_year(g.teachers[i].from, key + "\nfrom", "'from'");
            in_year(g.teachers[i].until, key + "\nuntil", "'until'");
            check_days_worked(ctx, st, g, g.teachers[i], key + "\ndays");
        }
}

}  // namespace jk::detail
