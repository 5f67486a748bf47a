// The staff-change pages for the school's IB'er and schoolleider: the overview with the history
// (/wijzigingen), a form per kind (/wijzigingen/nieuw/<soort>), "Wat verandert er?" before
// anything is stored, and undo. The view models are staff_view.hpp's; this file renders them
// and turns the form's buttons into the service's staff changes.
#include <string>

#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"
#include "daemon/web/staff_view.hpp"
#include "import/xlsx_reader.hpp"
#include "jaarkalender/formatie.hpp"

namespace jk::daemon::web {
namespace {

using Type = FieldView::Type;

std::string field_id(const std::string& name) {
    std::string id = "f-" + name;
    for (char& c : id)
        if (c == '.') c = '-';
    return id;
}

std::string render_field(const FieldView& f) {
    const std::string id = field_id(f.name);
    std::string described;
    std::string after;
    if (!f.hint.empty()) {
        described += id + "-hint";
        after += "<p class=\"hint\" id=\"" + id + "-hint\">" + html_escape(f.hint) + "</p>\n";
    }
    if (!f.error.empty()) {
        described += (described.empty() ? "" : " ") + id + "-error";
        after +=
            "<p class=\"field-error\" id=\"" + id + "-error\">" + html_escape(f.error) + "</p>\n";
    }
    const std::string aria = (described.empty() ? "" : " aria-describedby=\"" + described + "\"") +
                             std::string(f.error.empty() ? "" : " aria-invalid=\"true\"");
    const std::string cls = f.error.empty() ? "field" : "field has-error";
    if (f.type == Type::checkboxes || f.type == Type::radios) {
        std::string s = "<fieldset class=\"" + cls + "\" id=\"" + id + "\"" + aria + "><legend>" +
                        html_escape(f.label) + "</legend>\n";
        for (const auto& [value, label] : f.options) {
            const std::string oid = id + "-" + value;
            const bool on = f.type == Type::radios ? f.value == value
                                                   : std::find(f.values.begin(), f.values.end(),
                                                               value) != f.values.end();
            s += "<div><input type=\"" +
                 std::string(f.type == Type::radios ? "radio" : "checkbox") + "\" id=\"" + oid +
                 "\" name=\"" + html_escape(f.name) + "\" value=\"" + html_escape(value) + "\"" +
                 (on ? " checked" : "") + "> <label class=\"inline\" for=\"" + oid + "\">" +
                 html_escape(label) + "</label></div>\n";
        }
        return s + after + "</fieldset>\n";
    }
    std::string s = "<div class=\"" + cls + "\"><label for=\"" + id + "\">" + html_escape(f.label) +
                    (f.required ? std::string()
                     : !f.required_when.empty()
                         ? " <span class=\"muted\">(" + html_escape(f.required_when) + ")</span>"
                         : std::string(" <span class=\"muted\">(niet "
                                       "verplicht)</span>")) +
                    "</label>\n";
    if (f.type == Type::select) {
        s += "<select id=\"" + id + "\" name=\"" + html_escape(f.name) + "\"" + aria + ">";
        for (const auto& [value, label] : f.options)
            s += "<option value=\"" + html_escape(value) + "\"" +
                 (value == f.value ? " selected" : "") + ">" + html_escape(label) + "</option>";
        s += "</select>\n";
    } else {
        const char* type = f.type == Type::date ? "date" : f.type == Type::email ? "email" : "text";
        s += "<input id=\"" + id + "\" name=\"" + html_escape(f.name) + "\" type=\"" + type +
             "\" value=\"" + html_escape(f.value) + "\"" + aria +
             (f.type == Type::text ? " maxlength=\"200\"" : "") + ">\n";
    }
    return s + after + "</div>\n";
}

HttpResponse form_page(const RequestContext& u, const FormView& v, int status = 200) {
    std::string body;
    if (v.has_errors()) {
        body +=
            "<div class=\"error\" role=\"alert\"><p>Dit kan zo niet worden opgeslagen. "
            "Controleer:</p><ul>";
        for (const auto& e : v.general_errors) body += "<li>" + html_escape(e) + "</li>";
        for (const FieldView& f : v.fields)
            if (!f.error.empty())
                body += "<li><a href=\"#" + field_id(f.name) + "\">" + html_escape(f.label) +
                        "</a>: " + html_escape(f.error) + "</li>";
        body += "</ul></div>\n";
    }
    const std::string action =
        Editing{true, v.year}.href("/wijzigingen/nieuw/" + std::string(v.kind->slug));
    if (!v.year.empty())
        body += "<p class=\"notice\">Deze wijziging is voor het schooljaar " + html_escape(v.year) +
                ", niet voor dit jaar.</p>\n";
    body += "<p>" + html_escape(std::string(v.kind->intro)) +
            " Voordat er iets verandert, zie je wat deze wijziging doet.</p>\n"
            "<form method=\"post\" action=\"" +
            html_escape(action) + "\" novalidate>" + csrf_field(u) + "\n";
    for (const FieldView& f : v.fields) {
        if (!f.section.empty()) body += "<h2>" + html_escape(f.section) + "</h2>\n";
        body += render_field(f);
    }
    // A leaver's groups are asked once the leaver is known (the page has no scripts): this
    // button shows the form again with a successor field per group.
    const bool successors_asked = std::any_of(v.fields.begin(), v.fields.end(), [](const auto& f) {
        return f.name.rfind("takeovers.", 0) == 0;
    });
    // A rule's, a period's or a group's present settings are filled in once it is chosen (no
    // scripts either): until then the form is only the choice.
    const auto k = v.kind->kind;
    // (The choosing form is the choice alone: without the Toelichting.)
    const bool choosing = (k == StaffChangeKind::rule || k == StaffChangeKind::test_period ||
                           k == StaffChangeKind::group || k == StaffChangeKind::person_edit) &&
                          std::none_of(v.fields.begin(), v.fields.end(),
                                       [](const FieldView& f) { return f.name == "note"; });
    if (choosing) {
        body += std::string("<p><button type=\"submit\" name=\"actie\" value=\"terug\">") +
                (k == StaffChangeKind::rule          ? "Deze regel openen"
                 : k == StaffChangeKind::test_period ? "Deze toetsperiode openen"
                 : k == StaffChangeKind::group       ? "Deze groep openen"
                                                     : "Deze collega openen") +
                "</button> <a class=\"button secondary\" href=\"/wijzigingen\">Annuleren</a></p>\n"
                "</form>\n";
        return page(u, std::string(v.kind->title), body, status);
    }
    if (v.kind->kind == StaffChangeKind::leave && !successors_asked)
        body +=
            "<p><button type=\"submit\" name=\"actie\" value=\"terug\" "
            "class=\"secondary\">Opvolgers per groep kiezen</button></p>\n";
    body +=
        "<p><button type=\"submit\" name=\"actie\" value=\"bekijk\">Wat verandert er?</button> "
        "<a class=\"button secondary\" href=\"/wijzigingen\">Annuleren</a></p>\n</form>\n";
    return page(u, std::string(v.kind->title), body, status);
}

std::string rows_table(const char* caption, const std::vector<PreviewView::Row>& rows, bool with_to,
                       bool with_from = true) {
    std::string s = "<div class=\"scroll\"><table><caption>" + std::string(caption) +
                    "</caption><thead><tr><th scope=\"col\">Afspraak</th>";
    if (with_from) s += "<th scope=\"col\">" + std::string(with_to ? "Van" : "Wanneer") + "</th>";
    if (with_to) s += "<th scope=\"col\">Naar</th>";
    s += "<th scope=\"col\">Waarom</th></tr></thead><tbody>\n";
    for (const auto& r : rows) {
        s += "<tr><td>" + html_escape(r.what) + "</td>";
        if (with_from) s += "<td>" + html_escape(r.from) + "</td>";
        if (with_to) s += "<td>" + html_escape(r.to) + "</td>";
        s += "<td>" + html_escape(r.why) + "</td></tr>\n";
    }
    return s + "</tbody></table></div>\n";
}

/// The consequences' sections (the preview, and what a saved change did).
std::string consequences_html(const PreviewView& v, bool preview) {
    std::string s;
    for (const auto& w : v.warnings)
        s += "<p class=\"error\" role=\"alert\">" + html_escape(w) + "</p>\n";
    if (v.nothing_changes())
        s += "<p>Er " + std::string(preview ? "verschuift" : "verschoof") +
             " geen enkele afspraak.</p>\n";
    if (!v.moved.empty()) {
        s += "<h2>Verschoven (" + std::to_string(v.moved.size()) + ")</h2>\n";
        s += rows_table("Afspraken die een andere dag of tijd krijgen", v.moved, true);
    }
    if (!v.cancelled.empty()) {
        s += "<h2>Vervallen (" + std::to_string(v.cancelled.size()) + ")</h2>\n";
        s += rows_table("Afspraken die niet meer doorgaan", v.cancelled, false);
    }
    if (!v.restored.empty()) {
        s += "<h2>Weer ingepland (" + std::to_string(v.restored.size()) + ")</h2>\n";
        s += rows_table("Afspraken die eerder vervielen en nu weer passen", v.restored, false);
    }
    if (!v.unplanned.empty()) {
        s += "<h2>Niet meer in te plannen (" + std::to_string(v.unplanned.size()) + ")</h2>\n";
        s += rows_table("Wat nergens meer past", v.unplanned, false, false);
    }
    if (!v.reassigned.empty()) {
        s += "<h2>Met andere mensen (" + std::to_string(v.reassigned.size()) + ")</h2>\n";
        std::vector<PreviewView::Row> rows;
        for (const auto& r : v.reassigned) rows.push_back({r.what, r.from, r.to, ""});
        s += "<div class=\"scroll\"><table><caption>Afspraken die blijven staan, met iemand "
             "anders</caption><thead><tr><th scope=\"col\">Afspraak</th><th "
             "scope=\"col\">Wanneer</th><th scope=\"col\">Wie</th></tr></thead><tbody>\n";
        for (const auto& r : rows)
            s += "<tr><td>" + html_escape(r.what) + "</td><td>" + html_escape(r.from) +
                 "</td><td>" + html_escape(r.to) + "</td></tr>\n";
        s += "</tbody></table></div>\n";
    }
    if (!v.counts.empty()) {
        s += "<h2>Het jaar in aantallen</h2>\n<div class=\"scroll\"><table><caption>Per regel: "
             "hoe vaak ingepland en hoe vaak niet in te plannen, nu en met deze wijziging"
             "</caption><thead><tr><th scope=\"col\">Regel</th><th scope=\"col\">Ingepland nu"
             "</th><th scope=\"col\">Daarna</th><th scope=\"col\">Niet in te plannen nu</th>"
             "<th scope=\"col\">Daarna</th></tr></thead><tbody>\n";
        for (const auto& k : v.counts)
            s += "<tr><td>" + html_escape(k.rule) + "</td><td>" + std::to_string(k.planned_before) +
                 "</td><td>" + std::to_string(k.planned_after) + "</td><td>" +
                 std::to_string(k.unplanned_before) + "</td><td>" +
                 std::to_string(k.unplanned_after) + "</td></tr>\n";
        s += "</tbody></table></div>\n";
    }
    if (!v.added.empty()) {
        s += "<h2>Nieuw ingepland (" + std::to_string(v.added.size()) + ")</h2>\n";
        s += rows_table("Afspraken die erbij komen", v.added, false);
    }
    if (preview) {
        s += "<h2>Wie krijgt een e-mail (" + std::to_string(v.mails.size()) + ")</h2>\n";
        if (v.mails.empty()) {
            s += "<p>Niemand: geen afspraak in de komende twee weken verandert.</p>\n";
        } else {
            s += "<ul>";
            for (const auto& m : v.mails) s += "<li>" + html_escape(m) + "</li>";
            s += "</ul>\n";
        }
    }
    return s;
}

HttpResponse preview_page(const RequestContext& u, const PreviewView& v,
                          const std::string& action) {
    std::string body = "<p class=\"card\"><strong>" + html_escape(v.summary) + "</strong></p>\n";
    body += "<p>Er is nog niets opgeslagen. Zo verandert de jaarkalender als je opslaat:</p>\n";
    body += consequences_html(v, true);
    body += "<form method=\"post\" action=\"" + html_escape(action) + "\">" + csrf_field(u);
    for (const auto& [name, value] : u.form.pairs())
        if (name != "csrf" && name != "actie")
            body += "<input type=\"hidden\" name=\"" + html_escape(name) + "\" value=\"" +
                    html_escape(value) + "\">";
    body +=
        "\n<p><button type=\"submit\" name=\"actie\" value=\"opslaan\">Opslaan</button> "
        "<button type=\"submit\" name=\"actie\" value=\"terug\" class=\"secondary\">Terug"
        "</button></p>\n</form>\n";
    return page(u, "Wat verandert er?", body);
}

HttpResponse refused(const RequestContext& u, const StaffChangeResult& r) {
    if (r.outcome == StaffChangeResult::Outcome::rate_limited)
        return page(u, "Even wachten",
                    "<p class=\"error\" role=\"alert\">Je hebt veel wijzigingen kort na elkaar "
                    "gedaan. Wacht even en probeer het dan opnieuw.</p><p><a "
                    "href=\"/wijzigingen\">Terug</a></p>",
                    429);
    return page(u, "Niet gevonden",
                "<p>Deze wijziging bestaat niet, of is al ongedaan gemaakt. <a "
                "href=\"/wijzigingen\">Terug naar de wijzigingen</a></p>",
                404);
}

}  // namespace

HttpResponse changes_page(const RequestContext& u, InputService& input) {
    const SchoolSnapshot& ss = *u.home;
    const LoadedSchool& s = *ss.school;
    const auto versions = input.history(ss.id);
    std::string body;
    if (u.query.has("opgeslagen")) {
        const std::string& id = u.query.get("opgeslagen");
        for (const auto& v : versions)
            if (std::to_string(v.id) == id) {
                body += "<div class=\"flash\" role=\"status\"><p>Opgeslagen: " +
                        html_escape(v.summary) + ".</p></div>\n";
                if (std::to_string(ss.input_version) == id)
                    body += consequences_html(replan_view(ss.replan_changes, v.summary), false);
            }
    }
    body += "<h2>Nieuwe wijziging</h2>\n<div class=\"grid\">\n";
    for (const auto& k : change_kinds())
        body += "<div class=\"card\"><p><a href=\"/wijzigingen/nieuw/" + std::string(k.slug) +
                "\"><strong>" + html_escape(std::string(k.title)) + "</strong></a></p><p>" +
                html_escape(std::string(k.intro)) + "</p></div>\n";
    body +=
        "<div class=\"card\"><p><a href=\"/wijzigingen/formatie\"><strong>De formatie uit een "
        "spreadsheet</strong></a></p><p>Iedereen, de rollen, de werkdagen en wie welke groep "
        "heeft, in één keer uit Excel of een CSV-bestand.</p></div>\n";
    body += "</div>\n";

    const auto absences = absences_view(s, u.today);
    body += "<h2>Afwezig, nu en binnenkort</h2>\n";
    if (absences.empty()) {
        body += "<p>Niemand.</p>\n";
    } else {
        body +=
            "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Wie</th><th "
            "scope=\"col\">Wanneer</th><th scope=\"col\">Reden</th><th "
            "scope=\"col\">Invaller</th><th scope=\"col\">Actie</th></tr></thead><tbody>\n";
        for (const auto& a : absences)
            body += "<tr><td>" + html_escape(a.name) + "</td><td>" + html_escape(a.dates) +
                    "</td><td>" + html_escape(a.reason) + "</td><td>" +
                    html_escape(a.substitute.empty() ? "–" : a.substitute) + "</td><td><a href=\"" +
                    html_escape(a.edit_link) + "\" aria-label=\"Einddatum van " +
                    html_escape(a.name) + " wijzigen\">Verlengen of eerder terug</a></td></tr>\n";
        body += "</tbody></table></div>\n";
    }

    body +=
        "<p><a href=\"/inrichting\">De inrichting van de school</a>: de school, mensen, "
        "groepen, de toetskalender en de regels zoals ze nu zijn.</p>\n";
    body += rules_section(s, Editing{true, {}});

    body +=
        "<h2>Geschiedenis</h2>\n<p class=\"muted\">Elke wijziging blijft staan; ongedaan "
        "maken is een nieuwe wijziging.</p>\n<div class=\"scroll\"><table><thead><tr><th "
        "scope=\"col\">Wanneer</th><th scope=\"col\">Wie</th><th scope=\"col\">Wat</th><th "
        "scope=\"col\">Waarom</th><th scope=\"col\">Status</th></tr></thead><tbody>\n";
    for (const auto& row : history_view(versions, s)) {
        std::string state = html_escape(row.state);
        if (row.can_undo)
            state += "<form class=\"inline\" method=\"post\" action=\"/wijzigingen/" +
                     std::to_string(row.id) + "/ongedaan\">" + csrf_field(u) +
                     "<button type=\"submit\" class=\"secondary\" name=\"actie\" value=\"bekijk\" "
                     "aria-label=\"" +
                     html_escape("Ongedaan maken: " + row.what) +
                     "\">Ongedaan maken</button></form>";
        body += "<tr><td>" + html_escape(row.when) + "</td><td>" + html_escape(row.who) +
                "</td><td>" + html_escape(row.what) + "</td><td>" + html_escape(row.why) +
                "</td><td>" + state + "</td></tr>\n";
    }
    body += "</tbody></table></div>\n";
    return page(u, "Wijzigingen in personen en dagen", body);
}

namespace {

/// The school a change form is about: the current year's, or that of `jaar` (a draft or
/// published next year of the person's own school, `year`); null when there is no such year.
std::shared_ptr<const LoadedSchool> form_school(const RequestContext& u, YearService& years,
                                                std::string& year) {
    year = u.query.get("jaar");
    if (year.empty() || year == u.home->school_year) {
        year.clear();
        return u.home->school;
    }
    auto v = years.view(u.home->id, year);
    return v ? v->school : nullptr;
}

HttpResponse no_year(const RequestContext& u) {
    return page(u, "Niet gevonden",
                "<p>Dit schooljaar is er niet. <a href=\"/inrichting\">Naar de inrichting</a></p>",
                404);
}

FormView year_form(FormView v, const std::string& year) {
    v.year = year;
    return v;
}

}  // namespace

HttpResponse change_form_page(const RequestContext& u, std::string_view slug, YearService& years) {
    const ChangeKindInfo* kind = change_kind(slug);
    if (!kind) return page(u, "Niet gevonden", "<p>Deze soort wijziging bestaat niet.</p>", 404);
    std::string year;
    const auto school = form_school(u, years, year);
    if (!school) return no_year(u);
    return form_page(u, year_form(change_form(*school, *kind, u.query, {}), year));
}

HttpResponse change_submit(const RequestContext& u, std::string_view slug, InputService& input) {
    const ChangeKindInfo* kind = change_kind(slug);
    if (!kind) return page(u, "Niet gevonden", "<p>Deze soort wijziging bestaat niet.</p>", 404);
    std::string year;
    const auto shown = form_school(u, input.years(), year);
    if (!shown) return no_year(u);
    const LoadedSchool& school = *shown;
    const std::string& action = u.form.get("actie");
    if (action == "terug")
        return form_page(u, year_form(change_form(school, *kind, u.form, {}), year));
    ParsedChange parsed = change_from_form(kind->kind, u.form, &school);
    if (!parsed.errors.empty())
        return form_page(u, year_form(change_form(school, *kind, u.form, parsed.errors), year),
                         400);
    const bool save = action == "opslaan";
    const StaffChangeResult r =
        input.staff_change(u.home->id, u.person->id, parsed.change, !save, year);
    using O = StaffChangeResult::Outcome;
    switch (r.outcome) {
        case O::invalid:
            return form_page(u, year_form(change_form(school, *kind, u.form, r.errors), year), 400);
        case O::previewed:
            return preview_page(
                u, preview_view(r, school),
                Editing{true, year}.href("/wijzigingen/nieuw/" + std::string(kind->slug)));
        case O::applied:
            // A next year's change is seen on its own set-up page.
            if (!year.empty()) return redirect("/inrichting?jaar=" + url_encode(year));
            return redirect("/wijzigingen?opgeslagen=" + std::to_string(r.version));
        case O::unknown_year:
            return no_year(u);
        default:
            return refused(u, r);
    }
}

HttpResponse undo_submit(const RequestContext& u, std::string_view id, InputService& input) {
    long long version = 0;
    for (char c : id) {
        if (c < '0' || c > '9' || version > 1'000'000'000'000LL) return refused(u, {});
        version = version * 10 + (c - '0');
    }
    if (u.form.get("actie") == "terug") return redirect("/wijzigingen");
    const bool save = u.form.get("actie") == "opslaan";
    const StaffChangeResult r = input.undo_staff_change(u.home->id, u.person->id, version, !save);
    using O = StaffChangeResult::Outcome;
    switch (r.outcome) {
        case O::previewed:
            return preview_page(u, preview_view(r, *u.home->school),
                                "/wijzigingen/" + std::to_string(version) + "/ongedaan");
        case O::applied:
            return redirect("/wijzigingen?opgeslagen=" + std::to_string(r.version));
        case O::invalid: {
            std::string body =
                "<div class=\"error\" role=\"alert\"><p>Dit kan niet ongedaan "
                "worden gemaakt:</p><ul>";
            for (const auto& e : r.errors) body += "<li>" + html_escape(e.message) + "</li>";
            body += "</ul></div><p><a href=\"/wijzigingen\">Terug</a></p>";
            return page(u, "Ongedaan maken", body, 400);
        }
        default:
            return refused(u, r);
    }
}

namespace {

const char* kXlsxMime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The upload form; `errors` (Dutch) above it when the file was refused.
std::string formatie_form(const RequestContext& u, const std::string& errors_html) {
    // Next year's formatie (`?jaar=`): usually what changes from one year to the next.
    const Editing in_year{true, u.query.get("jaar")};
    std::string body = errors_html;
    if (!in_year.year.empty())
        body += "<p class=\"notice\">Deze formatie is voor het schooljaar " +
                html_escape(in_year.year) + ", niet voor dit jaar.</p>\n";
    body +=
        "<p>Lees de formatie in uit Excel of een CSV-bestand: een rij per persoon en groep, met de "
        "kolommen <strong>Naam</strong>, <strong>E-mailadres</strong>, <strong>Rollen</strong>, "
        "<strong>Werkdagen</strong>, <strong>Groep</strong> en <strong>Dagen in de groep</strong>. "
        "Wie twee groepen heeft, staat er twee keer in; wie geen groep heeft, laat Groep leeg. "
        "Een groep die de school nog niet heeft, komt erbij (uit 'Groep 4/5' volgen de "
        "jaargroepen 4 en 5). Voordat er iets verandert, zie je wat het bestand doet.</p>\n"
        "<p><a href=\"" +
        html_escape(in_year.href("/wijzigingen/formatie.csv")) +
        "\">De formatie zoals hij nu is, om in te "
        "vullen (CSV voor Excel)</a></p>\n"
        "<form method=\"post\" action=\"" +
        html_escape(in_year.href("/wijzigingen/formatie")) +
        "\" "
        "enctype=\"multipart/form-data\" novalidate>" +
        csrf_field(u) +
        "\n<div class=\"field\"><label for=\"bestand\">Bestand (.xlsx of .csv)</label>"
        "<input type=\"file\" id=\"bestand\" name=\"bestand\" accept=\".xlsx,.csv,text/csv," +
        std::string(kXlsxMime) + "\" required></div>\n";
    FieldView leave;
    leave.name = "vertrek";
    leave.label = "Wie niet in het bestand staat";
    leave.type = FieldView::Type::radios;
    leave.options = {{"", "blijft op school"},
                     {"ja", "vertrekt (kies hieronder de laatste werkdag)"}};
    leave.value = u.form.get("vertrek");
    body += render_field(leave);
    FieldView until;
    until.name = "leavers_until";
    until.label = "Laatste werkdag van wie vertrekt";
    until.type = FieldView::Type::date;
    until.value = u.form.get("leavers_until");
    body += render_field(until);
    body +=
        "<p><button type=\"submit\" name=\"actie\" value=\"bekijk\">Wat verandert er?</button> "
        "<a class=\"button secondary\" href=\"/wijzigingen\">Annuleren</a></p>\n</form>\n";
    return body;
}

std::string list_html(const char* heading, const std::vector<std::string>& items) {
    if (items.empty()) return {};
    std::string s =
        "<h3>" + std::string(heading) + " (" + std::to_string(items.size()) + ")</h3><ul>";
    for (const auto& i : items) s += "<li>" + html_escape(i) + "</li>";
    return s + "</ul>\n";
}

}  // namespace

HttpResponse formatie_page(const RequestContext& u) {
    return page(u, "De formatie uit een spreadsheet", formatie_form(u, ""));
}

HttpResponse formatie_template_page(const RequestContext& u, YearService& years) {
    std::string year;
    const auto school = form_school(u, years, year);
    if (!school) return no_year(u);
    HttpResponse r;
    r.status = 200;
    r.headers = {
        {"Content-Type", "text/csv; charset=utf-8"},
        {"Content-Disposition", "attachment; filename=\"formatie-" + u.home->id + ".csv\""},
        {"Cache-Control", "no-store"}};
    r.body = formatie_csv(school->school, std::max(u.today, school->school.first_day));
    return r;
}

HttpResponse formatie_submit(const RequestContext& u, InputService& input) {
    std::string year;
    const auto shown = form_school(u, input.years(), year);
    if (!shown) return no_year(u);
    const LoadedSchool& school = *shown;
    const std::string& action = u.form.get("actie");
    auto refused_page = [&](const std::string& errors_html) {
        return page(u, "De formatie uit een spreadsheet", formatie_form(u, errors_html), 400);
    };
    auto errors_list = [](const std::vector<std::string>& lines) {
        std::string s =
            "<div class=\"error\" role=\"alert\"><p>Dit bestand kan zo niet worden "
            "ingelezen. Er is niets veranderd.</p><ul>";
        for (const auto& l : lines) s += "<li>" + html_escape(l) + "</li>";
        return s + "</ul></div>\n";
    };
    std::optional<Date> until;
    if (u.form.get("vertrek") == "ja" || (action == "opslaan" && u.form.has("leavers_until"))) {
        until = parse_date(u.form.get("leavers_until"));
        if (!until) return refused_page(errors_list({"Kies de laatste werkdag van wie vertrekt."}));
    }
    StaffChange change;
    change.kind = StaffChangeKind::formatie;
    change.until = until;
    change.from = std::max(u.today, school.school.first_day);  // the file holds from today
    std::vector<FormatieRow> rows;
    if (action == "opslaan") {
        change.table = u.form.get("rows");
        rows = formatie_rows_from_json(change.table);
    } else {
        const std::string& bytes = u.form.get("bestand");
        if (bytes.empty()) return refused_page(errors_list({"Kies een bestand (.xlsx of .csv)."}));
        Sheet sheet;
        if (bytes.rfind("PK\x03\x04", 0) == 0) {
            auto read = imports::read_xlsx(bytes);
            if (!read.error.empty()) return refused_page(errors_list({read.error}));
            sheet = std::move(read.sheet);
        } else {
            sheet = read_csv(bytes);
        }
        const Formatie f = read_formatie(sheet);
        if (!f.errors.empty()) {
            std::string t =
                "<div class=\"error\" role=\"alert\"><p>Dit bestand kan zo niet worden "
                "ingelezen; er is niets veranderd. Verbeter het in Excel en lees het opnieuw "
                "in.</p></div>\n<div class=\"scroll\"><table><caption>Wat er mis is, per rij en "
                "kolom</caption><thead><tr><th scope=\"col\">Rij</th><th scope=\"col\">Kolom</th>"
                "<th scope=\"col\">Wat er mis is</th></tr></thead><tbody>\n";
            for (const auto& e : f.errors)
                t += "<tr><td>" + std::to_string(e.row) + "</td><td>" +
                     html_escape(e.column.empty() ? "–" : e.column) + "</td><td>" +
                     html_escape(e.message) + "</td></tr>\n";
            return refused_page(t + "</tbody></table></div>\n");
        }
        rows = f.rows;
        change.table = formatie_rows_json(rows);
    }
    const StaffChangeResult r =
        input.staff_change(u.home->id, u.person->id, change, action != "opslaan", year);
    using O = StaffChangeResult::Outcome;
    if (r.outcome == O::applied)
        return redirect(year.empty() ? "/wijzigingen?opgeslagen=" + std::to_string(r.version)
                                     : "/inrichting?jaar=" + url_encode(year));
    if (r.outcome == O::invalid) {
        std::vector<std::string> lines;
        for (const auto& e : r.errors) lines.push_back(e.message);
        return refused_page(errors_list(lines));
    }
    if (r.outcome != O::previewed) return refused(u, r);
    const FormatieDiff d = formatie_diff(school.school, rows, *change.from);
    std::string body = "<p class=\"card\"><strong>" + html_escape(r.summary) + "</strong></p>\n";
    body += "<p>Er is nog niets opgeslagen. Zo verandert de formatie:</p>\n";
    body += list_html("Nieuw", d.added) + list_html("Gewijzigd", d.changed) +
            list_html("Nieuwe groepen", d.groups);
    if (!d.missing.empty())
        body += list_html(
            until ? "Niet in het bestand: vertrekken" : "Niet in het bestand: blijven", d.missing);
    if (d.added.empty() && d.changed.empty() && d.groups.empty() && d.missing.empty())
        body += "<p>Het bestand is gelijk aan de formatie zoals hij nu is.</p>\n";
    body += "<h2>Wat er in de jaarkalender verandert</h2>\n";
    body += consequences_html(preview_view(r, school), true);
    body += "<form method=\"post\" action=\"" +
            html_escape(Editing{true, year}.href("/wijzigingen/formatie")) + "\">" + csrf_field(u) +
            "<input type=\"hidden\" name=\"rows\" value=\"" + html_escape(change.table) + "\">";
    if (until)
        body +=
            "<input type=\"hidden\" name=\"leavers_until\" value=\"" + format_date(*until) + "\">";
    body +=
        "\n<p><button type=\"submit\" name=\"actie\" value=\"opslaan\">Opslaan</button> "
        "<a class=\"button secondary\" href=\"" +
        html_escape(Editing{true, year}.href("/wijzigingen/formatie")) +
        "\">Terug</a></p>\n</form>\n";
    return page(u, "Wat verandert er?", body);
}

}  // namespace jk::daemon::web
