// Actions on one event: held, cancelled, moved (with the move page).
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

HttpResponse move_page(const RequestContext& u, const Event& e, const std::string& date,
                       const std::string& time, const std::string& message) {
    std::string body = message;
    body += "<p>" + html_escape(e.title) + ", nu " + html_escape(e.when_nl()) + ".</p>\n";
    body += "<form method=\"post\" action=\"/afspraak/" + html_escape(e.uid) + "/verplaatsen\">" +
            csrf_field(u) +
            "<label for=\"datum\">Nieuwe datum</label><input id=\"datum\" name=\"datum\" "
            "type=\"date\" required value=\"" +
            html_escape(date) + "\">";
    if (!e.all_day)
        body +=
            "<label for=\"tijd\">Begintijd</label><input id=\"tijd\" name=\"tijd\" "
            "type=\"time\" required value=\"" +
            html_escape(time) + "\">";
    body +=
        "<p><button type=\"submit\" name=\"actie\" value=\"controleer\">Controleer</button> "
        "<button type=\"submit\" name=\"actie\" value=\"opslaan\" "
        "class=\"secondary\">Opslaan</button></p></form>\n";
    return page(u, "Verplaatsen", body);
}

HttpResponse move(const HttpRequest& req, const RequestContext& u, const Event& e,
                  const FormData& form, ApiBackend& backend) {
    if (req.method != "POST") return move_page(u, e, format_date(e.date), format_time(e.start), "");
    const std::string date_text = form.count("datum") ? form.at("datum") : "";
    const std::string time_text = form.count("tijd") ? form.at("tijd") : format_time(e.start);
    auto date = parse_date(date_text);
    auto start = parse_time(time_text);
    if (!date || (!e.all_day && !start))
        return move_page(u, e, date_text, time_text,
                         "<p class=\"error\" role=\"alert\">Geef een geldige datum en tijd.</p>\n");
    const std::string action = form.count("actie") ? form.at("actie") : "controleer";
    auto conflicts =
        move_conflicts(*u.home->school, *u.home->plan, e.uid, *date, start.value_or(e.start));
    if (action == "controleer" || (action == "opslaan" && !conflicts.empty())) {
        std::string msg;
        if (conflicts.empty()) {
            msg = "<p class=\"flash\" role=\"status\">Geen botsingen: je kunt opslaan.</p>\n";
        } else {
            msg =
                "<div class=\"error\" role=\"alert\"><p>Deze verplaatsing botst met de "
                "regels:</p><ul>";
            for (const auto& c : conflicts) msg += "<li>" + html_escape(c) + "</li>";
            msg += "</ul>";
            if (u.rights.lead)
                msg += "<form method=\"post\" action=\"/afspraak/" + html_escape(e.uid) +
                       "/verplaatsen\">" + csrf_field(u) +
                       "<input type=\"hidden\" name=\"datum\" value=\"" + html_escape(date_text) +
                       "\"><input type=\"hidden\" name=\"tijd\" value=\"" + html_escape(time_text) +
                       "\"><button type=\"submit\" name=\"actie\" value=\"forceren\">Toch "
                       "verplaatsen</button></form>";
            msg += "</div>\n";
        }
        return move_page(u, e, date_text, time_text, msg);
    }
    Change c;
    c.uid = e.uid;
    c.kind = ChangeKind::move;
    c.date = *date;
    c.start = start.value_or(e.start);
    auto out =
        backend.change(u.home->id, u.person->id, c, false, action == "forceren" && u.rights.lead);
    if (out.status != 200)
        return move_page(u, e, date_text, time_text,
                         "<p class=\"error\" role=\"alert\">Verplaatsen lukte niet.</p>\n");
    return redirect("/ib?melding=verplaatst");
}

}  // namespace

HttpResponse event_action(const HttpRequest& req, const RequestContext& u, std::string_view rest,
                          const FormData& form, ApiBackend& backend) {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos)
        return html_page(404, "Niet gevonden", "<p>Onbekende actie.</p>");
    const std::string uid(rest.substr(0, slash));
    const std::string action(rest.substr(slash + 1));
    const Event* e = u.home->plan->find(uid);
    if (!e || !may_see(u.rights, *u.person, *e))
        return page(u, "Niet gevonden", "<p>Deze afspraak bestaat niet, of is niet van jou.</p>",
                    404);
    if (action == "verplaatsen") {
        if (!u.rights.lead) return forbidden(u);
        return move(req, u, *e, form, backend);
    }
    if (req.method != "POST")
        return page(u, "Niet toegestaan", "<p>Gebruik de knop op de pagina.</p>", 405);
    Change c;
    c.uid = uid;
    std::string done;
    if (action == "gehouden") {
        if (!may_change(u.rights, *u.person, *e, EventAction::done))
            return page(u, "Geen toegang",
                        "<p>Alleen wie bij deze afspraak moet zijn, of de IB'er of schoolleider, "
                        "kan hem als gehouden markeren.</p>",
                        403);
        c.kind = ChangeKind::done;
        done = "gehouden";
    } else if (action == "annuleren") {
        if (!u.rights.lead) return forbidden(u);
        c.kind = ChangeKind::cancel;
        c.note = form.count("reden") ? form.at("reden") : "";
        done = "geannuleerd";
    } else {
        return page(u, "Niet gevonden", "<p>Onbekende actie.</p>", 404);
    }
    auto out = backend.change(u.home->id, u.person->id, c, false, false);
    if (out.status == 429)
        return page(u, "Even wachten",
                    "<p class=\"error\" role=\"alert\">Je hebt veel wijzigingen kort na elkaar "
                    "gedaan. Wacht even en probeer het dan opnieuw.</p><p><a href=\"" +
                        html_escape(safe_back(form, "/")) + "\">Terug</a></p>",
                    429);
    if (out.status != 200)
        return page(u, "Niet gelukt",
                    "<p class=\"error\" role=\"alert\">Dat lukte niet. Is er een reden "
                    "ingevuld?</p><p><a href=\"" +
                        html_escape(safe_back(form, "/")) + "\">Terug</a></p>",
                    out.status);
    return redirect(safe_back(form, "/") + "?melding=" + done);
}

}  // namespace jk::daemon::web
