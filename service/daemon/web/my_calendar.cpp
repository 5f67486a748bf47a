// Mijn jaarkalender: what a person has to do, their subscription and their mail settings.
#include <algorithm>
#include <map>
#include <set>

#include "daemon/access/rights.hpp"
#include "daemon/http/http_date.hpp"
#include "daemon/web/html.hpp"
#include "daemon/web/layout.hpp"
#include "daemon/web/pages.hpp"
#include "jaarkalender/tracking.hpp"

namespace jk::daemon::web {

using std::chrono::days;

namespace {

/// An event of the person ticked off in the last two weeks, and whether it is theirs to undo.
struct RecentItem {
    const Event* event;
    bool may_undo;
};
/// One row of the coming four weeks: the person's event, or a day the school is closed.
struct ComingItem {
    Date date;
    const Event* event = nullptr;
    const Closure* closure = nullptr;
};

/// What "Mijn jaarkalender" shows, gathered once per request.
struct MyCalendarView {
    std::shared_ptr<const Plan> plan;  // held: the events below point into it
    Date today;
    std::optional<std::string> new_link;  // a subscribe link made just now, shown once
    std::vector<const Event*> open;       // tracked, up to today, not ticked off
    std::vector<RecentItem> recent;
    std::vector<ComingItem> coming;  // in the order of the days
    bool has_link = false;
    std::vector<MailKind> mail_off;
};

MyCalendarView my_calendar_view(const RequestContext& u, AccessService& access,
                                Subscriptions& subscriptions, TrackingService& tracking,
                                MailPreferences& mail) {
    MyCalendarView v;
    v.plan = u.home->plan.load();
    const Plan& plan = *v.plan;
    const LoadedSchool& s = *u.home->school;
    v.today = u.today;
    // A link made just now is shown once; a reload says it was.
    v.new_link = access.take_shown_once(u.session_token, "person");
    v.open = open_for(plan, s, u.person->id, v.today);
    const std::string since = format_utc_iso(u.now - 14 * 86400);
    for (const Event& e : plan.events) {
        if (e.status != EventStatus::done || !is_tracked(e, s.rules)) continue;
        if (e.last_modified < since) continue;
        const auto who = responsible(e);
        if (!e.attended_by(u.person->id) &&
            std::find(who.begin(), who.end(), u.person->id) == who.end())
            continue;
        const auto last = tracking.last_change(u.home->id, e.uid);
        v.recent.push_back({&e, last && may_change(u.rights, *u.person, e, EventAction::undo,
                                                   last->actor, last->action)});
    }
    // Their events, and the days the school is closed or has a studiedag (an extra one reaches
    // everyone), in the order of the days.
    for (const Event& e : plan.events) {
        if (e.status == EventStatus::cancelled || e.kind == EventKind::test_period) continue;
        if (e.date <= v.today || e.date >= v.today + days{28} || !e.attended_by(u.person->id))
            continue;
        v.coming.push_back({e.date, &e, nullptr});
    }
    for (const Closure& c : s.calendar.closures()) {
        if (c.range.to <= v.today || c.range.from >= v.today + days{28}) continue;
        v.coming.push_back({std::max(c.range.from, v.today), nullptr, &c});
    }
    std::stable_sort(v.coming.begin(), v.coming.end(),
                     [](const auto& a, const auto& b) { return a.date < b.date; });
    v.has_link = subscriptions.has_own(u.home->id, u.person->id);
    v.mail_off = mail.off(u.home->id, u.person->id);
    return v;
}

std::string subscribe_block(const RequestContext& u, const MyCalendarView& v,
                            const std::string& public_url) {
    std::string s = "<h2 id=\"abonneren\">Abonneren in je agenda</h2>\n";
    if (v.new_link) return s + new_link_block(public_url, *v.new_link);
    s += "<p>Met een abonnement staan je afspraken, de vakanties, feestdagen en studiedagen in "
         "Outlook, Google of Apple Agenda, en worden ze vanzelf bijgewerkt.</p>\n";
    if (v.has_link)
        s += "<p class=\"muted\">Je hebt al een link. Kwijt? Maak een nieuwe; de oude werkt dan "
             "niet meer.</p>\n";
    s += "<form method=\"post\" action=\"/abonnement\">" + csrf_field(u) +
         "<button type=\"submit\">" +
         (v.has_link ? "Maak een nieuwe link" : "Maak mijn abonnementslink") + "</button></form>\n";
    return s;
}

/// Tracked events of the person still to tick off: each with "Gehouden", another day or a
/// note; and all at once.
std::string open_block(const RequestContext& u, const MyCalendarView& v) {
    if (v.open.empty()) return {};
    std::string rows;
    for (const Event* e : v.open)
        rows += "<tr><td>" + html_escape(e->when_nl()) + "</td><td>" + html_escape(e->title) +
                "</td><td>" + held_form(u, *e, "/") + held_other_day_form(u, *e, "/", v.today) +
                "</td></tr>\n";
    return "<h2 id=\"af-te-vinken\">Nog af te vinken (" + std::to_string(v.open.size()) +
           ")</h2>\n<p class=\"muted\">Afspraken tot en met vandaag die je nog niet op gehouden "
           "of afgenomen hebt gezet. Wat een paar dagen open blijft, wordt achterstallig.</p>\n"
           "<form method=\"post\" action=\"/gehouden\">" +
           csrf_field(u) + "<button type=\"submit\">Alles t/m vandaag gehouden (" +
           std::to_string(v.open.size()) +
           ")</button></form>\n<div class=\"scroll\"><table class=\"stack\"><thead><tr><th "
           "scope=\"col\">Wanneer</th><th scope=\"col\">Wat</th><th "
           "scope=\"col\">Actie</th></tr></thead><tbody>\n" +
           rows + "</tbody></table></div>\n";
}

/// What the person's events were ticked off in the last two weeks (whatever their day), with
/// undo where it is theirs to undo.
std::string recent_block(const RequestContext& u, const MyCalendarView& v) {
    if (v.recent.empty()) return {};
    std::string rows;
    for (const auto& [e, may_undo] : v.recent)
        rows += "<tr><td>" + html_escape(e->when_nl()) + "</td><td>" + html_escape(e->title) +
                (e->note.empty()
                     ? std::string()
                     : "<br><span class=\"muted\">Notitie: " + html_escape(e->note) + "</span>") +
                "</td><td>" + (may_undo ? undo_form(u, *e, "/") : std::string()) + "</td></tr>\n";
    return "<h2 id=\"afgevinkt\">Onlangs afgevinkt</h2>\n<div "
           "class=\"scroll\"><table><thead><tr><th "
           "scope=\"col\">Wanneer</th><th scope=\"col\">Wat</th><th "
           "scope=\"col\">Actie</th></tr></thead><tbody>\n" +
           rows + "</tbody></table></div>\n";
}

std::string coming_row(const ComingItem& c) {
    if (c.event)
        return "<tr><td>" + html_escape(c.event->when_nl()) + "</td><td>" +
               html_escape(c.event->title) + "</td><td>" + status_nl(c.event->status) +
               "</td></tr>\n";
    const Closure& cl = *c.closure;
    const std::string when = cl.range.from == cl.range.to ? format_day_nl(cl.range.from)
                                                          : format_day_nl(cl.range.from) + " t/m " +
                                                                format_day_nl(cl.range.to);
    const char* what = cl.kind == ClosureKind::studiedag  ? "studiedag, geen les"
                       : cl.kind == ClosureKind::vakantie ? "vakantie"
                       : cl.kind == ClosureKind::feestdag ? "feestdag, school dicht"
                                                          : "vrije dag, school dicht";
    return "<tr class=\"closed-row\"><td>" + html_escape(when) + "</td><td>" +
           html_escape(cl.name) + "</td><td>" + what + "</td></tr>\n";
}

std::string coming_block(const MyCalendarView& v) {
    std::string rows;
    for (const ComingItem& c : v.coming) rows += coming_row(c);
    return dated_section("De komende vier weken", rows, "Geen afspraken in de komende vier weken.");
}

std::string mail_block(const RequestContext& u, const MyCalendarView& v) {
    std::string s = "<h2>E-mail</h2>\n<form method=\"post\" action=\"/mail-instellingen\">" +
                    csrf_field(u) + "<fieldset><legend>Welke e-mails wil je krijgen?</legend>\n";
    for (MailKind k : kAllMailKinds) {
        const std::string id = "mail-" + std::string(to_string(k));
        const bool on = std::find(v.mail_off.begin(), v.mail_off.end(), k) == v.mail_off.end();
        std::string label(describe_nl(k));
        label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
        s += "<div><input type=\"checkbox\" id=\"" + id + "\" name=\"" + std::string(to_string(k)) +
             "\" value=\"aan\"" + (on ? " checked" : "") + "> <label for=\"" + id +
             "\" class=\"inline\">" + html_escape(label) + "</label></div>\n";
    }
    s += "</fieldset><p><button type=\"submit\">Bewaar</button></p></form>\n";
    return s;
}

}  // namespace

HttpResponse my_calendar(const RequestContext& u, const FormData& q, AccessService& access,
                         Subscriptions& subscriptions, TrackingService& tracking,
                         MailPreferences& mail) {
    const MyCalendarView v = my_calendar_view(u, access, subscriptions, tracking, mail);
    std::string body = v.new_link ? std::string() : flash(q);
    body += "<p>" + html_escape(u.home->name) + ", schooljaar " + html_escape(u.home->school_year) +
            ". Vandaag is het " + html_escape(format_day_nl(v.today)) + ".</p>\n";
    body += open_block(u, v);
    body += recent_block(u, v);
    body += coming_block(v);
    body += subscribe_block(u, v, access.public_url());
    body += mail_block(u, v);
    return page(u, "Mijn jaarkalender", body);
}

HttpResponse mark_all_held(const RequestContext& u, const FormData& form,
                           TrackingService& tracking) {
    const Date today = u.today;
    const auto held = u.home->plan.load();
    const Plan& plan = *held;
    const LoadedSchool& s = *u.home->school;
    // Their own events up to today; or, for the IB'er and the schoolleider, every tracked event
    // of the school up to a date they choose (a school catching up on its ticking off).
    const bool school = form.get("wie") == "school";
    if (school && !u.rights.lead) return forbidden(u);
    Date until = today;
    if (school && !form.get("tot").empty()) {
        const auto d = parse_date(form.get("tot"));
        if (!d)
            return page(u, "Datum niet goed",
                        "<p class=\"error\" role=\"alert\">Het veld 'tot en met' bevat geen "
                        "datum. Kies een datum in de kalender.</p><p><a href=\"/ib\">Terug</a></p>",
                        400);
        until = std::min(*d, today);  // nothing in the future is held yet
    }
    const std::string back = school ? "/ib" : "/";
    const auto open = school ? open_until(plan, s, until) : open_for(plan, s, u.person->id, today);
    const std::string scope_fields =
        school ? "<input type=\"hidden\" name=\"wie\" value=\"school\"><input type=\"hidden\" "
                 "name=\"tot\" value=\"" +
                     format_date(until) + "\">"
               : std::string();
    if (form.get("bevestigd") != "ja") {
        // The confirmation names exactly what will be marked; the form carries those events,
        // so that nothing that turns up meanwhile is marked unseen.
        if (open.empty()) return school ? redirect("/ib?melding=niets-open") : redirect("/");
        std::string items, hidden;
        for (const Event* e : open) {
            items += "<li>" + html_escape(e->when_nl()) + ": " + html_escape(e->title) + "</li>\n";
            hidden += "<input type=\"hidden\" name=\"uid\" value=\"" + html_escape(e->uid) + "\">";
        }
        return page(
            u,
            "Alles t/m " + (school ? format_day_nl(until) : std::string("vandaag")) + " gehouden?",
            "<p>Deze " + std::to_string(open.size()) +
                (open.size() == 1 ? " afspraak komt" : " afspraken komen") +
                " op gehouden (toetsen op afgenomen), elk op de eigen dag" +
                (school ? ", van iedereen op school" : std::string()) + ":</p>\n<ul>\n" + items +
                "</ul>\n<form method=\"post\" action=\"/gehouden\">" + csrf_field(u) + hidden +
                scope_fields +
                "<input type=\"hidden\" name=\"bevestigd\" value=\"ja\"><p><button "
                "type=\"submit\">Ja, zet ze op gehouden</button> <a class=\"button "
                "secondary\" href=\"" +
                back + (school ? "" : "#af-te-vinken") +
                "\">Terug</a></p></form>\n<p "
                "class=\"muted\">Eentje toch niet gehouden? Maak hem daarna ongedaan, of "
                "verzet of annuleer hem.</p>\n");
    }
    std::vector<std::string> uids;
    for (const std::string& uid : form.all("uid"))
        if (std::any_of(open.begin(), open.end(), [&](const Event* e) { return e->uid == uid; }))
            uids.push_back(uid);
    const auto results = tracking.mark_held(u.home->id, u.person->id, uids);
    using O = EventChangeResult::Outcome;
    if (!results.empty() && results.front().outcome == O::rate_limited)
        return page(u, "Even wachten",
                    "<p class=\"error\" role=\"alert\">Je hebt veel wijzigingen kort na elkaar "
                    "gedaan. Wacht even en probeer het dan opnieuw.</p><p><a href=\"" +
                        back + "\">Terug</a></p>",
                    429);
    return redirect(school ? "/ib?melding=school-gehouden" : "/?melding=alles-gehouden");
}

HttpResponse subscribe(const RequestContext& u, Subscriptions& subscriptions,
                       AccessService& access) {
    const std::string token =
        subscriptions.create(u.home->id, FeedScope::person, u.person->id, u.person->id);
    access.show_once(u.session_token, "person", token);
    return redirect("/?melding=abonnement#abonneren");
}

}  // namespace jk::daemon::web
