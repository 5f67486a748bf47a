// "Volgend schooljaar" (/inrichting/volgend-jaar): next year's proposal from this year
// (next_year.hpp) for the school's IB'er and schoolleider: its dates, what it carries and leaves
// out, the to-dos, the new year planned in numbers and what cannot be planned and why; and its
// files to download. Nothing is stored: the draft year in the pages is still to be built.
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

/// The proposal of the year after this one, or the loader's words why there is none.
Result<NextYearProposal> proposal_of(const RequestContext& u, InputService& input) {
    const LoadedSchool& now = *u.home->school;
    const auto sources = input.current_input(u.home->id);
    if (!sources) {
        Diagnostics d;
        d.error(u.home->id, 1, 1, "de invoer van de school is niet te lezen");
        return d;
    }
    return propose_next_year(now, *sources, input.official(),
                             following_school_year(now.school.school_year));
}

}  // namespace

HttpResponse next_year_page(const RequestContext& u, InputService& input) {
    auto p = proposal_of(u, input);
    const std::string year = following_school_year(u.home->school->school.school_year);
    if (!p) {
        std::string body = "<div class=\"error\" role=\"alert\"><p>Voor " + html_escape(year) +
                           " is nog geen voorstel te maken:</p><ul>";
        for (const auto& d : p.error().items()) body += "<li>" + html_escape(d.message) + "</li>";
        body += "</ul></div>\n<p><a href=\"/inrichting\">Terug naar de inrichting</a></p>";
        return page(u, "Volgend schooljaar " + year, body, 200);
    }
    auto next = load_school(p->sources, input.official());
    std::string body =
        "<p>Een voorstel voor " + html_escape(year) +
        " uit dit schooljaar: de vakanties van de overheid, wie er aan het eind van dit jaar nog "
        "is, de groepen, de toetskalender in dezelfde schoolweken en alle regels. Er wordt nog "
        "niets bewaard en collega's zien er niets van.</p>\n";
    if (next) {
        auto with_year = [](Date d) {
            return format_day_nl(d) + " " +
                   std::to_string(static_cast<int>(std::chrono::year_month_day{d}.year()));
        };
        body += "<h2>Het jaar</h2>\n<p>De eerste schooldag is " +
                html_escape(with_year(next->school.first_day)) + ", de laatste " +
                html_escape(with_year(next->school.last_day)) +
                ". De vakanties van de overheid:</p>\n<ul>";
        for (const Closure& c : next->calendar.closures())
            if (c.kind == ClosureKind::vakantie)
                body +=
                    "<li>" + html_escape(c.name) + ": " +
                    html_escape(format_day_nl(c.range.from) + " t/m " + format_day_nl(c.range.to)) +
                    "</li>";
        body += "</ul>\n";
    }
    body += list_html("Nog te doen", p->todo, "Niets.");
    body += list_html("Overgenomen", p->carried, "Niets.");
    body += list_html("Niet overgenomen", p->left_out, "Niets: iedereen gaat mee.");
    if (next) {
        const ProposalPlan planned = plan_proposal(*next);
        body += "<h2>Het nieuwe jaar in aantallen</h2>\n<p>" +
                std::to_string(planned.plan.events.size()) + " afspraken ingepland, " +
                std::to_string(planned.plan.unplanned.size()) + " niet in te plannen.</p>\n";
        if (!planned.unplanned.empty())
            body += list_html("Niet in te plannen, en waarom", planned.unplanned, "");
    }
    body +=
        "<h2>De bestanden</h2>\n<p>Het voorstel als bestanden, voor wie ze zelf bijhoudt: <a "
        "href=\"/inrichting/volgend-jaar/school.toml\" download>school.toml</a> en <a "
        "href=\"/inrichting/volgend-jaar/rules.toml\" download>rules.toml</a>.</p>\n"
        "<p><a href=\"/inrichting\">Terug naar de inrichting</a></p>\n";
    return page(u, "Volgend schooljaar " + year + ": voorstel", body);
}

HttpResponse next_year_file(const RequestContext& u, std::string_view name, InputService& input) {
    auto p = proposal_of(u, input);
    if (!p || (name != "school.toml" && name != "rules.toml"))
        return page(u, "Niet gevonden", "<p>Dit bestand is er niet.</p>", 404);
    HttpResponse r;
    r.status = 200;
    r.headers = {{"Content-Type", "text/plain; charset=utf-8"},
                 {"Content-Disposition", "attachment; filename=\"" + std::string(name) + "\""},
                 {"Cache-Control", "no-store"}};
    r.body = name == "school.toml" ? p->sources.school_toml : p->sources.rules_toml;
    return r;
}

}  // namespace jk::daemon::web
