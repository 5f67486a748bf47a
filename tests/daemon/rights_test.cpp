// Who may read and change what (rights.hpp): one small test per rule.
#include "daemon/rights.hpp"

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
