// Who may read and change what (rights.hpp): one small test per rule.
#include "daemon/access/rights.hpp"

#include <catch2/catch.hpp>

using namespace jk;
using namespace jk::daemon;

namespace {

Person person(const char* id, std::vector<std::string> roles = {}) {
    Person p;
    p.id = id;
    p.name = id;
    p.roles = std::move(roles);
    return p;
}

Event event(std::vector<std::string> required, std::vector<std::string> optional = {},
            std::optional<std::string> owner = std::nullopt,
            std::optional<std::string> subject = std::nullopt) {
    Event e;
    e.uid = "u";
    e.attendees = std::move(required);
    e.optional_attendees = std::move(optional);
    e.owner = std::move(owner);
    e.subject = std::move(subject);
    return e;
}

}  // namespace

TEST_CASE("rights: an IB'er or schoolleider leads only their own school", "[unit][rights]") {
    const Person erik = person("erik", {"schoolleider", "bestuurder"});
    const Rights home = rights_at(erik, "a", "a");
    CHECK(home.lead);
    CHECK(home.read_all);
    const Rights other = rights_at(erik, "a", "b");
    CHECK_FALSE(other.lead);
    CHECK(other.read_all);  // the bestuur reads every school
    const Event e = event({"bram", "anna"}, {}, "anna", "bram");
    for (auto a : {EventAction::done, EventAction::cancel, EventAction::move, EventAction::undo})
        CHECK_FALSE(may_change(other, erik, e, a, "erik", EventAction::done));
    CHECK(may_change(home, erik, e, EventAction::cancel));
}

TEST_CASE("rights: the bestuur reads and never writes", "[unit][rights]") {
    const Person fatima = person("fatima", {"bestuurder"});
    const Rights r = rights_at(fatima, "a", "a");
    const Event talk = event({"erik", "fatima"}, {}, "fatima");
    CHECK(may_see(r, fatima, event({"bram"})));
    CHECK_FALSE(may_change(r, fatima, talk, EventAction::done));
    CHECK_FALSE(may_change(r, fatima, talk, EventAction::cancel));
}

TEST_CASE("rights: a teacher marks held what they must attend or own", "[unit][rights]") {
    const Person bram = person("bram");
    const Rights r = rights_at(bram, "a", "a");
    CHECK(may_change(r, bram, event({"bram", "anna"}), EventAction::done));
    CHECK(may_change(r, bram, event({"anna"}, {}, "bram"), EventAction::done));
    CHECK_FALSE(may_change(r, bram, event({"erik"}, {"bram"}), EventAction::done));
    CHECK_FALSE(may_see(r, bram, event({"erik", "anna"})));
    CHECK(may_see(r, bram, event({"erik"}, {"bram"})));
}

TEST_CASE("rights: a teacher cancels and moves only what is theirs", "[unit][rights]") {
    const Person bram = person("bram");
    const Rights r = rights_at(bram, "a", "a");
    // A team meeting with twenty people: required or invited, it is not his to cancel.
    const Event team = event({"erik", "bram", "carla"}, {"dirk"}, "erik", "school");
    CHECK_FALSE(may_change(r, bram, team, EventAction::cancel));
    CHECK_FALSE(may_change(r, bram, team, EventAction::move));
    const Event invited = event({"erik"}, {"bram"}, "erik");
    CHECK_FALSE(may_change(r, bram, invited, EventAction::cancel));
    // His own consultation (he is its subject and attends), or what he owns.
    const Event consult = event({"bram", "anna"}, {}, "anna", "bram");
    CHECK(may_change(r, bram, consult, EventAction::move));
    CHECK(may_change(r, bram, event({"bram", "carla"}, {}, "bram"), EventAction::cancel));
}

TEST_CASE("rights: a teacher undoes only their own change", "[unit][rights]") {
    const Person bram = person("bram");
    const Rights r = rights_at(bram, "a", "a");
    const Event consult = event({"bram", "anna"}, {}, "anna", "bram");
    CHECK(may_change(r, bram, consult, EventAction::undo, "bram", EventAction::done));
    CHECK_FALSE(may_change(r, bram, consult, EventAction::undo, "anna", EventAction::done));
    CHECK_FALSE(may_change(r, bram, consult, EventAction::undo, std::nullopt, std::nullopt));
    // Undoing his own cancel of a meeting that is not his: no (he could not cancel it either).
    const Event team = event({"erik", "bram"}, {}, "erik");
    CHECK_FALSE(may_change(r, bram, team, EventAction::undo, "bram", EventAction::cancel));
}

// ---- granting roles (docs/api.md, "Rechten"): one case per rule -------------------------------

TEST_CASE("rights: nobody grants bestuurder in the pages or the API", "[unit][rights]") {
    const Person erik = person("erik", {"schoolleider", "bestuurder"});
    const Person anna = person("anna", {"ib"});
    CHECK(grant_refusal(erik, rights_at(erik, "a", "a"), {"bestuurder"}));
    CHECK(grant_refusal(anna, rights_at(anna, "a", "a"), {"bestuurder"}));
    CHECK(grant_refusal(erik, rights_at(erik, "a", "a"), {"bouwcoordinator", "bestuurder"}));
}

TEST_CASE("rights: only the schoolleider makes someone schoolleider or IB'er", "[unit][rights]") {
    const Person erik = person("erik", {"schoolleider"});
    const Person anna = person("anna", {"ib"});
    CHECK_FALSE(grant_refusal(erik, rights_at(erik, "a", "a"), {"schoolleider"}));
    CHECK_FALSE(grant_refusal(erik, rights_at(erik, "a", "a"), {"ib"}));
    const auto why = grant_refusal(anna, rights_at(anna, "a", "a"), {"ib"});
    REQUIRE(why);
    CHECK(why->find("alleen de schoolleider") != std::string::npos);
    CHECK(grant_refusal(anna, rights_at(anna, "a", "a"), {"schoolleider"}));
}

TEST_CASE("rights: the IB'er grants the school's own roles; a teacher grants none",
          "[unit][rights]") {
    const Person anna = person("anna", {"ib"});
    const Person bram = person("bram");
    CHECK_FALSE(grant_refusal(anna, rights_at(anna, "a", "a"), {"bouwcoordinator"}));
    CHECK_FALSE(grant_refusal(anna, rights_at(anna, "a", "a"), {}));
    CHECK(grant_refusal(bram, rights_at(bram, "a", "a"), {"bouwcoordinator"}));
}

TEST_CASE("rights: the schoolleider of one school grants nothing at another", "[unit][rights]") {
    const Person erik = person("erik", {"schoolleider", "bestuurder"});
    CHECK(grant_refusal(erik, rights_at(erik, "a", "b"), {"bouwcoordinator"}));
    CHECK(grant_refusal(erik, rights_at(erik, "a", "b"), {"ib"}));
}

TEST_CASE("rights: a leaver is there through their last day, and not after", "[unit][rights]") {
    Person erik = person("erik", {"schoolleider"});
    const Date last = *parse_date("2027-01-12");
    CHECK(still_there(erik, last + std::chrono::days{100}));
    erik.until = last;
    CHECK(still_there(erik, last));
    CHECK_FALSE(still_there(erik, last + std::chrono::days{1}));
    // A newcomer may sign in before the first day.
    Person new_one = person("sanne");
    new_one.from = last;
    CHECK(still_there(new_one, last - std::chrono::days{10}));
}
