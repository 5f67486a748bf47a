// Mijn jaarkalender: what a person has to do, their subscription and their mail settings.
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

namespace {

std::string subscribe_block(const RequestContext& u, ApiBackend& backend,
                            const std::string& new_token) {
    std::string s = "<h2 id=\"abonneren\">Abonneren in je agenda</h2>\n";
    if (!new_token.empty()) {
        const std::string https = backend.public_url() + "/feeds/" + new_token + ".ics";
        std::string webcal = https;
        webcal.replace(0, webcal.find("://"), "webcal");
        s += "<p class=\"flash\" role=\"status\">Je nieuwe link staat hieronder. Bewaar hem: hij "
             "wordt maar één keer getoond.</p>\n"
             "<p><a class=\"button\" href=\"" +
             html_escape(webcal) +
             "\">Abonneren (Apple Agenda, Outlook)</a></p>\n"
             "<label for=\"feed-url\">Link voor Google Agenda (Andere agenda's → Via URL) of "
             "Outlook op het web (Agenda toevoegen → Abonneren vanaf internet)</label>\n"
             "<input id=\"feed-url\" readonly size=\"60\" value=\"" +
             html_escape(https) + "\">\n";
        return s;
    }
    const bool has = backend.has_subscription(u.home->id, u.person->id);
    s += "<p>Met een abonnement staan je afspraken in Outlook, Google of Apple Agenda en worden ze "
         "vanzelf bijgewerkt.</p>\n";
    if (has)
        s += "<p class=\"muted\">Je hebt al een link. Kwijt? Maak een nieuwe; de oude werkt dan "
             "niet meer.</p>\n";
    s += "<form method=\"post\" action=\"/abonnement\">" + csrf_field(u) +
         "<button type=\"submit\">" + (has ? "Maak een nieuwe link" : "Maak mijn abonnementslink") +
         "</button></form>\n";
    return s;
}

std::string mail_block(const RequestContext& u, ApiBackend& backend) {
    const auto off = backend.mail_off(u.home->id, u.person->id);
    std::string s = "<h2>E-mail</h2>\n<form method=\"post\" action=\"/mail-instellingen\">" +
                    csrf_field(u) + "<fieldset><legend>Welke e-mails wil je krijgen?</legend>\n";
    for (MailKind k : kAllMailKinds) {
        const std::string id = "mail-" + std::string(to_string(k));
        const bool on = std::find(off.begin(), off.end(), k) == off.end();
        std::string label(describe_nl(k));
        label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
        s += "<div><input type=\"checkbox\" id=\"" + id + "\" name=\"" + std::string(to_string(k)) +
             "\" value=\"aan\"" + (on ? " checked" : "") + "> <label for=\"" + id +
             "\" class=\"inline\">" + html_escape(label) + "</label></div>\n";
    }
    s += "</fieldset><p><button type=\"submit\">Bewaar</button></p></form>\n";
    return s;
}

}  // namespace

HttpResponse my_calendar(const RequestContext& u, const FormData& q, ApiBackend& backend,
                         const std::string& new_token) {
    const Date today = local_date(backend.now());
    const Plan& plan = *u.home->plan;
    std::string body = flash(q);
    body += "<p>" + html_escape(u.home->name) + ", schooljaar " + html_escape(u.home->school_year) +
            ". Vandaag is het " + html_escape(format_date_nl(today)) + ".</p>\n";
    std::string open_rows;
    for (const Event& e : plan.events)
        if (e.kind == EventKind::rule && e.date < today &&
            may_change(u.rights, *u.person, e, EventAction::done) &&
            (e.status == EventStatus::planned || e.status == EventStatus::moved))
            open_rows += "<tr><td>" + html_escape(e.when_nl()) + "</td><td>" +
                         html_escape(e.title) + "</td><td>" + held_form(u, e, "/") + "</td></tr>\n";
    if (!open_rows.empty())
        body +=
            "<h2>Nog af te ronden</h2>\n<div class=\"scroll\"><table><caption "
            "class=\"muted\">Afspraken die voorbij zijn en nog niet op gehouden "
            "staan</caption><thead><tr><th scope=\"col\">Wanneer</th><th "
            "scope=\"col\">Wat</th><th scope=\"col\">Actie</th></tr></thead><tbody>\n" +
            open_rows + "</tbody></table></div>\n";
    body += "<h2>De komende vier weken</h2>\n";
    std::string rows;
    for (const Event& e : plan.events) {
        if (e.status == EventStatus::cancelled || e.kind == EventKind::test_period) continue;
        if (e.date < today || e.date >= today + days{28} || !e.attended_by(u.person->id)) continue;
        rows += "<tr><td>" + html_escape(e.when_nl()) + "</td><td>" + html_escape(e.title) +
                "</td><td>" + status_nl(e.status) + "</td><td>" +
                (e.date == today && e.status != EventStatus::done &&
                         may_change(u.rights, *u.person, e, EventAction::done)
                     ? held_form(u, e, "/")
                     : "") +
                "</td></tr>\n";
    }
    body += rows.empty() ? "<p>Geen afspraken in de komende vier weken.</p>\n"
                         : "<div class=\"scroll\"><table><thead><tr><th "
                           "scope=\"col\">Wanneer</th><th scope=\"col\">Wat</th><th "
                           "scope=\"col\">Status</th><th scope=\"col\">Actie</th></tr></thead>"
                           "<tbody>\n" +
                               rows + "</tbody></table></div>\n";
    body += subscribe_block(u, backend, new_token);
    body += mail_block(u, backend);
    return page(u, "Mijn jaarkalender", body);
}

}  // namespace jk::daemon::web
