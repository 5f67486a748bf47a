// The pages' routes: sign-in first, then the signed-in person's context (CSRF checked for every
// form), then the page. Each page lives in its own file (pages.hpp).
#include "daemon/access/tokens.hpp"
#include "daemon/web/handlers.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"

namespace jk::daemon {

using namespace web;

bool is_web_path(std::string_view path) {
    for (std::string_view p :
         {"/inloggen", "/uitloggen", "/ib", "/schoolleider", "/bestuur", "/abonnement",
          "/mail-instellingen", "/afspraak/", "/wijzigingen", "/gehouden", "/jaarplanning"})
        if (path.rfind(p, 0) == 0) return true;
    return path == "/";
}

HttpResponse handle_web(const HttpRequest& req, const Snapshot& snap, ApiBackend& backend) {
    std::string path = req.target.substr(0, req.target.find('?'));
    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
        HttpResponse r = html_page(405, "Niet toegestaan", "<p>Alleen GET en POST.</p>");
        r.headers.emplace_back("Allow", "GET, POST");
        return r;
    }
    if (req.method == "POST" && !same_origin(req, backend.public_url()))
        return html_page(403, "Geweigerd",
                         "<p class=\"error\" role=\"alert\">Dit formulier kwam niet van deze "
                         "site. Open de jaarkalender zelf en probeer het daar opnieuw.</p>");
    if (path.rfind("/inloggen", 0) == 0)
        return sign_in(req, std::string_view(path).substr(9), backend);
    auto user = page_context(req, snap, backend, kCookie);
    if (!user) {
        if (req.method == "POST")
            return html_page(403, "Niet ingelogd",
                             "<p>Je sessie is verlopen. <a href=\"/inloggen\">Log opnieuw "
                             "in</a>.</p>");
        return redirect("/inloggen");
    }
    const RequestContext& u = *user;
    const FormData& q = u.query;
    const FormData& form = u.form;
    if (req.method == "POST") {
        // Every form carries the session's CSRF token; without it nothing changes.
        if (!constant_time_equal(form.get("csrf"), u.session.csrf))
            return page(u, "Geweigerd",
                        "<p class=\"error\" role=\"alert\">Dit formulier is niet geldig (het "
                        "beveiligingstoken ontbreekt of is verlopen). Laad de pagina opnieuw en "
                        "probeer het nog eens.</p>",
                        403);
    }
    if (path == "/uitloggen" && req.method == "POST") {
        backend.end_session(u.session_token);
        HttpResponse r = redirect("/inloggen");
        r.headers.emplace_back(
            "Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        return r;
    }
    if (path == "/") return my_calendar(u, q, backend);
    if (path == "/abonnement" && req.method == "POST") return subscribe(u, backend);
    if (path == "/gehouden" && req.method == "POST") return mark_all_held(u, form, backend);
    if (path == "/schoolleider/abonnement" && req.method == "POST") {
        if (!u.rights.lead) return forbidden(u);
        return subscribe_school_feed(u, form, backend);
    }
    if (path == "/mail-instellingen" && req.method == "POST") {
        for (MailKind k : kAllMailKinds)
            backend.set_mail(u.home->id, u.person->id, k, form.count(std::string(to_string(k))) > 0,
                             u.person->id);
        return redirect("/?melding=mail");
    }
    if (path.rfind("/afspraak/", 0) == 0)
        return event_action(req, u, std::string_view(path).substr(10), form, backend);
    if (path == "/jaarplanning" || path == "/jaarplanning.pdf" || path == "/jaarplanning.xlsx" ||
        path == "/jaarplanning.csv") {
        const SchoolSnapshot* ss = view_school(u, snap, q);
        if (!ss) return forbidden(u);
        if (path == "/jaarplanning") return jaarplanning_page(u, *ss, q);
        return jaarplanning_download(*ss, q, std::string_view(path).substr(path.rfind('.') + 1));
    }
    if (path == "/ib" || path == "/schoolleider") {
        const SchoolSnapshot* ss = view_school(u, snap, q);
        if (!ss) return forbidden(u);
        return path == "/ib" ? ib_page(u, *ss, q, backend) : lead_page(u, *ss, q, backend);
    }
    if (path == "/wijzigingen" || path.rfind("/wijzigingen/", 0) == 0) {
        if (!u.rights.lead)
            return page(u, "Geen toegang",
                        "<p>Wijzigingen in personen en dagen voert de IB'er of de schoolleider "
                        "van de school in. Ga naar <a href=\"/\">je eigen jaarkalender</a>.</p>",
                        403);
        const bool post = req.method == "POST";
        if (path == "/wijzigingen" && !post) return changes_page(u, backend);
        const std::string_view rest = std::string_view(path).substr(13);
        if (rest.rfind("nieuw/", 0) == 0)
            return post ? change_submit(u, rest.substr(6), backend)
                        : change_form_page(u, rest.substr(6));
        const std::string_view undo = "/ongedaan";
        if (post && rest.size() > undo.size() && rest.substr(rest.size() - undo.size()) == undo)
            return undo_submit(u, rest.substr(0, rest.size() - undo.size()), backend);
        return page(u, "Niet gevonden", "<p>Deze pagina bestaat niet.</p>", 404);
    }
    if (path == "/bestuur") {
        if (!u.rights.board) return forbidden(u);
        return board_page(u, snap, backend);
    }
    return page(u, "Niet gevonden", "<p>Deze pagina bestaat niet.</p>", 404);
}

}  // namespace jk::daemon
