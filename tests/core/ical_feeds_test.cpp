#include "jaarkalender/ical_feeds.hpp"

#include <libical/ical.h>

#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "jaarkalender/planner.hpp"

using namespace jk;

namespace {

std::vector<std::string> lines_of(const std::string& ics) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < ics.size()) {
        size_t crlf = ics.find("\r\n", pos);
        REQUIRE(crlf != std::string::npos);  // every line ends in CRLF
        out.push_back(ics.substr(pos, crlf - pos));
        pos = crlf + 2;
    }
    return out;
}

struct Fixture {
    LoadedSchool school = jk::testing::load_example();
    Plan plan = jk::testing::plan_fixed(school);
};

}  // namespace

TEST_CASE("every feed is RFC 5545 as the contract asks", "[unit][ical]") {
    Fixture f;
    FeedRenderer r(f.plan, f.school);
    const auto feeds = all_feeds(f.school);
    CHECK(feeds.size() == 1 + 20 + 10 + 8 + 1);  // school, persons, groups, roles, parents
    for (const auto& sel : feeds) {
        INFO(sel.relative_path());
        const std::string ics = r.render(sel);
        CHECK(ics.find('\n') == ics.find("\r\n") + 1);
        for (const auto& line : lines_of(ics)) {
            CHECK(line.size() <= 75);
            CHECK(line.find('\n') == std::string::npos);
        }
        for (const char* head :
             {"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
              "X-WR-CALNAME:", "X-WR-TIMEZONE:Europe/Amsterdam",
              "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
              "BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n",
              "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
              "END:VCALENDAR\r\n"})
            CHECK(ics.find(head) != std::string::npos);
        CHECK(ics.find("VALARM") == std::string::npos);
        CHECK(ics.find("freeassociation") == std::string::npos);
        // libical reads it back without inserting X-LIC-ERROR.
        icalcomponent* c = icalparser_parse_string(ics.c_str());
        REQUIRE(c);
        CHECK(icalcomponent_count_errors(c) == 0);
        int n = 0;
        for (icalcomponent* ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT); ev;
             ev = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT)) {
            ++n;
            for (auto kind :
                 {ICAL_UID_PROPERTY, ICAL_DTSTAMP_PROPERTY, ICAL_SEQUENCE_PROPERTY,
                  ICAL_SUMMARY_PROPERTY, ICAL_DTSTART_PROPERTY, ICAL_DTEND_PROPERTY,
                  ICAL_STATUS_PROPERTY, ICAL_LASTMODIFIED_PROPERTY, ICAL_CATEGORIES_PROPERTY})
                CHECK(icalcomponent_get_first_property(ev, kind) != nullptr);
        }
        CHECK(static_cast<size_t>(n) == r.event_count(sel));
        icalcomponent_free(c);
    }
}

TEST_CASE("timed events refer to the VTIMEZONE, all-day ones use an exclusive DTEND",
          "[unit][ical]") {
    Fixture f;
    FeedRenderer r(f.plan, f.school);
    const std::string school = r.render({FeedKind::school, ""});
    CHECK(school.find("DTSTART;TZID=Europe/Amsterdam:") != std::string::npos);
    // Toetsperiode midden: 18 Jan – 5 Feb 2027 inclusive → DTEND 6 Feb.
    const auto at = school.find("SUMMARY:Toetsperiode midden");
    REQUIRE(at != std::string::npos);
    const auto block = school.substr(at, 400);
    CHECK(block.find("DTSTART;VALUE=DATE:20270118") != std::string::npos);
    CHECK(block.find("DTEND;VALUE=DATE:20270206") != std::string::npos);
    CHECK(block.find("TRANSP:TRANSPARENT") != std::string::npos);
    CHECK(school.find("SUMMARY:Herfstvakantie") != std::string::npos);
}

TEST_CASE("feeds hold what each subscriber should see", "[unit][ical]") {
    Fixture f;
    FeedRenderer r(f.plan, f.school);
    const std::string school = r.render({FeedKind::school, ""});
    const std::string bram = r.render({FeedKind::person, "bram"});
    const std::string group = r.render({FeedKind::group, "groep-4-5"});
    const std::string ib = r.render({FeedKind::role, "ib"});
    // Consultations are visibility = attendees: in Bram's feed and the IB role feed only.
    CHECK(school.find("Klassenconsultatie") == std::string::npos);
    CHECK(group.find("Klassenconsultatie") == std::string::npos);
    CHECK(bram.find("Klassenconsultatie Bram Jansen") != std::string::npos);
    CHECK(ib.find("Klassenconsultatie Bram Jansen") != std::string::npos);
    // The group feed has its test sessions, group rules and its test periods.
    CHECK(group.find("Rekenen-Wiskunde (Groep 4/5)") != std::string::npos);
    CHECK(group.find("Groepsbespreking Groep 4/5") != std::string::npos);
    CHECK(group.find("SUMMARY:Toetsperiode midden") != std::string::npos);
    CHECK(group.find("Groepsbespreking Groep 3") == std::string::npos);
    // A teacher's feed has the test periods of the groups they teach.
    CHECK(bram.find("SUMMARY:Toetsperiode eind") != std::string::npos);
    // An unchanged plan gives byte-identical feeds.
    FeedRenderer again(f.plan, f.school);
    CHECK(again.render({FeedKind::school, ""}) == school);
}

TEST_CASE("cancelled events leave the feed, done ones say so", "[unit][ical]") {
    Fixture f;
    Plan p = f.plan;
    std::string cancelled, done;
    for (auto& e : p.events)
        if (e.rule == "klassenconsultatie" && e.subject == std::optional<std::string>("bram")) {
            if (cancelled.empty()) {
                e.status = EventStatus::cancelled;
                cancelled = e.uid;
            } else if (done.empty()) {
                e.status = EventStatus::done;
                done = e.uid;
            }
        }
    FeedRenderer r(p, f.school);
    const std::string bram = r.render({FeedKind::person, "bram"});
    CHECK(bram.find(cancelled) == std::string::npos);
    const auto at = bram.find(done);
    REQUIRE(at != std::string::npos);
    CHECK(bram.find("DESCRIPTION:Gehouden.", at) != std::string::npos);
}

TEST_CASE("feeds hold no control characters and no date they cannot write", "[unit][ical]") {
    Fixture f;
    const LoadedSchool& school = f.school;
    Plan p = f.plan;
    for (auto& e : p.events)
        if (e.rule == "klassenconsultatie") e.title = "Consultatie\x07\x1b[31m rood\x7f";
    Closure far;
    far.range = {*parse_date("2027-07-12"), *parse_date("9999-12-31")};
    far.kind = ClosureKind::vrij;
    far.name = "Sluiting\x1b";
    p.closures.push_back(far);
    FeedRenderer r(p, school);
    for (const FeedSelector& sel :
         {FeedSelector{FeedKind::school, ""}, FeedSelector{FeedKind::person, "bram"},
          FeedSelector{FeedKind::parents, ""}}) {
        const std::string ics = r.render(sel);
        for (const std::string& line : lines_of(ics)) {
            for (char c : line) CHECK_FALSE(((c >= 0 && c < 0x20 && c != '\t') || c == 0x7f));
            CHECK(line.find("00000000") == std::string::npos);
            CHECK(line.find("10000") != 0);
        }
        CHECK(ics.find("Sluiting") == std::string::npos);  // its end cannot be written: left out
    }
    CHECK(r.render({FeedKind::person, "bram"}).find("SUMMARY:Consultatie[31m rood") !=
          std::string::npos);
}
