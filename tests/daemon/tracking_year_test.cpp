// A whole school year through the daemon's clock, on the example school, a second school that
// lists the same IB'er and bestuurder (by address), and a generated school: what becomes
// overdue and when, the overdue lists per person and day, one digest per address and week, and
// the same figures in the API, on the pages and in the digests on every Monday. Real services,
// SQLite store, mailer (log transport) and routes; no sockets.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "daemon/http/http_date.hpp"
#include "daemon/mail/mailer.hpp"
#include "daemon/web/html.hpp"
#include "daemon_fixture.hpp"
#include "jaarkalender/mail.hpp"
#include "jaarkalender/plan_json.hpp"
#include "jaarkalender/tracking.hpp"
#include "random_school.hpp"

using namespace jk;
using namespace jk::daemon;
using namespace jk::daemon::testing;
using std::chrono::days;

namespace {

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

/// The text between `start` and the next `end` after it ("" when `start` is absent).
std::string section(const std::string& text, const std::string& start, const std::string& end) {
    const auto a = text.find(start);
    if (a == std::string::npos) return {};
    const auto b = text.find(end, a + start.size());
    return text.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

/// A generated school of the example's size in the same school year.
jk::testing::RandomSchoolFiles generated_school(std::string& id) {
    for (std::uint64_t seed = 1;; ++seed) {
        auto files = jk::testing::random_school(seed, {true});
        if (files.school_toml.find("school_year = \"2026-2027\"") == std::string::npos) continue;
        id = "school-" + std::to_string(seed);
        return files;
    }
}

int json_int(const json::value& v, std::initializer_list<const char*> path) {
    const json::value* at = &v;
    for (const char* k : path) at = &at->as_object().at(k);
    return static_cast<int>(at->as_int64());
}

}  // namespace

TEST_CASE(
    "a school year through the clock: overdue only what is tracked, one list per person "
    "and day, one digest per address and week, the same figures everywhere",
    "[io][year]") {
    Daemon d("year");
    // A second school that lists the example's IB'er and bestuurder by the same addresses.
    const fs::path example = d.dir / "calendars/voorbeeldschool";
    std::ifstream in(example / "school.toml", std::ios::binary);
    std::string school_toml((std::istreambuf_iterator<char>(in)), {});
    school_toml = replace_all(school_toml, "id = \"voorbeeldschool\"", "id = \"tweede\"");
    school_toml = replace_all(school_toml, "Basisschool De Voorbeeld", "Basisschool Het Tweede");
    fs::copy(example, d.dir / "calendars/tweede", fs::copy_options::recursive);
    write(d.dir / "calendars/tweede/school.toml", school_toml);
    std::string generated;
    const auto files = generated_school(generated);
    write(d.dir / "calendars" / generated / "school.toml", files.school_toml);
    write(d.dir / "calendars" / generated / "rules.toml", files.rules_toml);
    d.schools().reload();
    d.services->set_write_limit(1e9, 1e9);
    const std::vector<std::string> schools = {"voorbeeldschool", "tweede", generated};
    for (const auto& id : schools) REQUIRE(d.schools().snapshot()->schools.at(id)->plan);

    MailConfig config;
    config.mode = MailConfig::Mode::log;
    config.folder = d.dir / "mail";
    config.max_per_second = 1e6;
    Mailer mailer(
        d.schools(), *d.store, *d.store, [config] { return make_transport(config); }, config,
        "https://jk.example");

    const LoadedSchool& ex = *d.schools().snapshot()->schools.at("voorbeeldschool")->school;
    const Date first = ex.calendar.first_day();
    const Date last = ex.calendar.last_day();
    const Minute scan_at = ex.school.mail.send_hour * 60 + 5;
    d.clock.t = local_to_epoch(first - days{1}, 20 * 60);
    mailer.scan(d.clock.t);  // the cursor

    int mondays = 0, marked = 0, owner_lists = 0;
    std::vector<std::string> measured;
    for (Date day = first; day <= last + days{7}; day += days{1}) {
        d.clock.t = local_to_epoch(day, scan_at - 10);
        // Yesterday's tracked events: the person asked marks three of every four (the fourth
        // is forgotten for good), in the example school and the generated one.
        for (const std::string& id : {std::string("voorbeeldschool"), generated}) {
            auto snap = d.schools().snapshot()->schools.at(id);
            std::vector<std::pair<std::string, std::string>> todo;
            for (const auto held = snap->plan.load(); const Event& e : held->events)
                if (e.date == day - days{1} && is_tracked(e, snap->school->rules) &&
                    e.status == EventStatus::planned && !responsible(e).empty() &&
                    std::hash<std::string>{}(e.uid) % 4 != 0)
                    todo.emplace_back(e.uid, responsible(e).front());
            for (const auto& [uid, who] : todo) {
                Change c;
                c.uid = uid;
                c.kind = ChangeKind::done;
                const auto r = d.services->tracking.change(id, who, c, false, false);
                CHECK(r.outcome == EventChangeResult::Outcome::applied);
                ++marked;
            }
        }
        d.clock.t = local_to_epoch(day, scan_at);
        mailer.scan(d.clock.t);

        auto snap = d.schools().snapshot();
        const SchoolSnapshot& vs = *snap->schools.at("voorbeeldschool");
        if (std::chrono::year_month_day{day}.day() == std::chrono::day{1} || day == first) {
            // The IB'er's overdue count: everything past and not ticked (as before `track`)
            // against what is tracked and open now.
            int before = 0;
            for (const auto held = vs.plan.load(); const Event& e : held->events)
                if (e.kind != EventKind::test_period &&
                    (e.status == EventStatus::planned || e.status == EventStatus::moved) &&
                    grace_day(e, vs.school->calendar) < day)
                    ++before;
            const int after = static_cast<int>(overdue(*vs.plan.load(), *vs.school, day).size());
            CHECK(after <= before);
            measured.push_back(format_date(day) + ": " + std::to_string(before) + " -> " +
                               std::to_string(after));
        }
        if (weekday_index(day) != 0 || !is_send_day(ex, day)) continue;
        ++mondays;
        d.sessions.clear();  // signed in afresh each Monday (a session lasts 30 days)
        // The same figures in the API, on the pages and in the digest of this Monday.
        const std::string board_page = d.page("fatima", "/bestuur").body;
        std::string digest;
        for (const auto& id : schools)  // queued by whichever school's scan came first
            for (const auto& m : d.store->outbox(id, std::nullopt, 100000))
                if (m.kind == OutboxKind::digest && m.person == "fatima" &&
                    epoch_to_local(m.due_at).first == day)
                    digest = decoded(m.message);
        REQUIRE_FALSE(digest.empty());
        for (const auto& id : schools) {
            const SchoolSnapshot& ss = *snap->schools.at(id);
            const SchoolFigures f = school_figures(*ss.plan.load(), *ss.school, day);
            const json::value api = d.get("fatima", "/api/v1/schools/" + id + "/figures");
            INFO(id << " on " << format_date(day));
            CHECK(json_int(api, {"overdue"}) == f.overdue);
            CHECK(json_int(api, {"cycle", "on_time"}) == f.cycle_on_time);
            CHECK(json_int(api, {"cycle", "due"}) == f.cycle_due);
            CHECK(json_int(api, {"consultations", "held"}) == f.consultations.held);
            CHECK(json_int(api, {"expected_by_now"}) == f.expected_by_now);
            CHECK(json_int(api, {"overdue_by_category", "toets"}) == f.overdue_of(Category::toets));
            const std::string row = section(board_page, html_escape(ss.name), "</tr>");
            REQUIRE_FALSE(row.empty());
            CHECK(row.find("<td>" + html_escape(share_nl(f.cycle_on_time, f.cycle_due)) +
                           "</td>") != std::string::npos);
            CHECK(row.find("<td>" + html_escape(share_nl(f.held_by_now, f.expected_by_now)) +
                           "</td>") != std::string::npos);
            CHECK(row.find("<td>" + std::to_string(f.consultations.held) + " van " +
                           std::to_string(f.consultations.required) + "</td>") !=
                  std::string::npos);
            CHECK(row.find("<td>" + std::to_string(f.overdue) + "</td>") != std::string::npos);
            // Also the generated school, which does not list the bestuurder: the digest names
            // every school the bestuur's page shows.
            const std::string part = section(digest, ss.name + "\n", "Niet in te plannen");
            REQUIRE_FALSE(part.empty());
            CHECK(part.find("Cyclus op tijd: " + share_nl(f.cycle_on_time, f.cycle_due)) !=
                  std::string::npos);
            CHECK(part.find("Achterstallig: " + std::to_string(f.overdue)) != std::string::npos);
            CHECK(part.find("verwacht werd: " + share_nl(f.held_by_now, f.expected_by_now)) !=
                  std::string::npos);
        }
        const SchoolFigures f = school_figures(*vs.plan.load(), *vs.school, day);
        const std::string lead = d.page("erik", "/schoolleider").body;
        CHECK(lead.find("cyclus op tijd " + html_escape(share_nl(f.cycle_on_time, f.cycle_due))) !=
              std::string::npos);
        CHECK(lead.find(std::to_string(f.overdue) + " achterstallig.") != std::string::npos);
        // The IB'er's list: what she follows up; the rest is on its owner's list, and counted.
        const auto vs_plan = vs.plan.load();  // held: the items point into it
        const auto ib_late = ib_overdue(overdue(*vs_plan, *vs.school, day), *vs.school);
        const std::string ib = d.page("anna", "/ib").body;
        CHECK(ib.find("Achterstallig (" + std::to_string(ib_late.size()) + ")") !=
              std::string::npos);
        const size_t others = static_cast<size_t>(f.overdue) - ib_late.size();
        if (others > 0)
            CHECK(ib.find(std::to_string(others) + " achterstallige vergadering") !=
                  std::string::npos);
        owner_lists += others > 0;
        // The school's tracked work per category, as the figures count it.
        const auto& cons = f.by_category[static_cast<size_t>(Category::consultatie)];
        CHECK(ib.find("<tr><th scope=\"row\">Consultaties</th><td>" + std::to_string(cons.held) +
                      "</td>") != std::string::npos);
    }
    CHECK(mondays >= 30);
    CHECK(marked > 200);
    CHECK(owner_lists > 0);

    // The outbox of the year.
    std::map<std::pair<std::string, std::string>, int> digests;  // (address, week) → count
    int lists = 0;
    for (const auto& id : schools) {
        const SchoolSnapshot& ss = *d.schools().snapshot()->schools.at(id);
        std::set<std::pair<std::string, Date>> per_day;
        std::map<std::string, int> told_new;
        for (const auto& m : d.store->outbox(id, std::nullopt, 1000000)) {
            const Date day = epoch_to_local(m.due_at).first;
            if (m.kind == OutboxKind::digest) {
                ++digests[{m.address, std::to_string(iso_week(day)) + "/" +
                                          std::to_string(static_cast<int>(
                                              std::chrono::year_month_day{day}.year()))}];
                continue;
            }
            if (m.kind != OutboxKind::overdue) continue;
            ++lists;
            INFO(id << " " << m.person << " " << format_date(day));
            // One list per person and send day; every item tracked and theirs.
            CHECK(per_day.insert({m.person, day}).second);
            std::istringstream uids(m.uid);
            for (std::string uid; uids >> uid;) {
                const auto plan = ss.plan.load();  // held: `e` points into it
                const Event* e = plan->find(uid);
                REQUIRE(e);
                CHECK(is_tracked(*e, ss.school->rules));
                const auto who = responsible(*e);
                CHECK(std::find(who.begin(), who.end(), m.person) != who.end());
                CHECK(grace_day(*e, ss.school->calendar) < day);
                // Marked only after the list went out: a marked event is never in a list.
                if (e->status == EventStatus::done)
                    CHECK(e->last_modified > format_utc_iso(m.due_at));
            }
            const std::string text = decoded(m.message);
            CHECK(text.find("Subject: Nog af te ronden in de jaarkalender") != std::string::npos);
            CHECK(text.find("achterstallig sinds ") != std::string::npos);
            CHECK(text.find("na de eerste melding") == std::string::npos);
            for (const char* untracked : {"Teamvergadering", "Bouwoverleg", "Overleg schoolleider"})
                CHECK(text.find(untracked) == std::string::npos);
        }
    }
    CHECK(lists > 20);
    for (const auto& [key, n] : digests) {
        INFO(key.first << " week " << key.second);
        CHECK(n == 1);
    }
    // anna and fatima are listed by two schools: still one digest a week each.
    int anna = 0;
    for (const auto& [key, n] : digests) anna += key.first == "anna.devries@voorbeeld.nl";
    CHECK(anna >= mondays);
    std::printf("year: %d Mondays compared, %d events marked, %d overdue lists\n", mondays, marked,
                lists);
    std::printf("IB'er's overdue count on the example school (before `track` -> now):\n");
    for (const auto& line : measured) std::printf("  %s\n", line.c_str());
}

TEST_CASE(
    "the IB'er marks everything of the school up to a date held, after a confirmation "
    "that lists it",
    "[io][year]") {
    Daemon d("holdall");
    d.services->set_write_limit(1e9, 1e9);
    d.clock.t = local_to_epoch(*parse_date("2026-11-02"), 10 * 60);
    const auto school = [&] { return d.schools().snapshot()->schools.at("voorbeeldschool"); };
    const Date until = *parse_date("2026-10-01");
    const auto open_plan = school()->plan.load();  // held: `open` points into it
    const auto open = open_until(*open_plan, *school()->school, until);
    REQUIRE(open.size() > 3);
    auto count = [](const std::string& text, const std::string& what) {
        size_t n = 0;
        for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
        return n;
    };
    // The form is on the IB page; the first POST only shows what would be marked.
    CHECK(d.page("anna", "/ib").body.find("name=\"wie\" value=\"school\"") != std::string::npos);
    const auto ask = d.page("anna", "/gehouden", "wie=school&tot=2026-10-01");
    REQUIRE(ask.status == 200);
    CHECK(ask.body.find("Alles t/m do 1 oktober gehouden?") != std::string::npos);
    CHECK(ask.body.find("van iedereen op school") != std::string::npos);
    CHECK(count(ask.body, "name=\"uid\"") == open.size());
    for (const Event* e : open) CHECK(ask.body.find(html_escape(e->title)) != std::string::npos);
    // Nothing changed yet; a teacher may not; a field that is no date is named.
    CHECK(open_until(*school()->plan.load(), *school()->school, until).size() == open.size());
    CHECK(d.page("bram", "/gehouden", "wie=school&tot=2026-10-01").status == 403);
    const auto bad = d.page("anna", "/gehouden", "wie=school&tot=gisteren");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("'tot en met'") != std::string::npos);
    // Confirmed with the listed events: exactly those are held, each on its own day.
    std::string form = "wie=school&tot=2026-10-01&bevestigd=ja";
    std::vector<std::string> uids;
    for (const Event* e : open) {
        uids.push_back(e->uid);
        form += "&uid=" + replace_all(e->uid, "@", "%40");
    }
    const Date later = open.back()->date;
    const size_t open_later =
        open_until(*school()->plan.load(), *school()->school, *parse_date("2026-10-30")).size();
    const auto done = d.page("anna", "/gehouden", form);
    CHECK(done.status == 303);
    CHECK(open_until(*school()->plan.load(), *school()->school, until).empty());
    for (const auto& uid : uids) {
        const auto plan = school()->plan.load();  // held: `e` points into it
        const Event* e = plan->find(uid);
        REQUIRE(e);
        CHECK(e->status == EventStatus::done);
    }
    CHECK(open_until(*school()->plan.load(), *school()->school, *parse_date("2026-10-30")).size() ==
          open_later - open.size());
    CHECK(later <= until);
    // A date in the future is today: nothing planned after today is marked.
    const auto future = d.page("erik", "/gehouden", "wie=school&tot=2027-05-01");
    REQUIRE(future.status == 200);
    CHECK(future.body.find("Alles t/m ma 2 november gehouden?") != std::string::npos);
}

TEST_CASE("'De komende vier weken' names the studiedagen and closed days among one's events",
          "[io][year]") {
    Daemon d("fourweeks");
    d.clock.t = local_to_epoch(*parse_date("2026-09-28"), 8 * 60);
    const std::string home = d.page("bram", "/").body;
    const std::string weeks = home.substr(home.find("De komende vier weken"));
    // The example's studiedag of 5 October and the herfstvakantie from 17 October (midden).
    const auto studiedag = weeks.find("Studiedag: rekenonderwijs</td><td>studiedag, geen les");
    CHECK(studiedag != std::string::npos);
    CHECK(weeks.find("ma 5 oktober</td><td>Studiedag") != std::string::npos);
    const auto herfst = weeks.find("Herfstvakantie</td><td>vakantie");
    CHECK(herfst != std::string::npos);
    CHECK(studiedag < herfst);  // in the order of the days
    CHECK(weeks.find("za 17 oktober t/m zo 25 oktober") != std::string::npos);
}

TEST_CASE("the schoolleider's trend shows each past year's cycle, the same on every view",
          "[io][tracking]") {
    Daemon d("trend");
    const SchoolSnapshot& snap = *d.schools().snapshot()->schools.at("voorbeeldschool");
    // A year before this one: this year's plan and input stored as 2025-2026, everything held.
    Plan past = *snap.plan.load();
    for (Event& e : past.events)
        if (e.status == EventStatus::planned) e.status = EventStatus::done;
    const std::string sources = d.store->plan_sources("voorbeeldschool").value_or("");
    REQUIRE_FALSE(sources.empty());
    d.store->save_plan({0, "voorbeeldschool", "2025-2026", "2026-07-10T12:00:00Z",
                        plan_to_json(past), sources, 0});
    int on = 0, due = 0;
    for (const auto& pt : timeliness(past, *snap.school, snap.school->calendar.last_day()))
        on += pt.on_time, due += pt.due;
    REQUIRE(due > 0);
    const std::string row =
        "<tr><td>2025-2026</td><td>" + html_escape(share_nl(on, due)) + "</td></tr>";
    const auto first = d.page("erik", "/schoolleider");
    REQUIRE(first.status == 200);
    CHECK(first.body.find(row) != std::string::npos);
    const SchoolFigures now =
        school_figures(*snap.plan.load(), *snap.school, local_date(d.clock.t));
    CHECK(first.body.find("<tr><td>2026-2027</td><td>" +
                          html_escape(share_nl(now.cycle_on_time, now.cycle_due)) + "</td></tr>") !=
          std::string::npos);
    CHECK(first.body.find("<tr><td>2025-2026</td>") < first.body.find("<tr><td>2026-2027</td>"));
    // The second view takes the kept figure: the same row.
    CHECK(d.page("erik", "/schoolleider").body.find(row) != std::string::npos);
}
