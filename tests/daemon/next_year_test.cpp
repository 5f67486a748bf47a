// Next school year in the daemon (issue "Next school year"; docs/input.md): the draft year stored
// beside the current one, edited with the change kinds through `school_year`, seen by the leads
// only; published, after which every subscribed feed holds it after the current year.
#include <catch2/catch.hpp>

#include "daemon/web/context.hpp"
#include "daemon_fixture.hpp"
#include "jaarkalender/formatie.hpp"

using namespace jk;
using namespace jk::daemon;
using namespace jk::daemon::testing;

namespace {

const std::string kSchool = "/api/v1/schools/voorbeeldschool";

const SchoolSnapshot& current(Daemon& d) {
    return *d.schools().snapshot()->schools.at("voorbeeldschool");
}

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
    return n;
}

/// The years the school list gives `who` for the example school: year → state.
std::map<std::string, std::string> years_of(Daemon& d, const std::string& who) {
    std::map<std::string, std::string> out;
    const json::value list = d.get(who, "/api/v1/schools");
    for (const auto& s : list.as_array())
        if (s.at("id").as_string() == "voorbeeldschool")
            for (const auto& y : s.at("years").as_array())
                out[std::string(y.at("school_year").as_string())] =
                    std::string(y.at("state").as_string());
    return out;
}

}  // namespace

TEST_CASE("next year: a draft beside the current year, changed, published into the feeds",
          "[io][next_year][api]") {
    Daemon d("next-year");
    const auto version = current(d).input_version;
    const std::string bram_feed = *current(d).feeds->get("person/bram.ics")->body;
    CHECK(bram_feed.find("2027-2028") == std::string::npos);

    // The draft: stored, with its to-dos; the current year is as it was.
    auto r = d.call("erik", "POST", kSchool + "/years", R"({"school_year": "2027-2028"})");
    INFO(r.body);
    REQUIRE(r.status == 201);
    auto draft = json::parse(r.body).as_object();
    CHECK(draft.at("state").as_string() == "draft");
    CHECK(draft.at("open_todos").to_number<int>() > 0);
    CHECK(draft.at("counts").at("planned").to_number<int>() > 200);
    CHECK(current(d).input_version == version);
    CHECK(current(d).school_year == "2026-2027");
    CHECK(d.call("erik", "POST", kSchool + "/years", R"({"school_year": "2027-2028"})").status ==
          409);
    // Staff see nothing of it; the leads and the board do.
    CHECK(years_of(d, "erik") ==
          std::map<std::string, std::string>{{"2026-2027", "current"}, {"2027-2028", "draft"}});
    CHECK(years_of(d, "bram") == std::map<std::string, std::string>{{"2026-2027", "current"}});
    CHECK(d.call("bram", "GET", kSchool + "/events?school_year=2027-2028").status == 404);
    CHECK(d.call("bram", "GET", kSchool + "/input?school_year=2027-2028").status != 200);
    CHECK(*current(d).feeds->get("person/bram.ics")->body == bram_feed);

    // Its input and events, by year.
    auto input = d.get("erik", kSchool + "/input?school_year=2027-2028");
    CHECK(input.at("school").at("school_year").as_string() == "2027-2028");
    const json::value all = d.get("erik", kSchool + "/events?school_year=2027-2028");
    const json::array& events = all.as_array();
    CHECK(events.size() > 200);
    CHECK(std::string(events.front().at("start").as_string()) >= "2027-08-30");
    CHECK(d.call("erik", "GET", kSchool + "/input?school_year=2030-2031").status == 404);

    // A to-do filled in: the bestuursgesprek gets its dates and is switched on, in the draft only.
    const std::string rule =
        R"({"kind": "rule", "patch": true, "school_year": "2027-2028", "rule": {"id":
        "bestuursgesprek", "active": null, "dates": ["2027-11-11", "2028-03-16", "2028-06-08"]}})";
    auto change = d.call("erik", "POST", kSchool + "/changes", rule);
    INFO(change.body);
    REQUIRE(change.status == 201);
    CHECK(current(d).input_version == version);
    auto planned = d.get("erik", kSchool + "/events?school_year=2027-2028&rule=bestuursgesprek");
    REQUIRE(planned.as_array().size() == 3);
    CHECK(std::string(planned.as_array()[0].at("start").as_string()).rfind("2027-11-11", 0) == 0);
    // The current year's bestuursgesprek is as it was.
    for (const auto held = current(d).plan.load(); const Event& e : held->events)
        if (e.rule == "bestuursgesprek") CHECK(e.date < *parse_date("2027-08-01"));
    // The draft's history, and an undo of the change in it.
    const json::value history = d.get("erik", kSchool + "/changes?school_year=2027-2028");
    REQUIRE(history.as_array().size() == 2);
    const long long change_version = json::parse(change.body).at("version").to_number<long long>();
    auto undo =
        d.call("erik", "POST", kSchool + "/changes/" + std::to_string(change_version) + "/undo",
               R"({"school_year": "2027-2028", "preview": true})");
    CHECK(undo.status == 200);
    // The current year's history does not hold the draft's versions.
    const json::value now = d.get("erik", kSchool + "/changes");
    for (const auto& h : now.as_array()) CHECK(h.at("id").to_number<long long>() != change_version);

    // Published: staff see it; Bram's feed (the same subscription) holds the new year after this
    // one, and his September consultations.
    auto published = d.call("erik", "POST", kSchool + "/years/2027-2028/publish");
    INFO(published.body);
    REQUIRE(published.status == 200);
    CHECK(json::parse(published.body).at("state").as_string() == "published");
    CHECK(years_of(d, "bram") ==
          std::map<std::string, std::string>{{"2026-2027", "current"}, {"2027-2028", "published"}});
    const std::string feed = *current(d).feeds->get("person/bram.ics")->body;
    CHECK(feed != bram_feed);
    CHECK(count(feed, "BEGIN:VCALENDAR") == 1);
    CHECK(feed.find(":202709") != std::string::npos);
    // The parents' jaarrooster shows the new year beside this one, in the page and the feed.
    auto rooster = d.call("", "GET", "/scholen/voorbeeldschool/jaarrooster");
    CHECK(rooster.status == 200);
    CHECK(rooster.body.find("Schooljaar 2026-2027") != std::string::npos);
    CHECK(rooster.body.find("Schooljaar 2027-2028") != std::string::npos);
    CHECK(rooster.body.find("ma 30 aug 2027") != std::string::npos);
    CHECK(current(d).feeds->get("jaarrooster.ics")->body->find("20270830") != std::string::npos);
    CHECK(count(feed, "BEGIN:VEVENT") > count(bram_feed, "BEGIN:VEVENT"));
    bool september = false;
    const json::value his = d.get("bram", kSchool + "/events?school_year=2027-2028&person=bram");
    for (const auto& e : his.as_array())
        september |= std::string(e.at("start").as_string()).rfind("2027-09", 0) == 0;
    CHECK(september);

    // A change of the published year is re-planned against what staff have seen, and the feeds
    // follow it.
    const std::string etag = current(d).feeds->get("person/bram.ics")->etag;
    auto later = d.call("erik", "POST", kSchool + "/changes",
                        R"({"kind": "rule", "patch": true, "school_year": "2027-2028", "rule":
                        {"id": "bestuursgesprek", "dates": ["2027-11-18", "2028-03-16",
                        "2028-06-08"]}})");
    INFO(later.body);
    REQUIRE(later.status == 201);
    auto moved = d.get("erik", kSchool + "/events?school_year=2027-2028&rule=bestuursgesprek");
    CHECK(std::string(moved.as_array()[0].at("start").as_string()).rfind("2027-11-18", 0) == 0);
    CHECK(current(d).feeds->get("person/bram.ics")->etag == etag);  // not Bram's appointment
    CHECK(current(d).feeds->get("person/erik.ics")->body->find("20271118") != std::string::npos);

    // A restart serves the same: the published plan and its feeds come from the store.
    daemon::Services again(d.dir / "calendars", *d.store, d.clock);
    again.schools.reload();
    const auto& snap = *again.schools.snapshot()->schools.at("voorbeeldschool");
    CHECK(*snap.feeds->get("person/erik.ics")->body ==
          *current(d).feeds->get("person/erik.ics")->body);
}

TEST_CASE(
    "next year in the pages: the draft saved, a to-do ticked off, its set-up changed, "
    "published",
    "[io][next_year][web]") {
    Daemon d("next-year-pages");
    const auto version = current(d).input_version;
    auto proposal = d.page("erik", "/inrichting/volgend-jaar");
    REQUIRE(proposal.status == 200);
    CHECK(proposal.body.find("Concept bewaren") != std::string::npos);

    // Saved as a draft: the page is the draft's, with its to-dos and the publish button.
    CHECK(d.page("erik", "/inrichting/volgend-jaar", "actie=bewaar").status == 303);
    auto draft = d.page("erik", "/inrichting/volgend-jaar");
    INFO(draft.body);
    CHECK(draft.body.find("Volgend schooljaar 2027-2028: concept") != std::string::npos);
    CHECK(draft.body.find("Publiceren") != std::string::npos);
    CHECK(draft.body.find("Datum nog invullen: Bestuursgesprek") != std::string::npos);
    CHECK(draft.body.find("<s>") == std::string::npos);
    // A to-do ticked off.
    CHECK(d.page("erik", "/inrichting/volgend-jaar", "actie=todo&todo=0&gedaan=1").status == 303);
    CHECK(d.page("erik", "/inrichting/volgend-jaar").body.find("(gedaan)") != std::string::npos);
    CHECK(d.page("erik", "/inrichting/volgend-jaar", "actie=todo&todo=99&gedaan=1").status == 404);

    // Its set-up, with the year switch; the forms change the draft, not this year.
    auto setup = d.page("erik", "/inrichting?jaar=2027-2028");
    INFO(setup.body.substr(0, 3000));
    REQUIRE(setup.status == 200);
    CHECK(setup.body.find("2027-2028 (concept)") != std::string::npos);
    CHECK(setup.body.find("/wijzigingen/nieuw/dicht?jaar=2027-2028") != std::string::npos);
    CHECK(setup.body.find("/wijzigingen/nieuw/regel?rule.id=bestuursgesprek&amp;jaar=2027-2028") !=
          std::string::npos);
    auto form = d.page("erik", "/wijzigingen/nieuw/dicht?jaar=2027-2028");
    CHECK(form.body.find("action=\"/wijzigingen/nieuw/dicht?jaar=2027-2028\"") !=
          std::string::npos);
    CHECK(form.body.find("voor het schooljaar 2027-2028") != std::string::npos);
    const std::string studiedag =
        "closure_kind=studiedag&name=Studiedag+rekenen&from=2027-10-04&note=";
    auto preview =
        d.page("erik", "/wijzigingen/nieuw/dicht?jaar=2027-2028", studiedag + "&actie=bekijk");
    INFO(preview.body);
    CHECK(preview.status == 200);
    auto saved =
        d.page("erik", "/wijzigingen/nieuw/dicht?jaar=2027-2028", studiedag + "&actie=opslaan");
    INFO(saved.body);
    CHECK(saved.status == 303);
    CHECK(d.page("erik", "/inrichting?jaar=2027-2028").body.find("Studiedag rekenen") !=
          std::string::npos);
    CHECK(d.page("erik", "/inrichting").body.find("Studiedag rekenen") == std::string::npos);
    CHECK(current(d).input_version == version);
    // The formatie of the draft, from its own template, saved into the draft only.
    auto upload = d.page("erik", "/wijzigingen/formatie?jaar=2027-2028");
    CHECK(upload.body.find("action=\"/wijzigingen/formatie?jaar=2027-2028\"") != std::string::npos);
    CHECK(upload.body.find("voor het schooljaar 2027-2028") != std::string::npos);
    auto tpl = d.page("erik", "/wijzigingen/formatie.csv?jaar=2027-2028");
    REQUIRE(tpl.status == 200);
    Formatie f = read_formatie(read_csv(tpl.body + "Sanne Dekker;s.dekker@voorbeeld.nl;;ma, di, "
                                                   "wo, do, vr;Groep 3b;\r\n"));
    REQUIRE(f.errors.empty());
    auto formatie_saved = d.page("erik", "/wijzigingen/formatie?jaar=2027-2028",
                                 "actie=opslaan&rows=" + url_encode(formatie_rows_json(f.rows)));
    INFO(formatie_saved.body);
    CHECK(formatie_saved.status == 303);
    CHECK(d.page("erik", "/inrichting?jaar=2027-2028").body.find("Sanne Dekker") !=
          std::string::npos);
    CHECK(!current(d).school->school.person("sanne"));
    // A teacher sees nothing of the draft; a year there is not is said so.
    CHECK(d.page("bram", "/inrichting/volgend-jaar").status == 403);
    CHECK(d.page("erik", "/inrichting?jaar=2031-2032").status == 404);
    CHECK(d.page("erik", "/wijzigingen/nieuw/dicht?jaar=2031-2032").status == 404);

    // Published.
    CHECK(d.page("erik", "/inrichting/volgend-jaar", "actie=publiceer").status == 303);
    auto published = d.page("erik", "/inrichting/volgend-jaar?gepubliceerd=1");
    CHECK(published.body.find("Volgend schooljaar 2027-2028: gepubliceerd") != std::string::npos);
    CHECK(published.body.find("is gepubliceerd") != std::string::npos);
    CHECK(published.body.find("Gepubliceerd op zo 22 november 2026.") != std::string::npos);
    CHECK(current(d).feeds->get("school.ics")->body->find("Studiedag rekenen") !=
          std::string::npos);
}

TEST_CASE("next year on the board: not started, a draft with its to-dos, published",
          "[io][next_year][web]") {
    Daemon d("next-year-board");
    auto board = [&] { return d.page("fatima", "/bestuur").body; };
    CHECK(board().find("nog niet begonnen") != std::string::npos);
    REQUIRE(d.call("erik", "POST", kSchool + "/years", "{}").status == 201);
    const std::string draft = board();
    CHECK(draft.find("concept, ") != std::string::npos);
    CHECK(draft.find("nog te doen") != std::string::npos);
    CHECK(draft.find("/inrichting?school=voorbeeldschool&amp;jaar=2027-2028") != std::string::npos);
    // The bestuurder reads the draft's set-up, without links to change it.
    auto setup = d.page("fatima", "/inrichting?school=voorbeeldschool&jaar=2027-2028");
    CHECK(setup.status == 200);
    CHECK(setup.body.find("/wijzigingen/nieuw/") == std::string::npos);
    REQUIRE(d.call("erik", "POST", kSchool + "/years/2027-2028/publish").status == 200);
    CHECK(board().find("gepubliceerd") != std::string::npos);
}

TEST_CASE("next year through the daemon's clock: made in May, published in June, current in July",
          "[io][next_year][year]") {
    Daemon d("next-year-clock");
    const std::string old_year = "2026-2027", new_year = "2027-2028";
    const std::string formatie = kSchool + "/formatie";

    // May: the proposal becomes the draft; the new formatie is read into it.
    d.clock.set("2027-05-10");
    REQUIRE(d.call("erik", "POST", kSchool + "/years", R"({"school_year": "2027-2028"})").status ==
            201);
    const auto tpl = d.call("anna", "GET", formatie);
    REQUIRE(tpl.status == 200);
    const std::string sheet =
        tpl.body + "Sanne Dekker;s.dekker@voorbeeld.nl;;ma, di, wo, do, vr;Groep 3b;\r\n";
    auto imported = d.call("anna", "POST", formatie + "?school_year=2027-2028", sheet, "text/csv");
    INFO(imported.body);
    REQUIRE(imported.status == 201);
    CHECK(!current(d).school->school.person("sanne"));
    CHECK(d.get("anna", kSchool + "/input?school_year=2027-2028").at("person").as_array().size() ==
          current(d).school->school.persons.size() + 1);
    // Two to-dos filled in: the bestuursgesprek's dates, and a studiedag; both ticked off.
    REQUIRE(d.call("erik", "POST", kSchool + "/changes",
                   R"({"kind": "rule", "patch": true, "school_year": "2027-2028", "rule": {"id":
                   "bestuursgesprek", "active": null, "dates": ["2027-11-11", "2028-03-16",
                   "2028-06-08"]}})")
                .status == 201);
    REQUIRE(d.call("erik", "POST", kSchool + "/changes",
                   R"({"kind": "closure", "school_year": "2027-2028", "name":
                   "Studiedag rekenen", "closure_kind": "studiedag", "from": "2027-10-04"})")
                .status == 201);
    auto year = d.get("erik", kSchool + "/years/2027-2028");
    const auto& todo = year.at("todo").as_array();
    for (std::size_t i = 0; i < todo.size(); ++i) {
        const std::string text(todo[i].at("text").as_string());
        if (text.rfind("Datum nog invullen: Bestuursgesprek", 0) == 0 ||
            text.rfind("Studiedagen", 0) == 0)
            CHECK(d.page("erik", "/inrichting/volgend-jaar",
                         "actie=todo&todo=" + std::to_string(i) + "&gedaan=1")
                      .status == 303);
    }
    CHECK(d.get("erik", kSchool + "/years/2027-2028").at("open_todos").to_number<int>() ==
          static_cast<int>(todo.size()) - 2);

    // June: published. Bram's feed (the link he subscribed to in September) holds his first
    // consultation of the new year.
    d.clock.set("2027-06-14");
    REQUIRE(d.call("erik", "POST", kSchool + "/years/2027-2028/publish").status == 200);
    const json::value his = d.get(
        "erik", kSchool + "/events?school_year=2027-2028&rule=klassenconsultatie&subject=bram");
    REQUIRE(!his.as_array().empty());
    const std::string first_new(his.as_array()[0].at("uid").as_string());
    const std::string feed = *current(d).feeds->get("person/bram.ics")->body;
    CHECK(feed.find("UID:" + first_new) != std::string::npos);
    std::string old_uid;
    for (const auto held = current(d).plan.load(); const Event& e : held->events)
        if (e.rule == "klassenconsultatie" && e.subject == std::optional<std::string>("bram"))
            old_uid = e.uid;
    REQUIRE(!old_uid.empty());
    CHECK(feed.find("UID:" + old_uid) != std::string::npos);
    // Overdue of the old year, on its last day.
    const Date last = current(d).school->school.last_day;
    d.clock.set(format_date(last).c_str());
    d.services->years.tick();
    CHECK(current(d).school_year == old_year);
    CHECK(!d.get("anna", kSchool + "/overdue").as_array().empty());

    // The switch: the day after the last day, the new year is current.
    d.clock.set(format_date(last + std::chrono::days{1}).c_str());
    d.services->years.tick();
    CHECK(current(d).school_year == new_year);
    CHECK(current(d).school->school.person("sanne"));
    CHECK(d.get("anna", kSchool + "/overdue").as_array().empty());
    CHECK(years_of(d, "bram") ==
          std::map<std::string, std::string>{{"2026-2027", "past"}, {"2027-2028", "current"}});
    // The year that ended is not a year to publish again (nobody is mailed about it).
    CHECK(d.call("erik", "POST", kSchool + "/years/2026-2027/publish").status == 404);
    // The same events as published: the plan staff saw goes on.
    CHECK(current(d).plan.load()->find(first_new));
    // In the summer the feeds still hold the year that ended.
    const std::string summer = *current(d).feeds->get("person/bram.ics")->body;
    CHECK(summer.find("UID:" + first_new) != std::string::npos);
    CHECK(summer.find("UID:" + old_uid) != std::string::npos);

    // A late mark of an old-year event counts in the old year's figures.
    const auto held_before = d.get("anna", kSchool + "/figures?school_year=2026-2027")
                                 .at("consultations")
                                 .at("held")
                                 .to_number<int>();
    auto late = d.call("anna", "POST", kSchool + "/events/" + old_uid + "/done");
    INFO(late.body);
    CHECK(late.status == 200);
    CHECK(d.get("anna", kSchool + "/figures?school_year=2026-2027")
              .at("consultations")
              .at("held")
              .to_number<int>() == held_before + 1);
    // The jaarplanning of both years, with a year switch; its downloads are of the year shown.
    auto plan_now = d.page("anna", "/jaarplanning");
    CHECK(plan_now.body.find("Jaarplanning 2027-2028") != std::string::npos);
    CHECK(plan_now.body.find("href=\"/jaarplanning?jaar=2026-2027\"") != std::string::npos);
    auto plan_old = d.page("anna", "/jaarplanning?jaar=2026-2027");
    CHECK(plan_old.status == 200);
    CHECK(plan_old.body.find("Jaarplanning 2026-2027") != std::string::npos);
    CHECK(plan_old.body.find("/jaarplanning.csv?jaar=2026-2027") != std::string::npos);
    auto csv_old = d.page("anna", "/jaarplanning.csv?jaar=2026-2027");
    CHECK(csv_old.status == 200);
    CHECK(csv_old.body.find("-03-2027") != std::string::npos);
    CHECK(csv_old.body.find("-09-2027") == std::string::npos);
    CHECK(d.page("anna", "/jaarplanning?jaar=2031-2032").status == 404);
    // The schoolleider's page of the old year, from the year switch of this year's.
    d.sessions.erase("erik");  // signed in again: the session of May has run out
    CHECK(d.page("erik", "/schoolleider").body.find("href=\"/schoolleider?jaar=2026-2027\"") !=
          std::string::npos);
    auto lead_old = d.page("erik", "/schoolleider?jaar=2026-2027");
    CHECK(lead_old.status == 200);
    CHECK(lead_old.body.find("<strong aria-current=\"page\">2026-2027</strong>") !=
          std::string::npos);
    // The schoolleider's trend holds both years.
    const auto trend = d.services->trend.of("voorbeeldschool");
    REQUIRE(trend.size() == 2);
    CHECK(trend[0].school_year == old_year);
    CHECK(trend[0].share);
    CHECK(trend[1].school_year == new_year);

    // A restart serves the new year (the folder still holds the old year's files).
    {
        daemon::Services again(d.dir / "calendars", *d.store, d.clock);
        again.schools.reload();
        again.years.tick();
        CHECK(again.schools.snapshot()->schools.at("voorbeeldschool")->school_year == new_year);
    }

    // The first school day: the old year leaves the feeds.
    d.clock.set("2027-08-30");
    d.services->years.tick();
    const std::string autumn = *current(d).feeds->get("person/bram.ics")->body;
    CHECK(autumn.find("UID:" + first_new) != std::string::npos);
    CHECK(autumn.find("UID:" + old_uid) == std::string::npos);
}
