#include "daemon/schools/kept_plan.hpp"
#include "daemon/schools/snapshot.hpp"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "fixtures.hpp"
#include "jaarkalender/plan_json.hpp"

using jk::Plan;
using jk::daemon::KeptPlan;
using jk::daemon::PlanShelf;

namespace {

std::shared_ptr<const Plan> example_plan() {
    static const auto school = jk::testing::load_example();
    return std::make_shared<const Plan>(jk::testing::plan_fixed(school));
}

}  // namespace

TEST_CASE("a kept plan: deflated to a tenth, decoded exactly, once while anyone holds it",
          "[unit][kept_plan]") {
    auto shelf = std::make_shared<PlanShelf>(2);
    auto plan = example_plan();
    const std::string json = jk::plan_to_json(*plan);
    const KeptPlan kept = KeptPlan::deflated(plan, shelf);
    REQUIRE(kept);
    CHECK(kept.deflated_size() > 0);
    CHECK(kept.deflated_size() * 8 < json.size());
    // While the maker holds the plan, a reader gets that same plan: nothing decoded.
    CHECK(kept.load(false) == plan);
    const Plan* first = plan.get();
    plan.reset();
    // Nobody holds it: decoded from the deflated JSON, equal to what was kept.
    const auto again = kept.load(false);
    REQUIRE(again);
    CHECK(again.get() != first);
    CHECK(jk::plan_to_json(*again) == json);
    CHECK(again->events.size() > 200);
    // Two readers at once share one decoded plan.
    CHECK(kept.load(false) == again);
    CHECK(shelf->size() == 0);  // load(false): a scan over every school keeps nothing
}

TEST_CASE("the plan shelf keeps the plans used last decoded, and deflates the others",
          "[unit][kept_plan]") {
    auto shelf = std::make_shared<PlanShelf>(2);
    const std::string json = jk::plan_to_json(*example_plan());
    std::vector<KeptPlan> schools;
    // Plans that just changed go on the shelf decoded: nothing deflated on a change's path.
    for (int i = 0; i < 2; ++i) schools.push_back(KeptPlan::on_shelf(example_plan(), shelf));
    CHECK(schools[0].deflated_size() == 0);
    std::weak_ptr<const Plan> a = schools[0].load();  // used, then let go by the reader
    CHECK_FALSE(a.expired());                         // the shelf holds it
    schools.push_back(KeptPlan::on_shelf(example_plan(), shelf));
    std::weak_ptr<const Plan> b = schools[1].load();
    CHECK(shelf->size() == 2);
    // schools[0] fell off: deflated then, and let go.
    CHECK(a.expired());
    CHECK(schools[0].deflated_size() > 0);
    CHECK_FALSE(b.expired());
    static_cast<void>(schools[0].load());  // decoded again, exactly; now schools[2] went
    CHECK(jk::plan_to_json(*schools[0].load()) == json);
    CHECK(schools[2].deflated_size() > 0);
    CHECK_FALSE(b.expired());
    const std::size_t once = schools[0].deflated_size();
    static_cast<void>(schools[1].load(false));
    static_cast<void>(schools[2].load());  // schools[0] falls off again: deflated once only
    CHECK(schools[0].deflated_size() == once);
    CHECK(jk::plan_to_json(*schools[0].load(false)) == json);
}

TEST_CASE("a kept plan made from a decoded plan stays decoded; an empty one is no plan",
          "[unit][kept_plan]") {
    auto plan = example_plan();
    const KeptPlan pinned(plan);
    const Plan* at = plan.get();
    plan.reset();
    CHECK(pinned.load().get() == at);
    CHECK(pinned.deflated_size() == 0);
    CHECK_FALSE(KeptPlan());
    CHECK(KeptPlan().load() == nullptr);
    // Copies share one plan: the daemon tells a changed plan by this, not by its contents.
    const KeptPlan copy = pinned;
    CHECK(copy == pinned);
    CHECK_FALSE(KeptPlan(example_plan()) == pinned);
}

TEST_CASE("a kept plan is decoded safely by many threads at once", "[unit][kept_plan]") {
    auto shelf = std::make_shared<PlanShelf>(1);
    std::vector<KeptPlan> schools;
    for (int i = 0; i < 4; ++i) schools.push_back(KeptPlan::deflated(example_plan(), shelf));
    const std::size_t events = schools[0].load(false)->events.size();
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 20; ++i) {
                const auto p = schools[(t + i) % schools.size()].load(i % 2 == 0);
                if (!p || p->events.size() != events) ++wrong;
            }
        });
    for (auto& th : threads) th.join();
    CHECK(wrong == 0);
    CHECK(shelf->size() == 1);
}

TEST_CASE("a feed cache keeps a feed's bytes and gives back the plan it rendered them from",
          "[unit][kept_plan]") {
    const auto school = std::make_shared<const jk::LoadedSchool>(jk::testing::load_example());
    auto plan = std::make_shared<const Plan>(jk::testing::plan_fixed(*school));
    auto shelf = std::make_shared<PlanShelf>(2);
    const KeptPlan kept = KeptPlan::deflated(plan, shelf);
    jk::daemon::FeedCache feeds(kept, school, {}, 1'800'000'000, nullptr);
    const auto feed = feeds.get("school.ics");
    REQUIRE(feed);
    CHECK(feed->body->find("BEGIN:VEVENT") != std::string::npos);
    // Rendered from this very plan (decoded while someone holds it), then let go of: only the
    // test holds it. The VEVENT texts went with it.
    CHECK(plan.use_count() == 1);
    CHECK(shelf->size() == 0);  // a feed does not push the plans people work in off the shelf
    // The same bytes next time, not rendered again; another feed renders them again.
    CHECK(feeds.get("school.ics") == feed);
    const auto person = feeds.get("person/anna.ics");
    REQUIRE(person);
    CHECK(person->body->find("BEGIN:VCALENDAR") == 0);
    CHECK(plan.use_count() == 1);
    // warm(): several feeds at once, and the same bytes as one by one.
    jk::daemon::FeedCache again(kept, school, feeds.validators(), 1'800'000'100, nullptr);
    again.warm({"school.ics", "person/anna.ics"});
    CHECK(plan.use_count() == 1);
    CHECK(*again.get("person/anna.ics")->body == *person->body);
    CHECK(again.get("school.ics")->etag == feed->etag);
}

TEST_CASE("a kept plan outlives its shelf (a snapshot held after its daemon stopped)",
          "[unit][kept_plan]") {
    auto shelf = std::make_shared<PlanShelf>(1);
    const std::string json = jk::plan_to_json(*example_plan());
    const KeptPlan changed = KeptPlan::on_shelf(example_plan(), shelf);
    const KeptPlan started = KeptPlan::deflated(example_plan(), shelf);
    std::weak_ptr<PlanShelf> gone = shelf;
    shelf.reset();  // the states on it do not keep it: no cycle
    CHECK(gone.expired());
    CHECK(jk::plan_to_json(*changed.load()) == json);
    CHECK(jk::plan_to_json(*started.load()) == json);
}
