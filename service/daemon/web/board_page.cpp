// The bestuur's overview of every school.
#include <algorithm>
#include <map>
#include <set>

#include "daemon/access/rights.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"
#include "jaarkalender/next_year.hpp"
#include "jaarkalender/planner.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk::daemon::web {

namespace {

/// One school's row on the bestuur's page.
struct BoardRow {
    std::string id;
    std::string name;
    SchoolFigures figures;
};

/// Every planned school's figures of today, in the order of their ids.
std::vector<BoardRow> board_rows(const Snapshot& snap, Date today) {
    std::vector<BoardRow> rows;
    for (const auto& [id, ss] : snap.schools)
        if (ss->plan && ss->school)
            rows.push_back(
                {id, ss->name, school_figures(*ss->plan.load(false), *ss->school, today)});
    return rows;
}

std::string row_html(const BoardRow& r) {
    const SchoolFigures& f = r.figures;
    auto td = [](const std::string& text) { return "<td>" + html_escape(text) + "</td>"; };
    return "<tr><th scope=\"row\"><a href=\"/schoolleider?school=" + url_encode(r.id) + "\">" +
           html_escape(r.name) +
           "</a> <a class=\"sub\" href=\"/inrichting?school=" + url_encode(r.id) +
           "\" aria-label=\"" + html_escape("Inrichting van " + r.name) +
           "\">De inrichting</a></th>" + td(share_nl(f.cycle_on_time, f.cycle_due)) +
           td(std::to_string(f.consultations.held) + " van " +
              std::to_string(f.consultations.required)) +
           td(share_nl(f.held_by_now, f.expected_by_now)) + td(std::to_string(f.overdue)) +
           td(std::to_string(f.overdue_of(Category::consultatie))) +
           td(std::to_string(f.overdue_of(Category::bespreking))) +
           td(std::to_string(f.overdue_of(Category::toets))) +
           td(std::to_string(f.overdue_other())) + td(std::to_string(f.unplanned)) + "</tr>\n";
}

/// Where each school stands with next year: not started, a draft with its open to-dos, or
/// published (docs/input.md, "Next school year").
std::string next_year_html(const Snapshot& snap, YearService& years) {
    const auto beside = years.all_years();
    std::string body =
        "<h2>Volgend schooljaar</h2>\n<div class=\"scroll\"><table><caption>Hoe ver elke "
        "school is met volgend schooljaar</caption><thead><tr><th scope=\"col\">School</th><th "
        "scope=\"col\">Schooljaar</th><th scope=\"col\">Stand</th></tr></thead><tbody>\n";
    for (const auto& [id, ss] : snap.schools) {
        if (!ss->school) continue;
        const SchoolYearRow* next = nullptr;
        if (auto it = beside.find(id); it != beside.end())
            for (const auto& y : it->second)
                if (y.school_year > ss->school_year) next = &y;
        const std::string year = next ? next->school_year : following_school_year(ss->school_year);
        std::string state = "nog niet begonnen";
        if (next && next->state == YearState::published) state = "gepubliceerd";
        if (next && next->state == YearState::draft) {
            const auto todo = todos_from_json(next->todo);
            const auto open =
                std::count_if(todo.begin(), todo.end(), [](const YearTodo& t) { return !t.done; });
            state =
                "concept, " + (open == 0 ? std::string("niets meer te doen")
                                         : std::to_string(open) +
                                               (open == 1 ? " punt" : " punten") + " nog te doen");
        }
        std::string year_cell = html_escape(year);
        if (next)
            year_cell = "<a href=\"/inrichting?school=" + url_encode(id) +
                        "&amp;jaar=" + url_encode(year) + "\" aria-label=\"" +
                        html_escape("Inrichting van " + ss->name + " voor " + year) + "\">" +
                        year_cell + "</a>";
        body += "<tr><th scope=\"row\">" + html_escape(ss->name) + "</th><td>" + year_cell +
                "</td><td>" + html_escape(state) + "</td></tr>\n";
    }
    return body + "</tbody></table></div>\n";
}

}  // namespace

HttpResponse board_page(const RequestContext& u, const Snapshot& snap, YearService& years) {
    std::string body =
        "<p>De cijfers van vandaag, " + html_escape(format_day_nl(u.today)) +
        ". “Verwacht tot nu toe” telt wat gehouden had moeten zijn: afspraken die "
        "afgevinkt moeten worden en waarvan de dag voorbij is.</p>\n"
        "<div class=\"scroll\"><table class=\"figures\"><thead><tr><th scope=\"col\" "
        "rowspan=\"2\">School</th><th scope=\"col\" rowspan=\"2\">Cyclus op tijd</th><th "
        "scope=\"col\" rowspan=\"2\">Consultaties gehouden</th><th scope=\"col\" "
        "rowspan=\"2\">Gehouden van verwacht</th><th scope=\"colgroup\" "
        "colspan=\"5\">Achterstallig</th><th scope=\"col\" rowspan=\"2\">Niet "
        "ingepland</th></tr>\n<tr><th scope=\"col\">totaal</th><th "
        "scope=\"col\">consultaties</th><th scope=\"col\">besprekingen</th><th "
        "scope=\"col\">toetsen</th><th scope=\"col\">overig</th></tr></thead><tbody>\n";
    for (const BoardRow& r : board_rows(snap, u.today)) body += row_html(r);
    body += "</tbody></table></div>\n";
    body += next_year_html(snap, years);
    return page(u, "Bestuur: alle scholen", body);
}

}  // namespace jk::daemon::web
