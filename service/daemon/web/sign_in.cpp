// Signing in by a link that is mailed: the page, the request, the confirmation.
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

HttpResponse sign_in_page(const std::string& message = {}) {
    return html_page(
        200, "Inloggen",
        message +
            "<p>Vul je e-mailadres in. Als het bij een school bekend is, sturen we je een "
            "link waarmee je inlogt.</p>\n<form method=\"post\" action=\"/inloggen\">\n<label "
            "for=\"email\">E-mailadres</label>\n<input id=\"email\" name=\"email\" type=\"email\" "
            "autocomplete=\"email\" required>\n<p><button type=\"submit\">Stuur mij een "
            "link</button></p>\n</form>");
}

}  // namespace

HttpResponse sign_in(const HttpRequest& req, std::string_view rest, AccessService& access) {
    if (rest.empty()) {
        if (req.method != "POST") return sign_in_page();
        // The same answer, in the same time, whether or not the address is known: the look-up
        // and the mail happen in the background, and both are throttled.
        access.request_sign_in(FormData::parse(req.body).get("email"), req.remote);
        return sign_in_page(
            "<p class=\"flash\" role=\"status\">Als dit adres bij ons bekend is, staat er nu een "
            "link in je mail. Hij werkt " +
            std::to_string(kLoginLinkMinutes) + " minuten.</p>\n");
    }
    const std::string token(rest.substr(1));
    if (req.method != "POST") {
        // A confirmation first: mail scanners that open links must not use them up.
        return html_page(200, "Inloggen",
                         "<form method=\"post\" action=\"/inloggen/" + html_escape(token) +
                             "\"><p><button type=\"submit\">Inloggen</button></p></form>");
    }
    auto owner = access.use_login_link(token);
    if (!owner)
        return html_page(403, "Link niet geldig",
                         "<p>Deze link is verlopen of al gebruikt. <a href=\"/inloggen\">Vraag "
                         "een nieuwe aan</a>.</p>");
    WebSession s{owner->school, owner->person, {}};
    const std::string session = access.start_session(s);
    HttpResponse r = redirect("/");
    const bool secure = access.public_url().rfind("https://", 0) == 0;
    r.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=" + session +
                                             "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                                             std::to_string(kSessionDays * 86400) +
                                             (secure ? "; Secure" : ""));
    return r;
}

}  // namespace jk::daemon::web
