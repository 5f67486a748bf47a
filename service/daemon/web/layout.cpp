#include "daemon/web/layout.hpp"

#include <set>

#include "daemon/web/html.hpp"
#include "daemon/web/qr_svg.hpp"

namespace jk::daemon::web {
HttpResponse redirect(const std::string& to) {
    HttpResponse r;
    r.status = 303;
    r.headers = {{"Location", to}, {"Cache-Control", "no-store"}};
    return r;
}

std::string nav(const RequestContext& u) {
    std::string s =
        "<nav aria-label=\"Hoofdmenu\"><ul><li><a href=\"/\">Mijn jaarkalender</a></li>";
    if (u.rights.lead)
        s += "<li><a href=\"/ib\">IB</a></li><li><a href=\"/schoolleider\">Schoolleider</a></li>"
             "<li><a href=\"/wijzigingen\">Wijzigingen</a></li>";
    if (u.rights.lead || u.rights.board)
        s += "<li><a href=\"/inrichting\">Inrichting</a></li><li><a "
             "href=\"/jaarplanning\">Jaarplanning</a></li>";
    if (u.rights.board) s += "<li><a href=\"/bestuur\">Bestuur</a></li>";
    s += "</ul></nav><form class=\"inline\" method=\"post\" action=\"/uitloggen\">"
         "<input type=\"hidden\" name=\"csrf\" value=\"" +
         html_escape(u.session.csrf) +
         "\"><button type=\"submit\" class=\"secondary\">Uitloggen</button></form>"
         "<span class=\"who\">" +
         html_escape(u.person->name) + "</span>";
    return s;
}

HttpResponse page(const RequestContext& u, const std::string& title, const std::string& body,
                  int status) {
    return html_page(status, title, body, nav(u));
}

std::string csrf_field(const RequestContext& u) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + html_escape(u.session.csrf) + "\">";
}

std::string status_nl(EventStatus s) {
    return std::string(describe_nl(s));
}

std::string person_name(const School& s, const std::string& id) {
    const Person* p = s.person(id);
    return p ? p->name : id;
}

std::string subject_name(const LoadedSchool& s, const std::string& id) {
    if (const Person* p = s.school.person(id)) return p->name;
    if (const Group* g = s.school.group(id)) return g->name;
    if (id == s.school.id) return "Hele school";
    return id;
}

std::string rule_label(const LoadedSchool& s, const std::string& rule) {
    const Rule* r = s.rules.rule(rule);
    return r ? r->label() : rule;
}

std::string held_word(const Event& e) {
    return e.kind == EventKind::test_session ? "Afgenomen" : "Gehouden";
}

std::string held_form(const RequestContext& u, const Event& e, const std::string& back) {
    std::string word = held_word(e);
    word[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
    return "<form class=\"inline\" method=\"post\" action=\"/afspraak/" + html_escape(e.uid) +
           "/gehouden\">" + csrf_field(u) + "<input type=\"hidden\" name=\"terug\" value=\"" +
           html_escape(back) + "\"><button type=\"submit\" aria-label=\"" +
           html_escape(e.title + " op " + format_date_nl(e.date) + " is " + word) + "\">" +
           held_word(e) + "</button></form>";
}

std::string held_other_day_form(const RequestContext& u, const Event& e, const std::string& back,
                                Date today) {
    const std::string id = e.uid.substr(0, 12);
    return "<details class=\"held-other\"><summary>Andere dag of notitie</summary><form "
           "method=\"post\" action=\"/afspraak/" +
           html_escape(e.uid) + "/gehouden\">" + csrf_field(u) +
           "<input type=\"hidden\" name=\"terug\" value=\"" + html_escape(back) +
           "\"><label for=\"datum-" + id + "\">" + held_word(e) +
           " op</label><input type=\"date\" id=\"datum-" + id +
           "\" name=\"datum\" required value=\"" + format_date(e.date) + "\" max=\"" +
           format_date(today) + "\"><label for=\"notitie-" + id +
           "\">Korte notitie (optioneel)</label><p class=\"hint\" id=\"hint-" + id +
           "\">Blijft in de jaarkalender: niet in agenda's of e-mails. Geen namen van "
           "leerlingen.</p><input id=\"notitie-" +
           id + "\" name=\"notitie\" maxlength=\"500\" aria-describedby=\"hint-" + id +
           "\" value=\"" + html_escape(e.note) +
           "\"><p><button type=\"submit\">Bewaar</button></p></form></details>";
}

std::string undo_form(const RequestContext& u, const Event& e, const std::string& back) {
    return "<form class=\"inline\" method=\"post\" action=\"/afspraak/" + html_escape(e.uid) +
           "/ongedaan\">" + csrf_field(u) + "<input type=\"hidden\" name=\"terug\" value=\"" +
           html_escape(back) + "\"><button type=\"submit\" class=\"secondary\" aria-label=\"" +
           html_escape(e.title + " op " + format_date_nl(e.date) + ": ongedaan maken") +
           "\">Ongedaan maken</button></form>";
}

std::string cancel_form(const RequestContext& u, const Event& e, const std::string& back) {
    const std::string id = "reden-" + e.uid.substr(0, 8);
    return "<details><summary>Annuleren</summary><form method=\"post\" action=\"/afspraak/" +
           html_escape(e.uid) + "/annuleren\">" + csrf_field(u) +
           "<input type=\"hidden\" name=\"terug\" value=\"" + html_escape(back) +
           "\"><label for=\"" + id + "\">Reden</label><input id=\"" + id +
           "\" name=\"reden\" required maxlength=\"500\"> <button type=\"submit\">Annuleer "
           "afspraak</button></form></details>";
}

std::string new_link_block(const std::string& public_url, const std::string& token) {
    const std::string https = public_url + "/feeds/" + token + ".ics";
    std::string webcal = https;
    webcal.replace(0, webcal.find("://"), "webcal");
    return "<p class=\"flash\" role=\"status\">Je nieuwe link staat hieronder. Bewaar hem: hij "
           "wordt maar één keer getoond.</p>\n"
           "<p><a class=\"button\" href=\"" +
           html_escape(webcal) +
           "\">Abonneren (Apple Agenda, Outlook)</a></p>\n"
           "<label for=\"feed-url\">Link voor Google Agenda (Andere agenda's → Via URL) of "
           "Outlook op het web (Agenda toevoegen → Abonneren vanaf internet)</label>\n"
           "<input id=\"feed-url\" readonly size=\"60\" value=\"" +
           html_escape(https) + "\">\n<figure class=\"qr\">" +
           qr_svg(webcal, "QR-code van de abonneerlink") +
           "<figcaption>Op je telefoon: scan deze code met de camera om je agenda te "
           "abonneren.</figcaption></figure>\n";
}

std::string flash(const FormData& q) {
    static const std::map<std::string, std::string> kMessages = {
        {"gehouden", "De afspraak staat op gehouden."},
        {"alles-gehouden", "Alles tot en met vandaag staat op gehouden."},
        {"school-gehouden", "Alles tot en met de gekozen datum staat op gehouden."},
        {"niets-open", "Tot en met die datum staat niets meer open."},
        {"ongedaan", "Ongedaan gemaakt: de afspraak staat weer open."},
        {"abonnement", "De link is al getoond. Kwijt? Maak een nieuwe."},
        {"geannuleerd", "De afspraak is geannuleerd."},
        {"verplaatst", "De afspraak is verplaatst."},
        {"verplaatsing-ongedaan", "Ongedaan gemaakt: de afspraak staat weer op de oude tijd."},
        {"mail", "Je e-mailinstellingen zijn bewaard."}};
    auto it = q.find("melding");
    if (it == q.end()) return {};
    auto m = kMessages.find(it->second);
    if (m == kMessages.end()) return {};
    return "<p class=\"flash\" role=\"status\">" + html_escape(m->second) + "</p>\n";
}

const SchoolSnapshot* view_school(const RequestContext& u, const Snapshot& snap,
                                  const FormData& q) {
    auto it = q.find("school");
    if (it == q.end() || it->second == u.home->id)
        return (u.rights.lead || u.rights.board) ? u.home : nullptr;
    if (!u.rights.board) return nullptr;
    auto s = snap.schools.find(it->second);
    if (s == snap.schools.end() || !s->second->plan || !s->second->school) return nullptr;
    return s->second.get();
}

HttpResponse forbidden(const RequestContext& u) {
    return page(u, "Geen toegang",
                "<p>Deze pagina is voor de IB'er, de schoolleider en het bestuur. Ga naar <a "
                "href=\"/\">je eigen jaarkalender</a>.</p>",
                403);
}

/// Where a form may send the browser back to: one of the pages' own paths, nothing else (the
/// form field is the client's word; a free path would be an open redirect).
std::string safe_back(const FormData& form, const std::string& fallback) {
    static const std::set<std::string> kReturnPaths = {"/", "/ib", "/schoolleider"};
    auto it = form.find("terug");
    if (it == form.end() || !kReturnPaths.count(it->second)) return fallback;
    return it->second;
}

std::string year_switch(const std::string& path,
                        const std::vector<std::pair<std::string, std::string>>& years,
                        const std::string& shown, const std::string& school) {
    if (years.size() < 2) return {};
    std::string out = "<nav aria-label=\"Schooljaar\"><p>Schooljaar: ";
    for (const auto& [year, label] : years) {
        std::string href = path + "?jaar=" + url_encode(year);
        if (!school.empty()) href += "&school=" + url_encode(school);
        out += year == shown
                   ? "<strong aria-current=\"page\">" + html_escape(label) + "</strong> "
                   : "<a href=\"" + html_escape(href) + "\">" + html_escape(label) + "</a> ";
    }
    return out + "</p></nav>\n";
}

std::string dated_section(const std::string& heading, const std::string& rows,
                          const std::string& none) {
    if (rows.empty()) return "<h2>" + heading + "</h2>\n<p>" + none + "</p>\n";
    return "<h2>" + heading +
           "</h2>\n<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Wanneer</th><th "
           "scope=\"col\">Wat</th><th scope=\"col\">Status</th></tr></thead><tbody>\n" +
           rows + "</tbody></table></div>\n";
}

}  // namespace jk::daemon::web
