// The bestuur's overview of every school.
#include <algorithm>
#include <map>
#include <set>

#include "daemon/html.hpp"
#include "daemon/rights.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"
#include "jaarkalender/planner.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk::daemon::web {

using std::chrono::days;

HttpResponse board_page(const RequestContext& u, const Snapshot& snap, ApiBackend& backend) {
    const Date today = local_date(backend.now());
    std::string body =
        "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">School</th><th "
        "scope=\"col\">Cyclus op tijd</th><th "
        "scope=\"col\">Klassenconsultaties gehouden</th><th "
        "scope=\"col\">Achterstallig</th><th scope=\"col\">Niet "
        "ingepland</th></tr></thead><tbody>\n";
    for (const auto& [id, ss] : snap.schools) {
        if (!ss->plan || !ss->school) continue;
        int on = 0, due = 0;
        for (const auto& pt : timeliness(*ss->plan, *ss->school, today))
            on += pt.on_time, due += pt.due;
        const auto counted =
            held_of_required(compliance(*ss->plan, *ss->school, today), "klassenconsultatie");
        const int held = counted.held, needed = counted.required;
        body += "<tr><th scope=\"row\"><a href=\"/schoolleider?school=" + url_encode(id) + "\">" +
                html_escape(ss->name) + "</a></th><td>" +
                (due ? percent(on, due) + " (" + std::to_string(on) + " van " +
                           std::to_string(due) + ")"
                     : percent(on, due)) +
                "</td><td>" + std::to_string(held) + " van " + std::to_string(needed) +
                "</td><td>" +
                std::to_string(overdue(*ss->plan, ss->school->calendar, today).size()) +
                "</td><td>" + std::to_string(ss->plan->unplanned.size()) + "</td></tr>\n";
    }
    body += "</tbody></table></div>\n";
    return page(u, "Bestuur: alle scholen", body);
}

}  // namespace jk::daemon::web
