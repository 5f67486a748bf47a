// Tracking on its own (daemon/tracking/tracking_service.hpp): a change is stored as a record and
// published; a repeat writes nothing; undo, unknown events and schools, a held_on in the future;
// one limit of changes per account, shared with the staff changes.
#include <catch2/catch.hpp>

#include "daemon_world.hpp"

using namespace jk;
using namespace jk::daemon;
using O = EventChangeResult::Outcome;

namespace {

/// The first tracked event of the example school that has begun by the world's clock.
std::string past_event(jk::testing::DaemonWorld& w) {
    const Date today = local_date(w.clock.t);
    for (const auto held = w.school()->plan.load(); const Event& e : held->events)
        if (e.kind == EventKind::rule && e.status == EventStatus::planned && e.date < today)
            return e.uid;
    FAIL("no event before today");
    return {};
}

}  // namespace

TEST_CASE("tracking: held, a repeat that writes nothing, undo, and what does not exist",
          "[io][tracking]") {
    jk::testing::DaemonWorld w("tracking-service");
    TrackingService& tracking = w.services->tracking;
    const std::string uid = past_event(w);
    Change done;
    done.uid = uid;
    done.kind = ChangeKind::done;

    auto r = tracking.change("voorbeeldschool", "anna", done, false, false);
    REQUIRE(r.outcome == O::applied);
    CHECK(r.event->status == EventStatus::done);
    CHECK(w.school()->plan.load()->find(uid)->status == EventStatus::done);
    const auto last = tracking.last_change("voorbeeldschool", uid);
    REQUIRE(last);
    CHECK(last->actor == "anna");
    CHECK(last->action == EventAction::done);

    CHECK(tracking.change("voorbeeldschool", "anna", done, false, false).outcome == O::unchanged);
    CHECK(tracking.last_change("voorbeeldschool", uid)->id == last->id);

    CHECK(tracking.change("voorbeeldschool", "anna", done, true, false).outcome == O::applied);
    CHECK(w.school()->plan.load()->find(uid)->status == EventStatus::planned);
    CHECK(tracking.change("voorbeeldschool", "anna", done, true, false).outcome ==
          O::nothing_to_undo);

    Change unknown = done;
    unknown.uid = "geen-afspraak";
    CHECK(tracking.change("voorbeeldschool", "anna", unknown, false, false).outcome ==
          O::unknown_event);
    CHECK(tracking.change("geen-school", "anna", done, false, false).outcome == O::unknown_school);

    Change later = done;
    later.held_on = local_date(w.clock.t) + std::chrono::days{1};
    const auto refused = tracking.change("voorbeeldschool", "anna", later, false, false);
    CHECK(refused.outcome == O::invalid);
    CHECK(refused.field == "held_on");
}

TEST_CASE("tracking: one limit of changes per account, for events and staff changes alike",
          "[io][tracking]") {
    jk::testing::DaemonWorld w("tracking-limit");
    w.services->set_write_limit(2, 0.001);
    TrackingService& tracking = w.services->tracking;
    const std::string uid = past_event(w);
    std::vector<std::string> uids{uid};
    // mark_held takes one step for the lot.
    const auto held = tracking.mark_held("voorbeeldschool", "anna", uids);
    REQUIRE(held.size() == 1);
    CHECK(held[0].outcome == O::applied);
    Change undo;
    undo.uid = uid;
    CHECK(tracking.change("voorbeeldschool", "anna", undo, true, false).outcome == O::applied);
    const auto refused = tracking.change("voorbeeldschool", "anna", undo, true, false);
    CHECK(refused.outcome == O::rate_limited);
    CHECK(refused.retry_after >= 1);
    // The same account's staff change (a preview re-plans too) waits as well; another account
    // does not.
    StaffChange c;
    c.kind = StaffChangeKind::closure;
    CHECK(w.services->input.staff_change("voorbeeldschool", "anna", c, true).outcome ==
          StaffChangeResult::Outcome::rate_limited);
    CHECK(tracking.change("voorbeeldschool", "erik", undo, true, false).outcome != O::rate_limited);
}
