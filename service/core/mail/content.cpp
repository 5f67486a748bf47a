// What a mail says, in Dutch: reminders, change notices, overdue lists, digests, welcomes and
// sign-in links, each as text and HTML from one body (include/jaarkalender/mail.hpp).
#include <algorithm>
#include <map>
#include <set>

#include "active.hpp"
#include "jaarkalender/ical_feeds.hpp"
#include "jaarkalender/mail.hpp"
#include "jaarkalender/tracking.hpp"
#include "text.hpp"

namespace jk {
namespace {

using mail_detail::active;
using std::chrono::days;

/// "vandaag", "morgen", "overmorgen", "over 5 dagen": the day of `d` as seen from `today`.
std::string days_ahead_nl(Date today, Date d) {
    const auto n = (d - today).count();
    if (n <= 0) return "vandaag";
    if (n == 1) return "morgen";
    if (n == 2) return "overmorgen";
    return "over " + std::to_string(n) + " dagen";
}

/// A mail's body as blocks, rendered once as text and once as HTML.
struct Body {
    enum class Kind { para, heading, item, link };
    struct Block {
        Kind kind;
        std::string text;
        std::string url;
    };
    std::vector<Block> blocks;

    void para(std::string t) { blocks.push_back({Kind::para, std::move(t), {}}); }
    void heading(std::string t) { blocks.push_back({Kind::heading, std::move(t), {}}); }
    void item(std::string t) { blocks.push_back({Kind::item, std::move(t), {}}); }
    void link(std::string t, std::string url) {
        blocks.push_back({Kind::link, std::move(t), std::move(url)});
    }

    [[nodiscard]] std::string text() const {
        std::string out;
        Kind prev = Kind::para;
        for (const auto& b : blocks) {
            if (!out.empty() && !(b.kind == Kind::item && prev == Kind::item)) out += "\n";
            switch (b.kind) {
                case Kind::para:
                    out += b.text + "\n";
                    break;
                case Kind::heading:
                    out += b.text + "\n" +
                           std::string(b.text.size() > 60 ? 60 : b.text.size(), '-') + "\n";
                    break;
                case Kind::item:
                    out += "- " + b.text + "\n";
                    break;
                case Kind::link:
                    out += b.text + ": " + b.url + "\n";
                    break;
            }
            prev = b.kind;
        }
        return out;
    }

    [[nodiscard]] std::string html(const std::string& title) const {
        std::string out =
            "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>" +
            html_escape(title) +
            "</title></head>\n<body style=\"font-family:sans-serif;line-height:1.4;"
            "color:#1a1a1a\">\n";
        bool in_list = false;
        for (const auto& b : blocks) {
            if (b.kind != Kind::item && in_list) out += "</ul>\n", in_list = false;
            switch (b.kind) {
                case Kind::para:
                    out += "<p>" + lines(html_escape(b.text)) + "</p>\n";
                    break;
                case Kind::heading:
                    out += "<h2 style=\"font-size:1.1em\">" + html_escape(b.text) + "</h2>\n";
                    break;
                case Kind::item:
                    if (!in_list) out += "<ul>\n", in_list = true;
                    out += "<li>" + html_escape(b.text) + "</li>\n";
                    break;
                case Kind::link:
                    out += "<p><a href=\"" + html_escape(b.url) + "\">" + html_escape(b.text) +
                           "</a></p>\n";
                    break;
            }
        }
        if (in_list) out += "</ul>\n";
        return out + "</body></html>\n";
    }

    static std::string lines(const std::string& s) {
        std::string out;
        for (char c : s) out += c == '\n' ? std::string("<br>\n") : std::string(1, c);
        return out;
    }
};

/// At most this many names in a mail ("A, B, … en 17 anderen").
constexpr size_t kMaxNames = 10;

std::string names(const School& school, const std::vector<std::string>& ids) {
    std::vector<std::string> out;
    for (const auto& id : ids) {
        if (out.size() > kMaxNames) {
            out.resize(ids.size());  // beyond the limit only the count is used
            break;
        }
        if (const Person* p = school.person(id)) out.push_back(p->name);
    }
    return join_names(out, kMaxNames);
}

std::string first_name(const Person& p) {
    const auto sp = p.name.find(' ');
    return sp == std::string::npos ? p.name : p.name.substr(0, sp);
}

void event_block(Body& b, const Event& e, const School& school) {
    b.para("Wat: " + e.title + "\nWanneer: " + e.when_nl() +
           (e.attendees.empty() ? "" : "\nMet: " + names(school, e.attendees)) +
           (e.optional_attendees.empty()
                ? ""
                : "\nUitgenodigd: " + names(school, e.optional_attendees)));
    if (!e.description.empty()) b.para(e.description);
}

void footer(Body& b, const std::string& school_name, MailKind kind, const MailLinks& links) {
    if (!links.calendar_url.empty()) b.link("Jaarkalender " + school_name, links.calendar_url);
    if (!links.unsubscribe_url.empty())
        b.link("Geen " + std::string(describe_nl(kind)) + " meer ontvangen", links.unsubscribe_url);
}

}  // namespace

// ---- kinds --------------------------------------------------------------------------------

std::string_view to_string(MailKind k) {
    constexpr std::string_view kWords[] = {"reminder", "change", "overdue", "digest", "welcome"};
    static_assert(std::size(kWords) == static_cast<std::size_t>(MailKind::welcome) + 1);
    return kWords[static_cast<std::size_t>(k)];
}

std::optional<MailKind> parse_mail_kind(std::string_view s) {
    for (MailKind k : kAllMailKinds)
        if (to_string(k) == s) return k;
    if (s == to_string(MailKind::welcome)) return MailKind::welcome;
    return std::nullopt;
}

std::string_view describe_nl(MailKind k) {
    switch (k) {
        case MailKind::reminder:
            return "herinneringen";
        case MailKind::change:
            return "wijzigingsberichten";
        case MailKind::overdue:
            return "achterstandsmeldingen";
        case MailKind::digest:
            return "weekoverzichten";
        case MailKind::welcome:
            return "welkomstberichten";
    }
    return "berichten";
}

// ---- content ------------------------------------------------------------------------------

MailContent compose_welcome(const Person& p, const Plan& plan, const LoadedSchool& s, Date today,
                            const MailLinks& links) {
    MailContent c;
    Body b;
    c.subject = "Welkom bij " + s.school.name + ": je jaarkalender";
    b.para("Beste " + first_name(p) + ",");
    const Date from = std::max(today, p.from.value_or(s.school.first_day));
    std::string when = "Welkom bij " + s.school.name + ". Je staat vanaf " + format_date_nl(from);
    if (p.until) when += " tot en met " + format_date_nl(*p.until);
    when += " in de jaarkalender van de school, op " + p.works.to_string() + ".";
    b.para(when);
    std::vector<std::string> groups;
    for (const Group& g : s.school.groups)
        for (const TeacherAssignment& ta : g.teachers)
            if (ta.person == p.id &&
                std::find(groups.begin(), groups.end(), g.name) == groups.end())
                groups.push_back(g.name + " (" + ta.days.to_string() + ")");
    for (const Person& away : s.school.persons)
        for (const Absence& a : away.absent)
            if (a.substitute == p.id)
                b.para("Je valt in voor " + away.name + " van " + format_date_nl(a.range.from) +
                       " tot en met " + format_date_nl(a.range.to) +
                       ": je neemt op die dagen de groepen en de toetsen over.");
    if (!groups.empty()) {
        std::string g = "Je groepen: ";
        for (size_t i = 0; i < groups.size(); ++i) g += (i ? ", " : "") + groups[i];
        b.para(g + ".");
    }
    // What is theirs from today on, by kind, and the first ones by date.
    std::vector<const Event*> mine;
    for (const Event& e : plan.events)
        if (e.kind != EventKind::test_period && e.status != EventStatus::cancelled &&
            e.date >= today && e.attended_by(p.id))
            mine.push_back(&e);
    if (mine.empty()) {
        b.para("Er staan voor jou nog geen afspraken in de jaarkalender.");
    } else {
        int tests = 0, consultations = 0, meetings = 0;
        for (const Event* e : mine) {
            if (e->kind == EventKind::test_session)
                ++tests;
            else if (const Rule* r = s.rules.rule(e->rule);
                     r && r->category == Category::consultatie)
                ++consultations;
            else
                ++meetings;
        }
        auto count = [](int n, const char* one, const char* more) {
            return std::to_string(n) + " " + (n == 1 ? one : more);
        };
        std::vector<std::string> parts;
        if (tests) parts.push_back(count(tests, "toetsafname", "toetsafnames"));
        if (consultations)
            parts.push_back(count(consultations, "klassenconsultatie of nabespreking",
                                  "klassenconsultaties en nabesprekingen"));
        if (meetings)
            parts.push_back(count(meetings, "bespreking of overleg", "besprekingen en overleggen"));
        std::string line = "Dit staat er voor jou in de jaarkalender: ";
        for (size_t i = 0; i < parts.size(); ++i)
            line += (i == 0 ? "" : i + 1 == parts.size() ? " en " : ", ") + parts[i];
        b.para(line + (mine.size() <= 8 ? ":" : ". De eerste acht:"));
        for (size_t i = 0; i < mine.size() && i < 8; ++i)
            b.item(mine[i]->title + ", " + mine[i]->when_nl());
        if (mine.size() > 8)
            b.para("En nog " + std::to_string(mine.size() - 8) +
                   " daarna; alles staat in je agenda.");
    }
    b.heading("Inloggen");
    b.para("Ga naar de jaarkalender, vul je e-mailadres (" + p.email +
           ") in en je krijgt een link om in te loggen. Een wachtwoord is niet nodig.");
    if (!links.calendar_url.empty())
        b.link("Naar de jaarkalender", links.calendar_url + "inloggen");
    b.heading("Je agenda abonneren");
    b.para(
        "Na het inloggen staat onder 'Mijn jaarkalender' de knop 'Maak mijn abonnementslink'. Met "
        "die link zet je al je afspraken in Outlook, Google Agenda of je telefoon (scan de "
        "QR-code), en wijzigingen komen er vanzelf bij.");
    b.para("Vragen? Stel ze aan de IB'er of de schoolleider.");
    if (!links.calendar_url.empty()) b.link("Jaarkalender " + s.school.name, links.calendar_url);
    c.text = b.text();
    c.html = b.html(c.subject);
    return c;
}

MailContent compose_event_mail(const DueMail& mail, const Event& e, const Event* before,
                               const LoadedSchool& s, bool late, Date today,
                               const MailLinks& links) {
    MailContent c;
    const Person* p = s.school.person(mail.recipient);
    Body b;
    b.para("Beste " + (p ? first_name(*p) : mail.recipient) + ",");
    switch (mail.kind) {
        case MailKind::reminder: {
            // Said from the day it is sent: a late reminder does not say "over 7 dagen" for
            // tomorrow.
            const std::string day = days_ahead_nl(today, e.date);
            c.subject = "Herinnering: " + e.title + " (" + format_date_nl(e.date) + ")";
            if (late) {
                c.subject = "[later verstuurd] " + c.subject;
                b.para(
                    "Let op: deze herinnering komt later dan gepland, omdat de "
                    "jaarkalender-dienst tijdelijk niet draaide.");
            }
            b.para("Een herinnering: " + day + " staat dit in de jaarkalender.");
            event_block(b, e, s.school);
            break;
        }
        case MailKind::change:
            if (before && before->status == EventStatus::cancelled &&
                e.status != EventStatus::cancelled) {
                c.subject = "Weer ingepland: " + e.title + " (" + format_date_nl(e.date) + ")";
                b.para(
                    "Deze afspraak viel eerder weg, maar past nu weer in de jaarkalender en gaat "
                    "door.");
                event_block(b, e, s.school);
                b.para(
                    "De afspraak staat in de bijlage; je geabonneerde agenda neemt hem over bij "
                    "de volgende verversing.");
            } else if (e.status == EventStatus::cancelled) {
                c.subject = "Geannuleerd: " + e.title + " (" +
                            format_date_nl(before ? before->date : e.date) + ")";
                b.para(
                    "Deze afspraak gaat niet door. De jaarkalender geeft de reden; vraag de "
                    "IB'er of de schoolleider als je meer wilt weten.");
                event_block(b, before ? *before : e, s.school);
            } else if (before && before->date == e.date && before->start == e.start &&
                       before->end_date == e.end_date) {
                c.subject = "Gewijzigd: " + e.title + " (" + format_date_nl(e.date) + ")";
                auto in = [&](const Event& x) {
                    return std::find(x.attendees.begin(), x.attendees.end(), mail.recipient) !=
                           x.attendees.end();
                };
                b.para(in(e) && !in(*before) ? "Deze afspraak is nu voor jou: je neemt hem over."
                       : !in(e) && in(*before)
                           ? "Je hoeft bij deze afspraak niet meer te zijn: iemand anders "
                             "neemt hem over."
                           : "Voor deze afspraak is iets veranderd in wie erbij is.");
                event_block(b, e, s.school);
            } else {
                c.subject = "Verplaatst: " + e.title + " naar " + format_date_nl(e.date);
                b.para("Deze afspraak is verplaatst.");
                if (before) b.para("Was: " + before->when_nl() + "\nWordt: " + e.when_nl());
                event_block(b, e, s.school);
                b.para(
                    "De nieuwe tijd staat in de bijlage; je geabonneerde agenda neemt hem "
                    "over bij de volgende verversing.");
            }
            break;
        case MailKind::overdue:
        case MailKind::digest:
        case MailKind::welcome:
            break;
    }
    footer(b, s.school.name, mail.kind, links);
    c.text = b.text();
    c.html = b.html(c.subject);
    if (e.status != EventStatus::cancelled) {
        // Its own UID: importing it must not clash with the subscribed copy.
        c.ics = render_event_attachment(s, e, "mail-" + e.uid);
        c.ics_filename = "afspraak.ics";
    }
    return c;
}

MailContent compose_overdue_list(const DueMail& mail, const Plan& plan, const LoadedSchool& s,
                                 const MailLinks& links) {
    MailContent c;
    Body b;
    const Person* p = s.school.person(mail.recipient);
    b.para("Beste " + (p ? first_name(*p) : mail.recipient) + ",");
    auto open = [&](const std::vector<std::string>& uids) {
        std::vector<const Event*> out;
        for (const auto& uid : uids)
            if (const Event* e = plan.find(uid);
                e && (e->status == EventStatus::planned || e->status == EventStatus::moved))
                out.push_back(e);
        return out;
    };
    const auto fresh = open(mail.uids);
    const auto still = open(mail.still_open);
    auto line = [&](const Event& e) {
        // Overdue from the day after its grace day; said as the first school day from then
        // ("sinds ma 14 september", not a Saturday).
        Date since = grace_day(e, s.calendar) + days{1};
        while (!s.calendar.is_school_day(since) && since < s.calendar.last_day()) since += days{1};
        return e.title + ", " + e.when_nl() + " (achterstallig sinds " + format_day_nl(since) + ")";
    };
    const size_t n = fresh.size() + still.size();
    c.subject = "Nog af te ronden in de jaarkalender: " + std::to_string(n) +
                (n == 1 ? " afspraak" : " afspraken");
    b.para(n == 1 ? "Deze afspraak is voorbij, maar staat nog niet op gehouden."
                  : "Deze afspraken zijn voorbij, maar staan nog niet op gehouden.");
    if (!fresh.empty()) {
        b.heading(still.empty() ? "Sinds de vorige melding" : "Nieuw sinds de vorige melding");
        for (const Event* e : fresh) b.item(line(*e));
    }
    if (!still.empty()) {
        b.heading("Nog steeds open");
        for (const Event* e : still) b.item(line(*e));
    }
    b.para(
        "Zijn ze gehouden? Zet ze dan op gehouden in de jaarkalender; met \"Alles t/m vandaag "
        "gehouden\" gaat dat in één keer. Anders: verplaats of annuleer ze. Wat open blijft, "
        "staat maandag weer in één lijst.");
    footer(b, s.school.name, MailKind::overdue, links);
    c.text = b.text();
    c.html = b.html(c.subject);
    return c;
}

namespace {

/// The bestuur's lines for one school: the same figures as the bestuur's page.
void board_lines(Body& b, const DigestSchool& ds, Date today) {
    const SchoolFigures f = school_figures(*ds.plan, *ds.school, today);
    b.heading(ds.school->school.name);
    b.item("Cyclus op tijd: " + share_nl(f.cycle_on_time, f.cycle_due));
    b.item("Klassenconsultaties gehouden: " + std::to_string(f.consultations.held) + " van " +
           std::to_string(f.consultations.required));
    b.item("Gehouden van wat tot nu toe verwacht werd: " +
           share_nl(f.held_by_now, f.expected_by_now));
    b.item("Achterstallig: " + std::to_string(f.overdue) +
           (f.overdue ? " (consultaties " + std::to_string(f.overdue_of(Category::consultatie)) +
                            ", besprekingen " + std::to_string(f.overdue_of(Category::bespreking)) +
                            ", toetsen " + std::to_string(f.overdue_of(Category::toets)) +
                            ", overig " + std::to_string(f.overdue_other()) + ")"
                      : std::string()));
    b.item("Niet in te plannen: " + std::to_string(f.unplanned));
}

void ib_lines(Body& b, const DigestSchool& ds, Date today, bool named) {
    const LoadedSchool& s = *ds.school;
    const std::string at = named ? " (" + s.school.name + ")" : std::string();
    const auto late = ib_overdue(overdue(*ds.plan, s, today), s);
    b.heading("Achterstallig" + at + ": " + std::to_string(late.size()));
    if (late.empty()) b.para("Niets achterstallig.");
    for (const auto& o : late)
        b.item(o.event->title + ", " + format_date_nl(o.event->date) + " (" +
               std::to_string(o.school_days) +
               (o.school_days == 1 ? " schooldag" : " schooldagen") + " te laat)");
    if (ds.replan && !ds.replan->empty()) {
        b.heading("Verschoven of vervallen bij de laatste herplanning" + at);
        for (const PlanChange& ch : *ds.replan)
            b.item(ch.title + ": " + ch.what_nl() + " – " + ch.reason);
    }
    if (!ds.plan->unplanned.empty()) {
        b.heading("Niet in te plannen" + at + " (" + std::to_string(ds.plan->unplanned.size()) +
                  ")");
        for (const Unplanned& u : ds.plan->unplanned) {
            const Rule* r = s.rules.rule(u.rule);
            std::string who;
            if (u.subject) {
                if (const Person* p = s.school.person(*u.subject)) who = p->name;
                if (const Group* g = s.school.group(*u.subject)) who = g->name;
            }
            b.item((r ? r->label() : u.rule) + (who.empty() ? "" : ", " + who) + " (keer " +
                   std::to_string(u.occurrence) + "): " + u.reason);
        }
    }
    b.heading("De komende twee weken" + at);
    int n = 0;
    for (const Event& e : ds.plan->events) {
        if (!active(e) || e.date < today || e.date >= today + days{14}) continue;
        b.item(format_date_nl(e.date) + (e.all_day ? "" : " " + format_time(e.start)) + ": " +
               e.title);
        ++n;
    }
    if (n == 0) b.para("Geen afspraken.");
}

void lead_lines(Body& b, const DigestSchool& ds, Date today, bool named) {
    const LoadedSchool& s = *ds.school;
    const std::string at = named ? " (" + s.school.name + ")" : std::string();
    const SchoolFigures f = school_figures(*ds.plan, s, today);
    b.heading("Cyclus op tijd per toetsperiode" + at);
    for (const auto& p : timeliness(*ds.plan, s, today)) {
        const TestPeriod* tp = s.rules.period(p.period);
        std::string line = (tp ? tp->name : p.period) + ": " + share_nl(p.on_time, p.due);
        int late = 0, open = 0;
        for (const auto& cell : p.cells) {
            late += cell.status == CycleStatus::late;
            open += cell.status == CycleStatus::overdue;
        }
        if (late || open)
            line += "; " + std::to_string(late) + " te laat, " + std::to_string(open) +
                    " achterstallig";
        b.item(line);
    }
    b.item("Alle toetsperioden samen: " + share_nl(f.cycle_on_time, f.cycle_due));
    b.heading("Afspraken met een minimum per jaar" + at);
    for (const auto& rc : compliance(*ds.plan, s, today)) {
        const Rule* r = s.rules.rule(rc.rule);
        int held = 0, planned = 0, late = 0, unplannable = 0;
        for (const auto& row : rc.rows)
            held += row.held, planned += row.planned, late += row.overdue,
                unplannable += row.unplannable;
        b.item((r ? r->label() : rc.rule) + " (" + std::to_string(rc.count) +
               "× per persoon of groep): " + std::to_string(held) + " gehouden, " +
               std::to_string(planned) + " gepland, " + std::to_string(late) + " achterstallig, " +
               std::to_string(unplannable) + " niet in te plannen");
    }
    b.item(
        "Gehouden van wat tot nu toe verwacht werd: " + share_nl(f.held_by_now, f.expected_by_now) +
        "; achterstallig: " + std::to_string(f.overdue));
}

}  // namespace

MailContent compose_digest(const Person& person, const std::vector<DigestSchool>& given, Date today,
                           const MailLinks& links) {
    MailContent c;
    Body b;
    const int week = iso_week(today);
    b.para("Beste " + first_name(person) + ",");
    std::vector<DigestSchool> schools = given;
    for (auto& ds : schools)
        if (!ds.ib && !ds.lead && !ds.board) {
            ds.ib = person.has_role("ib");
            ds.lead = person.has_role("schoolleider");
            ds.board = person.has_role("bestuurder") && !ds.ib && !ds.lead;
        }
    std::vector<const DigestSchool*> board, own;
    for (const auto& ds : schools) {
        if (ds.board) board.push_back(&ds);
        if (ds.ib || ds.lead) own.push_back(&ds);
    }
    const bool one = board.empty() && own.size() == 1;
    c.subject =
        one ? "Weekoverzicht " + own.front()->school->school.name + ", week " + std::to_string(week)
            : "Weekoverzicht jaarkalender, week " + std::to_string(week) + ": " +
                  std::to_string(schools.size()) + (schools.size() == 1 ? " school" : " scholen");
    for (const DigestSchool* ds : own) {
        if (ds->ib) ib_lines(b, *ds, today, !one);
        if (ds->lead) lead_lines(b, *ds, today, !one);
    }
    if (!board.empty()) {
        b.para(
            "Het overzicht van deze week per school van het bestuur: de PDCA-cyclus op tijd, de "
            "klassenconsultaties, wat tot nu toe gehouden had moeten zijn en wat achterstallig "
            "is.");
        for (const DigestSchool* ds : board) board_lines(b, *ds, today);
    }
    footer(b, one ? own.front()->school->school.name : std::string("van het bestuur"),
           MailKind::digest, links);
    c.text = b.text();
    c.html = b.html(c.subject);
    return c;
}

MailContent compose_year_published(const Person& p, const Plan& plan, const LoadedSchool& next,
                                   const MailLinks& links) {
    MailContent c;
    Body b;
    const std::string& year = next.school.school_year;
    c.subject = "Schooljaar " + year + " staat in je jaarkalender";
    b.para("Beste " + first_name(p) + ",");
    b.para("De jaarplanning van " + next.school.name + " voor " + year +
           " is klaar. Heb je je agenda van de jaarkalender al in Outlook, Google Agenda of op je "
           "telefoon gezet? Dan staat het nieuwe jaar er vanaf nu in, na dit schooljaar, en hoef "
           "je niets te doen. Anders vind je de link na het inloggen onder 'Mijn jaarkalender'.");
    b.para("De eerste schooldag is " + format_date_nl(next.school.first_day) + ".");
    std::vector<const Event*> mine;
    for (const Event& e : plan.events)
        if (e.kind != EventKind::test_period && e.status != EventStatus::cancelled &&
            e.attended_by(p.id))
            mine.push_back(&e);
    if (!mine.empty()) {
        b.para(mine.size() <= 5 ? "Je afspraken in het nieuwe jaar:"
                                : "Je eerste afspraken in het nieuwe jaar:");
        for (size_t i = 0; i < mine.size() && i < 5; ++i)
            b.item(mine[i]->title + ", " + mine[i]->when_nl());
    }
    if (!links.calendar_url.empty()) b.link("Naar de jaarkalender", links.calendar_url);
    c.text = b.text();
    c.html = b.html(c.subject);
    return c;
}

MailContent compose_login_mail(const Person& person, const std::string& school_name,
                               const std::string& url, int valid_minutes) {
    MailContent c;
    Body b;
    c.subject = "Inloggen op de jaarkalender van " + school_name;
    b.para("Beste " + first_name(person) + ",");
    b.para("Met deze link log je in op de jaarkalender. Hij werkt " +
           std::to_string(valid_minutes) + " minuten en één keer.");
    b.link("Inloggen", url);
    b.para("Heb je niet om deze link gevraagd? Dan kun je deze mail negeren.");
    c.text = b.text();
    c.html = b.html(c.subject);
    return c;
}

}  // namespace jk
