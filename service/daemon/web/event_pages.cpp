// Actions on one event: held, cancelled, moved (with the move page).
#include <algorithm>
#include <map>
#include <set>

#include "daemon/access/rights.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/move_view.hpp"
#include "daemon/web/pages.hpp"
#include "jaarkalender/planner.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk::daemon::web {

using std::chrono::days;

namespace {

HttpResponse move_page(const RequestContext& u, const MoveView& v, const std::string& message) {
    std::string body = message;
    body += "<p>" + html_escape(v.title) + ", nu " + html_escape(v.now) + ".</p>\n";
    const std::string action = "/afspraak/" + html_escape(v.uid) + "/verplaatsen";
    if (!v.suggestions.empty()) {
        body +=
            "<h2>Eerste vrije momenten</h2>\n<p class=\"muted\">Hier botst de afspraak "
            "met niets: niemand is afwezig of bezet, en de regels van de afspraak kloppen." +
            std::string(v.suggestions.front().late
                            ? " De termijn van deze afspraak is voorbij of vol; dit zijn de "
                              "eerste momenten daarna."
                            : "") +
            "</p>\n<ul class=\"suggestions\">\n";
        for (const auto& s : v.suggestions)
            body += "<li><form class=\"inline\" method=\"post\" action=\"" + action + "\">" +
                    csrf_field(u) + "<input type=\"hidden\" name=\"datum\" value=\"" +
                    html_escape(s.date) + "\"><input type=\"hidden\" name=\"tijd\" value=\"" +
                    html_escape(s.time) +
                    // After its term the only conflict is the term itself, which the
                    // page has just said: the lead's click moves it there anyway.
                    "\"><button type=\"submit\" class=\"secondary\" name=\"actie\" "
                    "value=\"" +
                    (s.late && v.can_force ? "forceren" : "opslaan") + "\">Verplaats naar " +
                    html_escape(s.label) + "</button></form></li>\n";
        body += "</ul>\n";
    }
    body += "<h2>Zelf een moment kiezen</h2>\n<form method=\"post\" action=\"" + action + "\">" +
            csrf_field(u) +
            "<label for=\"datum\">Nieuwe datum</label><input id=\"datum\" name=\"datum\" "
            "type=\"date\" required value=\"" +
            html_escape(v.date) + "\">";
    if (!v.all_day)
        body +=
            "<label for=\"tijd\">Begintijd</label><input id=\"tijd\" name=\"tijd\" "
            "type=\"time\" required value=\"" +
            html_escape(v.time) + "\">";
    body +=
        "<p><button type=\"submit\" name=\"actie\" value=\"controleer\">Controleer</button> "
        "<button type=\"submit\" name=\"actie\" value=\"opslaan\" "
        "class=\"secondary\">Opslaan</button></p></form>\n";
    return page(u, "Verplaatsen", body);
}

std::string check_message(const RequestContext& u, const MoveView& v) {
    if (!v.invalid.empty())
        return "<p class=\"error\" role=\"alert\">" + html_escape(v.invalid) + "</p>\n";
    if (v.conflicts.empty())
        return "<p class=\"flash\" role=\"status\">Geen botsingen: je kunt opslaan.</p>\n";
    std::string msg =
        "<div class=\"error\" role=\"alert\"><p>Deze verplaatsing botst met de regels:</p><ul>";
    for (const auto& c : v.conflicts) msg += "<li>" + html_escape(c) + "</li>";
    msg += "</ul>";
    if (v.can_force)
        msg += "<form method=\"post\" action=\"/afspraak/" + html_escape(v.uid) +
               "/verplaatsen\">" + csrf_field(u) +
               "<input type=\"hidden\" name=\"datum\" value=\"" + html_escape(v.date) +
               "\"><input type=\"hidden\" name=\"tijd\" value=\"" + html_escape(v.time) +
               "\"><button type=\"submit\" name=\"actie\" value=\"forceren\">Toch "
               "verplaatsen</button></form>";
    return msg + "</div>\n";
}

/// A move asks to confirm: from where to where, what goes along, who is told.
HttpResponse confirm_move(const RequestContext& u, const MoveView& v, const Event& e,
                          const Plan& plan, const Change& c, const std::string& action) {
    const std::string to = format_day_nl(c.date) + (e.all_day ? "" : " " + format_time(c.start));
    std::string along;
    for (const Event& f : plan.events)
        if (f.follows == e.uid && f.status != EventStatus::cancelled &&
            f.status != EventStatus::done)
            along += "<li>" + html_escape(f.title) + " (" + html_escape(f.when_nl()) + ")</li>\n";
    std::string body = "<p>Verplaats <strong>" + html_escape(e.title) + "</strong> van " +
                       html_escape(v.now) + " naar <strong>" + html_escape(to) + "</strong>?</p>\n";
    if (!along.empty())
        body +=
            "<p>Wat erop volgt, gaat mee als het niet meer past:</p>\n<ul>\n" + along + "</ul>\n";
    body +=
        "<p class=\"muted\">Wie erbij moet zijn, krijgt een e-mail met de nieuwe tijd; de "
        "agenda's passen zich vanzelf aan. Je kunt het daarna ongedaan maken.</p>\n";
    body += "<form method=\"post\" action=\"/afspraak/" + html_escape(e.uid) + "/verplaatsen\">" +
            csrf_field(u) + "<input type=\"hidden\" name=\"datum\" value=\"" + html_escape(v.date) +
            "\"><input type=\"hidden\" name=\"tijd\" value=\"" + html_escape(v.time) +
            "\"><input type=\"hidden\" name=\"actie\" value=\"" + html_escape(action) +
            "\"><input type=\"hidden\" name=\"bevestigd\" value=\"ja\"><p><button "
            "type=\"submit\">Ja, verplaats</button> <a class=\"button secondary\" "
            "href=\"/afspraak/" +
            html_escape(e.uid) + "/verplaatsen\">Terug</a></p></form>\n";
    return page(u, "Verplaatsen naar " + to + "?", body);
}

HttpResponse move(const HttpRequest& req, const RequestContext& u, const Event& e,
                  const FormData& form, TrackingService& tracking) {
    const Date today = u.today;
    const auto plan = u.home->plan.load();
    const MoveView v = move_view(*u.home->school, *plan, e, today,
                                 req.method == "POST" ? form : FormData{}, u.rights.lead);
    if (req.method != "POST") return move_page(u, v, "");
    const std::string action = form.has("actie") ? form.get("actie") : "controleer";
    const bool force = action == "forceren" && u.rights.lead;
    if (!v.invalid.empty() || action == "controleer" || (!v.conflicts.empty() && !force))
        return move_page(u, v, check_message(u, v));
    Change c;
    c.uid = e.uid;
    c.kind = ChangeKind::move;
    c.date = *parse_date(v.date);
    c.start = parse_time(v.time).value_or(e.start);
    if (form.get("bevestigd") != "ja") return confirm_move(u, v, e, *plan, c, action);
    const auto out = tracking.change(u.home->id, u.person->id, c, false, force);
    using O = EventChangeResult::Outcome;
    if (out.outcome != O::applied && out.outcome != O::unchanged)
        return move_page(u, v, "<p class=\"error\" role=\"alert\">Verplaatsen lukte niet.</p>\n");
    // The IB page offers to undo it (the flash names the event).
    return redirect("/ib?melding=verplaatst&afspraak=" + url_encode(e.uid));
}

}  // namespace

HttpResponse event_action(const HttpRequest& req, const RequestContext& u, std::string_view rest,
                          const FormData& form, TrackingService& tracking) {
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos)
        return html_page(404, "Niet gevonden", "<p>Onbekende actie.</p>");
    const std::string uid(rest.substr(0, slash));
    const std::string action(rest.substr(slash + 1));
    const auto plan = u.home->plan.load();  // held: `e` points into it
    const Event* e = plan->find(uid);
    if (!e || !may_see(u.rights, *u.person, *e))
        return page(u, "Niet gevonden", "<p>Deze afspraak bestaat niet, of is niet van jou.</p>",
                    404);
    if (action == "verplaatsen") {
        if (!u.rights.lead) return forbidden(u);
        return move(req, u, *e, form, tracking);
    }
    if (req.method != "POST")
        return page(u, "Niet toegestaan", "<p>Gebruik de knop op de pagina.</p>", 405);
    Change c;
    c.uid = uid;
    std::string done;
    bool undo = false;
    if (action == "gehouden") {
        if (!may_change(u.rights, *u.person, *e, EventAction::done))
            return page(u, "Geen toegang",
                        "<p>Alleen wie bij deze afspraak moet zijn, of de IB'er of schoolleider, "
                        "kan hem als gehouden markeren.</p>",
                        403);
        c.kind = ChangeKind::done;
        if (form.has("datum")) {
            const auto held_on = parse_date(form.get("datum"));
            if (!held_on)
                return page(u, "Niet gelukt",
                            "<p class=\"error\" role=\"alert\">Gehouden op: vul een datum in "
                            "(dag, maand en jaar).</p><p><a href=\"" +
                                html_escape(safe_back(form, "/")) + "\">Terug</a></p>",
                            400);
            if (*held_on != e->date) c.held_on = held_on;
        }
        c.note = form.get("notitie");
        done = "gehouden";
    } else if (action == "ongedaan") {
        std::optional<std::string> last_actor;
        std::optional<EventAction> undone;
        if (auto last = tracking.last_change(u.home->id, uid)) {
            last_actor = last->actor;
            undone = last->action;
        }
        if (!may_change(u.rights, *u.person, *e, EventAction::undo, last_actor, undone))
            return page(u, "Geen toegang",
                        "<p>Je kunt alleen je eigen wijziging ongedaan maken. Vraag de IB'er of "
                        "de schoolleider.</p>",
                        403);
        undo = true;
        done = undone == EventAction::move ? "verplaatsing-ongedaan" : "ongedaan";
    } else if (action == "annuleren") {
        if (!u.rights.lead) return forbidden(u);
        c.kind = ChangeKind::cancel;
        c.note = form.count("reden") ? form.at("reden") : "";
        done = "geannuleerd";
    } else {
        return page(u, "Niet gevonden", "<p>Onbekende actie.</p>", 404);
    }
    const auto out = tracking.change(u.home->id, u.person->id, c, undo, false);
    using O = EventChangeResult::Outcome;
    if (out.outcome == O::rate_limited)
        return page(u, "Even wachten",
                    "<p class=\"error\" role=\"alert\">Je hebt veel wijzigingen kort na elkaar "
                    "gedaan. Wacht even en probeer het dan opnieuw.</p><p><a href=\"" +
                        html_escape(safe_back(form, "/")) + "\">Terug</a></p>",
                    429);
    if (out.outcome != O::applied && out.outcome != O::unchanged) {
        const int status = out.outcome == O::invalid         ? 400
                           : out.outcome == O::unknown_event ? 404
                                                             : 409;
        std::string why = out.outcome == O::nothing_to_undo ? "Er is niets om ongedaan te maken."
                          : out.message.empty() ? "Dat lukte niet. Is er een reden ingevuld?"
                                                : out.message;
        // Said of the form's field.
        if (out.field == "held_on") why = "Gehouden op: " + why;
        return page(u, "Niet gelukt",
                    "<p class=\"error\" role=\"alert\">" + html_escape(why) + "</p><p><a href=\"" +
                        html_escape(safe_back(form, "/")) + "\">Terug</a></p>",
                    status);
    }
    return redirect(safe_back(form, "/") + "?melding=" + done);
}

}  // namespace jk::daemon::web
