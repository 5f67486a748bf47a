// The jaarplanning (for the IB'er, the schoolleider and, read only, the bestuur), its downloads
// (PDF, Excel, CSV), and the parents' jaarrooster (public, the one page that may be framed).
#include <spdlog/spdlog.h>

#include "daemon/http/http_date.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"
#include "export/export.hpp"
#include "jaarkalender/jaarplanning.hpp"

namespace jk::daemon::web {

namespace {

/// The filter of the query (`persoon`, `groep`), only for ids the school has.
PlanFilter filter_of(const LoadedSchool& s, const FormData& q) {
    PlanFilter f;
    if (q.has("persoon") && s.school.person(q.get("persoon"))) f.person = q.get("persoon");
    if (q.has("groep") && s.school.group(q.get("groep"))) f.group = q.get("groep");
    return f;
}

/// The query that repeats the school and the filter for the download links.
std::string query_of(const SchoolSnapshot& ss, const RequestContext& u, const PlanFilter& f) {
    std::string q;
    auto add = [&](const char* k, const std::string& v) {
        q += (q.empty() ? "?" : "&") + std::string(k) + "=" + url_encode(v);
    };
    if (&ss != u.home && ss.id != u.home->id) add("school", ss.id);
    if (ss.school_year != u.home->school_year || u.query.has("jaar")) add("jaar", ss.school_year);
    if (f.person) add("persoon", *f.person);
    if (f.group) add("groep", *f.group);
    return q;
}

std::string filter_form(const SchoolSnapshot& ss, const RequestContext& u, const PlanFilter& f) {
    std::string out = "<form method=\"get\" action=\"/jaarplanning\" class=\"filters\">";
    if (&ss != u.home && ss.id != u.home->id)
        out += "<input type=\"hidden\" name=\"school\" value=\"" + html_escape(ss.id) + "\">";
    if (ss.school_year != u.home->school_year || u.query.has("jaar"))
        out +=
            "<input type=\"hidden\" name=\"jaar\" value=\"" + html_escape(ss.school_year) + "\">";
    out +=
        "<label for=\"persoon\">Persoon</label><select id=\"persoon\" name=\"persoon\">"
        "<option value=\"\">Iedereen</option>";
    for (const Person& p : ss.school->school.persons)
        out += "<option value=\"" + html_escape(p.id) + "\"" +
               (f.person == p.id ? " selected" : "") + ">" + html_escape(p.name) + "</option>";
    out +=
        "</select><label for=\"groep\">Groep</label><select id=\"groep\" name=\"groep\">"
        "<option value=\"\">Alle groepen</option>";
    for (const Group& g : ss.school->school.groups)
        out += "<option value=\"" + html_escape(g.id) + "\"" +
               (f.group == g.id ? " selected" : "") + ">" + html_escape(g.name) + "</option>";
    out += "</select> <button type=\"submit\">Toon</button></form>\n";
    return out;
}

std::string lines(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : "<br>") + html_escape(i);
    return out;
}

std::string table(const Jaarplanning& jp) {
    std::string out =
        "<table class=\"jaarplanning\"><caption>" + html_escape(jp.title) + " – " +
        html_escape(jp.school_name) +
        "</caption><thead><tr><th scope=\"col\">Week</th><th scope=\"col\">Datum</th><th "
        "scope=\"col\">Vrij en toetsperiode</th>";
    for (size_t k = 0; k < kPlanColumns; ++k)
        out += "<th scope=\"col\">" + std::string(heading_nl(static_cast<PlanColumn>(k))) + "</th>";
    out += "</tr></thead>\n";
    int month = -1;
    for (const PlanWeek& w : jp.weeks) {
        if (w.month != month) {
            if (month != -1) out += "</tbody>\n";
            month = w.month;
            // One tbody per month: print starts each month on a new page.
            out +=
                "<tbody class=\"plan-month\"><tr class=\"plan-month\"><th colspan=\"8\" "
                "scope=\"rowgroup\">" +
                std::string(month_name_nl(static_cast<unsigned>(w.month))) + " " +
                std::to_string(static_cast<int>(
                    std::chrono::year_month_day{w.monday + std::chrono::days{4}}.year())) +
                "</th></tr>\n";
        }
        std::vector<std::string> free = w.closed;
        free.insert(free.end(), w.periods.begin(), w.periods.end());
        out += std::string("<tr") + (w.school_week ? "" : " class=\"closed\"") +
               "><th scope=\"row\">" + std::to_string(w.iso_week) + "</th><td>" +
               html_escape(w.dates) + "</td><td>" + lines(free) + "</td>";
        for (const auto& col : w.columns) {
            std::vector<std::string> items;
            for (const auto& i : col) items.push_back(i.text);
            out += "<td>" + lines(items) + "</td>";
        }
        out += "</tr>\n";
    }
    if (month != -1) out += "</tbody>\n";
    return out + "</table>\n";
}

}  // namespace

HttpResponse jaarplanning_page(const RequestContext& u, const SchoolSnapshot& ss, const FormData& q,
                               const std::vector<std::pair<std::string, std::string>>& years) {
    const PlanFilter f = filter_of(*ss.school, q);
    const Jaarplanning jp = build_jaarplanning(*ss.plan.load(), *ss.school, f);
    const std::string query = query_of(ss, u, f);
    const bool a3 = q.get("formaat") == "a3";
    // The year switch: last year stays readable, next year is there once it is published.
    const std::string switch_html = year_switch("/jaarplanning", years, ss.school_year,
                                                ss.id != u.home->id ? ss.id : std::string());
    std::string body =
        "<div class=\"no-print\">" + switch_html + filter_form(ss, u, f) +
        "<p>Downloaden: <a href=\"/jaarplanning.pdf" + query +
        "\">PDF (A4)</a> · <a href=\"/jaarplanning.pdf" + (query.empty() ? "?" : query + "&") +
        "formaat=a3\">PDF (A3)</a> · <a href=\"/jaarplanning.xlsx" + query +
        "\">Excel</a> · <a href=\"/jaarplanning.csv" + query +
        "\">CSV</a> · <a href=\"/jaarplanning" + (query.empty() ? "?" : query + "&") +
        "formaat=a3\">Afdrukken op A3</a></p>"
        "<p class=\"muted\">Afdrukken (Ctrl+P) geeft A4 liggend, een maand per "
        "blad, zonder menu.</p></div>\n";
    body += "<div class=\"scroll" + std::string(a3 ? " a3" : "") + "\">" + table(jp) + "</div>\n";
    return page(u, "Jaarplanning " + ss.school_year + ": " + ss.name, body);
}

HttpResponse jaarplanning_download(const SchoolSnapshot& ss, const FormData& q,
                                   std::string_view format) {
    const PlanFilter f = filter_of(*ss.school, q);
    const auto plan = ss.plan.load();
    HttpResponse r;
    r.status = 200;
    std::string name = "jaarplanning-" + ss.id + "-" + ss.school_year;
    if (f.person) name += "-" + *f.person;
    if (f.group) name += "-" + *f.group;
    std::string type;
    if (format == "csv") {
        r.body = render_csv(event_rows(*plan, *ss.school, f));
        type = "text/csv; charset=utf-8";
    } else if (format == "pdf") {
        r.body =
            exports::render_pdf(build_jaarplanning(*plan, *ss.school, f),
                                q.get("formaat") == "a3" ? exports::Paper::a3 : exports::Paper::a4);
        type = "application/pdf";
    } else {
        auto x = exports::render_xlsx(build_jaarplanning(*plan, *ss.school, f),
                                      event_rows(*plan, *ss.school, f));
        if (!x) {
            spdlog::error("school={} jaarplanning.xlsx: {}", ss.id,
                          to_string(x.error().items().front()));
            return html_page(500, "Niet gelukt",
                             "<p class=\"error\" role=\"alert\">Het Excel-bestand kon niet worden "
                             "gemaakt. Probeer het later opnieuw; de beheerder vindt de reden in "
                             "het logboek.</p>");
        }
        r.body = std::move(x).value();
        type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }
    r.headers = {{"Content-Type", type},
                 {"Content-Disposition",
                  "attachment; filename=\"" + name + "." + std::string(format) + "\""},
                 {"Cache-Control", "no-store"},
                 {"X-Content-Type-Options", "nosniff"}};
    return r;
}

namespace {

/// The parents' table of one school year: first and last day, vacations, public holidays and
/// the days the children are free, and the zomervakantie that closes it.
std::string rooster_table(const LoadedSchool& s) {
    const SchoolCalendar& cal = s.calendar;
    auto range = [](const Closure& c) {
        return c.range.from == c.range.to
                   ? format_day_nl(c.range.from) + " " +
                         std::to_string(
                             static_cast<int>(std::chrono::year_month_day{c.range.from}.year()))
                   : format_day_nl(c.range.from) + " t/m " + format_day_nl(c.range.to) + " " +
                         std::to_string(
                             static_cast<int>(std::chrono::year_month_day{c.range.to}.year()));
    };
    std::string rows;
    rows += "<tr><th scope=\"row\">Eerste schooldag</th><td>" +
            html_escape(format_date_nl(cal.first_day())) + "</td></tr>\n";
    for (const Closure& c : cal.closures()) {
        if (c.range.to < cal.first_day() || c.range.from > cal.last_day()) continue;
        const std::string what = c.kind == ClosureKind::vakantie   ? "Vakantie"
                                 : c.kind == ClosureKind::feestdag ? "Feestdag"
                                                                   : "Leerlingen vrij";
        rows += "<tr><th scope=\"row\">" + html_escape(c.name) + "</th><td>" +
                html_escape(range(c)) + " <span class=\"muted\">(" + what + ")</span></td></tr>\n";
    }
    rows += "<tr><th scope=\"row\">Laatste schooldag</th><td>" +
            html_escape(format_date_nl(cal.last_day())) + "</td></tr>\n";
    // The zomervakantie that closes the year starts after its last day: parents look for it
    // here (the feed has it too).
    for (const Closure& c : cal.closures())
        if (c.kind == ClosureKind::vakantie && c.range.from > cal.last_day() &&
            c.range.from <= cal.last_day() + std::chrono::days{7})
            rows += "<tr><th scope=\"row\">" + html_escape(c.name) + "</th><td>" +
                    html_escape(range(c)) + " <span class=\"muted\">(Vakantie)</span></td></tr>\n";
    return "<div class=\"scroll\"><table class=\"rooster\"><caption>Schooljaar " +
           html_escape(s.school.school_year) +
           "</caption><thead><tr><th scope=\"col\">Wat</th><th "
           "scope=\"col\">Wanneer</th></tr></thead><tbody>\n" +
           rows + "</tbody></table></div>\n";
}

}  // namespace

HttpResponse parents_page(const SchoolSnapshot& ss, const std::string& public_url) {
    const LoadedSchool& s = *ss.school;
    // A published next year beside this one: parents plan their holidays ahead.
    const LoadedSchool* next = ss.beside.next.empty() ? nullptr : ss.beside.next.school.get();
    const std::string feed = public_url + "/scholen/" + url_encode(ss.id) + "/jaarrooster.ics";
    std::string webcal = feed;
    webcal.replace(0, webcal.find("://"), "webcal");
    std::string body =
        "<p>De vakanties, feestdagen en vrije dagen van " + html_escape(s.school.name) +
        " in schooljaar " + html_escape(ss.school_year) +
        (next ? " en " + html_escape(next->school.school_year) : std::string()) + ".</p>\n" +
        rooster_table(s) + (next ? rooster_table(*next) : std::string()) +
        "<p><a class=\"button\" href=\"" + html_escape(webcal) +
        "\">In je agenda zetten</a></p>\n<p class=\"muted url\">Of voeg in Google "
        "Agenda deze link toe (Andere agenda's → Via URL): " +
        html_escape(feed) + "</p>\n";
    HttpResponse r = html_page(200, "Jaarrooster " + s.school.name, body, "");
    // The one page a school's website may show in a frame.
    for (auto& [k, v] : r.headers)
        if (k == "Content-Security-Policy")
            v = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'none'; "
                "frame-ancestors *; base-uri 'none'";
        else if (k == "Cache-Control")
            v = "public, max-age=3600";
    return r;
}

}  // namespace jk::daemon::web
