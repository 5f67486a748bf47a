#include "jaarkalender/mail.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "fixtures.hpp"
#include "jaarkalender/tracking.hpp"

using namespace jk;
using std::chrono::days;

namespace {

Date d(const char* s) {
    return *parse_date(s);
}

struct Year {
    LoadedSchool school = jk::testing::load_example();
    Plan plan = jk::testing::plan_fixed(school);
    const Event& first(const std::string& rule, const std::string& subject) const {
        for (const Event& e : plan.events)
            if (e.rule == rule && e.subject == std::optional<std::string>(subject)) return e;
        FAIL("no event " << rule << " " << subject);
        throw;
    }
    [[nodiscard]] std::int64_t year_start() const { return local_to_epoch(d("2026-07-01"), 0); }
    [[nodiscard]] std::int64_t year_end() const { return local_to_epoch(d("2027-08-01"), 0); }
};

size_t recipients_with_address(const Event& e, const School& s) {
    std::set<std::string> ids(e.attendees.begin(), e.attendees.end());
    ids.insert(e.optional_attendees.begin(), e.optional_attendees.end());
    size_t n = 0;
    for (const auto& id : ids)
        if (const Person* p = s.person(id); p && !p->email.empty()) ++n;
    return n;
}

}  // namespace

TEST_CASE("mail time: local wall clock and epoch agree across daylight saving", "[unit][mail]") {
    for (const char* day : {"2026-10-24", "2026-10-25", "2026-10-26", "2027-03-27", "2027-03-28",
                            "2027-03-29", "2026-12-31"}) {
        for (Minute m : {0, 7 * 60, 12 * 60 + 30, 23 * 60 + 59}) {
            if (std::string(day) == "2027-03-28" && m >= 120 && m < 180) continue;  // no such time
            const auto t = local_to_epoch(d(day), m);
            const auto [back_day, back_minute] = epoch_to_local(t);
            CHECK(back_day == d(day));
            CHECK(back_minute == m);
        }
    }
    // 07:00 in winter is 06:00 UTC, in summer 05:00 UTC.
    CHECK(local_to_epoch(d("2026-11-23"), 7 * 60) % 86400 == 6 * 3600);
    CHECK(local_to_epoch(d("2026-09-14"), 7 * 60) % 86400 == 5 * 3600);
}

TEST_CASE("reminders: each offset of the rule, to every attendee, at the send hour of a staff day",
          "[unit][mail]") {
    Year y;
    const auto due = reminders_due(y.plan, y.school, y.year_start(), y.year_end());
    std::map<std::string, int> per_event;
    std::set<std::string> keys;
    for (const auto& m : due) {
        REQUIRE(m.kind == MailKind::reminder);
        CHECK(keys.insert(m.key).second);  // keys are unique
        ++per_event[m.uid];
        const auto [day, minute] = epoch_to_local(m.due_at);
        CHECK(minute == 7 * 60);
        // Before the first school day (reminders of the first weeks) any weekday will do.
        CHECK((is_send_day(y.school, day) || day < y.school.calendar.first_day()));
        const Event* e = y.plan.find(m.uid);
        REQUIRE(e);
        // On the day `offset` days before, or the last staff day before that.
        CHECK(day <= e->date - days{m.offset});
        CHECK(day > e->date - days{m.offset} - days{22});
    }
    size_t expected = 0;
    for (const Event& e : y.plan.events) {
        const Rule* r = y.school.rules.rule(e.rule);
        if (!r || e.kind != EventKind::rule) continue;
        const size_t n = r->remind_days_before.size() * recipients_with_address(e, y.school.school);
        expected += n;
        CHECK(per_event[e.uid] == static_cast<int>(n));
    }
    CHECK(due.size() == expected);
    CHECK(expected > 100);
}

TEST_CASE("reminders: a done event gets none, a moved one gets new ones for its new time",
          "[unit][mail]") {
    Year y;
    const Event& e = y.first("klassenconsultatie", "bram");  // remind_days_before = [7, 1]
    auto for_event = [&](const Plan& p) {
        std::vector<DueMail> out;
        for (auto& m : reminders_due(p, y.school, y.year_start(), y.year_end()))
            if (m.uid == e.uid) out.push_back(m);
        return out;
    };
    const auto before = for_event(y.plan);
    REQUIRE(before.size() == 2 * recipients_with_address(e, y.school.school));

    auto done =
        apply_change(y.plan, {e.uid, ChangeKind::done, {}, "", {}, 0}, "2026-10-01T00:00:00Z");
    REQUIRE(done);
    CHECK(for_event(*done).empty());

    Date later = e.date + days{7};
    while (!y.school.calendar.is_school_day(later)) later += days{1};
    auto moved = apply_change(y.plan, {e.uid, ChangeKind::move, {}, "", later, e.start},
                              "2026-10-01T00:00:00Z");
    REQUIRE(moved);
    const auto after = for_event(*moved);
    REQUIRE(after.size() == before.size());
    for (const auto& m : after) {
        CHECK(m.sequence == e.sequence + 1);
        for (const auto& b : before) CHECK(m.key != b.key);
    }
    CHECK(after.front().due_at > before.front().due_at);
}

TEST_CASE("reminders: quiet days and the send hour come from [school.mail]", "[unit][mail]") {
    Year y;
    y.school.school.mail.send_hour = 6;
    y.school.school.mail.quiet_days.insert(2);  // wo
    for (const auto& m : reminders_due(y.plan, y.school, y.year_start(), y.year_end())) {
        const auto [day, minute] = epoch_to_local(m.due_at);
        CHECK(weekday_index(day) != 2);
        CHECK(minute == 6 * 60);
    }
}

TEST_CASE("overdue lists: one mail per person and send day, new items once, then weekly",
          "[unit][mail]") {
    Year y;
    const Event& e = y.first("klassenconsultatie", "bram");
    REQUIRE(e.owner);
    const Date grace = grace_day(e, y.school.calendar);
    const auto first = first_notice_day(e, y.school);
    REQUIRE(first);
    CHECK(*first > grace);
    CHECK(is_send_day(y.school, *first));
    // Six weeks after the event.
    const auto until = local_to_epoch(e.date + days{42}, 12 * 60);
    const auto due = overdue_notices_due(y.plan, y.school, y.year_start(), until);
    std::set<std::pair<std::string, Date>> per_day;
    std::vector<Date> told_new, told_again;
    for (const auto& m : due) {
        const Date day = epoch_to_local(m.due_at).first;
        CHECK(is_send_day(y.school, day));
        CHECK(m.uid.empty());
        CHECK(per_day.insert({m.recipient, day}).second);  // one list per person and day
        CHECK_FALSE((m.uids.empty() && m.still_open.empty()));
        if (std::find(m.uids.begin(), m.uids.end(), e.uid) != m.uids.end()) {
            CHECK(m.recipient == *e.owner);
            told_new.push_back(day);
        }
        if (std::find(m.still_open.begin(), m.still_open.end(), e.uid) != m.still_open.end()) {
            told_again.push_back(day);
            // On the week's first send day only.
            for (Date c = monday_of(day); c < day; c += days{1})
                CHECK_FALSE(is_send_day(y.school, c));
        }
    }
    // Told as new once, on its first notice day; then in the weekly list while open.
    REQUIRE(told_new.size() == 1);
    CHECK(told_new.front() == *first);
    CHECK(told_again.size() >= 4);
    for (Date d : told_again) CHECK(d > *first);
    // Untracked meetings are never in a list.
    for (const auto& m : due)
        for (const auto* list : {&m.uids, &m.still_open})
            for (const auto& uid : *list) CHECK(is_tracked(*y.plan.find(uid), y.school.rules));
    // Nothing once it is done.
    auto done =
        apply_change(y.plan, {e.uid, ChangeKind::done, {}, "", {}, 0}, "2026-10-01T00:00:00Z");
    for (auto& m : overdue_notices_due(*done, y.school, y.year_start(), until)) {
        CHECK(std::find(m.uids.begin(), m.uids.end(), e.uid) == m.uids.end());
        CHECK(std::find(m.still_open.begin(), m.still_open.end(), e.uid) == m.still_open.end());
    }
    // The list reads as one message: each item with the day it is overdue since.
    const DueMail* list = nullptr;
    for (const auto& m : due)
        if (std::find(m.uids.begin(), m.uids.end(), e.uid) != m.uids.end()) list = &m;
    REQUIRE(list);
    const auto c = compose_overdue_list(*list, y.plan, y.school, {"https://x/", "https://x/u"});
    CHECK_THAT(c.subject, Catch::StartsWith("Nog af te ronden in de jaarkalender: "));
    CHECK(c.text.find(e.title) != std::string::npos);
    Date since = grace + days{1};
    while (!y.school.calendar.is_school_day(since)) since += days{1};
    CHECK(c.text.find("achterstallig sinds " + format_day_nl(since)) != std::string::npos);
    CHECK(c.text.find("weken na de eerste melding") == std::string::npos);
}

TEST_CASE("digests: Monday morning, or the week's first staff day, none in vacation weeks",
          "[unit][mail]") {
    Year y;
    const auto due = digests_due(y.school, y.year_start(), y.year_end());
    std::map<std::string, std::set<int>> weeks;  // person → weeks
    for (const auto& m : due) {
        const Date day = epoch_to_local(m.due_at).first;
        CHECK(is_send_day(y.school, day));
        // The first send day of its week.
        for (Date c = monday_of(day); c < day; c += days{1}) CHECK_FALSE(is_send_day(y.school, c));
        CHECK(weeks[m.recipient].insert(m.offset).second);
    }
    // The IB'er, the schoolleider and the bestuurder get them.
    CHECK(weeks.size() == 3);
    CHECK(weeks.count("anna"));
    // Herfstvakantie (midden 2026: 17-25 October): no digest in week 43.
    CHECK_FALSE(weeks["anna"].count(202643));
    // Weeks with a staff day: every one has a digest.
    std::set<int> staff_weeks;
    for (Date c = y.school.calendar.first_day(); c <= y.school.calendar.last_day(); c += days{1})
        if (is_send_day(y.school, c)) staff_weeks.insert(iso_week(c));
    CHECK(weeks["anna"].size() == staff_weeks.size());
}

TEST_CASE("change notices: a move or cancellation within 14 days, to old and new attendees",
          "[unit][mail]") {
    Year y;
    const Event& e = y.first("klassenconsultatie", "bram");
    const auto now = local_to_epoch(e.date - days{5}, 9 * 60);
    Date later = e.date + days{3};
    while (!y.school.calendar.is_school_day(later)) later += days{1};
    auto moved = apply_change(y.plan, {e.uid, ChangeKind::move, {}, "", later, e.start},
                              "2026-10-01T00:00:00Z");
    auto notices = change_notices(y.plan, *moved, y.school, now);
    CHECK(notices.size() == recipients_with_address(e, y.school.school));
    for (const auto& m : notices) {
        CHECK(m.kind == MailKind::change);
        CHECK(m.due_at == now);
        REQUIRE(m.before);
        CHECK(m.before->date == e.date);
    }
    // Far ahead: the feed will have it long before; no mail.
    CHECK(change_notices(y.plan, *moved, y.school, local_to_epoch(e.date - days{40}, 0)).empty());
    auto cancelled = apply_change(y.plan, {e.uid, ChangeKind::cancel, {}, "ziek", {}, 0},
                                  "2026-10-01T00:00:00Z");
    CHECK(change_notices(y.plan, *cancelled, y.school, now).size() == notices.size());
}

TEST_CASE(
    "change notices: what the planner gave up and places again is told; a person's cancel "
    "stays quiet",
    "[unit][mail]") {
    Year y;
    const Event* test = nullptr;
    for (const Event& e : y.plan.events)
        if (e.kind == EventKind::test_session && !test) test = &e;
    REQUIRE(test);
    const auto now = local_to_epoch(test->date - days{3}, 9 * 60);
    Plan given_up = y.plan;
    for (Event& e : given_up.events)
        if (e.uid == test->uid) {
            e.status = EventStatus::cancelled;
            e.planner_reason = "niet meer in te plannen (op geen enkele lesdag een leerkracht)";
        }
    // The re-plan after the successor: the test is back (the plan as it was, SEQUENCE + 1).
    Plan back = y.plan;
    for (Event& e : back.events)
        if (e.uid == test->uid) e.sequence += 2;
    const auto told = change_notices(given_up, back, y.school, now);
    REQUIRE(told.size() == test->attendees.size());
    for (const auto& m : told) {
        CHECK(m.uid == test->uid);
        const auto mail = compose_event_mail(m, *back.find(test->uid), &*m.before, y.school, false,
                                             epoch_to_local(now).first, MailLinks{});
        CHECK_THAT(mail.subject, Catch::StartsWith("Weer ingepland: " + test->title));
        CHECK(mail.text.find("past nu weer") != std::string::npos);
        CHECK(mail.text.find("op geen enkele lesdag") == std::string::npos);  // stays inside
        CHECK_FALSE(mail.ics.empty());
    }
    // Far ahead: the feed has it long before; no mail.
    CHECK(
        change_notices(given_up, back, y.school, local_to_epoch(test->date - days{40}, 0)).empty());
    // A person's cancel is final: a plan that has it again (it cannot) tells nobody.
    Plan cancelled = given_up;
    for (Event& e : cancelled.events)
        if (e.uid == test->uid) e.planner_reason.clear(), e.note = "ziek";
    CHECK(change_notices(cancelled, back, y.school, now).empty());
}

TEST_CASE("change notices: test sessions too, and a new attendee (an invaller) is told",
          "[unit][mail]") {
    Year y;
    const Event* test = nullptr;
    for (const Event& e : y.plan.events)
        if (e.kind == EventKind::test_session && !test) test = &e;
    REQUIRE(test);
    const auto now = local_to_epoch(test->date - days{3}, 9 * 60);
    // Moved by a re-plan (a new studiedag, say): whoever sits it gets the change mail.
    Plan moved = y.plan;
    for (Event& e : moved.events)
        if (e.uid == test->uid) e.date += days{1}, e.end_date += days{1}, e.sequence += 1;
    auto notices = change_notices(y.plan, moved, y.school, now);
    REQUIRE_FALSE(notices.empty());
    for (const auto& m : notices) CHECK(m.uid == test->uid);
    // The same time, another teacher (an invaller): the newcomer is told, with "Gewijzigd".
    Plan other = y.plan;
    std::string newcomer;
    for (const Person& p : y.school.school.persons)
        if (std::find(test->attendees.begin(), test->attendees.end(), p.id) ==
                test->attendees.end() &&
            !p.email.empty() && newcomer.empty())
            newcomer = p.id;
    for (Event& e : other.events)
        if (e.uid == test->uid) e.attendees = {newcomer}, e.sequence += 1;
    auto told = change_notices(y.plan, other, y.school, now);
    bool to_newcomer = false;
    for (const auto& m : told) to_newcomer = to_newcomer || m.recipient == newcomer;
    CHECK(to_newcomer);
    const Event& after = *other.find(test->uid);
    const MailContent c = compose_event_mail(told.front(), after, &*told.front().before, y.school,
                                             false, epoch_to_local(now).first, MailLinks{});
    CHECK_THAT(c.subject, Catch::StartsWith("Gewijzigd: "));
    int newcomers = 0, left = 0;
    for (const auto& m : told) {
        const auto text = compose_event_mail(m, after, &*m.before, y.school, false,
                                             epoch_to_local(now).first, MailLinks{})
                              .text;
        if (m.recipient == newcomer) {
            ++newcomers;
            CHECK(text.find("je neemt hem over") != std::string::npos);
        } else if (std::find(test->attendees.begin(), test->attendees.end(), m.recipient) !=
                   test->attendees.end()) {
            ++left;
            CHECK(text.find("niet meer te zijn") != std::string::npos);
        }
    }
    // Both kinds of mail were read: the newcomer's and one to each who no longer comes.
    CHECK(newcomers == 1);
    CHECK(left == static_cast<int>(test->attendees.size()));
}

TEST_CASE("mail content: Dutch, with the event attached under its own UID, no staff notes",
          "[unit][mail]") {
    Year y;
    const Event& e = y.first("klassenconsultatie", "bram");
    auto done =
        apply_change(y.plan, {e.uid, ChangeKind::done, {}, "Sanne uit groep 5 besproken", {}, 0},
                     "2026-10-01T00:00:00Z");
    const Event& noted = *done->find(e.uid);
    DueMail m;
    m.kind = MailKind::reminder;
    m.key = "k";
    m.school = "voorbeeldschool";
    m.recipient = "bram";
    m.uid = e.uid;
    m.offset = 7;  // the 7-day reminder, sent late: the day before
    const auto c = compose_event_mail(m, noted, nullptr, y.school, true, e.date - days{1},
                                      {"https://x/", "https://x/u"});
    CHECK(c.subject.find("Herinnering") != std::string::npos);
    CHECK(c.subject.find("[later verstuurd]") == 0);
    CHECK(c.text.find("Beste Bram") == 0);
    CHECK(c.text.find("morgen") != std::string::npos);
    CHECK(c.text.find("over 7 dagen") == std::string::npos);
    CHECK(c.text.find("https://x/u") != std::string::npos);
    CHECK(c.html.find("<a href=\"https://x/u\">") != std::string::npos);
    CHECK(c.ics.find("METHOD:PUBLISH") != std::string::npos);
    std::string unfolded = c.ics;  // RFC 5545 folding: CRLF and one space
    for (size_t at; (at = unfolded.find("\r\n ")) != std::string::npos;) unfolded.erase(at, 3);
    CHECK(unfolded.find("UID:mail-" + e.uid + "\r\n") != std::string::npos);
    CHECK(c.ics.find("ORGANIZER") == std::string::npos);
    CHECK(c.ics.find("ATTENDEE") == std::string::npos);
    for (const std::string* part : {&c.text, &c.html, &c.ics})
        CHECK(part->find("Sanne") == std::string::npos);
}

TEST_CASE("digest content: the IB'er's overdue list and the schoolleider's cycle view",
          "[unit][mail]") {
    Year y;
    const Date today = d("2027-02-01");
    const auto ib = compose_digest(*y.school.school.person("anna"), {{&y.plan, &y.school}}, today,
                                   {"https://x/", "https://x/u"});
    CHECK(ib.subject == "Weekoverzicht Basisschool De Voorbeeld, week 5");
    CHECK(ib.text.find("Achterstallig: ") != std::string::npos);
    CHECK(ib.text.find("De komende twee weken") != std::string::npos);
    // After a re-plan: what it moved or cancelled, and what cannot be planned, with reasons.
    const std::vector<PlanChange> replan = {
        {"u1", "Klassenconsultatie Karin Dekker (Groep 5)", PlanChangeKind::cancelled,
         "2027-04-22T08:30:00+02:00", "",
         "niet meer nodig, Karin Dekker is na di 19 jan 2027 niet meer op school"}};
    const auto after =
        compose_digest(*y.school.school.person("anna"), {{&y.plan, &y.school, &replan}}, today,
                       {"https://x/", "https://x/u"});
    CHECK(after.text.find("Verschoven of vervallen bij de laatste herplanning") !=
          std::string::npos);
    CHECK(after.text.find("vervallen (was do 22 apr 2027 08:30) – niet meer nodig") !=
          std::string::npos);
    CHECK(
        (y.plan.unplanned.empty() || after.text.find("Niet in te plannen (") != std::string::npos));
    const auto lead = compose_digest(*y.school.school.person("erik"), {{&y.plan, &y.school}}, today,
                                     {"https://x/", "https://x/u"});
    CHECK(lead.text.find("Cyclus op tijd per toetsperiode") != std::string::npos);
    CHECK(lead.text.find("Klassenconsultatie (2× per persoon of groep)") != std::string::npos);
    const Person* board = nullptr;
    for (const auto& p : y.school.school.persons)
        if (p.has_role("bestuurder")) board = &p;
    REQUIRE(board);
    const auto b = compose_digest(*board, {{&y.plan, &y.school}}, today, {"https://x/", ""});
    CHECK(b.text.find("Cyclus op tijd: ") != std::string::npos);
}

TEST_CASE("MIME: encoded words, quoted-printable, and the message's structure", "[unit][mail]") {
    const std::string word = encode_header_word("Overleg – één keer per week met Ünal");
    CHECK(word.rfind("=?UTF-8?B?", 0) == 0);
    size_t start = 0;
    while (start < word.size()) {
        size_t end = word.find("\r\n", start);
        if (end == std::string::npos) end = word.size();
        CHECK(end - start <= 76);
        start = end + 2;
    }
    CHECK(encode_header_word("plain") == "plain");

    const std::string qp = quoted_printable(".begin\na=b \n" + std::string(200, 'x') + "\né\n");
    CHECK(qp.rfind("=2Ebegin\r\n", 0) == 0);
    CHECK(qp.find("a=3Db=20\r\n") != std::string::npos);
    CHECK(qp.find("=C3=A9") != std::string::npos);
    start = 0;
    while (start < qp.size()) {
        size_t end = qp.find("\r\n", start);
        CHECK(end - start <= 76);
        start = end + 2;
    }

    MailHeaders h{"Jaarkalender",
                  "jk@school.nl",
                  "ib@school.nl",
                  "Jeroen Vos",
                  "jeroen@school.nl",
                  "abc@school.nl",
                  local_to_epoch(d("2026-10-05"), 7 * 60),
                  "https://x/u"};
    MailContent c{"Herinnering: één", "tekst\n", "<p>tekst</p>\n", "BEGIN:VCALENDAR\r\n", "a.ics"};
    const std::string msg = to_rfc5322(h, c);
    CHECK(msg.find("Date: Mon, 05 Oct 2026 07:00:00 +0200\r\n") == 0);
    CHECK(msg.find("To: \"Jeroen Vos\" <jeroen@school.nl>\r\n") != std::string::npos);
    CHECK(msg.find("Subject: =?UTF-8?B?") != std::string::npos);
    CHECK(msg.find("List-Unsubscribe: <https://x/u>\r\n") != std::string::npos);
    CHECK(msg.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") != std::string::npos);
    CHECK(msg.find("multipart/mixed") != std::string::npos);
    CHECK(msg.find("multipart/alternative") != std::string::npos);
    CHECK(msg.find("text/calendar; charset=utf-8; method=PUBLISH") != std::string::npos);
    // Every line ends in CRLF.
    for (size_t i = 0; i < msg.size(); ++i)
        if (msg[i] == '\n') REQUIRE((i > 0 && msg[i - 1] == '\r'));
}
