#include "daemon/web/layout.hpp"

#include <set>

#include "daemon/html.hpp"

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

std::string held_form(const RequestContext& u, const Event& e, const std::string& back) {
    return "<form class=\"inline\" method=\"post\" action=\"/afspraak/" + html_escape(e.uid) +
           "/gehouden\">" + csrf_field(u) + "<input type=\"hidden\" name=\"terug\" value=\"" +
           html_escape(back) + "\"><button type=\"submit\" aria-label=\"" +
           html_escape(e.title + " op " + format_date_nl(e.date) + " is gehouden") +
           "\">Gehouden</button></form>";
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

std::string flash(const FormData& q) {
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

}  // namespace jk::daemon::web
