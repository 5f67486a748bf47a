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

using std::chrono::days;

HttpResponse board_page(const RequestContext& u, const Snapshot& snap, ApiBackend& backend) {
    const Date today = local_date(backend.now());
    std::string body =
        "<p>De cijfers van vandaag, " + html_escape(format_day_nl(today)) +
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
    for (const auto& [id, ss] : snap.schools) {
        if (!ss->plan || !ss->school) continue;
        const SchoolFigures f = school_figures(*ss->plan, *ss->school, today);
        auto td = [](const std::string& text) { return "<td>" + html_escape(text) + "</td>"; };
        body += "<tr><th scope=\"row\"><a href=\"/schoolleider?school=" + url_encode(id) + "\">" +
                html_escape(ss->name) + "</a></th>" + td(share_nl(f.cycle_on_time, f.cycle_due)) +
                td(std::to_string(f.consultations.held) + " van " +
                   std::to_string(f.consultations.required)) +
                td(share_nl(f.held_by_now, f.expected_by_now)) + td(std::to_string(f.overdue)) +
                td(std::to_string(f.overdue_of(Category::consultatie))) +
                td(std::to_string(f.overdue_of(Category::bespreking))) +
                td(std::to_string(f.overdue_of(Category::toets))) +
                td(std::to_string(f.overdue_other())) + td(std::to_string(f.unplanned)) + "</tr>\n";
    }
    body += "</tbody></table></div>\n";
    return page(u, "Bestuur: alle scholen", body);
}

}  // namespace jk::daemon::web
