// The web pages: sign in by link, Mijn jaarkalender, the IB'er's and the schoolleider's views,
// and the bestuur's overview. Server-rendered HTML, no JavaScript; every form carries the
// session's CSRF token; rights are the API's (a teacher their own events, IB'er and
// schoolleider their school, a bestuurder reads every school).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "daemon/html.hpp"
#include "daemon/inputs.hpp"
#include "daemon/pages.hpp"
#include "daemon/rights.hpp"
#include "daemon/tokens.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/planner.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk::daemon {
namespace {

using std::chrono::days;
constexpr const char* kCookie = "jk_sessie";

// ---- requests -------------------------------------------------------------------------------

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string url_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

/// `a=1&b=2` (a form body or a query string).
std::map<std::string, std::string> parse_pairs(std::string_view s) {
    std::map<std::string, std::string> out;
    size_t pos = 0;
    while (pos <= s.size()) {
        const size_t amp = std::min(s.find('&', pos), s.size());
        const std::string_view kv = s.substr(pos, amp - pos);
        const size_t eq = kv.find('=');
        if (!kv.empty())
            out[url_decode(kv.substr(0, eq))] =
                eq == std::string_view::npos ? "" : url_decode(kv.substr(eq + 1));
        pos = amp + 1;
    }
    return out;
}

std::string cookie(const HttpRequest& req, std::string_view name) {
    const std::string* h = req.header("cookie");
    if (!h) return {};
    for (const auto& [k, v] : parse_pairs([&] {
             std::string s = *h;
             std::replace(s.begin(), s.end(), ';', '&');
             s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
             return s;
         }()))
        if (k == name) return v;
    return {};
}

/// Whether a POST comes from our own pages (login CSRF: a foreign page must not sign a browser
/// in with the attacker's link). Browsers say where a form came from in Sec-Fetch-Site, older
/// ones in Origin (which the pages' `Referrer-Policy: same-origin` keeps from being "null" for
/// our own forms); a request with neither (curl) passes, as the CSRF token or the single-use
/// link still has to be right.
bool same_origin(const HttpRequest& req, const std::string& public_url) {
    if (const std::string* site = req.header("sec-fetch-site"))
        return *site == "same-origin" || *site == "none";
    const std::string* origin = req.header("origin");
    if (!origin) return true;
    if (*origin == public_url) return true;
    const std::string* host = req.header("host");
    return host && (*origin == "http://" + *host || *origin == "https://" + *host);
}

// ---- the signed-in person -------------------------------------------------------------------

struct User {
    std::string token;  // the cookie
    WebSession session;
    const SchoolSnapshot* home = nullptr;
    const Person* person = nullptr;
    Rights rights;  // at their own school, the only one whose events the pages change
};

std::optional<User> signed_in(const HttpRequest& req, const Snapshot& snap, ApiBackend& backend) {
    const std::string token = cookie(req, kCookie);
    if (token.empty()) return std::nullopt;
    auto session = backend.web_session(token);
    if (!session) return std::nullopt;
    auto it = snap.schools.find(session->school);
    if (it == snap.schools.end() || !it->second->school || !it->second->plan) return std::nullopt;
    const Person* p = it->second->school->school.person(session->person);
    if (!p) return std::nullopt;
    const Rights rights = rights_at(*p, session->school, session->school);
    User u{token, *session, it->second.get(), p, rights};
    return u;
}

// ---- building blocks ------------------------------------------------------------------------

HttpResponse redirect(const std::string& to) {
    HttpResponse r;
    r.status = 303;
    r.headers = {{"Location", to}, {"Cache-Control", "no-store"}};
    return r;
}

std::string nav(const User& u) {
    std::string s =
        "<nav aria-label=\"Hoofdmenu\"><ul><li><a href=\"/\">Mijn jaarkalender</a></li>";
    if (u.rights.lead)
        s += "<li><a href=\"/ib\">IB</a></li><li><a href=\"/schoolleider\">Schoolleider</a></li>";
    if (u.rights.board) s += "<li><a href=\"/bestuur\">Bestuur</a></li>";
    s += "</ul></nav><form class=\"inline\" method=\"post\" action=\"/uitloggen\">"
         "<input type=\"hidden\" name=\"csrf\" value=\"" +
         html_escape(u.session.csrf) +
         "\"><button type=\"submit\" class=\"secondary\">Uitloggen</button></form>"
         "<span class=\"who\">" +
         html_escape(u.person->name) + "</span>";
    return s;
}

HttpResponse page(const User& u, const std::string& title, const std::string& body,
                  int status = 200) {
    return html_page(status, title, body, nav(u));
}

std::string csrf_field(const User& u) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + html_escape(u.session.csrf) + "\">";
}

std::string status_nl(EventStatus s) {
    switch (s) {
        case EventStatus::planned:
            return "gepland";
        case EventStatus::done:
            return "gehouden";
        case EventStatus::cancelled:
            return "geannuleerd";
        case EventStatus::moved:
            return "verplaatst";
    }
    return "";
}

std::string person_name(const School& s, const std::string& id) {
    const Person* p = s.person(id);
    return p ? p->name : id;
}

std::string subject_name(const LoadedSchool& s, const std::string& id) {
    if (const Person* p = s.school.person(id)) return p->name;
    if (const Group* g = s.school.group(id)) return g->name;
    if (id == s.school.id) return "school";
    return id;
}

std::string rule_label(const LoadedSchool& s, const std::string& rule) {
    const Rule* r = s.rules.rule(rule);
    return r ? r->label() : rule;
}

std::string held_form(const User& u, const Event& e, const std::string& back) {
    return "<form class=\"inline\" method=\"post\" action=\"/afspraak/" + html_escape(e.uid) +
           "/gehouden\">" + csrf_field(u) + "<input type=\"hidden\" name=\"terug\" value=\"" +
           html_escape(back) + "\"><button type=\"submit\" aria-label=\"" +
           html_escape(e.title + " op " + format_date_nl(e.date) + " is gehouden") +
           "\">Gehouden</button></form>";
}

std::string cancel_form(const User& u, const Event& e, const std::string& back) {
    const std::string id = "reden-" + e.uid.substr(0, 8);
    return "<details><summary>Annuleren</summary><form method=\"post\" action=\"/afspraak/" +
           html_escape(e.uid) + "/annuleren\">" + csrf_field(u) +
           "<input type=\"hidden\" name=\"terug\" value=\"" + html_escape(back) +
           "\"><label for=\"" + id + "\">Reden</label><input id=\"" + id +
           "\" name=\"reden\" required maxlength=\"500\"> <button type=\"submit\">Annuleer "
           "afspraak</button></form></details>";
}

std::string flash(const std::map<std::string, std::string>& q) {
    static const std::map<std::string, std::string> kMessages = {
        {"gehouden", "De afspraak staat op gehouden."},
        {"geannuleerd", "De afspraak is geannuleerd."},
        {"verplaatst", "De afspraak is verplaatst."},
        {"mail", "Je e-mailinstellingen zijn bewaard."}};
    auto it = q.find("melding");
    if (it == q.end()) return {};
    auto m = kMessages.find(it->second);
    if (m == kMessages.end()) return {};
    return "<p class=\"flash\" role=\"status\">" + html_escape(m->second) + "</p>\n";
}

/// The school a view is about: a lead's own, or for a bestuurder any (`?school=`).
const SchoolSnapshot* view_school(const User& u, const Snapshot& snap,
                                  const std::map<std::string, std::string>& q) {
    auto it = q.find("school");
    if (it == q.end() || it->second == u.home->id)
        return (u.rights.lead || u.rights.board) ? u.home : nullptr;
    if (!u.rights.board) return nullptr;
    auto s = snap.schools.find(it->second);
    if (s == snap.schools.end() || !s->second->plan || !s->second->school) return nullptr;
    return s->second.get();
}

HttpResponse forbidden(const User& u) {
    return page(u, "Geen toegang",
                "<p>Deze pagina is voor de IB'er, de schoolleider en het bestuur. Ga naar <a "
                "href=\"/\">je eigen jaarkalender</a>.</p>",
                403);
}

// ---- sign in ------------------------------------------------------------------------------

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

HttpResponse sign_in(const HttpRequest& req, std::string_view rest, ApiBackend& backend) {
    if (rest.empty()) {
        if (req.method != "POST") return sign_in_page();
        // The same answer, in the same time, whether or not the address is known: the look-up
        // and the mail happen in the background, and both are throttled.
        backend.request_sign_in(parse_pairs(req.body)["email"], req.remote);
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
    auto owner = backend.use_login_link(token);
    if (!owner)
        return html_page(403, "Link niet geldig",
                         "<p>Deze link is verlopen of al gebruikt. <a href=\"/inloggen\">Vraag "
                         "een nieuwe aan</a>.</p>");
    WebSession s{owner->school, owner->person, {}};
    const std::string session = backend.start_session(s);
    HttpResponse r = redirect("/");
    const bool secure = backend.public_url().rfind("https://", 0) == 0;
    r.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=" + session +
                                             "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                                             std::to_string(kSessionDays * 86400) +
                                             (secure ? "; Secure" : ""));
    return r;
}

// ---- Mijn jaarkalender ----------------------------------------------------------------------

std::string subscribe_block(const User& u, ApiBackend& backend, const std::string& new_token) {
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

std::string mail_block(const User& u, ApiBackend& backend) {
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

HttpResponse my_calendar(const User& u, const std::map<std::string, std::string>& q,
                         ApiBackend& backend, const std::string& new_token = {}) {
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

// ---- IB'er ----------------------------------------------------------------------------------

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
                    cls = "none", text = "niet nodig: toen niet op school";
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

HttpResponse ib_page(const User& u, const SchoolSnapshot& ss,
                     const std::map<std::string, std::string>& q, ApiBackend& backend) {
    const Date today = local_date(backend.now());
    const LoadedSchool& s = *ss.school;
    const Plan& plan = *ss.plan;
    const bool can_change = u.rights.lead && &ss == u.home;
    const std::string back = "/ib";
    std::string body = flash(q);
    auto late = overdue(plan, s.calendar, today);
    // Klassenconsultaties on top, then oldest first.
    std::stable_sort(late.begin(), late.end(), [](const OverdueItem& a, const OverdueItem& b) {
        const bool ca = a.event->rule == "klassenconsultatie";
        const bool cb = b.event->rule == "klassenconsultatie";
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
            body += "<tr><td>" + html_escape(c.title) + "</td><td>" +
                    html_escape(c.what == "moved" ? "verschoven van " + start_nl(c.from) +
                                                        " naar " + start_nl(c.to)
                                                  : "vervallen (was " + start_nl(c.from) + ")") +
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

// ---- move -----------------------------------------------------------------------------------

HttpResponse move_page(const User& u, const Event& e, const std::string& date,
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

HttpResponse move(const HttpRequest& req, const User& u, const Event& e,
                  const std::map<std::string, std::string>& form, ApiBackend& backend) {
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

// ---- schoolleider ---------------------------------------------------------------------------

std::string month_grids(const LoadedSchool& s) {
    const SchoolCalendar& cal = s.calendar;
    std::string out =
        "<p>Legenda: <span class=\"vak\">vakantie</span> <span "
        "class=\"feest\">feestdag</span> <span class=\"studie\">studiedag of vrije "
        "dag</span> <span class=\"toets\">toetsperiode</span></p>\n<div "
        "class=\"grid month\">\n";
    static constexpr const char* kMonths[] = {"januari",   "februari", "maart",    "april",
                                              "mei",       "juni",     "juli",     "augustus",
                                              "september", "oktober",  "november", "december"};
    std::chrono::year_month ym{std::chrono::year_month_day{cal.first_day()}.year(),
                               std::chrono::year_month_day{cal.first_day()}.month()};
    const std::chrono::year_month last{std::chrono::year_month_day{cal.last_day()}.year(),
                                       std::chrono::year_month_day{cal.last_day()}.month()};
    for (; ym <= last; ym += std::chrono::months{1}) {
        const Date first = std::chrono::sys_days{ym / 1};
        const Date end = std::chrono::sys_days{ym / std::chrono::last};
        out += "<table><caption>" + std::string(kMonths[static_cast<unsigned>(ym.month()) - 1]) +
               " " + std::to_string(static_cast<int>(ym.year())) +
               "</caption><thead><tr><th scope=\"col\">ma</th><th scope=\"col\">di</th><th "
               "scope=\"col\">wo</th><th scope=\"col\">do</th><th scope=\"col\">vr</th><th "
               "scope=\"col\">za</th><th scope=\"col\">zo</th></tr></thead><tbody><tr>";
        for (int i = 0; i < weekday_index(first); ++i) out += "<td></td>";
        for (Date d = first; d <= end; d += days{1}) {
            std::string cls, why;
            const int idx = cal.index(d);
            if (idx >= 0 && cal.day(idx).closure >= 0) {
                const Closure& c = cal.closures()[static_cast<size_t>(cal.day(idx).closure)];
                cls = c.kind == ClosureKind::vakantie   ? "vak"
                      : c.kind == ClosureKind::feestdag ? "feest"
                                                        : "studie";
                why = c.name;
            } else {
                for (const auto& tp : s.rules.test_periods)
                    if (tp.range.contains(d) && weekday_index(d) < 5) cls = "toets", why = tp.name;
            }
            const unsigned day = static_cast<unsigned>(std::chrono::year_month_day{d}.day());
            out += "<td" + (cls.empty() ? std::string() : " class=\"" + cls + "\"") +
                   (why.empty() ? std::string() : " title=\"" + html_escape(why) + "\"") + ">" +
                   std::to_string(day) + "</td>";
            if (weekday_index(d) == 6 && d != end) out += "</tr><tr>";
        }
        out += "</tr></tbody></table>\n";
    }
    out += "</div>\n<details><summary>Alle vrije dagen als lijst</summary><ul>\n";
    for (const auto& c : cal.closures())
        out +=
            "<li>" + html_escape(c.name) + ": " + html_escape(format_date_nl(c.range.from)) +
            (c.range.to != c.range.from ? " t/m " + html_escape(format_date_nl(c.range.to)) : "") +
            "</li>\n";
    out += "</ul></details>\n";
    return out;
}

std::string load_chart(const LoadedSchool& s, const Plan& plan) {
    // Minutes of events per person per school week: a heat map, with the numbers as a table.
    const Date first = monday_of(s.calendar.first_day());
    const int weeks = static_cast<int>((s.calendar.last_day() - first).count() / 7) + 1;
    std::vector<std::vector<int>> minutes(s.school.persons.size(),
                                          std::vector<int>(static_cast<size_t>(weeks)));
    int max = 1;
    for (const Event& e : plan.events) {
        if (e.kind == EventKind::test_period || e.all_day || e.status == EventStatus::cancelled)
            continue;
        const int w = static_cast<int>((e.date - first).count() / 7);
        if (w < 0 || w >= weeks) continue;
        for (size_t p = 0; p < s.school.persons.size(); ++p)
            if (std::find(e.attendees.begin(), e.attendees.end(), s.school.persons[p].id) !=
                e.attendees.end()) {
                int& m = minutes[p][static_cast<size_t>(w)];
                m += e.end - e.start;
                max = std::max(max, m);
            }
    }
    const int cell = 12, label = 150, top = 20;
    const int width = label + weeks * cell + 10;
    const int height = top + static_cast<int>(s.school.persons.size()) * cell + 10;
    std::string svg =
        "<div class=\"scroll\"><svg role=\"img\" aria-labelledby=\"belasting-titel\" "
        "width=\"" +
        std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
        std::to_string(width) + " " + std::to_string(height) +
        "\"><title id=\"belasting-titel\">Minuten aan afspraken per persoon per "
        "week; donkerder is meer</title>";
    for (int w = 0; w < weeks; w += 4)
        svg += "<text x=\"" + std::to_string(label + w * cell) + "\" y=\"12\">wk " +
               std::to_string(iso_week(first + days{7 * w})) + "</text>";
    std::string table =
        "<details><summary>Dezelfde cijfers als tabel</summary><div "
        "class=\"scroll\"><table><thead><tr><th scope=\"col\">Wie</th>";
    for (int w = 0; w < weeks; ++w)
        table += "<th scope=\"col\">" + std::to_string(iso_week(first + days{7 * w})) + "</th>";
    table += "</tr></thead><tbody>";
    for (size_t p = 0; p < s.school.persons.size(); ++p) {
        const int y = top + static_cast<int>(p) * cell;
        svg += "<text x=\"0\" y=\"" + std::to_string(y + 10) + "\">" +
               html_escape(s.school.persons[p].name) + "</text>";
        table += "<tr><th scope=\"row\">" + html_escape(s.school.persons[p].name) + "</th>";
        for (int w = 0; w < weeks; ++w) {
            const int m = minutes[p][static_cast<size_t>(w)];
            table += "<td>" + std::to_string(m) + "</td>";
            if (m == 0) continue;
            char opacity[16];
            std::snprintf(opacity, sizeof opacity, "%.2f", 0.15 + 0.85 * m / max);
            svg += "<rect x=\"" + std::to_string(label + w * cell) + "\" y=\"" + std::to_string(y) +
                   "\" width=\"" + std::to_string(cell - 1) + "\" height=\"" +
                   std::to_string(cell - 1) + "\" fill=\"#0b3d6b\" fill-opacity=\"" + opacity +
                   "\"><title>" + html_escape(s.school.persons[p].name) + ", week " +
                   std::to_string(iso_week(first + days{7 * w})) + ": " + std::to_string(m) +
                   " minuten</title></rect>";
        }
        table += "</tr>";
    }
    svg += "</svg></div>\n";
    return svg + table + "</tbody></table></div></details>\n";
}

HttpResponse lead_page(const User& u, const SchoolSnapshot& ss, ApiBackend& backend) {
    const Date today = local_date(backend.now());
    const LoadedSchool& s = *ss.school;
    const Plan& plan = *ss.plan;
    std::string body;
    body +=
        "<h2>Cyclus op tijd per toetsperiode</h2>\n<p>Legenda: <span class=\"ok\">op "
        "tijd</span> <span class=\"late\">te laat</span> <span "
        "class=\"over\">achterstallig</span> <span class=\"pending\">nog niet aan de "
        "beurt</span> <span class=\"none\">niet in te plannen of geannuleerd</span></p>\n";
    for (const auto& pt : timeliness(plan, s, today)) {
        const TestPeriod* tp = s.rules.period(pt.period);
        const std::string share = percent(pt.on_time, pt.due);
        body += "<h3>" + html_escape(tp ? tp->name : pt.period) + ": " +
                std::to_string(pt.on_time) + " van " + std::to_string(pt.due) + " op tijd (" +
                share + ")</h3>\n";
        std::vector<std::string> rules, subjects;
        std::map<std::pair<std::string, std::string>, const TimelinessCell*> at;
        for (const auto& c : pt.cells) {
            if (std::find(rules.begin(), rules.end(), c.rule) == rules.end())
                rules.push_back(c.rule);
            if (std::find(subjects.begin(), subjects.end(), c.subject) == subjects.end())
                subjects.push_back(c.subject);
            at[{c.rule, c.subject}] = &c;
        }
        body += "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Stap</th>";
        for (const auto& sub : subjects)
            body += "<th scope=\"col\">" + html_escape(subject_name(s, sub)) + "</th>";
        body += "</tr></thead><tbody>\n";
        for (const auto& r : rules) {
            body += "<tr><th scope=\"row\">" + html_escape(rule_label(s, r)) + "</th>";
            for (const auto& sub : subjects) {
                auto it = at.find({r, sub});
                if (it == at.end()) {
                    body += "<td></td>";
                    continue;
                }
                const TimelinessCell& c = *it->second;
                std::string cls = "pending", text = "nog niet";
                if (c.status == "on_time") cls = "ok", text = "op tijd";
                if (c.status == "late")
                    cls = "late", text = std::to_string(c.days_late) + " dg te laat";
                if (c.status == "overdue")
                    cls = "over",
                    text = c.days_late > 0
                               ? "achterstallig, " + std::to_string(c.days_late) + " dg te laat"
                               : "achterstallig";
                if (c.status == "unplannable") cls = "none", text = "niet in te plannen";
                if (c.status == "cancelled") cls = "none", text = "geannuleerd";
                body += "<td class=\"" + cls + "\">" + html_escape(text) + "</td>";
            }
            body += "</tr>\n";
        }
        body += "</tbody></table></div>\n";
    }
    body +=
        "<h2>Trend over de jaren</h2>\n<table><thead><tr><th scope=\"col\">Schooljaar</th><th "
        "scope=\"col\">Cyclus op tijd</th></tr></thead><tbody>\n";
    for (const auto& sp : backend.yearly_plans(ss.id)) {
        std::string share = "–";
        if (sp.school_year == ss.school_year) {
            int on = 0, due = 0;
            for (const auto& pt : timeliness(plan, s, today)) on += pt.on_time, due += pt.due;
            if (due)
                share = percent(on, due) + " (" + std::to_string(on) + " van " +
                        std::to_string(due) + ")";
        } else if (auto old = plan_from_json(sp.plan_json, "opgeslagen plan")) {
            auto src = sources_from_json(sp.sources, ss.folder);
            auto loaded = src ? load_school(*src, builtin_official_holidays())
                              : Result<LoadedSchool>(Diagnostics{});
            if (loaded) {
                int on = 0, due = 0;
                for (const auto& pt : timeliness(*old, *loaded, loaded->calendar.last_day()))
                    on += pt.on_time, due += pt.due;
                share = percent(on, due);
            }
        }
        body += "<tr><td>" + html_escape(sp.school_year) + "</td><td>" + html_escape(share) +
                "</td></tr>\n";
    }
    body += "</tbody></table>\n";
    body += "<h2>Minimumaantallen</h2>\n<ul>\n";
    for (const auto& rc : compliance(plan, s, today)) {
        int held = 0, planned = 0, late = 0, unplannable = 0;
        for (const auto& row : rc.rows)
            held += row.held, planned += row.planned, late += row.overdue,
                unplannable += row.unplannable;
        body += "<li>" + html_escape(rule_label(s, rc.rule)) + " (" + std::to_string(rc.count) +
                "× per jaar, " + std::to_string(rc.rows.size()) +
                " personen of groepen): " + std::to_string(held) + " gehouden, " +
                std::to_string(planned) + " gepland, " + std::to_string(late) + " achterstallig, " +
                std::to_string(unplannable) + " niet in te plannen</li>\n";
    }
    body += "</ul>\n<p><a href=\"/ib" +
            (&ss == u.home ? std::string() : "?school=" + url_encode(ss.id)) +
            "\">Alle klassenconsultaties per persoon en periode</a></p>\n";
    body += "<h2>Niet ingepland (" + std::to_string(plan.unplanned.size()) + ")</h2>\n";
    if (plan.unplanned.empty()) body += "<p>Alles is ingepland.</p>\n";
    body += "<ul>\n";
    for (const auto& un : plan.unplanned)
        body += "<li><strong>" + html_escape(rule_label(s, un.rule)) +
                (un.subject ? ", " + html_escape(subject_name(s, *un.subject)) : "") + ", keer " +
                std::to_string(un.occurrence) + ":</strong> " + html_escape(un.reason) + "</li>\n";
    body += "</ul>\n<h2>Het jaar in één oogopslag</h2>\n" + month_grids(s);
    body += "<h2>Belasting per persoon per week</h2>\n" + load_chart(s, plan);
    return page(u, "Schoolleider: " + ss.name, body);
}

// ---- bestuur --------------------------------------------------------------------------------

HttpResponse board_page(const User& u, const Snapshot& snap, ApiBackend& backend) {
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

// ---- actions --------------------------------------------------------------------------------

/// Where a form may send the browser back to: one of the pages' own paths, nothing else (the
/// form field is the client's word; a free path would be an open redirect).
std::string safe_back(const std::map<std::string, std::string>& form, const std::string& fallback) {
    static const std::set<std::string> kReturnPaths = {"/", "/ib", "/schoolleider"};
    auto it = form.find("terug");
    if (it == form.end() || !kReturnPaths.count(it->second)) return fallback;
    return it->second;
}

HttpResponse event_action(const HttpRequest& req, const User& u, std::string_view rest,
                          const std::map<std::string, std::string>& form, ApiBackend& backend) {
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

}  // namespace

bool is_web_path(std::string_view path) {
    for (std::string_view p : {"/inloggen", "/uitloggen", "/ib", "/schoolleider", "/bestuur",
                               "/abonnement", "/mail-instellingen", "/afspraak/"})
        if (path.rfind(p, 0) == 0) return true;
    return path == "/";
}

HttpResponse handle_web(const HttpRequest& req, const Snapshot& snap, ApiBackend& backend) {
    std::string path = req.target.substr(0, req.target.find('?'));
    const auto q = req.target.find('?') == std::string::npos
                       ? std::map<std::string, std::string>{}
                       : parse_pairs(std::string_view(req.target).substr(req.target.find('?') + 1));
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
    auto user = signed_in(req, snap, backend);
    if (!user) {
        if (req.method == "POST")
            return html_page(403, "Niet ingelogd",
                             "<p>Je sessie is verlopen. <a href=\"/inloggen\">Log opnieuw "
                             "in</a>.</p>");
        return redirect("/inloggen");
    }
    const User& u = *user;
    std::map<std::string, std::string> form;
    if (req.method == "POST") {
        // Every form carries the session's CSRF token; without it nothing changes.
        form = parse_pairs(req.body);
        if (!constant_time_equal(form["csrf"], u.session.csrf))
            return page(u, "Geweigerd",
                        "<p class=\"error\" role=\"alert\">Dit formulier is niet geldig (het "
                        "beveiligingstoken ontbreekt of is verlopen). Laad de pagina opnieuw en "
                        "probeer het nog eens.</p>",
                        403);
    }
    if (path == "/uitloggen" && req.method == "POST") {
        backend.end_session(u.token);
        HttpResponse r = redirect("/inloggen");
        r.headers.emplace_back(
            "Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
        return r;
    }
    if (path == "/") return my_calendar(u, q, backend);
    if (path == "/abonnement" && req.method == "POST")
        return my_calendar(u, {}, backend, backend.rotate_subscription(u.home->id, u.person->id));
    if (path == "/mail-instellingen" && req.method == "POST") {
        for (MailKind k : kAllMailKinds)
            backend.set_mail(u.home->id, u.person->id, k, form.count(std::string(to_string(k))) > 0,
                             u.person->id);
        return redirect("/?melding=mail");
    }
    if (path.rfind("/afspraak/", 0) == 0)
        return event_action(req, u, std::string_view(path).substr(10), form, backend);
    if (path == "/ib" || path == "/schoolleider") {
        const SchoolSnapshot* ss = view_school(u, snap, q);
        if (!ss) return forbidden(u);
        return path == "/ib" ? ib_page(u, *ss, q, backend) : lead_page(u, *ss, backend);
    }
    if (path == "/bestuur") {
        if (!u.rights.board) return forbidden(u);
        return board_page(u, snap, backend);
    }
    return page(u, "Niet gevonden", "<p>Deze pagina bestaat niet.</p>", 404);
}

}  // namespace jk::daemon
