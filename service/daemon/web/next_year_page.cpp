// "Volgend schooljaar" (/inrichting/volgend-jaar) for the school's IB'er and schoolleider: the
// proposal of the year after this one (next_year.hpp) with its dates, what it carries and leaves
// out, the to-dos and the new year in numbers; stored as a draft ("Concept bewaren"), its to-dos
// ticked off, its set-up changed with the set-up pages (`/inrichting?jaar=`), and published.
#include "daemon/http/http_date.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"
#include "jaarkalender/next_year.hpp"

namespace jk::daemon::web {

namespace {

std::string list_html(const char* heading, const std::vector<std::string>& lines,
                      const char* none) {
    std::string s = "<h2>" + std::string(heading) + "</h2>\n";
    if (lines.empty()) return s + "<p>" + none + "</p>\n";
    s += "<ul>";
    for (const auto& l : lines) s += "<li>" + html_escape(l) + "</li>";
    return s + "</ul>\n";
}

std::string with_year(Date d) {
    return format_day_nl(d) + " " +
           std::to_string(static_cast<int>(std::chrono::year_month_day{d}.year()));
}

/// "ma 14 juni 2027" of a moment stored as UTC ("2027-06-14T08:00:00Z"): the day it was here.
std::string local_day(const std::string& utc) {
    const auto day = parse_date(std::string_view(utc).substr(0, 10));
    if (!day || utc.size() < 16) return utc;
    const std::int64_t seconds =
        std::chrono::duration_cast<std::chrono::seconds>(day->time_since_epoch()).count() +
        std::stoi(utc.substr(11, 2)) * 3600 + std::stoi(utc.substr(14, 2)) * 60;
    return with_year(epoch_to_local(seconds).first);
}

/// The year's first and last day and the government's vacations.
std::string dates_html(const LoadedSchool& next) {
    std::string body = "<h2>Het jaar</h2>\n<p>De eerste schooldag is " +
                       html_escape(with_year(next.school.first_day)) + ", de laatste " +
                       html_escape(with_year(next.school.last_day)) + ". De vakanties:</p>\n<ul>";
    for (const Closure& c : next.calendar.closures())
        if (c.kind == ClosureKind::vakantie)
            body += "<li>" + html_escape(c.name) + ": " +
                    html_escape(format_day_nl(c.range.from) + " t/m " + format_day_nl(c.range.to)) +
                    "</li>";
    return body + "</ul>\n";
}

std::string counts_html(const LoadedSchool& school, const Plan& plan) {
    std::string body = "<h2>Het nieuwe jaar in aantallen</h2>\n<p>" +
                       std::to_string(plan.events.size()) + " afspraken ingepland, " +
                       std::to_string(plan.unplanned.size()) + " niet in te plannen.</p>\n";
    const auto unplanned = unplanned_in_words(school, plan);
    if (!unplanned.empty()) body += list_html("Niet in te plannen, en waarom", unplanned, "");
    return body;
}

/// The year after this one, or the loader's words why there is no proposal for it.
Result<NextYearProposal> proposal_of(const RequestContext& u, YearService& years) {
    return years.propose(u.home->id, {});
}

/// The next year the school has started (a draft or published), if any.
std::optional<SchoolYearRow> started_year(const RequestContext& u, YearService& years) {
    for (auto& y : years.years(u.home->id))
        if (y.school_year > u.home->school_year) return std::move(y);
    return std::nullopt;
}

std::string action_button(const RequestContext& u, const std::string& actie,
                          const std::string& label, const std::string& extra = {},
                          const std::string& aria = {}, bool secondary = false) {
    return "<form class=\"inline\" method=\"post\" action=\"/inrichting/volgend-jaar\">" +
           csrf_field(u) + extra + "<button type=\"submit\" name=\"actie\" value=\"" + actie +
           "\"" + (secondary ? " class=\"secondary\"" : "") +
           (aria.empty() ? "" : " aria-label=\"" + html_escape(aria) + "\"") + ">" +
           html_escape(label) + "</button></form>";
}

/// A started year: its to-dos to tick off, its dates, its plan in numbers, its set-up, and
/// publishing it.
HttpResponse year_page(const RequestContext& u, const YearView& v) {
    const std::string& year = v.row.school_year;
    const bool draft = v.row.state == YearState::draft;
    std::string body;
    if (u.query.has("gepubliceerd"))
        body += "<p class=\"notice\" role=\"status\">" + html_escape(year) +
                " is gepubliceerd: iedereen ziet het nu in de agenda waarop hij al is "
                "geabonneerd.</p>\n";
    body += draft ? "<p>Het concept van " + html_escape(year) +
                        ". Alleen de IB'er en de schoolleider zien het; collega's zien er niets "
                        "van tot het gepubliceerd is. Het wordt bij elke wijziging opnieuw "
                        "ingepland.</p>\n"
                  : "<p>" + html_escape(year) +
                        " is gepubliceerd: collega's zien de afspraken in hun agenda, na die van "
                        "dit jaar. Een wijziging verschuift alleen wat moet.</p>\n";
    body += "<p><a class=\"button\" href=\"/inrichting?jaar=" + url_encode(year) +
            "\">De inrichting van " + html_escape(year) +
            "</a> Mensen, groepen, de toetskalender en de regels van dat jaar, met dezelfde "
            "formulieren als dit jaar.</p>\n";
    body += "<h2>Nog te doen</h2>\n";
    if (v.todo.empty())
        body += "<p>Niets.</p>\n";
    else {
        body += "<ul class=\"todo\">";
        for (std::size_t i = 0; i < v.todo.size(); ++i) {
            const YearTodo& t = v.todo[i];
            const std::string extra = "<input type=\"hidden\" name=\"todo\" value=\"" +
                                      std::to_string(i) +
                                      "\"><input type=\"hidden\" "
                                      "name=\"gedaan\" value=\"" +
                                      (t.done ? "0" : "1") + "\">";
            body += "<li>" +
                    (t.done ? "<s>" + html_escape(t.text) + "</s> (gedaan) "
                            : html_escape(t.text) + " ") +
                    action_button(u, "todo", t.done ? "Weer open" : "Gedaan", extra,
                                  (t.done ? "Weer open: " : "Gedaan: ") + t.text, true) +
                    "</li>";
        }
        body += "</ul>\n";
    }
    if (v.school && v.plan) {
        body += dates_html(*v.school);
        body += counts_html(*v.school, *v.plan);
    }
    if (!v.errors.empty()) {
        body += "<div class=\"error\" role=\"alert\"><p>Dit jaar laadt niet:</p><ul>";
        for (const auto& e : v.errors) body += "<li>" + html_escape(e) + "</li>";
        body += "</ul></div>\n";
    }
    if (draft && v.plan) {
        body += "<h2>Publiceren</h2>\n<p>Daarna zien collega's de afspraken van " +
                html_escape(year) +
                " in de agenda waarop ze al zijn geabonneerd (dezelfde link), na die van dit "
                "jaar, en de ouders het jaarrooster.";
        if (const int open = v.open_todos(); open > 0)
            body += " Er " + std::string(open == 1 ? "staat" : "staan") + " nog " +
                    std::to_string(open) + (open == 1 ? " punt" : " punten") +
                    " open bij Nog te doen.";
        body += "</p>\n<p>" + action_button(u, "publiceer", "Publiceren") + "</p>\n";
    } else if (!draft) {
        body += "<p>Gepubliceerd op " + html_escape(local_day(v.row.published_at)) + ".</p>\n";
    }
    body +=
        "<h2>De bestanden</h2>\n<p>Het jaar als bestanden, voor wie ze zelf bijhoudt: <a "
        "href=\"/inrichting/volgend-jaar/school.toml\" download>school.toml</a> en <a "
        "href=\"/inrichting/volgend-jaar/rules.toml\" download>rules.toml</a>.</p>\n"
        "<p><a href=\"/inrichting\">Terug naar de inrichting van dit jaar</a></p>\n";
    return page(u, "Volgend schooljaar " + year + (draft ? ": concept" : ": gepubliceerd"), body);
}

}  // namespace

HttpResponse next_year_page(const RequestContext& u, YearService& years) {
    if (auto started = started_year(u, years)) {
        if (auto v = years.view(u.home->id, started->school_year)) return year_page(u, *v);
    }
    auto p = proposal_of(u, years);
    const std::string year = following_school_year(u.home->school->school.school_year);
    if (!p) {
        std::string body = "<div class=\"error\" role=\"alert\"><p>Voor " + html_escape(year) +
                           " is nog geen voorstel te maken:</p><ul>";
        for (const auto& d : p.error().items()) body += "<li>" + html_escape(d.message) + "</li>";
        body += "</ul></div>\n<p><a href=\"/inrichting\">Terug naar de inrichting</a></p>";
        return page(u, "Volgend schooljaar " + year, body, 200);
    }
    auto next = load_school(p->sources, years.official());
    std::string body =
        "<p>Een voorstel voor " + html_escape(year) +
        " uit dit schooljaar: de vakanties van de overheid, wie er aan het eind van dit jaar nog "
        "is, de groepen, de toetskalender in dezelfde schoolweken en alle regels. Er wordt nog "
        "niets bewaard en collega's zien er niets van.</p>\n<p>" +
        action_button(u, "bewaar", "Concept bewaren") +
        " Daarna pas je het jaar aan met dezelfde formulieren als dit jaar, en publiceer je het "
        "als het klaar is.</p>\n";
    if (next) body += dates_html(*next);
    body += list_html("Nog te doen", p->todo, "Niets.");
    body += list_html("Overgenomen", p->carried, "Niets.");
    body += list_html("Niet overgenomen", p->left_out, "Niets: iedereen gaat mee.");
    if (next) body += counts_html(*next, plan_proposal(*next).plan);
    body +=
        "<h2>De bestanden</h2>\n<p>Het voorstel als bestanden, voor wie ze zelf bijhoudt: <a "
        "href=\"/inrichting/volgend-jaar/school.toml\" download>school.toml</a> en <a "
        "href=\"/inrichting/volgend-jaar/rules.toml\" download>rules.toml</a>.</p>\n"
        "<p><a href=\"/inrichting\">Terug naar de inrichting</a></p>\n";
    return page(u, "Volgend schooljaar " + year + ": voorstel", body);
}

HttpResponse next_year_submit(const RequestContext& u, YearService& years) {
    const std::string& actie = u.form.get("actie");
    if (actie == "bewaar") {
        const auto started = years.start(u.home->id, {}, u.person->id);
        if (started.outcome == YearService::StartOutcome::invalid) {
            std::string body =
                "<div class=\"error\" role=\"alert\"><p>Het concept kan niet "
                "bewaard worden:</p><ul>";
            for (const auto& e : started.errors) body += "<li>" + html_escape(e) + "</li>";
            body += "</ul></div>\n<p><a href=\"/inrichting/volgend-jaar\">Terug</a></p>";
            return page(u, "Volgend schooljaar", body, 422);
        }
        return redirect("/inrichting/volgend-jaar");
    }
    const auto started = started_year(u, years);
    if (!started) return redirect("/inrichting/volgend-jaar");
    if (actie == "publiceer") {
        const auto r = years.publish(u.home->id, started->school_year, u.person->id);
        return redirect(r == YearService::PublishOutcome::published
                            ? "/inrichting/volgend-jaar?gepubliceerd=1"
                            : "/inrichting/volgend-jaar");
    }
    if (actie == "todo") {
        std::size_t index = 0;
        const std::string& t = u.form.get("todo");
        if (t.empty() || t.size() > 4 || t.find_first_not_of("0123456789") != std::string::npos)
            return page(u, "Niet gevonden", "<p>Dit punt is er niet.</p>", 404);
        index = static_cast<std::size_t>(std::stoul(t));
        if (!years.set_todo(u.home->id, started->school_year, index, u.form.get("gedaan") == "1",
                            u.person->id))
            return page(u, "Niet gevonden", "<p>Dit punt is er niet.</p>", 404);
        return redirect("/inrichting/volgend-jaar");
    }
    return page(u, "Niet gevonden", "<p>Deze actie bestaat niet.</p>", 404);
}

HttpResponse next_year_file(const RequestContext& u, std::string_view name, InputService& input) {
    if (name != "school.toml" && name != "rules.toml")
        return page(u, "Niet gevonden", "<p>Dit bestand is er niet.</p>", 404);
    // A started year's files as they are now; else the proposal's.
    std::optional<SchoolSources> sources;
    if (auto started = started_year(u, input.years()))
        sources = input.input_of(u.home->id, started->school_year);
    else if (auto p = proposal_of(u, input.years()))
        sources = std::move(p->sources);
    if (!sources) return page(u, "Niet gevonden", "<p>Dit bestand is er niet.</p>", 404);
    HttpResponse r;
    r.status = 200;
    r.headers = {{"Content-Type", "text/plain; charset=utf-8"},
                 {"Content-Disposition", "attachment; filename=\"" + std::string(name) + "\""},
                 {"Cache-Control", "no-store"}};
    r.body = name == "school.toml" ? sources->school_toml : sources->rules_toml;
    return r;
}

}  // namespace jk::daemon::web
