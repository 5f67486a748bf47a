#include "jaarkalender/tracking.hpp"
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <set>

#include "fixtures.hpp"
#include "jaarkalender/planner.hpp"

using namespace jk;

namespace {

struct Year {
    LoadedSchool school = jk::testing::load_example();
    Plan plan = jk::testing::plan_fixed(school);
    const Event& first(const std::string& rule, const std::string& subject,
                       int occurrence = 1) const {
        for (const Event& e : plan.events)
            if (e.rule == rule && e.subject == std::optional<std::string>(subject) &&
                e.occurrence == occurrence)
                return e;
        FAIL("no event " << rule << " " << subject);
        throw;
    }
};

Date d(const char* s) {
    return *parse_date(s);
}

}  // namespace

TEST_CASE("overdue: still planned after its day and one school day of grace", "[unit][tracking]") {
    Year y;
    const Event& e = y.first("klassenconsultatie", "bram");
    // The grace day is the next school day; on it nothing is overdue yet.
    Date grace = e.date + std::chrono::days{1};
    while (!y.school.calendar.is_school_day(grace)) grace += std::chrono::days{1};
    auto is_overdue = [&](const Plan& p, Date today) {
        for (const auto& o : overdue(p, y.school, today))
            if (o.event->uid == e.uid) return true;
        return false;
    };
    CHECK_FALSE(is_overdue(y.plan, e.date));
    CHECK_FALSE(is_overdue(y.plan, grace));
    Date after = grace + std::chrono::days{1};
    CHECK(is_overdue(y.plan, after));
    // Held: no longer overdue; the feed's SEQUENCE goes up.
    auto done = apply_change(y.plan, {e.uid, ChangeKind::done, std::nullopt, "goed gesprek", {}, 0},
                             "2026-11-01T10:00:00Z");
    REQUIRE(done);
    CHECK_FALSE(is_overdue(*done, after));
    CHECK(done->find(e.uid)->status == EventStatus::done);
    CHECK(done->find(e.uid)->sequence == e.sequence + 1);
    // Oldest first.
    auto all = overdue(y.plan, y.school, d("2027-07-16"));
    REQUIRE(all.size() > 100);
    for (size_t i = 1; i < all.size(); ++i) CHECK(all[i - 1].event->date <= all[i].event->date);
}

TEST_CASE("apply_change refuses what makes no sense", "[unit][tracking]") {
    Year y;
    const Event& e = y.first("klassenconsultatie", "bram");
    CHECK_FALSE(apply_change(y.plan, {"nope", ChangeKind::done, std::nullopt, "", {}, 0}, "t"));
    CHECK_FALSE(apply_change(y.plan, {e.uid, ChangeKind::cancel, std::nullopt, "", {}, 0},
                             "t"));  // no reason
    CHECK_FALSE(apply_change(
        y.plan, {e.uid, ChangeKind::done, std::nullopt, std::string(501, 'x'), {}, 0}, "t"));
    auto cancelled =
        apply_change(y.plan, {e.uid, ChangeKind::cancel, std::nullopt, "ziek", {}, 0}, "t");
    REQUIRE(cancelled);
    CHECK_FALSE(apply_change(*cancelled, {e.uid, ChangeKind::done, std::nullopt, "", {}, 0}, "t"));
    auto moved = apply_change(
        y.plan, {e.uid, ChangeKind::move, std::nullopt, "", e.date + std::chrono::days{7}, 10 * 60},
        "t");
    REQUIRE(moved);
    const Event* m = moved->find(e.uid);
    CHECK(m->status == EventStatus::moved);
    CHECK(m->start == 600);
    CHECK(m->end - m->start == e.end - e.start);
}

TEST_CASE("compliance: klassenconsultaties per teacher and window", "[unit][tracking]") {
    Year y;
    auto c = compliance(y.plan, y.school, d("2026-08-31"));
    auto rule = std::find_if(
        c.begin(), c.end(), [](const RuleCompliance& r) { return r.rule == "klassenconsultatie"; });
    REQUIRE(rule != c.end());
    CHECK(rule->count == 2);
    CHECK(rule->windows.size() == 2);
    CHECK(rule->rows.size() == 15);  // every teacher of the example school
    int dirk = 0;
    for (const auto& row : rule->rows) {
        if (row.subject == "dirk") {
            ++dirk;
            CHECK(row.unplannable == 2);
            CHECK_THAT(row.cells[0].reason, Catch::Contains("geen IB'er werkt op vr"));
        } else {
            CHECK(row.planned == 2);
        }
    }
    CHECK(dirk == 1);
    // Bram's first is held, his second is overdue at the end of the year.
    Plan p = y.plan;
    p = *apply_change(
        p,
        {y.first("klassenconsultatie", "bram", 1).uid, ChangeKind::done, std::nullopt, "", {}, 0},
        "t");
    auto end = compliance(p, y.school, d("2027-07-16"));
    REQUIRE(end[0].rule == "klassenconsultatie");
    const auto bram = std::find_if(end[0].rows.begin(), end[0].rows.end(),
                                   [](const auto& row) { return row.subject == "bram"; });
    REQUIRE(bram != end[0].rows.end());
    CHECK(bram->held == 1);
    CHECK(bram->overdue == 1);
    CHECK(bram->cells[0].status == OccurrenceStatus::held);
    CHECK(bram->cells[1].status == OccurrenceStatus::overdue);
}

TEST_CASE("cycle timeliness per test period, with hand-checked deadlines", "[unit][tracking]") {
    Year y;
    // Groepsbespreking within 10 school days after 5 Feb 2027: 8-12 Feb (5), 15-18 Feb (4; the
    // 19th is a studiedag), the voorjaarsvakantie, then 1 March is the 10th.
    auto t = timeliness(y.plan, y.school, d("2027-02-05"));
    REQUIRE(t.size() == 2);
    CHECK(t[0].period == "midden");
    const TimelinessCell* gb = nullptr;
    for (const auto& c : t[0].cells)
        if (c.rule == "groepsbespreking" && c.subject == "groep-3") gb = &c;
    REQUIRE(gb);
    CHECK(format_date(*gb->deadline) == "2027-03-01");
    CHECK(gb->status == CycleStatus::pending);
    CHECK(t[0].due == 0);

    // Groep 3's groepsbespreking held on time, groep 4's late (on 4 March: 3 school days late),
    // the rest not held: on 15 March they are overdue.
    Plan p = y.plan;
    p = *apply_change(
        p, {y.first("groepsbespreking", "groep-3").uid, ChangeKind::done, std::nullopt, "", {}, 0},
        "t");
    p = *apply_change(
        p,
        {y.first("groepsbespreking", "groep-4").uid, ChangeKind::done, d("2027-03-04"), "", {}, 0},
        "t");
    auto later = timeliness(p, y.school, d("2027-03-15"));
    int on_time = 0, late = 0, overdue_ = 0, seen = 0;
    for (const auto& c : later[0].cells) {
        if (c.rule != "groepsbespreking") continue;
        if (c.subject == "groep-3") {
            ++seen;
            CHECK(c.status == CycleStatus::on_time);
        }
        if (c.subject == "groep-4") {
            ++seen;
            CHECK(c.status == CycleStatus::late);
            CHECK(c.days_late == 3);
        }
        on_time += c.status == CycleStatus::on_time;
        late += c.status == CycleStatus::late;
        overdue_ += c.status == CycleStatus::overdue;
    }
    CHECK(seen == 2);
    CHECK(on_time == 1);
    CHECK(late == 1);
    CHECK(overdue_ == 8);
    // Follow-ups of the held ones count too (groepsplan, leerlingenbespreking), with deadlines
    // counted from when their target was held.
    CHECK(later[0].due > 10);
    CHECK(later[0].on_time >= 1);
}

TEST_CASE("a move is checked against every hard constraint", "[unit][tracking]") {
    Year y;
    const Event& e = y.first("klassenconsultatie", "bram");
    // Bram does not work on Thursday, nor teaches his group then.
    Date thursday = e.date;
    while (weekday_index(thursday) != 3 || !y.school.calendar.is_school_day(thursday))
        thursday += std::chrono::days{1};
    auto c = move_conflicts(y.school, y.plan, e.uid, thursday, 9 * 60);
    REQUIRE_FALSE(c.empty());
    CHECK_THAT(c[0], Catch::Contains("Bram Jansen"));
    // In the herfstvakantie: no staff day.
    auto v = move_conflicts(y.school, y.plan, e.uid, d("2026-10-20"), 9 * 60);
    REQUIRE_FALSE(v.empty());
    CHECK_THAT(v[0], Catch::Equals("op di 20 oktober is de school dicht (Herfstvakantie)"));
    // Onto Anna's team meeting time on a Monday: overlap with another event of hers.
    const Event& team = y.first("teamvergadering", "voorbeeldschool");
    const Event& nab = y.first("nabespreking", "bram");
    auto o = move_conflicts(y.school, y.plan, nab.uid, team.date, team.start);
    CHECK_FALSE(o.empty());
    // A free moment in Bram's lessons with Anna there: allowed.
    bool some_ok = false;
    for (Date x = e.date + std::chrono::days{1}; x < e.date + std::chrono::days{21} && !some_ok;
         x += std::chrono::days{1})
        for (Minute m = 9 * 60; m <= 12 * 60 && !some_ok; m += 15)
            some_ok = move_conflicts(y.school, y.plan, e.uid, x, m).empty();
    CHECK(some_ok);
    CHECK_FALSE(move_conflicts(y.school, y.plan, "nope", e.date, 600).empty());
    // Out of its term (hard constraint 4): the first klassenconsultatie into the second window,
    // on a day and time that are otherwise free, and the nabespreking a month after it.
    const Event& second = y.first("klassenconsultatie", "bram", 2);
    auto w =
        move_conflicts(y.school, y.plan, e.uid, second.date + std::chrono::days{7}, second.start);
    REQUIRE_FALSE(w.empty());
    CHECK_THAT(w[0], Catch::Contains("valt buiten de termijn") &&
                         Catch::Contains("tussen ma 14 september en vr 15 januari"));
    auto n = move_conflicts(y.school, y.plan, nab.uid, nab.date + std::chrono::days{28}, nab.start);
    REQUIRE_FALSE(n.empty());
    CHECK_THAT(n[0], Catch::Contains("binnen 3 schooldagen na"));
    // Into the toetsperiode, which klassenconsultaties avoid: said of that day, in plain Dutch.
    auto t = move_conflicts(y.school, y.plan, e.uid, d("2027-01-19"), 9 * 60);
    REQUIRE(t.size() == 2);
    CHECK(t[1] ==
          "op di 19 januari is het Toetsperiode midden, en 'Klassenconsultatie' wordt "
          "niet in een toetsperiode gepland");
    for (const auto& text : t) CHECK(text.find("test_periods") == std::string::npos);
}

TEST_CASE("a move offers the first free moments, found by the planner's own checks",
          "[unit][tracking]") {
    Year y;
    const Event& e = y.first("klassenconsultatie", "bram");
    auto s = move_suggestions(y.school, y.plan, e.uid, e.date + std::chrono::days{1}, 5);
    REQUIRE(s.size() == 5);
    for (size_t i = 0; i < s.size(); ++i) {
        CHECK_FALSE(s[i].outside_term);
        CHECK(s[i].date > e.date);
        if (i) CHECK(s[i].date > s[i - 1].date);  // one per day, the first ones
        INFO(format_date(s[i].date) << " " << format_time(s[i].start));
        CHECK(move_conflicts(y.school, y.plan, e.uid, s[i].date, s[i].start).empty());
    }
    // Overdue (its term has passed): the first moments after it, said to be late.
    auto late = move_suggestions(y.school, y.plan, e.uid, d("2027-01-18"), 3);
    REQUIRE_FALSE(late.empty());
    for (const auto& m : late) {
        CHECK(m.outside_term);
        CHECK(m.date >= d("2027-01-18"));
    }
    CHECK(move_suggestions(y.school, y.plan, "nope", e.date, 3).empty());
}

TEST_CASE("changes_nothing: a repeated change is recognised", "[unit][tracking]") {
    Event e;
    e.date = *parse_date("2026-11-04");
    e.start = 9 * 60;
    Change c;
    c.kind = ChangeKind::done;
    CHECK_FALSE(changes_nothing(e, c));  // planned → held is a change
    e.status = EventStatus::done;
    CHECK(changes_nothing(e, c));
    c.note = "anders";
    CHECK_FALSE(changes_nothing(e, c));  // a new note is a change
    c.note.clear();
    c.held_on = *parse_date("2026-11-05");
    CHECK_FALSE(changes_nothing(e, c));  // another day is a change
    c = Change{};
    c.kind = ChangeKind::move;
    c.date = e.date;
    c.start = e.start;
    CHECK(changes_nothing(e, c));
    c.start = 10 * 60;
    CHECK_FALSE(changes_nothing(e, c));
    c.kind = ChangeKind::cancel;
    CHECK_FALSE(changes_nothing(e, c));
    e.status = EventStatus::cancelled;
    CHECK(changes_nothing(e, c));
}

TEST_CASE("held_on_error: inside the school year, not after today", "[unit][tracking]") {
    const LoadedSchool school = jk::testing::load_example();
    const Date today = *parse_date("2027-01-20");
    CHECK_FALSE(held_on_error(school.calendar, *parse_date("2026-11-04"), today));
    CHECK_FALSE(held_on_error(school.calendar, today, today));
    CHECK(held_on_error(school.calendar, *parse_date("0001-01-01"), today));
    CHECK(held_on_error(school.calendar, *parse_date("2027-01-21"), today));
    CHECK(held_on_error(school.calendar, *parse_date("2027-09-01"), today));
}

TEST_CASE("track: recurring meetings never become overdue, test sessions do until marked",
          "[unit][tracking]") {
    Year y;
    const Date end = d("2027-07-16");
    const auto all = overdue(y.plan, y.school, end);
    std::set<std::string> rules;
    int tests = 0;
    for (const auto& o : all) {
        rules.insert(o.event->rule);
        tests += o.event->kind == EventKind::test_session;
    }
    // The recurring overleg, teamvergadering and bouwoverleg are untracked by default.
    CHECK_FALSE(rules.count("teamvergadering"));
    CHECK_FALSE(rules.count("bouwoverleg"));
    CHECK_FALSE(rules.count("overleg-sl-ib"));
    // Fixed dates are tracked (the bestuursgesprek), and so is every test session.
    CHECK(rules.count("bestuursgesprek"));
    int sessions = 0;
    for (const Event& e : y.plan.events) sessions += e.kind == EventKind::test_session;
    CHECK(tests == sessions);
    CHECK(sessions > 0);
    // A session marked afgenomen is no longer overdue; the teacher who sat it may mark it.
    const Event* session = nullptr;
    for (const Event& e : y.plan.events)
        if (e.kind == EventKind::test_session) session = session ? session : &e;
    REQUIRE(session);
    REQUIRE_FALSE(session->attendees.empty());
    const auto open = open_for(y.plan, y.school, session->attendees.front(), end);
    CHECK(std::any_of(open.begin(), open.end(), [&](const Event* e) { return e == session; }));
    auto held =
        apply_change(y.plan, {session->uid, ChangeKind::done, std::nullopt, "", {}, 0}, "t");
    REQUIRE(held);
    CHECK(overdue(*held, y.school, end).size() == all.size() - 1);
    // `track = true` on a recurrence makes it count; `track = false` elsewhere frees it.
    auto src = jk::testing::read_source("calendars/voorbeeldschool/rules.toml");
    const std::string marker = "id = \"teamvergadering\"\n";
    REQUIRE(src.find(marker) != std::string::npos);
    src.insert(src.find(marker) + marker.size(), "track = true\n");
    const std::string other = "id = \"bestuursgesprek\"\n";
    src.insert(src.find(other) + other.size(), "track = false\n");
    auto tracked = jk::testing::load_inline(
        jk::testing::read_source("calendars/voorbeeldschool/school.toml"), src,
        jk::testing::read_source("calendars/voorbeeldschool/vrije-dagen.ics"));
    REQUIRE(tracked);
    CHECK(tracked->rules.rule("teamvergadering")->track);
    CHECK_FALSE(tracked->rules.rule("bestuursgesprek")->track);
    CHECK_FALSE(y.school.rules.rule("teamvergadering")->track);
}

TEST_CASE("category: from the rule file or derived from the rule's shape", "[unit][tracking]") {
    Year y;
    auto cat = [&](const char* rule) { return y.school.rules.rule(rule)->category; };
    CHECK(cat("klassenconsultatie") == Category::consultatie);  // during lessons
    CHECK(cat("nabespreking") == Category::consultatie);        // follows a consultation
    CHECK(cat("groepsbespreking") == Category::bespreking);
    CHECK(cat("groepsplan") == Category::taak);  // a deadline
    CHECK(cat("teamvergadering") == Category::vergadering);
    CHECK(cat("overleg-sl-ib") == Category::overleg);  // given in the file
    CHECK(cat("bestuursgesprek") == Category::overleg);
    for (const Event& e : y.plan.events)
        if (e.kind == EventKind::test_session)
            CHECK(category_of(e, y.school.rules) == Category::toets);
}

TEST_CASE("category derived for a rule without one fits what the rule is", "[unit][tracking]") {
    const std::string rules = R"TOML([[rule]]
id = "overleg-sl-ib"
title = "Overleg schoolleider en IB"
for_each = "school"
attendees = ["role:schoolleider", "role:ib"]
minutes = 60
recurrence = "FREQ=WEEKLY;BYDAY=MO"
time = "15:00"

[[rule]]
id = "team"
title = "Teamvergadering"
for_each = "school"
attendees = ["role:schoolleider"]
optional_attendees = ["all_staff"]
minutes = 60
recurrence = "FREQ=MONTHLY;BYDAY=1TU"
time = "15:00"

[[rule]]
id = "bestuur"
title = "Bestuursgesprek"
for_each = "school"
attendees = ["role:bestuurder", "role:schoolleider"]
minutes = 60
slot = "after_school"
count = 2

[[rule]]
id = "studiedagen"
title = "Studiemiddag"
for_each = "school"
attendees = ["all_staff"]
minutes = 120
dates = [2026-11-18]
time = "13:00"

[[rule]]
id = "coaching"
title = "Coaching {person}"
for_each = "role:ib"
attendees = []
minutes = 45
slot = "after_school"
count = 2
)TOML";
    std::string school = jk::testing::base_school_toml();
    school +=
        "\n[[person]]\nid = \"bea\"\nname = \"Bea Bestuur\"\nroles = [\"bestuurder\"]\n"
        "works = [\"ma\", \"di\", \"wo\", \"do\", \"vr\"]\n";
    auto r = jk::testing::load_inline(school, rules);
    INFO((r ? std::string() : jk::testing::diagnostics_text(r.error())));
    REQUIRE(r);
    auto cat = [&](const char* id) { return r->rules.rule(id)->category; };
    CHECK(cat("overleg-sl-ib") == Category::overleg);  // two named people, on set days
    CHECK(cat("team") == Category::vergadering);       // the whole team is asked
    CHECK(cat("studiedagen") == Category::vergadering);
    CHECK(cat("bestuur") == Category::overleg);  // with the bestuurder, whatever its timing
    CHECK(cat("coaching") == Category::bespreking);
}

TEST_CASE("the IB'er's overdue list: what she follows up; a meeting goes to its owner's list",
          "[unit][tracking]") {
    Year y;
    const Date today = d("2027-07-01");
    const auto all = overdue(y.plan, y.school, today);
    const auto ib = ib_overdue(all, y.school);
    REQUIRE(ib.size() < all.size());
    for (const auto& o : ib) {
        const Category c = category_of(*o.event, y.school.rules);
        INFO(o.event->title);
        CHECK((c != Category::vergadering && c != Category::overleg));
    }
    // Each item left off is a meeting someone else owns, and it is on that owner's list.
    int bestuur = 0;
    for (const auto& o : all) {
        if (ib_follows_up(*o.event, y.school)) continue;
        INFO(o.event->title);
        REQUIRE(o.event->owner);
        const Person* owner = y.school.school.person(*o.event->owner);
        REQUIRE(owner);
        CHECK_FALSE(owner->has_role("ib"));
        const auto theirs = open_for(y.plan, y.school, *o.event->owner, today);
        CHECK(std::find(theirs.begin(), theirs.end(), o.event) != theirs.end());
        bestuur += o.event->rule == "bestuursgesprek";
    }
    CHECK(bestuur == 3);  // 12 November, 18 March and 10 June
}

TEST_CASE("track_from: a school that starts mid-year has nothing overdue from before",
          "[unit][tracking]") {
    std::ifstream sf(std::string(JK_SOURCE_DIR) + "/calendars/voorbeeldschool/school.toml");
    std::ifstream rf(std::string(JK_SOURCE_DIR) + "/calendars/voorbeeldschool/rules.toml");
    std::stringstream school_text, rules_text;
    school_text << sf.rdbuf();
    rules_text << rf.rdbuf();
    std::string school = school_text.str();
    const auto at = school.find("school_year");
    REQUIRE(at != std::string::npos);
    school.insert(at, "track_from = 2027-01-11\n");
    // The example's extra closures file is not there inline: leave it out.
    const auto ec = school.find("extra_closures");
    school.erase(ec, school.find('\n', ec) - ec);
    auto r = jk::testing::load_inline(school, rules_text.str());
    INFO((r ? std::string() : jk::testing::diagnostics_text(r.error())));
    REQUIRE(r);
    CHECK(r->school.track_from == d("2027-01-11"));
    const Plan plan = jk::testing::plan_fixed(*r);
    const Date today = d("2027-03-01");
    const auto late = overdue(plan, *r, today);
    REQUIRE_FALSE(late.empty());  // what was due after 11 January still is
    for (const auto& o : late) CHECK(o.event->date >= d("2027-01-11"));
    for (const Event& e : plan.events)
        for (const auto& a : e.attendees)
            for (const Event* open : open_for(plan, *r, a, today))
                CHECK(open->date >= d("2027-01-11"));
    const SchoolFigures f = school_figures(plan, *r, today);
    CHECK(f.expected_by_now == f.held_by_now + f.overdue);
    // Without track_from, the autumn is overdue too.
    Year y;
    CHECK(overdue(y.plan, y.school, today).size() > late.size());
    // Outside the school year: refused, with the place and what to do.
    std::string bad = school;
    bad.replace(bad.find("track_from = 2027-01-11"), 23, "track_from = 2025-01-11");
    auto refused = jk::testing::load_inline(bad, rules_text.str());
    REQUIRE_FALSE(refused);
    CHECK_THAT(jk::testing::diagnostics_text(refused.error()),
               Catch::Contains("school.toml:") &&
                   Catch::Contains("track_from (2025-01-11) ligt buiten het schooljaar"));
}

TEST_CASE("school figures: one computation, consistent with the views it summarises",
          "[unit][tracking]") {
    Year y;
    const Date today = d("2027-03-01");
    const SchoolFigures f = school_figures(y.plan, y.school, today);
    CHECK(f.overdue == static_cast<int>(overdue(y.plan, y.school, today).size()));
    int by = 0;
    for (int n : f.overdue_by_category) by += n;
    CHECK(by == f.overdue);
    // "Other" is the taken, vergaderingen and overleggen, counted here from the overdue list:
    // by 1 March, with nothing recorded, the example has some of each kind overdue.
    int other = 0;
    for (const auto& o : overdue(y.plan, y.school, today)) {
        const Category c = category_of(*o.event, y.school.rules);
        other += c == Category::taak || c == Category::vergadering || c == Category::overleg;
    }
    CHECK(other > 0);
    CHECK(f.overdue_other() == other);
    CHECK(f.overdue_of(Category::consultatie) > 0);
    CHECK(f.overdue_of(Category::toets) > 0);
    CHECK(f.expected_by_now == f.held_by_now + f.overdue);
    CHECK(f.held_by_now == 0);
    // Per category: the same overdue, and every tracked event in exactly one column.
    int held = 0, late = 0, tracked = 0, counted = 0;
    for (size_t c = 0; c < f.by_category.size(); ++c) {
        const auto& t = f.by_category[c];
        CHECK(t.overdue == f.overdue_by_category[c]);
        held += t.held, late += t.overdue, counted += t.held + t.overdue + t.ahead + t.cancelled;
    }
    for (const Event& e : y.plan.events) tracked += is_tracked(e, y.school.rules);
    CHECK(held == f.held_by_now);
    CHECK(late == f.overdue);
    CHECK(counted == tracked);
    CHECK(f.by_category[static_cast<size_t>(Category::consultatie)].ahead > 0);
    CHECK(f.consultations.required > 0);
    CHECK(f.consultations.required <= f.counted.required);
    // Nothing due before the first deadline: said as such, not "0 van 0 (–)".
    const SchoolFigures start = school_figures(y.plan, y.school, y.school.calendar.first_day());
    CHECK(start.cycle_due == 0);
    CHECK(share_nl(start.cycle_on_time, start.cycle_due) == "nog niets te beoordelen");
    CHECK(share_nl(3, 4) == "3 van 4 (75%)");
}
