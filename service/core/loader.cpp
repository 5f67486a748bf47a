// The rule-file loader (spec/calendar-format.md). Reads school.toml and rules.toml with toml++,
// reports every problem of every file at once with its position, and resolves the model.
#include "jaarkalender/loader.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "ical_input.hpp"
#include "toml_reader.hpp"

namespace jk {
namespace {

using detail::FileContext;
using detail::join;
using detail::quoted;
using detail::TableReader;
using std::chrono::days;

const std::vector<std::string> kWeekdayKeys = {"ma", "di", "wo", "do", "vr"};

bool is_slug(std::string_view s) {
    if (s.empty()) return false;
    auto ok_first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!ok_first(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return ok_first(c) || c == '-'; });
}

/// An `id` key: required, a slug.
std::string read_id(const TableReader& t, std::string_view what) {
    auto id = t.string("id", true, what);
    if (!id) return {};
    if (!is_slug(*id)) {
        t.ctx().error(t.node("id")->source(),
                      "'" + *id +
                          "' is geen geldige id: gebruik kleine letters, cijfers en '-', "
                          "beginnend met een letter of cijfer (bijvoorbeeld 'groep-4-5')");
        return {};
    }
    return *id;
}

/// A weekday list such as ["ma", "di"].
std::optional<WeekdaySet> read_weekdays(const TableReader& t, std::string_view key, bool required) {
    WeekdaySet set;
    bool ok = true;
    bool present = t.array(
        key,
        [&](const toml::node& el, size_t) {
            auto s = el.value<std::string>();
            std::optional<int> wd = (s && el.is_string()) ? parse_weekday(*s) : std::nullopt;
            if (!wd || *wd > 4) {
                ok = false;
                std::string got = s ? "'" + *s + "'" : std::string(detail::type_name_nl(el));
                std::string msg = "'" + std::string(key) + "': " + got +
                                  " is geen schooldag; gebruik ma, di, wo, do of vr";
                if (s) {
                    std::string near = closest_match(*s, kWeekdayKeys);
                    if (!near.empty() && near != *s) msg += " (bedoelde je '" + near + "'?)";
                }
                t.ctx().error(el.source(), msg);
                return;
            }
            if (set.contains(*wd)) {
                ok = false;
                t.ctx().error(el.source(), "'" + *s + "' staat twee keer in de lijst");
            }
            set.insert(*wd);
        },
        required, "een lijst van dagen, bijvoorbeeld [\"ma\", \"di\"]");
    if (!present || !ok) return std::nullopt;
    return set;
}

std::optional<std::vector<int>> read_grades(const TableReader& t, std::string_view key) {
    std::vector<int> grades;
    bool ok = true;
    bool present = t.array(
        key,
        [&](const toml::node& el, size_t) {
            if (!el.is_integer() || el.as_integer()->get() < 1 || el.as_integer()->get() > 8) {
                ok = false;
                t.ctx().error(el.source(), "'" + std::string(key) +
                                               "': een jaargroep is een getal van 1 tot en met 8");
                return;
            }
            int g = static_cast<int>(el.as_integer()->get());
            if (std::find(grades.begin(), grades.end(), g) != grades.end()) {
                ok = false;
                t.ctx().error(el.source(),
                              "jaargroep " + std::to_string(g) + " staat twee keer in de lijst");
            }
            grades.push_back(g);
        },
        true, "de jaargroepen, bijvoorbeeld [4, 5]");
    if (!present || !ok) return std::nullopt;
    if (grades.empty()) {
        t.ctx().error(t.node(key)->source(), "'" + std::string(key) + "' mag niet leeg zijn");
        return std::nullopt;
    }
    return grades;
}

/// `from`/`to` of a table (both required), to >= from.
std::optional<DateRange> read_from_to(const TableReader& t) {
    auto from = t.date("from", true);
    auto to = t.date("to", true);
    if (!from || !to) return std::nullopt;
    if (*to < *from) {
        t.ctx().error(t.node("to")->source(), "'to' (" + format_date(*to) + ") ligt voor 'from' (" +
                                                  format_date(*from) + ")");
        return std::nullopt;
    }
    return DateRange{*from, *to};
}

template <class F>
void for_each_table(const TableReader& parent, std::string_view key, F&& f) {
    parent.array(key, [&](const toml::node& n, size_t i) {
        if (const toml::table* t = n.as_table())
            f(*t, i);
        else
            parent.type_error(n, key, "tabel");
    });
}

// ---- school.toml ---------------------------------------------------------------------------

struct SchoolReadState {
    School school;
    std::optional<Date> first_day;
    std::optional<Date> last_day;
    std::optional<Date> track_from;
    std::vector<std::pair<Date, SourcePos>> open_on;
    std::optional<std::pair<std::string, SourcePos>> extra_closures;
    const OfficialYear* official = nullptr;
    bool calendar_ok = true;
    /// Where each dated fact was written ("person\nID\nfrom", "absent\nID\nI\nsubstitute",
    /// "group\nG\nI\nfrom", ...), for the checks that need the resolved school year.
    std::map<std::string, SourcePos> fact_pos;
};

/// A date key's position, kept for the checks against the school year.
void keep_pos(const TableReader& t, std::string_view key, const std::string& name,
              SchoolReadState& st) {
    if (const toml::node* n = t.node(key)) st.fact_pos[name] = t.ctx().pos(n->source());
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
    // A person without `works` works every weekday (a full-timer need not list them).
    if (t.has("works")) {
        if (auto w = read_weekdays(t, "works", true)) p.works = *w;
    } else {
        p.works = WeekdaySet(0b11111);
    }
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
                          join(official.known_years()));
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
            WeekdaySet outside(static_cast<std::uint8_t>(ta.days.bits() & ~p->works.bits()));
            if (!outside.empty())
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
    for (const auto& g : s.groups)
        for (size_t i = 0; i < g.teachers.size(); ++i) {
            const std::string key = "group\n" + g.id + "\n" + std::to_string(i);
            in_year(g.teachers[i].from, key + "\nfrom", "'from'");
            in_year(g.teachers[i].until, key + "\nuntil", "'until'");
        }
}

// ---- rules.toml ----------------------------------------------------------------------------

struct RuleSource {
    SourcePos title, for_each, attendees, optional_attendees, owner, follow, count;
    bool for_each_given = false;
};

std::optional<AttendeeSpec> parse_attendee(std::string_view s) {
    auto take = [&](std::string_view prefix) -> std::optional<std::string> {
        if (s.substr(0, prefix.size()) == prefix) return std::string(s.substr(prefix.size()));
        return std::nullopt;
    };
    if (s == "group_teachers") return AttendeeSpec{AttendeeKind::group_teachers, {}};
    if (s == "all_staff") return AttendeeSpec{AttendeeKind::all_staff, {}};
    if (auto v = take("any:role:")) return AttendeeSpec{AttendeeKind::any_role, *v};
    if (auto v = take("role:")) return AttendeeSpec{AttendeeKind::role, *v};
    if (auto v = take("person:")) return AttendeeSpec{AttendeeKind::person, *v};
    return std::nullopt;
}

class RulesReader {
  public:
    RulesReader(const FileContext& ctx, const School& school, const SchoolCalendar* calendar)
        : ctx_(ctx), school_(school), calendar_(calendar) {
        for (const auto& p : school.persons) {
            person_ids_.push_back(p.id);
            for (const auto& r : p.roles) roles_.insert(r);
        }
    }

    Rules read(const toml::table& root) {
        TableReader top(ctx_, root, "rules.toml", {"test_period", "rule"});
        for_each_table(top, "test_period", [&](const toml::table& t, size_t) { read_period(t); });
        for_each_table(top, "rule", [&](const toml::table& t, size_t) { read_rule(t); });
        check_rules();
        return std::move(rules_);
    }

  private:
    void check_in_year(const SourcePos& pos, const DateRange& r, const std::string& what) {
        if (!calendar_) return;
        if (r.to < calendar_->first_day() || r.from > calendar_->last_day())
            ctx_.error(pos, what + " (" + format_date(r.from) + " t/m " + format_date(r.to) +
                                ") valt buiten het schooljaar (" +
                                format_date(calendar_->first_day()) + " t/m " +
                                format_date(calendar_->last_day()) + ")");
    }

    int longest_lesson_day() const {
        int m = 0;
        for (const auto& h : school_.hours)
            if (h) m = std::max(m, h->end - h->start);
        return m;
    }

    void read_period(const toml::table& pt) {
        TableReader t(ctx_, pt, "[[test_period]]",
                      {"id", "name", "from", "to", "max_tests_per_day", "morning_only", "test"});
        TestPeriod p;
        p.pos = t.pos();
        p.id = read_id(t, "de id van de toetsperiode, bijvoorbeeld 'midden'");
        p.name = t.string("name", true, "bijvoorbeeld \"Toetsperiode midden\"").value_or(p.id);
        auto range = read_from_to(t);
        if (range) {
            p.range = *range;
            check_in_year(p.pos, p.range, "toetsperiode '" + p.id + "'");
        }
        if (auto m = t.integer("max_tests_per_day")) {
            if (*m < 1 || *m > 10)
                ctx_.error(t.node("max_tests_per_day")->source(),
                           "max_tests_per_day moet tussen 1 en 10 liggen");
            else
                p.max_tests_per_day = static_cast<int>(*m);
        }
        p.morning_only = t.boolean("morning_only").value_or(true);
        for_each_table(t, "test", [&](const toml::table& tt, size_t) {
            TableReader r(ctx_, tt, "[[test_period.test]]", {"name", "grades", "minutes"});
            Test test;
            test.pos = r.pos();
            test.name = r.string("name", true, "de naam van de toets").value_or("");
            if (auto g = read_grades(r, "grades")) test.grades = *g;
            if (auto m = r.integer("minutes", true, "de duur in minuten")) {
                if (*m < 5 || *m > longest_lesson_day()) {
                    ctx_.error(r.node("minutes")->source(),
                               "minutes moet tussen 5 en " + std::to_string(longest_lesson_day()) +
                                   " liggen (de langste lesdag)");
                } else {
                    test.minutes = static_cast<int>(*m);
                }
            }
            p.tests.push_back(std::move(test));
        });
        if (!p.id.empty()) {
            if (rules_.period(p.id))
                ctx_.error(p.pos, "toetsperiode-id '" + p.id + "' komt twee keer voor");
            rules_.test_periods.push_back(std::move(p));
        }
    }

    std::vector<AttendeeSpec> read_attendees(const TableReader& t, std::string_view key,
                                             SourcePos& pos) {
        std::vector<AttendeeSpec> out;
        if (const toml::node* n = t.node(key)) pos = ctx_.pos(n->source());
        t.array(key, [&](const toml::node& el, size_t) {
            if (!el.is_string()) {
                t.type_error(el, key, "tekst");
                return;
            }
            const std::string s = el.as_string()->get();
            auto a = parse_attendee(s);
            if (!a) {
                ctx_.error(el.source(), "'" + s +
                                            "' is geen deelnemer; gebruik person:ID, role:NAAM, "
                                            "any:role:NAAM, group_teachers of all_staff");
                return;
            }
            if (!check_reference(el.source(), a->kind, a->name)) return;
            out.push_back(*a);
        });
        return out;
    }

    bool check_reference(const toml::source_region& where, AttendeeKind kind,
                         const std::string& name) {
        if (kind == AttendeeKind::person && !school_.person(name)) {
            std::string msg = "persoon '" + name + "' bestaat niet in school.toml";
            std::string near = closest_match(name, person_ids_);
            if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
            ctx_.error(where, msg);
            return false;
        }
        if ((kind == AttendeeKind::role || kind == AttendeeKind::any_role) && !roles_.count(name)) {
            std::string msg = "niemand heeft de rol '" + name + "'";
            std::string near = closest_match(name, {roles_.begin(), roles_.end()});
            if (!near.empty())
                msg += "; bedoelde je '" + near + "'?";
            else if (!roles_.empty())
                msg += "; bestaande rollen: " + join({roles_.begin(), roles_.end()});
            ctx_.error(where, msg);
            return false;
        }
        return true;
    }

    void read_rule(const toml::table& rt) {
        TableReader t(ctx_, rt, "[[rule]]", {"id",          "title",
                                             "description", "for_each",
                                             "attendees",   "optional_attendees",
                                             "minutes",     "all_day",
                                             "slot",        "owner",
                                             "phase",       "max_per_day",
                                             "avoid",       "remind_days_before",
                                             "visibility",  "count",
                                             "windows",     "after",
                                             "before",      "recurrence",
                                             "time",        "on_closed_day",
                                             "dates",       "track",
                                             "category"});
        Rule r;
        RuleSource src;
        r.pos = t.pos();
        r.id = read_id(t, "de id van de regel, bijvoorbeeld 'klassenconsultatie'");
        const std::string where = r.id.empty() ? std::string("[[rule]]") : "regel '" + r.id + "'";
        if (auto title = t.string("title", true, "de titel in de agenda")) {
            r.title = *title;
            src.title = ctx_.pos(t.node("title")->source());
        }
        r.description = t.string("description").value_or("");

        if (auto fe = t.string("for_each")) {
            src.for_each_given = true;
            src.for_each = ctx_.pos(t.node("for_each")->source());
            if (*fe == "teacher")
                r.for_each.kind = SubjectKind::teacher;
            else if (*fe == "group")
                r.for_each.kind = SubjectKind::group;
            else if (*fe == "starter")
                r.for_each.kind = SubjectKind::starter;
            else if (*fe == "school")
                r.for_each.kind = SubjectKind::school;
            else if (fe->rfind("role:", 0) == 0) {
                r.for_each.kind = SubjectKind::role;
                r.for_each.role = fe->substr(5);
                check_reference(t.node("for_each")->source(), AttendeeKind::role, r.for_each.role);
            } else {
                std::string msg =
                    "for_each '" + *fe +
                    "' bestaat niet; kies teacher, group, starter, role:NAAM of school";
                std::string near = closest_match(*fe, {"teacher", "group", "starter", "school"});
                if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                ctx_.error(t.node("for_each")->source(), msg);
            }
        }

        r.attendees_given = t.has("attendees");
        r.attendees = read_attendees(t, "attendees", src.attendees);
        r.optional_attendees_given = t.has("optional_attendees");
        r.optional_attendees = read_attendees(t, "optional_attendees", src.optional_attendees);

        // Duration.
        const bool has_minutes = t.has("minutes");
        r.all_day = t.boolean("all_day").value_or(false);
        if (has_minutes && r.all_day)
            ctx_.error(rt.source(),
                       where + ": gebruik óf 'minutes', óf all_day = true, niet beide");
        else if (!has_minutes && !r.all_day)
            ctx_.error(rt.source(), where +
                                        ": de duur ontbreekt; geef 'minutes' (bijvoorbeeld 45) of "
                                        "all_day = true (een deadline of hele dag)");
        if (auto m = t.integer("minutes")) {
            if (*m < 5 || *m > 600)
                ctx_.error(t.node("minutes")->source(), "minutes moet tussen 5 en 600 liggen");
            else
                r.minutes = static_cast<int>(*m);
        }

        // Slot, or `time` for the fixed forms.
        if (auto slot = t.string("slot")) {
            if (*slot == "lessons")
                r.slot.kind = SlotKind::lessons;
            else if (*slot == "after_school")
                r.slot.kind = SlotKind::after_school;
            else if (auto tm = parse_time(*slot)) {
                r.slot = {SlotKind::fixed, *tm};
            } else {
                std::string msg = "slot '" + *slot +
                                  "' bestaat niet; kies lessons, after_school of "
                                  "een begintijd \"HH:MM\"";
                std::string near = closest_match(*slot, {"lessons", "after_school"});
                if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                ctx_.error(t.node("slot")->source(), msg);
            }
        }
        if (auto tm = t.string("time")) {
            if (t.has("slot"))
                ctx_.error(t.node("time")->source(), "gebruik óf 'time', óf 'slot', niet beide");
            if (auto v = parse_time(*tm))
                r.slot = {SlotKind::fixed, *v};
            else
                ctx_.error(t.node("time")->source(),
                           "'" + *tm + "' is geen tijd; schrijf \"15:15\"");
        }
        if (r.all_day && (t.has("slot") || t.has("time")))
            ctx_.warning(t.node(t.has("slot") ? "slot" : "time")->source(),
                         where +
                             ": een hele-dag-regel (all_day) heeft geen tijd; slot/time "
                             "wordt genegeerd");
        if (!r.all_day && r.minutes > 0) check_duration_fits(t, r, where);

        if (auto owner = t.string("owner")) {
            src.owner = ctx_.pos(t.node("owner")->source());
            if (owner->rfind("role:", 0) == 0) {
                r.owner = OwnerSpec{true, owner->substr(5)};
                check_reference(t.node("owner")->source(), AttendeeKind::role, r.owner->name);
            } else if (owner->rfind("person:", 0) == 0) {
                r.owner = OwnerSpec{false, owner->substr(7)};
                check_reference(t.node("owner")->source(), AttendeeKind::person, r.owner->name);
            } else {
                ctx_.error(t.node("owner")->source(),
                           "owner '" + *owner + "' is ongeldig; schrijf role:NAAM of person:ID");
            }
        }
        if (auto phase = t.string("phase")) {
            static const std::map<std::string, Phase> phases = {{"plan", Phase::plan},
                                                                {"do", Phase::do_},
                                                                {"check", Phase::check},
                                                                {"act", Phase::act}};
            auto it = phases.find(*phase);
            if (it != phases.end())
                r.phase = it->second;
            else
                ctx_.error(t.node("phase")->source(),
                           "phase '" + *phase + "' bestaat niet; kies plan, do, check of act");
        }
        if (auto m = t.integer("max_per_day")) {
            if (*m < 1)
                ctx_.error(t.node("max_per_day")->source(), "max_per_day moet minstens 1 zijn");
            else
                r.max_per_day = static_cast<int>(*m);
        }
        if (auto avoid = t.strings("avoid")) {
            for (const auto& a : *avoid) {
                if (a == "test_periods")
                    r.avoid_test_periods = true;
                else if (a == "first_day_after_holiday")
                    r.avoid_first_day_after_holiday = true;
                else {
                    std::string msg =
                        "avoid '" + a +
                        "' bestaat niet; kies test_periods of first_day_after_holiday";
                    std::string near =
                        closest_match(a, {"test_periods", "first_day_after_holiday"});
                    if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                    ctx_.error(t.node("avoid")->source(), msg);
                }
            }
        }
        t.array("remind_days_before", [&](const toml::node& el, size_t) {
            if (!el.is_integer() || el.as_integer()->get() < 0 || el.as_integer()->get() > 60) {
                ctx_.error(el.source(), "remind_days_before: een aantal dagen van 0 tot en met 60");
                return;
            }
            r.remind_days_before.push_back(static_cast<int>(el.as_integer()->get()));
        });
        if (auto vis = t.string("visibility")) {
            if (*vis == "all")
                r.visibility = Visibility::all;
            else if (*vis == "attendees")
                r.visibility = Visibility::attendees;
            else
                ctx_.error(t.node("visibility")->source(),
                           "visibility '" + *vis + "' bestaat niet; kies all of attendees");
        }

        read_timing(t, rt, r, src, where);
        // Recurring meetings are minuted elsewhere: nobody ticks them off unless asked.
        r.track = t.boolean("track").value_or(!std::holds_alternative<RecurrenceTiming>(r.timing));
        if (auto cat = t.string("category")) {
            if (auto c = parse_category(*cat); c && *c != Category::toets)
                r.category = *c;
            else
                ctx_.error(t.node("category")->source(),
                           "category '" + *cat +
                               "' bestaat niet; kies consultatie, bespreking, vergadering, "
                               "overleg of taak");
            r.category_given = true;
        }
        if (!r.id.empty()) {
            if (rules_.rule(r.id))
                ctx_.error(r.pos, "regel-id '" + r.id + "' komt twee keer voor");
            else if (rules_.period(r.id))
                ctx_.error(r.pos, "regel-id '" + r.id +
                                      "' is ook de id van een toetsperiode; "
                                      "kies een andere id");
            sources_[r.id] = src;
            rules_.rules.push_back(std::move(r));
        }
    }

    void check_duration_fits(const TableReader& t, const Rule& r, const std::string& where) {
        const toml::node* at = t.node("minutes");
        if (!at) return;
        if (r.slot.kind == SlotKind::lessons && r.minutes > longest_lesson_day())
            ctx_.error(at->source(), where + ": " + std::to_string(r.minutes) +
                                         " minuten past in geen enkele lesdag (langste: " +
                                         std::to_string(longest_lesson_day()) + " minuten)");
        if (r.slot.kind == SlotKind::after_school &&
            r.minutes > school_.after_school.end - school_.after_school.start)
            ctx_.error(at->source(),
                       where + ": " + std::to_string(r.minutes) +
                           " minuten past niet in het tijdvak na schooltijd (" +
                           format_time(school_.after_school.start) + "-" +
                           format_time(school_.after_school.end) +
                           "); kies een vaste tijd of verruim [school.meetings] after_school");
        if (r.slot.kind == SlotKind::fixed && r.slot.fixed_start + r.minutes > 24 * 60)
            ctx_.error(at->source(), where + ": de afspraak loopt over middernacht");
    }

    void read_timing(const TableReader& t, const toml::table& rt, Rule& r, RuleSource& src,
                     const std::string& where) {
        std::vector<std::string> forms;
        for (const char* k : {"count", "after", "before", "recurrence", "dates"})
            if (t.has(k)) forms.emplace_back(k);
        const std::string form = forms.size() == 1 ? forms[0] : std::string();
        if (t.has("windows") && form != "count")
            ctx_.error(t.node("windows")->source(), "'windows' hoort bij 'count'");
        // `time` is a fixed start wherever it appears; on_closed_day only matters for fixed
        // dates, so elsewhere it is a warning, not an error (the intent is clear and harmless).
        if (t.has("on_closed_day") && !form.empty() && form != "recurrence" && form != "dates")
            ctx_.warning(t.node("on_closed_day")->source(),
                         "'on_closed_day' heeft alleen effect bij 'recurrence' of 'dates'");
        if (forms.empty()) {
            ctx_.error(rt.source(), where +
                                        ": geen planning; geef precies één van count, after, "
                                        "before, recurrence of dates");
            return;
        }
        if (forms.size() > 1) {
            ctx_.error(t.node(forms[1])->source(),
                       where + ": gebruik precies één planningsvorm, niet " + join(forms, " en "));
            return;
        }
        OnClosedDay on_closed = OnClosedDay::skip;
        if (auto oc = t.string("on_closed_day")) {
            if (*oc == "skip")
                on_closed = OnClosedDay::skip;
            else if (*oc == "next_staff_day")
                on_closed = OnClosedDay::next_staff_day;
            else
                ctx_.error(t.node("on_closed_day")->source(),
                           "on_closed_day '" + *oc + "' bestaat niet; kies skip of next_staff_day");
        }

        if (form == "count") {
            CountTiming c;
            src.count = ctx_.pos(t.node("count")->source());
            if (auto n = t.integer("count")) {
                if (*n < 1 || *n > 100)
                    ctx_.error(t.node("count")->source(), "count moet tussen 1 en 100 liggen");
                else
                    c.count = static_cast<int>(*n);
            }
            t.array("windows", [&](const toml::node& el, size_t) {
                const toml::table* wt = el.as_table();
                if (!wt) {
                    t.type_error(el, "windows", "tabel { from = ..., to = ... }");
                    return;
                }
                TableReader w(ctx_, *wt, "windows", {"from", "to"});
                if (auto range = read_from_to(w)) {
                    check_in_year(ctx_.pos(wt->source()), *range, "dit venster");
                    if (!c.windows.empty() && range->from <= c.windows.back().range.to)
                        ctx_.error(wt->source(),
                                   "vensters moeten op volgorde liggen en mogen "
                                   "elkaar niet overlappen");
                    c.windows.push_back({*range});
                }
            });
            if (t.has("windows") && static_cast<int>(c.windows.size()) != c.count &&
                !c.windows.empty())
                ctx_.error(t.node("count")->source(),
                           "count = " + std::to_string(c.count) + ", maar er zijn " +
                               std::to_string(c.windows.size()) +
                               " vensters; met windows is count het aantal vensters");
            r.timing = c;
        } else if (form == "after" || form == "before") {
            const toml::node* n = t.node(form);
            const toml::table* at = n->as_table();
            if (!at) {
                t.type_error(*n, form,
                             "tabel, bijvoorbeeld { rule = \"...\", within_school_days = 5 }");
                return;
            }
            std::vector<std::string> keys = {"rule", "within_school_days"};
            if (form == "after")
                keys = {"rule", "test_period", "test_periods", "within_school_days"};
            TableReader a(ctx_, *at, "'" + form + "'", keys);
            int within = form == "after" && !a.has("rule") ? 10 : 5;
            if (auto w = a.integer("within_school_days")) {
                if (*w < 1 || *w > 100)
                    ctx_.error(a.node("within_school_days")->source(),
                               "within_school_days moet tussen 1 en 100 liggen");
                else
                    within = static_cast<int>(*w);
            }
            const int targets = static_cast<int>(a.has("rule")) +
                                static_cast<int>(a.has("test_period")) +
                                static_cast<int>(a.has("test_periods"));
            if (targets != 1) {
                ctx_.error(at->source(), form == "after"
                                             ? "'after' noemt precies één van rule, test_period of "
                                               "test_periods"
                                             : "'before' noemt een rule");
                return;
            }
            if (a.has("rule")) {
                FollowUpTiming f;
                f.rule = a.string("rule").value_or("");
                f.within_school_days = within;
                f.before = form == "before";
                src.follow = ctx_.pos(a.node("rule")->source());
                r.timing = f;
            } else {
                AfterPeriodTiming p;
                p.within_school_days = within;
                if (auto one = a.string("test_period")) {
                    p.periods.push_back(*one);
                    period_refs_.push_back({*one, ctx_.pos(a.node("test_period")->source())});
                } else if (auto many = a.strings("test_periods")) {
                    p.periods = *many;
                    for (const auto& id : *many)
                        period_refs_.push_back({id, ctx_.pos(a.node("test_periods")->source())});
                    if (many->empty())
                        ctx_.error(a.node("test_periods")->source(), "test_periods is leeg");
                }
                r.timing = p;
            }
        } else if (form == "recurrence") {
            RecurrenceTiming rec;
            rec.on_closed_day = on_closed;
            if (auto rule = t.string("recurrence")) {
                rec.rrule = *rule;
                if (calendar_) {
                    auto x =
                        detail::expand_rrule(*rule, calendar_->first_day(), calendar_->last_day());
                    if (auto* msg = std::get_if<std::string>(&x))
                        ctx_.error(t.node("recurrence")->source(), *msg);
                    else
                        rec.instances = std::get<std::vector<Date>>(x);
                }
            }
            r.timing = rec;
        } else {
            DatesTiming d;
            d.on_closed_day = on_closed;
            t.array("dates", [&](const toml::node& el, size_t) {
                if (auto date = t.date_of(el, "dates")) {
                    if (calendar_ &&
                        (*date < calendar_->first_day() || *date > calendar_->last_day()))
                        ctx_.error(el.source(), format_date(*date) +
                                                    " valt buiten het schooljaar (" +
                                                    format_date(calendar_->first_day()) + " t/m " +
                                                    format_date(calendar_->last_day()) + ")");
                    d.dates.push_back(*date);
                }
            });
            if (d.dates.empty() && t.node("dates")->is_array())
                ctx_.error(t.node("dates")->source(), "dates is leeg");
            r.timing = d;
        }
    }

    /// Cross-references between rules; placeholders; follow-up chains.
    void check_rules() {
        for (const auto& [id, pos] : period_refs_) {
            if (rules_.period(id)) continue;
            std::vector<std::string> ids;
            for (const auto& p : rules_.test_periods) ids.push_back(p.id);
            std::string msg = "toetsperiode '" + id + "' bestaat niet";
            std::string near = closest_match(id, ids);
            if (!near.empty())
                msg += "; bedoelde je '" + near + "'?";
            else if (!ids.empty())
                msg += "; bekend zijn: " + join(ids);
            ctx_.error(pos, msg);
        }
        std::vector<std::string> rule_ids;
        for (const auto& r : rules_.rules) rule_ids.push_back(r.id);

        for (auto& r : rules_.rules) {
            RuleSource& src = sources_[r.id];
            const FollowUpTiming* f = r.follow_up();
            if (f) {
                const Rule* target = rules_.rule(f->rule);
                if (!target) {
                    std::string msg = "regel '" + f->rule + "' bestaat niet";
                    std::string near = closest_match(f->rule, rule_ids);
                    if (!near.empty()) msg += "; bedoelde je '" + near + "'?";
                    ctx_.error(src.follow, msg);
                    continue;
                }
                if (target->id == r.id) {
                    ctx_.error(src.follow, "een regel kan niet op zichzelf volgen");
                    continue;
                }
            } else {
                if (!src.for_each_given)
                    ctx_.error(r.pos, "regel '" + r.id +
                                          "': 'for_each' ontbreekt (teacher, group, starter, "
                                          "role:NAAM of school)");
                if (!r.attendees_given)
                    ctx_.error(r.pos, "regel '" + r.id +
                                          "': 'attendees' ontbreekt (wie er naast het onderwerp "
                                          "bij moet zijn, bijvoorbeeld [\"any:role:ib\"])");
            }
        }
        // Follow-up chains: resolve the root's subject, find cycles.
        for (auto& r : rules_.rules) {
            if (!r.follow_up()) continue;
            std::set<std::string> seen{r.id};
            const Rule* cur = &r;
            bool cycle = false;
            while (const FollowUpTiming* f = cur->follow_up()) {
                const Rule* next = rules_.rule(f->rule);
                if (!next) break;
                if (!seen.insert(next->id).second) {
                    cycle = true;
                    break;
                }
                cur = next;
            }
            RuleSource& src = sources_[r.id];
            if (cycle) {
                ctx_.error(src.follow, "regel '" + r.id + "' volgt via een kring op zichzelf (" +
                                           join({seen.begin(), seen.end()}) + ")");
                continue;
            }
            if (cur->follow_up()) continue;  // unknown target reported above
            if (src.for_each_given && !same_subject(r.for_each, cur->for_each))
                ctx_.error(src.for_each, "regel '" + r.id + "' volgt op '" + cur->id +
                                             "' en heeft dus hetzelfde onderwerp (for_each = " +
                                             subject_name(cur->for_each) + ")");
            r.for_each = cur->for_each;
        }
        for (const auto& r : rules_.rules) check_rule_semantics(r);
        derive_categories();
    }

    /// A rule without `category`, by what the rule is: an appointment during lessons is a
    /// consultatie, and so is what follows one (its nabespreking); a deadline is a taak; a
    /// meeting with the bestuurder is overleg ("Bestuur en overleg"); a meeting on set days
    /// (a recurrence or dates) is a vergadering when the whole team is asked (`all_staff`),
    /// else an overleg of the people it names (schoolleider and IB'er); everything else, the
    /// besprekingen of a group, a teacher or the toetsen, a bespreking.
    void derive_categories() {
        auto names_role = [](const std::vector<AttendeeSpec>& specs, std::string_view role) {
            return std::any_of(specs.begin(), specs.end(), [&](const AttendeeSpec& a) {
                return (a.kind == AttendeeKind::role || a.kind == AttendeeKind::any_role) &&
                       a.name == role;
            });
        };
        auto whole_team = [](const std::vector<AttendeeSpec>& specs) {
            return std::any_of(specs.begin(), specs.end(), [](const AttendeeSpec& a) {
                return a.kind == AttendeeKind::all_staff;
            });
        };
        std::function<Category(const Rule&, int)> derived = [&](const Rule& r, int depth) {
            if (r.category_given) return r.category;
            if (r.slot.kind == SlotKind::lessons) return Category::consultatie;
            if (r.all_day) return Category::taak;
            if (const FollowUpTiming* f = r.follow_up()) {
                const Rule* root = rules_.rule(f->rule);
                if (root && depth < 16 && derived(*root, depth + 1) == Category::consultatie)
                    return Category::consultatie;
            }
            if (names_role(r.attendees, "bestuurder")) return Category::overleg;
            if (std::holds_alternative<RecurrenceTiming>(r.timing) ||
                std::holds_alternative<DatesTiming>(r.timing))
                return whole_team(r.attendees) || whole_team(r.optional_attendees)
                           ? Category::vergadering
                           : Category::overleg;
            return Category::bespreking;
        };
        std::vector<Category> out;
        for (const auto& r : rules_.rules) out.push_back(derived(r, 0));
        for (size_t i = 0; i < out.size(); ++i) rules_.rules[i].category = out[i];
    }

    static bool same_subject(const SubjectSpec& a, const SubjectSpec& b) {
        return a.kind == b.kind && a.role == b.role;
    }
    static std::string subject_name(const SubjectSpec& s) {
        switch (s.kind) {
            case SubjectKind::teacher:
                return "teacher";
            case SubjectKind::group:
                return "group";
            case SubjectKind::starter:
                return "starter";
            case SubjectKind::role:
                return "role:" + s.role;
            case SubjectKind::school:
                return "school";
        }
        return "?";
    }

    /// True when the rule's chain of follow-ups starts at a rule timed after test periods.
    bool has_period(const Rule& r) const {
        const Rule* cur = &r;
        for (int guard = 0; cur && guard < 100; ++guard) {
            if (std::holds_alternative<AfterPeriodTiming>(cur->timing)) return true;
            const FollowUpTiming* f = cur->follow_up();
            if (!f) return false;
            cur = rules_.rule(f->rule);
        }
        return false;
    }

    void check_rule_semantics(const Rule& r) {
        RuleSource& src = sources_[r.id];
        const SubjectKind kind = r.for_each.kind;
        // Placeholders.
        static const std::regex ph(R"(\{([^{}]*)\})");
        for (auto it = std::sregex_iterator(r.title.begin(), r.title.end(), ph);
             it != std::sregex_iterator(); ++it) {
            const std::string name = (*it)[1];
            const std::string bad = "de titel gebruikt {" + name + "}, maar ";
            if (name == "n") continue;
            if (name == "teacher") {
                if (kind != SubjectKind::teacher && kind != SubjectKind::group)
                    ctx_.error(src.title,
                               bad + "het onderwerp (for_each = " + subject_name(r.for_each) +
                                   ") is geen leerkracht of groep");
            } else if (name == "group") {
                if (kind != SubjectKind::teacher && kind != SubjectKind::group)
                    ctx_.error(src.title,
                               bad + "het onderwerp (for_each = " + subject_name(r.for_each) +
                                   ") hoort niet bij een groep");
            } else if (name == "person") {
                if (kind == SubjectKind::group || kind == SubjectKind::school)
                    ctx_.error(src.title, bad + "het onderwerp (for_each = " +
                                              subject_name(r.for_each) + ") is geen persoon");
            } else if (name == "period") {
                if (!has_period(r))
                    ctx_.error(src.title, bad +
                                              "deze regel volgt niet op een toetsperiode "
                                              "(after = { test_period = ... })");
            } else {
                std::string msg =
                    "onbekende plaatshouder {" + name +
                    "} in de titel; bekend zijn {teacher} {group} {person} {period} {n}";
                std::string near =
                    closest_match(name, {"teacher", "group", "person", "period", "n"});
                if (!near.empty()) msg += "; bedoelde je {" + near + "}?";
                ctx_.error(src.title, msg);
            }
        }
        // group_teachers needs a group.
        auto check_gt = [&](const std::vector<AttendeeSpec>& list, const SourcePos& pos) {
            for (const auto& a : list)
                if (a.kind == AttendeeKind::group_teachers && kind != SubjectKind::group &&
                    kind != SubjectKind::teacher)
                    ctx_.error(pos,
                               "group_teachers kan alleen bij for_each = group of teacher "
                               "(hier: " +
                                   subject_name(r.for_each) + ")");
        };
        check_gt(r.attendees, src.attendees);
        check_gt(r.optional_attendees, src.optional_attendees);
        if (kind == SubjectKind::school && r.attendees_given && r.attendees.empty() && !r.all_day)
            ctx_.error(src.attendees,
                       "een schoolregel zonder deelnemers: noem in attendees wie er "
                       "bij moet zijn");
    }

    const FileContext& ctx_;
    const School& school_;
    const SchoolCalendar* calendar_;
    Rules rules_;
    std::vector<std::string> person_ids_;
    std::set<std::string> roles_;
    std::map<std::string, RuleSource> sources_;
    std::vector<std::pair<std::string, SourcePos>> period_refs_;
};

std::optional<std::string> read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return ss.str();
}

}  // namespace

Result<SchoolSources> read_school_sources(const std::filesystem::path& folder) {
    Diagnostics diags;
    SchoolSources src;
    src.folder = folder.string();
    src.school_path = (folder / "school.toml").string();
    src.rules_path = (folder / "rules.toml").string();
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) {
        diags.error(src.folder, 1, 1,
                    "deze map bestaat niet; geef de map van een school, bijvoorbeeld "
                    "calendars/voorbeeldschool");
        return diags;
    }
    auto school = read_file(src.school_path);
    auto rules = read_file(src.rules_path);
    if (!school) diags.error(src.school_path, 1, 1, "bestand ontbreekt of is niet leesbaar");
    if (!rules) diags.error(src.rules_path, 1, 1, "bestand ontbreekt of is niet leesbaar");
    if (diags.has_errors()) return diags;
    src.school_toml = std::move(*school);
    src.rules_toml = std::move(*rules);
    // extra_closures names a file next to school.toml; a syntax error is reported by the loader.
    Diagnostics ignored;
    if (auto doc = detail::parse_toml(src.school_toml, src.school_path, ignored)) {
        if (auto name = (*doc)["school"]["extra_closures"].value<std::string>()) {
            if (!name->empty() && name->find('/') == std::string::npos &&
                name->find("..") == std::string::npos) {
                src.extra_path = (folder / *name).string();
                src.extra_ics = read_file(src.extra_path);
            }
        }
    }
    return src;
}

Result<LoadedSchool> load_school(const SchoolSources& src, const OfficialHolidays& official) {
    Diagnostics diags;
    auto school_doc = detail::parse_toml(src.school_toml, src.school_path, diags);
    auto rules_doc = detail::parse_toml(src.rules_toml, src.rules_path, diags);

    FileContext school_ctx(src.school_path, diags);
    SchoolReadState st;
    st.school.folder = src.folder;
    if (school_doc) {
        read_school_file(school_ctx, *school_doc, st, official);
        resolve_calendar(school_ctx, *school_doc, st);
        check_dated_facts(school_ctx, st);
    } else {
        st.calendar_ok = false;
    }

    if (st.extra_closures && st.calendar_ok) {
        const auto& [name, pos] = *st.extra_closures;
        if (!src.extra_ics) {
            diags.error(pos.file, pos.line, pos.column,
                        "extra_closures: het bestand '" + name + "' naast school.toml ontbreekt");
        } else {
            auto extra = detail::read_extra_closures(*src.extra_ics, src.extra_path,
                                                     st.school.last_day, diags);
            for (auto& c : extra) st.school.closures.push_back(std::move(c));
        }
    }

    LoadedSchool out;
    const SchoolCalendar* cal = nullptr;
    if (st.calendar_ok && st.official && school_doc) {
        out.calendar = SchoolCalendar(st.school, *st.official);
        cal = &out.calendar;
    }
    // rules.toml refers to people, roles and dates of school.toml: without a readable
    // school.toml its checks would only repeat that error in other words.
    if (rules_doc && school_doc) {
        FileContext rules_ctx(src.rules_path, diags);
        RulesReader reader(rules_ctx, st.school, cal);
        out.rules = reader.read(*rules_doc);
    }
    if (diags.has_errors()) return diags;

    out.school = std::move(st.school);
    for (const auto& d : diags.warnings()) out.warnings.add(d);
    if (cal) {
        auto weeks = out.calendar.short_weeks();
        if (static_cast<int>(weeks.size()) > kMaxFourDayWeeks) {
            std::string list;
            for (Date m : weeks)
                list += (list.empty() ? "" : ", ") + ("week " + std::to_string(iso_week(m)));
            out.warnings.warning(src.school_path, 1, 1,
                                 std::to_string(weeks.size()) +
                                     " schoolweken van minder dan vijf dagen door eigen vrije "
                                     "dagen en studiedagen (" +
                                     list + "); toegestaan zijn er hoogstens " +
                                     std::to_string(kMaxFourDayWeeks));
        }
    }
    return out;
}

Result<LoadedSchool> load_school(const std::filesystem::path& folder) {
    auto src = read_school_sources(folder);
    if (!src) return src.error();
    return load_school(*src, builtin_official_holidays());
}

}  // namespace jk
