// The "turn this mail off" page behind the link in every mail.
#include "daemon/web/handlers.hpp"
#include "daemon/web/html.hpp"

namespace jk::daemon {

HttpResponse handle_unsubscribe(const HttpRequest& req, std::string_view token,
                                const Snapshot& snap, MailPreferences& mail) {
    auto u = mail.verify_unsubscribe(token);
    const SchoolSnapshot* school = nullptr;
    if (u)
        if (auto it = snap.schools.find(u->school); it != snap.schools.end())
            school = it->second.get();
    const Person* person =
        school && school->school ? school->school->school.person(u->person) : nullptr;
    if (!u || !person)
        return html_page(404, "Link niet geldig",
                         "<p>Deze link is niet (meer) geldig. Gebruik de link uit een recente "
                         "e-mail, of vraag de schoolleider om hulp.</p>");
    const std::string what = std::string(describe_nl(u->kind));
    const std::string action = "/mail/uit/" + html_escape(token);
    if (req.method == "GET" || req.method == "HEAD") {
        HttpResponse r =
            html_page(200, "E-mail uitzetten",
                      "<p>" + html_escape(person->name) + ", wil je geen " + html_escape(what) +
                          " van de jaarkalender van " + html_escape(school->name) +
                          " meer ontvangen?</p>\n<form method=\"post\" action=\"" + action +
                          "\">\n<input type=\"hidden\" name=\"actie\" value=\"uit\">\n<button "
                          "type=\"submit\">Zet " +
                          html_escape(what) + " uit</button>\n</form>");
        r.omit_body = req.method == "HEAD";
        return r;
    }
    if (req.method != "POST") {
        HttpResponse r = html_page(405, "Niet toegestaan", "<p>Alleen GET en POST.</p>");
        r.headers.emplace_back("Allow", "GET, POST");
        return r;
    }
    // A form posts "actie=uit" or "actie=aan"; a mail client's One-Click posts
    // "List-Unsubscribe=One-Click" (RFC 8058).
    const bool on = req.body.find("actie=aan") != std::string::npos;
    mail.set(u->school, u->person, u->kind, on, u->person + " (link)");
    if (on)
        return html_page(
            200, "E-mail weer aan",
            "<p class=\"flash\" role=\"status\">Je ontvangt weer " + html_escape(what) + ".</p>");
    return html_page(200, "E-mail uitgezet",
                     "<p class=\"flash\" role=\"status\">Je ontvangt geen " + html_escape(what) +
                         " meer.</p>\n<form method=\"post\" action=\"" + action +
                         "\">\n<input type=\"hidden\" name=\"actie\" value=\"aan\">\n<button "
                         "type=\"submit\" class=\"secondary\">Toch weer aanzetten</button>\n"
                         "</form>");
}

}  // namespace jk::daemon
