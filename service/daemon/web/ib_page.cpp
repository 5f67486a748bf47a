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

/// A queued message's kind, as the IB'er reads it.
std::string kind_nl(OutboxKind k) {
    constexpr const char* kWords[] = {"herinnering",
                                      "wijzigingsbericht",
                                      "achterstandsmelding",
                                      "weekoverzicht",
                                      "welkomstbericht",
                                      "inloglink",
                                      "bericht over het nieuwe schooljaar"};
    static_assert(std::size(kWords) == static_cast<std::size_t>(OutboxKind::year) + 1);
    return kWords[static_cast<std::size_t>(k)];
}

std::string compliance_tables(const LoadedSchool& s, const std::vector<RuleCompliance>& rules) {
    std::string out;
    for (const auto& rc : rules) {
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
                switch (c.status) {
                    case OccurrenceStatus::held:
                        cls = "ok", text = "gehouden" + date;
                        break;
                    case OccurrenceStatus::planned:
                        text = "gepland" + date;
                        break;
                    case OccurrenceStatus::overdue:
                        cls = "over", text = "achterstallig (was" + date + ")";
                        break;
                    case OccurrenceStatus::unplannable:
                        cls = "none", text = "niet in te plannen: " + c.reason;
                        break;
                    case OccurrenceStatus::cancelled:
                        cls = "none", text = "geannuleerd" + date;
                        break;
                    case OccurrenceStatus::not_required:
                        cls = "none", text = "niet nodig: " + c.reason;
                        break;
                }
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

/// What the IB'er's page shows, computed once per request.
struct IbView {
    std::shared_ptr<const Plan> plan;  // held: the events below point into it
    Date today;
    bool can_change = false;            // her own school, as its IB'er or schoolleider
    const Event* just_moved = nullptr;  // moved just now, still its last change: undo it here
    std::vector<OverdueItem> all_late;  // everything overdue at the school
    std::vector<OverdueItem> late;      // what she follows up: consultations first
    CategoryTallies tallies;
    std::vector<OutboxMessage> failed_mail;
    std::vector<const Event*> coming;  // this week and next
    std::vector<RuleCompliance> compliance;
};

IbView ib_view(const RequestContext& u, const SchoolSnapshot& ss, const FormData& q,
               TrackingService& tracking, MailPreferences& mail) {
    const LoadedSchool& s = *ss.school;
    IbView v;
    v.plan = ss.plan.load();
    const Plan& plan = *v.plan;
    v.today = u.today;
    v.can_change = u.rights.lead && &ss == u.home;
    if (q.get("melding") == "verplaatst" && v.can_change) {
        const Event* moved = plan.find(q.get("afspraak"));
        const auto last = moved ? tracking.last_change(ss.id, moved->uid) : std::nullopt;
        if (moved && last && last->action == EventAction::move) v.just_moved = moved;
    }
    v.all_late = overdue(plan, s, v.today);
    v.late = ib_overdue(v.all_late, s);
    std::stable_sort(v.late.begin(), v.late.end(), [&](const OverdueItem& a, const OverdueItem& b) {
        const bool ca = category_of(*a.event, s.rules) == Category::consultatie;
        const bool cb = category_of(*b.event, s.rules) == Category::consultatie;
        return ca != cb ? ca : false;
    });
    v.tallies = category_tallies(plan, s, v.today, v.all_late);
    v.failed_mail = mail.outbox(ss.id, OutboxState::failed, 100);
    const Date monday = monday_of(v.today);
    for (const Event& e : plan.events) {
        if (e.kind == EventKind::test_period || e.status == EventStatus::cancelled) continue;
        if (e.date < monday || e.date >= monday + days{14}) continue;
        v.coming.push_back(&e);
    }
    v.compliance = compliance(plan, s, v.today);
    return v;
}

std::string overdue_section(const RequestContext& u, const IbView& v, const LoadedSchool& s) {
    const std::string back = "/ib";
    std::string body =
        "<h2 id=\"achterstallig\">Achterstallig (" + std::to_string(v.late.size()) + ")</h2>\n";
    if (v.late.empty()) {
        body += "<p>Niets achterstallig.</p>\n";
    } else {
        body +=
            "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Afspraak</th><th "
            "scope=\"col\">Wanneer</th><th scope=\"col\">Te laat</th><th "
            "scope=\"col\">Eigenaar</th>" +
            std::string(v.can_change ? "<th scope=\"col\">Acties</th>" : "") +
            "</tr></thead><tbody>\n";
        for (const auto& o : v.late) {
            const Event& e = *o.event;
            body += "<tr class=\"overdue-row\"><td>" + html_escape(e.title) + "</td><td>" +
                    html_escape(e.when_nl()) + "</td><td>" + std::to_string(o.school_days) +
                    (o.school_days == 1 ? " schooldag" : " schooldagen") + "</td><td>" +
                    html_escape(e.owner ? person_name(s.school, *e.owner) : "–") + "</td>";
            if (v.can_change)
                body += "<td>" + held_form(u, e, back) + " <a href=\"/afspraak/" +
                        html_escape(e.uid) + "/verplaatsen\">Verplaatsen</a>" +
                        cancel_form(u, e, back) + "</td>";
            body += "</tr>\n";
        }
        body += "</tbody></table></div>\n";
    }
    if (v.can_change && !v.all_late.empty())
        body += "<form method=\"post\" action=\"/gehouden\" class=\"filters\">" + csrf_field(u) +
                "<input type=\"hidden\" name=\"wie\" value=\"school\"><label for=\"tot\">Alles "
                "van de school tot en met</label> <input type=\"date\" id=\"tot\" name=\"tot\" "
                "value=\"" +
                format_date(v.today) + "\" max=\"" + format_date(v.today) +
                "\"> <button type=\"submit\">op gehouden zetten…</button></form>\n<p "
                "class=\"muted\">Je ziet eerst wat er op gehouden komt.</p>\n";
    if (const size_t others = v.all_late.size() - v.late.size(); others > 0)
        body += "<p class=\"muted\">" + std::to_string(others) +
                (others == 1 ? " achterstallige vergadering of overleg staat"
                             : " achterstallige vergaderingen of overleggen staan") +
                " bij de eigenaar ervan (onder 'Mijn jaarkalender'), niet hier.</p>\n";
    return body;
}

std::string failed_mail_section(const IbView& v, const LoadedSchool& s) {
    if (v.failed_mail.empty()) return {};
    std::string body = "<h2>E-mails die niet aankwamen (" + std::to_string(v.failed_mail.size()) +
                       ")</h2>\n<div class=\"scroll\"><table><thead><tr><th "
                       "scope=\"col\">Aan</th><th scope=\"col\">Soort</th><th "
                       "scope=\"col\">Fout</th></tr></thead><tbody>\n";
    for (const auto& m : v.failed_mail)
        body += "<tr><td>" + html_escape(person_name(s.school, m.person)) + "</td><td>" +
                kind_nl(m.kind) + "</td><td>" + html_escape(m.last_error) + "</td></tr>\n";
    return body + "</tbody></table></div>\n";
}

/// What the newest re-plan (after the school's files changed) moved or cancelled, and what
/// cannot be planned.
std::string replan_section(const SchoolSnapshot& ss) {
    std::string body;
    if (!ss.replan_changes.empty()) {
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
    const LoadedSchool& s = *ss.school;
    const auto plan = ss.plan.load();
    if (!plan->unplanned.empty()) {
        body += "<h2 id=\"niet-ingepland\">Niet in te plannen (" +
                std::to_string(plan->unplanned.size()) + ")</h2>\n<ul>\n";
        for (const auto& un : plan->unplanned)
            body +=
                "<li>" + html_escape(rule_label(s, un.rule)) +
                (un.subject ? ", " + html_escape(subject_name(s, *un.subject)) : std::string()) +
                " (keer " + std::to_string(un.occurrence) + "): " + html_escape(un.reason) +
                "</li>\n";
        body += "</ul>\n";
    }
    return body;
}

std::string coming_section(const IbView& v) {
    std::string rows;
    for (const Event* e : v.coming)
        rows += "<tr><td>" + html_escape(e->when_nl()) + "</td><td>" + html_escape(e->title) +
                "</td><td>" + status_nl(e->status) + "</td></tr>\n";
    return dated_section("Deze week en volgende week", rows, "Geen afspraken.");
}

}  // namespace

HttpResponse ib_page(const RequestContext& u, const SchoolSnapshot& ss, const FormData& q,
                     TrackingService& tracking, MailPreferences& mail) {
    const IbView v = ib_view(u, ss, q, tracking, mail);
    const LoadedSchool& s = *ss.school;
    std::string body = flash(q);
    if (v.just_moved)
        body += "<p>" + html_escape(v.just_moved->title) + " staat nu op " +
                html_escape(v.just_moved->when_nl()) + ". " + undo_form(u, *v.just_moved, "/ib") +
                "</p>\n";
    body += overdue_section(u, v, s);
    body += category_table(v.tallies);
    body += failed_mail_section(v, s);
    body += replan_section(ss);
    body += coming_section(v);
    body += "<h2>Per persoon en periode</h2>\n" + compliance_tables(s, v.compliance);
    return page(u, "IB: " + ss.name, body);
}

}  // namespace jk::daemon::web
