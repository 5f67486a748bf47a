// The bestuur's overview of every school.
#include <algorithm>
#include <map>
#include <set>

#include "daemon/access/rights.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"
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
            rows.push_back({id, ss->name, school_figures(*ss->plan, *ss->school, today)});
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

}  // namespace

HttpResponse board_page(const RequestContext& u, const Snapshot& snap) {
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
    return page(u, "Bestuur: alle scholen", body);
}

}  // namespace jk::daemon::web
