// The pages' routes: sign-in first, then the signed-in person's context (CSRF checked for every
// form), then the page. Each page lives in its own file (pages.hpp).
#include "daemon/access/tokens.hpp"
#include "daemon/http/route_table.hpp"
#include "daemon/web/handlers.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"

namespace jk::daemon {

using namespace web;

namespace {

using PageRoute = Route<RoutedRequest, HttpResponse>;

HttpResponse not_found(const RequestContext& u) {
    return page(u, "Niet gevonden", "<p>Deze pagina bestaat niet.</p>", 404);
}

/// Wijzigingen in personen en dagen: the school's IB'er and schoolleider only.
std::optional<HttpResponse> leads_only(const RequestContext& u) {
    if (u.rights.lead) return std::nullopt;
    return page(u, "Geen toegang",
                "<p>Wijzigingen in personen en dagen voert de IB'er of de schoolleider van de "
                "school in. Ga naar <a href=\"/\">je eigen jaarkalender</a>.</p>",
                403);
}

HttpResponse jaarplanning(RoutedRequest& c, std::string_view format) {
    const SchoolSnapshot* current = view_school(c.u, c.snap, c.u.query);
    if (!current) return forbidden(c.u);
    // Another year (`?jaar=`): a past one, a published next one, a draft for its leads.
    const bool drafts = c.u.board() || (c.u.rights.lead && current == c.u.home);
    const auto ss = c.services.years.as_of_year(*current, c.u.query.get("jaar"), drafts);
    if (!ss) return not_found(c.u);
    if (format.empty())
        return jaarplanning_page(c.u, *ss, c.u.query,
                                 c.services.years.switchable(*current, drafts));
    return jaarplanning_download(*ss, c.u.query, format);
}

/// In order: the first route whose method and path match answers (route_table.hpp).
const PageRoute kPages[] = {
    {"POST", "/uitloggen",
     [](RoutedRequest& c, const PathArgs&) {
         c.services.access.end_session(c.u.session_token);
         HttpResponse r = redirect("/inloggen");
         r.headers.emplace_back(
             "Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
         return r;
     }},
    {"", "/",
     [](RoutedRequest& c, const PathArgs&) {
         return my_calendar(c.u, c.u.query, c.services.access, c.services.subscriptions,
                            c.services.tracking, c.services.mail);
     }},
    {"POST", "/abonnement",
     [](RoutedRequest& c, const PathArgs&) {
         return subscribe(c.u, c.services.subscriptions, c.services.access);
     }},
    {"POST", "/gehouden",
     [](RoutedRequest& c, const PathArgs&) {
         return mark_all_held(c.u, c.u.form, c.services.tracking);
     }},
    {"POST", "/schoolleider/abonnement",
     [](RoutedRequest& c, const PathArgs&) {
         if (!c.u.rights.lead) return forbidden(c.u);
         return subscribe_school_feed(c.u, c.u.form, c.services.subscriptions, c.services.access);
     }},
    {"POST", "/mail-instellingen",
     [](RoutedRequest& c, const PathArgs&) {
         for (MailKind k : kAllMailKinds)
             c.services.mail.set(c.u.home->id, c.u.person->id, k,
                                 c.u.form.count(std::string(to_string(k))) > 0, c.u.person->id);
         return redirect("/?melding=mail");
     }},
    {"", "/afspraak/{...}",
     [](RoutedRequest& c, const PathArgs& a) {
         return event_action(c.req, c.u, a[0], c.u.form, c.services.tracking);
     }},
    {"", "/jaarplanning", [](RoutedRequest& c, const PathArgs&) { return jaarplanning(c, ""); }},
    {"", "/jaarplanning.pdf",
     [](RoutedRequest& c, const PathArgs&) { return jaarplanning(c, "pdf"); }},
    {"", "/jaarplanning.xlsx",
     [](RoutedRequest& c, const PathArgs&) { return jaarplanning(c, "xlsx"); }},
    {"", "/jaarplanning.csv",
     [](RoutedRequest& c, const PathArgs&) { return jaarplanning(c, "csv"); }},
    {"", "/ib",
     [](RoutedRequest& c, const PathArgs&) {
         const SchoolSnapshot* ss = view_school(c.u, c.snap, c.u.query);
         return ss ? ib_page(c.u, *ss, c.u.query, c.services.tracking, c.services.mail)
                   : forbidden(c.u);
     }},
    {"", "/schoolleider",
     [](RoutedRequest& c, const PathArgs&) {
         const SchoolSnapshot* current = view_school(c.u, c.snap, c.u.query);
         if (!current) return forbidden(c.u);
         // Another year (`?jaar=`): last year's figures stay readable; a next year's plan.
         const bool drafts = c.u.board() || (c.u.rights.lead && current == c.u.home);
         const auto ss = c.services.years.as_of_year(*current, c.u.query.get("jaar"), drafts);
         if (!ss) return not_found(c.u);
         return lead_page(c.u, *ss, c.u.query, c.services.trend, c.services.access,
                          c.services.years.switchable(*current, drafts));
     }},
    {"GET", "/inrichting/volgend-jaar",
     [](RoutedRequest& c, const PathArgs&) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return next_year_page(c.u, c.services.years);
     }},
    {"POST", "/inrichting/volgend-jaar",
     [](RoutedRequest& c, const PathArgs&) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return next_year_submit(c.u, c.services.years);
     }},
    {"GET", "/inrichting/volgend-jaar/{}",
     [](RoutedRequest& c, const PathArgs& a) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return next_year_file(c.u, a[0], c.services.input);
     }},
    {"GET", "/inrichting",
     [](RoutedRequest& c, const PathArgs&) {
         const SchoolSnapshot* ss = view_school(c.u, c.snap, c.u.query);
         return ss ? setup_page(c.u, *ss, c.services.years) : forbidden(c.u);
     }},
    {"GET", "/wijzigingen",
     [](RoutedRequest& c, const PathArgs&) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return changes_page(c.u, c.services.input);
     }},
    {"GET", "/wijzigingen/formatie",
     [](RoutedRequest& c, const PathArgs&) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return formatie_page(c.u);
     }},
    {"GET", "/wijzigingen/formatie.csv",
     [](RoutedRequest& c, const PathArgs&) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return formatie_template_page(c.u, c.services.years);
     }},
    {"POST", "/wijzigingen/formatie",
     [](RoutedRequest& c, const PathArgs&) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return formatie_submit(c.u, c.services.input);
     }},
    {"GET", "/wijzigingen/nieuw/{}",
     [](RoutedRequest& c, const PathArgs& a) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return change_form_page(c.u, a[0], c.services.years);
     }},
    {"POST", "/wijzigingen/nieuw/{}",
     [](RoutedRequest& c, const PathArgs& a) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return change_submit(c.u, a[0], c.services.input);
     }},
    {"POST", "/wijzigingen/{}/ongedaan",
     [](RoutedRequest& c, const PathArgs& a) {
         if (auto no = leads_only(c.u)) return std::move(*no);
         return undo_submit(c.u, a[0], c.services.input);
     }},
    // Any other page under /wijzigingen: not there, said only to whom it could be.
    {"", "/wijzigingen",
     [](RoutedRequest& c, const PathArgs&) { return leads_only(c.u).value_or(not_found(c.u)); }},
    {"", "/wijzigingen/{...}",
     [](RoutedRequest& c, const PathArgs&) { return leads_only(c.u).value_or(not_found(c.u)); }},
    {"", "/bestuur",
     [](RoutedRequest& c, const PathArgs&) {
         if (!c.u.rights.board) return forbidden(c.u);
         return board_page(c.u, c.snap, c.services.years);
     }},
};

}  // namespace

bool is_web_path(std::string_view path) {
    for (std::string_view p : {"/inloggen", "/uitloggen", "/ib", "/schoolleider", "/bestuur",
                               "/abonnement", "/mail-instellingen", "/afspraak/", "/wijzigingen",
                               "/inrichting", "/gehouden", "/jaarplanning"})
        if (path.rfind(p, 0) == 0) return true;
    return path == "/";
}

HttpResponse handle_web(const HttpRequest& req, const Snapshot& snap, Services& services) {
    std::string path = req.target.substr(0, req.target.find('?'));
    if (req.method != "GET" && req.method != "HEAD" && req.method != "POST") {
        HttpResponse r = html_page(405, "Niet toegestaan", "<p>Alleen GET en POST.</p>");
        r.headers.emplace_back("Allow", "GET, POST");
        return r;
    }
    if (req.method == "POST" && !same_origin(req, services.access.public_url()))
        return html_page(403, "Geweigerd",
                         "<p class=\"error\" role=\"alert\">Dit formulier kwam niet van deze "
                         "site. Open de jaarkalender zelf en probeer het daar opnieuw.</p>");
    if (path.rfind("/inloggen", 0) == 0)
        return sign_in(req, std::string_view(path).substr(9), services.access);
    auto user = page_context(req, snap, services.access, kCookie);
    if (!user) {
        if (req.method == "POST")
            return html_page(403, "Niet ingelogd",
                             "<p>Je sessie is verlopen. <a href=\"/inloggen\">Log opnieuw "
                             "in</a>.</p>");
        return redirect("/inloggen");
    }
    const RequestContext& u = *user;
    if (req.method == "POST") {
        // Every form carries the session's CSRF token; without it nothing changes.
        if (!constant_time_equal(u.form.get("csrf"), u.session.csrf))
            return page(u, "Geweigerd",
                        "<p class=\"error\" role=\"alert\">Dit formulier is niet geldig (het "
                        "beveiligingstoken ontbreekt of is verlopen). Laad de pagina opnieuw en "
                        "probeer het nog eens.</p>",
                        403);
    }
    RoutedRequest call{req, u, snap, services};
    if (auto r = dispatch<RoutedRequest, HttpResponse>(kPages, req.method, path, call))
        return std::move(*r);
    return not_found(u);
}

}  // namespace jk::daemon
