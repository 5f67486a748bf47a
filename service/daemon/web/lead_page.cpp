// The schoolleider's page: the cycle per test period, the trend, minimums, the year at a glance.
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

/// The month's events under its grid: every appointment with its day, the test sessions as one
/// count (there are dozens).
std::string month_events(const Plan& plan, Date first, Date end) {
    std::string items;
    int tests = 0;
    for (const Event& e : plan.events) {
        if (e.date < first || e.date > end || e.status == EventStatus::cancelled) continue;
        if (e.kind == EventKind::test_session) {
            ++tests;
            continue;
        }
        if (e.kind != EventKind::rule) continue;
        items +=
            "<li>" + html_escape(format_day_nl(e.date)) + ": " + html_escape(e.title) + "</li>";
    }
    if (tests)
        items += "<li>" + std::to_string(tests) + (tests == 1 ? " toetsafname" : " toetsafnames") +
                 "</li>";
    return items.empty() ? std::string() : "<ul class=\"month-events\">" + items + "</ul>";
}

std::string month_grids(const LoadedSchool& s, const Plan& plan) {
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
        out += "<div><table><caption>" +
               std::string(kMonths[static_cast<unsigned>(ym.month()) - 1]) + " " +
               std::to_string(static_cast<int>(ym.year())) +
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
        out += "</tr></tbody></table>" + month_events(plan, first, end) + "</div>\n";
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
    const int width = std::max(label + weeks * cell + 10, label + 10 * cell + 160);
    const int rows_end = top + static_cast<int>(s.school.persons.size()) * cell;
    const int height = rows_end + 40;  // the scale below the rows
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
    // The scale: five steps from a little to the busiest week of anyone, in minutes.
    const int scale_y = rows_end + 14;
    svg +=
        "<text x=\"0\" y=\"" + std::to_string(scale_y + 10) + "\">Schaal (minuten per week)</text>";
    for (int k = 1; k <= 5; ++k) {
        const int m = (max * k + 4) / 5;
        char opacity[16];
        std::snprintf(opacity, sizeof opacity, "%.2f", 0.15 + 0.85 * m / max);
        const int x = label + 12 + (k - 1) * 2 * cell;
        svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(scale_y) +
               "\" width=\"" + std::to_string(2 * cell - 2) + "\" height=\"" +
               std::to_string(cell - 1) + "\" fill=\"#0b3d6b\" fill-opacity=\"" + opacity + "\"/>";
        if (k == 1 || k == 5)
            svg += "<text x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(scale_y + 24) +
                   "\">" + std::to_string(k == 1 ? 1 : max) + "</text>";
    }
    svg += "<text x=\"" + std::to_string(label + 10 * cell + 20) + "\" y=\"" +
           std::to_string(scale_y + 10) + "\">leeg vak: geen afspraken</text>";
    svg += "</svg></div>\n";
    return svg + table + "</tbody></table></div></details>\n";
}

/// Links for the school's feed and each group's, for the staff room's screen, the team's shared
/// calendar or a group's parents' helpers; a link made just now is shown once.
std::string feeds_block(const RequestContext& u, const SchoolSnapshot& ss, AccessService& access) {
    std::string out = "<h2 id=\"agenda-links\">Agenda's voor de hele school of een groep</h2>\n";
    if (auto shown = access.take_shown_once(u.session_token, "school-feed"))
        out += new_link_block(access.public_url(), *shown);
    out +=
        "<p>Een link voor de hele schoolagenda (met vakanties, feestdagen en studiedagen) of voor "
        "één groep. Eerder gemaakte links blijven werken.</p>\n<form method=\"post\" "
        "action=\"/schoolleider/abonnement\">" +
        csrf_field(u) +
        "<label for=\"agenda\">Welke agenda?</label><select id=\"agenda\" name=\"agenda\">"
        "<option value=\"school\">De hele school</option>";
    for (const Group& g : ss.school->school.groups)
        out += "<option value=\"groep:" + html_escape(g.id) + "\">" + html_escape(g.name) +
               "</option>";
    out += "</select> <button type=\"submit\">Maak een link</button></form>\n";
    return out;
}

}  // namespace

HttpResponse subscribe_school_feed(const RequestContext& u, const FormData& form,
                                   Subscriptions& subscriptions, AccessService& access) {
    const std::string& which = form.get("agenda");
    FeedScope scope = FeedScope::school;
    std::string target = u.home->id;
    if (which.rfind("groep:", 0) == 0) {
        scope = FeedScope::group;
        target = which.substr(6);
        if (!u.home->school->school.group(target))
            return page(u, "Niet gelukt",
                        "<p class=\"error\" role=\"alert\">Welke agenda?: die groep bestaat "
                        "niet. Kies een groep uit de lijst.</p><p><a "
                        "href=\"/schoolleider#agenda-links\">Terug</a></p>",
                        400);
    } else if (which != "school") {
        return page(u, "Niet gelukt",
                    "<p class=\"error\" role=\"alert\">Welke agenda?: kies de hele school of "
                    "een groep.</p><p><a href=\"/schoolleider#agenda-links\">Terug</a></p>",
                    400);
    }
    const std::string token = subscriptions.create(u.home->id, scope, target, u.person->id);
    access.show_once(u.session_token, "school-feed", token);
    return redirect("/schoolleider#agenda-links");
}

namespace {

/// What the schoolleider's page shows, each figure computed once per request.
struct LeadView {
    Date today;
    std::vector<PeriodTimeliness> periods;
    std::vector<RuleCompliance> rules;
    SchoolFigures figures;
    /// Cycle on time per school year, oldest first.
    std::vector<std::pair<std::string, std::string>> trend;
};

LeadView lead_view(const SchoolSnapshot& ss, Date today, CycleTrend& trend) {
    // A past year is shown as it was on its last day.
    today = std::min(today, ss.school->school.last_day);
    const LoadedSchool& s = *ss.school;
    const auto held = ss.plan.load();
    const Plan& plan = *held;
    LeadView v{today, timeliness(plan, s, today), compliance(plan, s, today), {}, {}};
    v.figures = school_figures(plan, s, today, v.periods, v.rules);
    for (auto& y : trend.of(ss.id))
        v.trend.emplace_back(y.school_year,
                             y.share ? std::move(*y.share)
                             : y.school_year == ss.school_year
                                 ? share_nl(v.figures.cycle_on_time, v.figures.cycle_due)
                                 : std::string("–"));
    return v;
}

}  // namespace

HttpResponse lead_page(const RequestContext& u, const SchoolSnapshot& ss, const FormData& q,
                       CycleTrend& trend, AccessService& access,
                       const std::vector<std::pair<std::string, std::string>>& years) {
    const auto held = ss.plan.load();  // before the view: what it points at stays
    const LeadView view = lead_view(ss, u.today, trend);
    const Date today = view.today;
    const LoadedSchool& s = *ss.school;
    const Plan& plan = *held;
    const SchoolFigures& figures = view.figures;
    std::string body = flash(q);
    body += year_switch("/schoolleider", years, ss.school_year,
                        ss.id != u.home->id ? ss.id : std::string());
    body += "<p>Vandaag, " + html_escape(format_day_nl(today)) + ": cyclus op tijd " +
            html_escape(share_nl(figures.cycle_on_time, figures.cycle_due)) +
            "; gehouden van wat tot nu toe verwacht werd " +
            html_escape(share_nl(figures.held_by_now, figures.expected_by_now)) + "; " +
            std::to_string(figures.overdue) + " achterstallig.</p>\n";
    body +=
        "<h2>Cyclus op tijd per toetsperiode</h2>\n<p>Legenda: <span class=\"ok\">op "
        "tijd</span> <span class=\"late\">te laat</span> <span "
        "class=\"over\">achterstallig</span> <span class=\"pending\">nog niet aan de "
        "beurt</span> <span class=\"none\">niet in te plannen of geannuleerd</span></p>\n";
    for (const auto& pt : view.periods) {
        const TestPeriod* tp = s.rules.period(pt.period);
        body += "<h3>" + html_escape(tp ? tp->name : pt.period) + ": " +
                (pt.due ? html_escape(share_nl(pt.on_time, pt.due)) + " op tijd"
                        : std::string("nog niets te beoordelen")) +
                "</h3>\n";
        std::vector<std::string> rules, subjects;
        std::map<std::pair<std::string, std::string>, const TimelinessCell*> at;
        for (const auto& c : pt.cells) {
            if (std::find(rules.begin(), rules.end(), c.rule) == rules.end())
                rules.push_back(c.rule);
            if (std::find(subjects.begin(), subjects.end(), c.subject) == subjects.end())
                subjects.push_back(c.subject);
            at[{c.rule, c.subject}] = &c;
        }
        // One row per group or person and one column per step: the steps are few, so the
        // table fits a 1280-pixel screen and an A4 page across.
        body +=
            "<div class=\"scroll\"><table class=\"cycle\"><thead><tr><th "
            "scope=\"col\">Groep of persoon</th>";
        for (const auto& r : rules)
            body += "<th scope=\"col\">" + html_escape(rule_label(s, r)) + "</th>";
        body += "</tr></thead><tbody>\n";
        for (const auto& sub : subjects) {
            body += "<tr><th scope=\"row\">" + html_escape(subject_name(s, sub)) + "</th>";
            for (const auto& r : rules) {
                auto it = at.find({r, sub});
                if (it == at.end()) {
                    body += "<td></td>";
                    continue;
                }
                const TimelinessCell& c = *it->second;
                std::string cls = "pending", text = "nog niet";
                if (c.status == CycleStatus::on_time) cls = "ok", text = "op tijd";
                if (c.status == CycleStatus::late)
                    cls = "late", text = std::to_string(c.days_late) + " dg te laat";
                if (c.status == CycleStatus::overdue)
                    cls = "over",
                    text = c.days_late > 0
                               ? "achterstallig, " + std::to_string(c.days_late) + " dg te laat"
                               : "achterstallig";
                if (c.status == CycleStatus::unplannable) cls = "none", text = "niet in te plannen";
                if (c.status == CycleStatus::cancelled) cls = "none", text = "geannuleerd";
                body += "<td class=\"" + cls + "\">" + html_escape(text) + "</td>";
            }
            body += "</tr>\n";
        }
        body += "</tbody></table></div>\n";
    }
    body +=
        "<h2>Trend over de jaren</h2>\n<table><thead><tr><th scope=\"col\">Schooljaar</th><th "
        "scope=\"col\">Cyclus op tijd</th></tr></thead><tbody>\n";
    for (const auto& [year, share] : view.trend)
        body += "<tr><td>" + html_escape(year) + "</td><td>" + html_escape(share) + "</td></tr>\n";
    body += "</tbody></table>\n";
    body += "<h2>Minimumaantallen</h2>\n<ul>\n";
    for (const auto& rc : view.rules) {
        int held = 0, planned = 0, late = 0, unplannable = 0;
        for (const auto& row : rc.rows)
            held += row.held, planned += row.planned, late += row.overdue,
                unplannable += row.unplannable;
        body += "<li>" + html_escape(rule_label(s, rc.rule)) + " (" + std::to_string(rc.count) +
                "× per jaar, " + std::to_string(rc.rows.size()) +
                (rc.rows.size() == 1 ? " persoon of groep): " : " personen of groepen): ") +
                std::to_string(held) + " gehouden, " + std::to_string(planned) + " gepland, " +
                std::to_string(late) + " achterstallig, " + std::to_string(unplannable) +
                " niet in te plannen</li>\n";
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
    body += "</ul>\n";
    if (u.rights.lead && &ss == u.home) body += feeds_block(u, ss, access);
    body += "<h2>Het jaar in één oogopslag</h2>\n" + month_grids(s, plan);
    body += "<h2>Belasting per persoon per week</h2>\n" + load_chart(s, plan);
    return page(u, "Schoolleider: " + ss.name, body);
}

}  // namespace jk::daemon::web
