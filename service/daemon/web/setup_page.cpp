// "De inrichting van de school" (/inrichting): the school, its people, groups, toetskalender and
// rules as they are today, in the school's words. The school's IB'er and schoolleider get the link
// that changes each; the bestuurder reads (any school, `?school=`), without links.
#include <algorithm>

#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"
#include "daemon/web/setup_view.hpp"
#include "planner/explain.hpp"
#include "text.hpp"

namespace jk::daemon::web {

std::string Editing::href(const std::string& path) const {
    if (year.empty()) return path;
    return path + (path.find('?') == std::string::npos ? "?" : "&") + "jaar=" + url_encode(year);
}

namespace {

std::string days_text(WeekdaySet days) {
    std::vector<std::string> out;
    for (int d = 0; d < 5; ++d)
        if (days.contains(d)) out.emplace_back(weekday_code(d));
    return out.empty() ? std::string("geen") : join_names(out);
}

std::string roles_text(const Person& p) {
    std::vector<std::string> out;
    for (const auto& r : p.roles)
        out.push_back(r == "ib" ? "intern begeleider" : planner::role_label(r));
    return out.empty() ? std::string("–") : join_names(out);
}

/// "ma, di" or "ma, di; vanaf ma 1 februari ma, di, wo".
std::string works_text(const Person& p) {
    if (!p.works_dated()) return days_text(p.works);
    std::string out;
    for (const WorkPeriod& w : p.work_periods) {
        if (!out.empty()) out += "; ";
        if (w.from) out += "vanaf " + format_day_nl(*w.from) + ": ";
        out += days_text(w.days);
        if (w.until) out += " (t/m " + format_day_nl(*w.until) + ")";
    }
    return out;
}

std::string teachers_text(const School& s, const Group& g) {
    std::vector<std::string> out;
    for (const TeacherAssignment& a : g.teachers) {
        std::string t = name_of(s, a.person) + " (" + days_text(a.days) + ")";
        if (a.from && *a.from > s.first_day) t += " vanaf " + format_day_nl(*a.from);
        if (a.until) t += " t/m " + format_day_nl(*a.until);
        out.push_back(std::move(t));
    }
    return out.empty() ? std::string("nog niemand") : join_names(out);
}

std::string link(const Editing& edit, const std::string& href, const std::string& text,
                 const std::string& label) {
    if (!edit) return {};
    return "<a href=\"" + html_escape(edit.href(href)) + "\" aria-label=\"" + html_escape(label) +
           "\">" + html_escape(text) + "</a> ";
}

std::string table_head(const char* caption, std::initializer_list<const char*> cols,
                       const Editing& edit) {
    std::string s =
        "<div class=\"scroll\"><table><caption>" + std::string(caption) + "</caption><thead><tr>";
    for (const char* c : cols) s += "<th scope=\"col\">" + std::string(c) + "</th>";
    if (edit) s += "<th scope=\"col\">Actie</th>";
    return s + "</tr></thead><tbody>\n";
}

std::string td(const std::string& text) {
    return "<td>" + html_escape(text) + "</td>";
}

std::string school_section(const LoadedSchool& ls, const Editing& edit) {
    const School& s = ls.school;
    std::string body =
        "<h2 id=\"school\">De school</h2>\n<div class=\"scroll\"><table><caption>Naam, "
        "schooljaar en lestijden</caption><tbody>";
    auto fact = [&](const std::string& k, const std::string& v) {
        body +=
            "<tr><th scope=\"row\">" + html_escape(k) + "</th><td>" + html_escape(v) + "</td></tr>";
    };
    fact("Naam", s.name);
    fact("Schooljaar", format_day_nl(s.first_day) + " t/m " + format_day_nl(s.last_day));
    for (int d = 0; d < 5; ++d)
        fact("Lestijden " + kWeekdays[static_cast<size_t>(d)].second,
             s.hours[d] ? format_time(s.hours[d]->start) + "–" + format_time(s.hours[d]->end)
                        : "geen lessen");
    fact("Overleg na school",
         format_time(s.after_school.start) + "–" + format_time(s.after_school.end));
    body += "</tbody></table></div>\n";
    if (!s.closures.empty()) {
        body += "<p>Studiedagen en vrije dagen van de school:</p><ul>";
        for (const Closure& c : s.closures)
            body += "<li>" + html_escape(c.name) + ": " +
                    html_escape(c.range.from == c.range.to ? format_day_nl(c.range.from)
                                                           : format_day_nl(c.range.from) + " t/m " +
                                                                 format_day_nl(c.range.to)) +
                    (c.kind == ClosureKind::studiedag ? " (studiedag)" : " (vrij)") + "</li>";
        body += "</ul>\n";
    }
    if (edit)
        body += "<p><a class=\"button secondary\" href=\"" +
                edit.href("/wijzigingen/nieuw/school") +
                "\">De school "
                "aanpassen</a> <a class=\"button secondary\" href=\"" +
                edit.href("/wijzigingen/nieuw/dicht") +
                "\">Een "
                "studiedag of vrije dag</a></p>\n";
    return body;
}

std::string people_section(const School& s, const Editing& edit) {
    std::string body = "<h2 id=\"mensen\">Mensen</h2>\n";
    if (edit)
        body += "<p><a class=\"button secondary\" href=\"" + edit.href("/wijzigingen/nieuw/nieuw") +
                "\">Een nieuwe "
                "collega</a> <a class=\"button secondary\" href=\"" +
                edit.href("/wijzigingen/formatie") +
                "\">De "
                "formatie uit een spreadsheet</a></p>\n";
    body += table_head("Iedereen van de school",
                       {"Naam", "E-mailadres", "Rollen", "Werkdagen", "Startend"}, edit);
    std::vector<const Person*> sorted;
    for (const Person& p : s.persons) sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Person* a, const Person* b) { return a->name < b->name; });
    for (const Person* p : sorted) {
        std::string name = p->name;
        if (p->until) name += " (tot en met " + format_day_nl(*p->until) + ")";
        if (p->from && *p->from > s.first_day) name += " (vanaf " + format_day_nl(*p->from) + ")";
        body += "<tr>" + td(name) + td(p->email) + td(roles_text(*p)) + td(works_text(*p)) +
                td(p->starter ? "ja" : "nee");
        if (edit) {
            const std::string q = "?person=" + url_encode(p->id);
            body +=
                "<td>" +
                link(edit, "/wijzigingen/nieuw/gegevens" + q, "Gegevens",
                     "Gegevens van " + p->name) +
                link(edit, "/wijzigingen/nieuw/werkdagen" + q, "Werkdagen",
                     "Werkdagen van " + p->name) +
                link(edit, "/wijzigingen/nieuw/afwezig" + q, "Afwezig", p->name + " is afwezig") +
                link(edit, "/wijzigingen/nieuw/vertrek" + q, "Vertrekt", p->name + " vertrekt") +
                "</td>";
        }
        body += "</tr>\n";
    }
    return body + "</tbody></table></div>\n";
}

std::string groups_section(const School& s, const Editing& edit) {
    std::string body = "<h2 id=\"groepen\">Groepen</h2>\n";
    if (edit)
        body += "<p><a class=\"button secondary\" href=\"" +
                edit.href("/wijzigingen/nieuw/groep?group.id=nieuw") +
                "\">Een "
                "nieuwe groep</a></p>\n";
    body += table_head("De groepen en hun leerkrachten (de formatie)",
                       {"Groep", "Leerjaren", "Leerkrachten, met hun dagen in de groep"}, edit);
    for (const Group& g : s.groups) {
        std::string grades;
        for (int k : g.grades) grades += (grades.empty() ? "" : ", ") + std::to_string(k);
        body += "<tr>" + td(g.name) + td(grades) + td(teachers_text(s, g));
        if (edit)
            body += "<td>" +
                    link(edit, "/wijzigingen/nieuw/groep?group.id=" + url_encode(g.id), "Wijzigen",
                         g.name + " wijzigen") +
                    link(edit, "/wijzigingen/nieuw/groep-weg?group=" + url_encode(g.id),
                         "Verwijderen", g.name + " verwijderen") +
                    "</td>";
        body += "</tr>\n";
    }
    return body + "</tbody></table></div>\n";
}

std::string periods_section(const Rules& rules, const Editing& edit) {
    std::string body = "<h2 id=\"toetskalender\">Toetskalender</h2>\n";
    if (edit)
        body +=
            "<p><a class=\"button secondary\" "
            "href=\"" +
            edit.href("/wijzigingen/nieuw/toetsperiode?test_period.id=nieuw") +
            "\">Een nieuwe "
            "toetsperiode</a></p>\n";
    body +=
        table_head("De toetsperiodes en hun toetsen", {"Toetsperiode", "Wanneer", "Toetsen"}, edit);
    for (const TestPeriod& p : rules.test_periods) {
        std::vector<std::string> tests;
        for (const Test& t : p.tests) {
            std::string grades;
            for (int k : t.grades) grades += (grades.empty() ? "" : ", ") + std::to_string(k);
            tests.push_back(t.name + " (groep " + grades + ", " + std::to_string(t.minutes) +
                            " min.)");
        }
        body += "<tr>" + td(p.name) +
                td(format_day_nl(p.range.from) + " t/m " + format_day_nl(p.range.to)) +
                td(join_names(tests));
        if (edit) {
            const std::string id = url_encode(p.id);
            body +=
                "<td>" +
                link(edit, "/wijzigingen/nieuw/toetsperiode?test_period.id=" + id, "Aanpassen",
                     p.name + " aanpassen") +
                link(edit,
                     "/wijzigingen/nieuw/toetsperiode?test_period.id=nieuw&test_period.copy_of=" +
                         id,
                     "Kopiëren", p.name + " kopiëren") +
                link(edit, "/wijzigingen/nieuw/toetsperiode-weg?id=" + id, "Verwijderen",
                     p.name + " verwijderen") +
                "</td>";
        }
        body += "</tr>\n";
    }
    return body + "</tbody></table></div>\n";
}

}  // namespace

std::string rules_section(const LoadedSchool& school, const Editing& edit) {
    std::string body = "<h2 id=\"regels\">Regels</h2>\n";
    if (edit)
        body += "<p><a class=\"button secondary\" href=\"" +
                edit.href("/wijzigingen/nieuw/regel?rule.id=nieuw") +
                "\">Een "
                "nieuwe regel</a></p>\n";
    body += table_head("Wat er elk jaar moet gebeuren, en wie erbij is",
                       {"Regel", "Wie erbij moet zijn", "Hoe lang", "Aan"}, edit);
    for (const RuleRow& r : rules_view(school)) {
        body += "<tr>" + td(r.name) + td(r.who) + td(r.how_long) + td(r.active ? "ja" : "uit");
        if (edit)
            body += "<td>" +
                    link(edit, "/wijzigingen/nieuw/regel?rule.id=" + url_encode(r.id), "Aanpassen",
                         r.name + " aanpassen") +
                    link(edit, "/wijzigingen/nieuw/regel-weg?id=" + url_encode(r.id), "Verwijderen",
                         r.name + " verwijderen") +
                    "</td>";
        body += "</tr>\n";
    }
    return body + "</tbody></table></div>\n";
}

HttpResponse setup_page(const RequestContext& u, const SchoolSnapshot& ss, YearService& years) {
    const std::string& year = u.query.get("jaar");
    std::shared_ptr<const LoadedSchool> shown = ss.school;
    const bool own = u.rights.lead && &ss == u.home;
    std::string state;
    if (!year.empty() && year != ss.school_year) {
        auto v = years.view(ss.id, year);
        // A draft is its own school's leads' (and the board's) alone.
        if (!v || !v->school || (v->row.state == YearState::draft && !own && !u.board()))
            return page(u, "Niet gevonden",
                        "<p>Dit schooljaar is er niet. <a href=\"/inrichting\">Naar de "
                        "inrichting van dit jaar</a></p>",
                        404);
        shown = v->school;
        state = v->row.state == YearState::draft ? "concept" : "gepubliceerd";
    }
    const LoadedSchool& s = *shown;
    const Editing edit{own, state.empty() ? std::string() : year};
    std::string body =
        "<nav aria-label=\"Onderdelen\"><p><a href=\"#school\">De school</a> · <a "
        "href=\"#mensen\">Mensen</a> · <a href=\"#groepen\">Groepen</a> · <a "
        "href=\"#toetskalender\">Toetskalender</a> · <a href=\"#regels\">Regels</a></p></nav>\n";
    // The year switch: this year, and a next year when there is one.
    const auto beside = years.years(ss.id);
    if (!beside.empty()) {
        const std::string school_q = u.board() ? "school=" + url_encode(ss.id) : "";
        body += "<nav aria-label=\"Schooljaar\"><p>Schooljaar: ";
        auto item = [&](const std::string& y, const std::string& href, bool current) {
            body += current ? "<strong aria-current=\"page\">" + html_escape(y) + "</strong> "
                            : "<a href=\"" + html_escape(href) + "\">" + html_escape(y) + "</a> ";
        };
        item(ss.school_year, "/inrichting" + (school_q.empty() ? "" : "?" + school_q),
             state.empty());
        for (const auto& y : beside) {
            if (y.state == YearState::draft && !own && !u.board()) continue;
            item(y.school_year + (y.state == YearState::draft ? " (concept)" : ""),
                 "/inrichting?jaar=" + url_encode(y.school_year) +
                     (school_q.empty() ? "" : "&" + school_q),
                 y.school_year == year);
        }
        body += "</p></nav>\n";
    }
    if (own)
        body +=
            "<p><a class=\"button secondary\" href=\"/inrichting/volgend-jaar\">Volgend "
            "schooljaar</a></p>\n";
    if (!state.empty())
        body += "<p>Zo is " + html_escape(s.school.name) + " ingericht voor " + html_escape(year) +
                " (" + state +
                (state == "concept" ? ": collega's zien er nog niets van"
                                    : ": collega's zien het in hun agenda") +
                "). Elke wijziging laat eerst zien wat er in de planning van dat jaar "
                "verandert.</p>\n";
    else
        body += own ? "<p>Zo is de school nu ingericht. Elke wijziging laat eerst zien wat er in "
                      "de planning verandert; daarna staat hij in de <a "
                      "href=\"/wijzigingen\">geschiedenis</a>, met ongedaan maken.</p>\n"
                    : "<p>Zo is " + html_escape(s.school.name) +
                          " nu ingericht. Alleen de IB'er en de schoolleider van de school passen "
                          "dit aan.</p>\n";
    body += school_section(s, edit) + people_section(s.school, edit) +
            groups_section(s.school, edit) + periods_section(s.rules, edit) +
            rules_section(s, edit);
    return page(u, "De inrichting van " + s.school.name + (state.empty() ? "" : ", " + year), body);
}

}  // namespace jk::daemon::web
