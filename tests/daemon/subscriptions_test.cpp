// Subscribe links (daemon/access/subscriptions.hpp): a person's new link replaces the old one,
// a school's or group's link is added beside the others; the snapshot serves what is active.
#include <catch2/catch.hpp>

#include "daemon/access/tokens.hpp"
#include "daemon_world.hpp"

using namespace jk;
using namespace jk::daemon;

TEST_CASE("subscriptions: a person's new link stops the old one; a school's link keeps the others",
          "[io][subscriptions]") {
    jk::testing::DaemonWorld w("subscriptions");
    Subscriptions& subs = w.services->subscriptions;
    auto route = [&](const std::string& token) {
        const auto snap = w.schools().snapshot();
        auto it = snap->subscriptions.find(sha256_hex(token));
        return it == snap->subscriptions.end() ? std::string() : it->second.feed;
    };

    CHECK_FALSE(subs.has_own("voorbeeldschool", "bram"));
    const std::string first = subs.create("voorbeeldschool", FeedScope::person, "bram", "bram");
    CHECK(subs.has_own("voorbeeldschool", "bram"));
    CHECK(route(first) == "person/bram.ics");
    const std::string second = subs.create("voorbeeldschool", FeedScope::person, "bram", "bram");
    CHECK(route(first).empty());
    CHECK(route(second) == "person/bram.ics");

    const std::string team_a = subs.create("voorbeeldschool", FeedScope::school, "", "erik");
    const std::string team_b = subs.create("voorbeeldschool", FeedScope::school, "", "erik");
    CHECK(route(team_a) == "school.ics");
    CHECK(route(team_b) == "school.ics");
    CHECK_FALSE(subs.has_own("voorbeeldschool", "erik"));  // the school's link is not his own

    bool audited = false;
    for (const auto& a : w.store->audit_log("voorbeeldschool"))
        audited = audited || (a.action == "subscribe" && a.actor == "erik");
    CHECK(audited);
}
