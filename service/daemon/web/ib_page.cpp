// The IB'er's page: what is overdue, what moved, what cannot be planned, per person and period.
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

namespace {

std::string compliance_tables(const LoadedSchool& s, const Plan& plan, Date today) {
    std::string out;
    for (const auto& rc : compliance(plan, s, today)) {
        out += "<h3>" + html_escape(rule_label(s, rc.rule)) + ": " + std::to_string(rc.count) +
               "× per jaar</h3>\n<div class=\"scroll\"><table><thead><tr><th "
               "scope=\"col\">Wie</th>";
        for (int i = 0; i < rc.count; ++i) {
            std::string head = "Keer " + std::to_string(i + 1);
            if (static_cast<size_t>(i) < rc.windows.size())
                head += " (" + format_date_nl(rc.windows[static_cast<size_t>(i)].from) + " – " +
                        format_date_nl(rc.windows[static_cast<size_t>(i)].to) + ")";
            out += "<th scope=\"col\">" + html_escape(head) + "</th>";
        }
        out += "</tr></thead><tbody>\n";
        for (const auto& row : rc.rows) {
            out += "<tr><th scope=\"row\">" + html_escape(subject_name(s, row.subject)) + "</th>";
            for (const auto& c : row.cells) {
                std::string cls = "pending", text;
                const std::string date = c.date ? " " + format_date_nl(*c.date) : "";
                if (c.status == "held")
                    cls = "ok", text = "gehouden" + date;
                else if (c.status == "planned" || c.status == "moved")
                    text = "gepland" + date;
                else if (c.status == "overdue")
                    cls = "over", text = "achterstallig (was" + date + ")";
                else if (c.status == "unplannable")
                    cls = "none", text = "niet in te plannen: " + c.reason;
                else if (c.status == "cancelled")
                    cls = "none", text = "geannuleerd" + date;
                else if (c.status == "not_required")
                    cls = "none", text = "niet nodig: " + c.reason;
                else
                    text = c.status;
                out += "<td class=\"" + cls + "\">" + html_escape(text) + "</td>";
            }
            out += "</tr>\n";
        }
        out += "</tbody></table></div>\n";
    }
    return out;
}

/// The school's tracked work per category: what the IB'er follows up first, then the rest.
std::string category_table(const CategoryTallies& tallies) {
    std::string rows;
    for (Category c : {Category::consultatie, Category::bespreking, Category::taak, Category::toets,
                       Category::vergadering, Category::overleg}) {
        const auto& t = tallies[static_cast<size_t>(c)];
        if (t.held + t.overdue + t.ahead + t.cancelled == 0) continue;
        std::string name(plural_nl(c));
        name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
        rows += "<tr><th scope=\"row\">" + html_escape(name) + "</th><td>" +
                std::to_string(t.held) + "</td><td" + (t.overdue ? " class=\"overdue-row\"" : "") +
                ">" + std::to_string(t.overdue) + "</td><td>" + std::to_string(t.ahead) +
                "</td><td>" + std::to_string(t.cancelled) + "</td></tr>\n";
    }
    if (rows.empty()) return {};
    return "<h2 id=\"per-soort\">Per soort</h2>\n<div class=\"scroll\"><table><thead><tr><th "
           "scope=\"col\">Soort</th><th scope=\"col\">Gehouden</th><th "
           "scope=\"col\">Achterstallig</th><th scope=\"col\">Nog te doen</th><th "
           "scope=\"col\">Vervallen</th></tr></thead><tbody>\n" +
           rows + "</tbody></table></div>\n";
}

}  // namespace

HttpResponse ib_page(const RequestContext& u, const SchoolSnapshot& ss, const FormData& q,
                     ApiBackend& backend) {
    const Date today = local_date(backend.now());
    const LoadedSchool& s = *ss.school;
    const Plan& plan = *ss.plan;
    const bool can_change = u.rights.lead && &ss == u.home;
    const std::string back = "/ib";
    std::string body = flash(q);
    if (q.get("melding") == "verplaatst" && can_change) {
        // Just moved: undo it here, while it is still the event's last change.
        const Event* moved = plan.find(q.get("afspraak"));
        const auto last = moved ? backend.last_change(ss.id, moved->uid) : std::nullopt;
        if (moved && last && last->action == EventAction::move)
            body += "<p>" + html_escape(moved->title) + " staat nu op " +
                    html_escape(moved->when_nl()) + ". " + undo_form(u, *moved, back) + "</p>\n";
    }
    const auto all_late = overdue(plan, s, today);
    auto late = ib_overdue(all_late, s);
    // Consultations on top, then oldest first.
    std::stable_sort(late.begin(), late.end(), [&](const OverdueItem& a, const OverdueItem& b) {
        const bool ca = category_of(*a.event, s.rules) == Category::consultatie;
        const bool cb = category_of(*b.event, s.rules) == Category::consultatie;
        return ca != cb ? ca : false;
    });
    body += "<h2 id=\"achterstallig\">Achterstallig (" + std::to_string(late.size()) + ")</h2>\n";
    if (late.empty()) {
        body += "<p>Niets achterstallig.</p>\n";
    } else {
        body +=
            "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Afspraak</th><th "
            "scope=\"col\">Wanneer</th><th scope=\"col\">Te laat</th><th "
            "scope=\"col\">Eigenaar</th>" +
            std::string(can_change ? "<th scope=\"col\">Acties</th>" : "") +
            "</tr></thead><tbody>\n";
        for (const auto& o : late) {
            const Event& e = *o.event;
            body += "<tr class=\"overdue-row\"><td>" + html_escape(e.title) + "</td><td>" +
                    html_escape(e.when_nl()) + "</td><td>" + std::to_string(o.school_days) +
                    (o.school_days == 1 ? " schooldag" : " schooldagen") + "</td><td>" +
                    html_escape(e.owner ? person_name(s.school, *e.owner) : "–") + "</td>";
            if (can_change)
                body += "<td>" + held_form(u, e, back) + " <a href=\"/afspraak/" +
                        html_escape(e.uid) + "/verplaatsen\">Verplaatsen</a>" +
                        cancel_form(u, e, back) + "</td>";
            body += "</tr>\n";
        }
        body += "</tbody></table></div>\n";
    }
    if (can_change && !all_late.empty())
        body += "<form method=\"post\" action=\"/gehouden\" class=\"filters\">" + csrf_field(u) +
                "<input type=\"hidden\" name=\"wie\" value=\"school\"><label for=\"tot\">Alles "
                "van de school tot en met</label> <input type=\"date\" id=\"tot\" name=\"tot\" "
                "value=\"" +
                format_date(today) + "\" max=\"" + format_date(today) +
                "\"> <button type=\"submit\">op gehouden zetten…</button></form>\n<p "
                "class=\"muted\">Je ziet eerst wat er op gehouden komt.</p>\n";
    if (const size_t others = all_late.size() - late.size(); others > 0)
        body += "<p class=\"muted\">" + std::to_string(others) +
                (others == 1 ? " achterstallige vergadering of overleg staat"
                             : " achterstallige vergaderingen of overleggen staan") +
                " bij de eigenaar ervan (onder 'Mijn jaarkalender'), niet hier.</p>\n";
    body += category_table(category_tallies(plan, s, today, all_late));
    const auto failed = backend.outbox(ss.id, "failed", 100);
    if (!failed.empty()) {
        body += "<h2>E-mails die niet aankwamen (" + std::to_string(failed.size()) +
                ")</h2>\n<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Aan</th><th "
                "scope=\"col\">Soort</th><th scope=\"col\">Fout</th></tr></thead><tbody>\n";
        for (const auto& m : failed)
            body += "<tr><td>" + html_escape(person_name(s.school, m.person)) + "</td><td>" +
                    html_escape(m.kind) + "</td><td>" + html_escape(m.last_error) + "</td></tr>\n";
        body += "</tbody></table></div>\n";
    }
    if (!ss.replan_changes.empty()) {
        // What the newest re-plan (after the school's files changed) moved or cancelled.
        body += "<h2 id=\"herplanning\">Verschoven of vervallen bij de laatste herplanning" +
                (ss.replanned_as_of ? " (" + format_date_nl(ss.replanned_as_of->date) + ")"
                                    : std::string()) +
                "</h2>\n<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Afspraak</th><th "
                "scope=\"col\">Wat</th><th scope=\"col\">Waarom</th></tr></thead><tbody>\n";
        for (const auto& c : ss.replan_changes) {
            body += "<tr><td>" + html_escape(c.title) + "</td><td>" + html_escape(c.what_nl()) +
                    "</td><td>" + html_escape(c.reason) + "</td></tr>\n";
        }
        body += "</tbody></table></div>\n";
    }
    if (!plan.unplanned.empty()) {
        body += "<h2 id=\"niet-ingepland\">Niet in te plannen (" +
                std::to_string(plan.unplanned.size()) + ")</h2>\n<ul>\n";
        for (const auto& un : plan.unplanned)
            body +=
                "<li>" + html_escape(rule_label(s, un.rule)) +
                (un.subject ? ", " + html_escape(subject_name(s, *un.subject)) : std::string()) +
                " (keer " + std::to_string(un.occurrence) + "): " + html_escape(un.reason) +
                "</li>\n";
        body += "</ul>\n";
    }
    body += "<h2>Deze week en volgende week</h2>\n";
    const Date monday = monday_of(today);
    std::string rows;
    for (const Event& e : plan.events) {
        if (e.kind == EventKind::test_period || e.status == EventStatus::cancelled) continue;
        if (e.date < monday || e.date >= monday + days{14}) continue;
        rows += "<tr><td>" + html_escape(e.when_nl()) + "</td><td>" + html_escape(e.title) +
                "</td><td>" + status_nl(e.status) + "</td></tr>\n";
    }
    body += rows.empty() ? "<p>Geen afspraken.</p>\n"
                         : "<div class=\"scroll\"><table><thead><tr><th "
                           "scope=\"col\">Wanneer</th><th scope=\"col\">Wat</th><th "
                           "scope=\"col\">Status</th></tr></thead><tbody>\n" +
                               rows + "</tbody></table></div>\n";
    body += "<h2>Per persoon en periode</h2>\n" + compliance_tables(s, plan, today);
    return page(u, "IB: " + ss.name, body);
}

}  // namespace jk::daemon::web
