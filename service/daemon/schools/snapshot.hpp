// What the daemon serves: every school's plan with its feeds, as an immutable snapshot that
// request threads read without locks (schools/registry.hpp publishes it).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemon/schools/kept_plan.hpp"
#include "daemon/store/store.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"

namespace jk::daemon {

class Metrics;

/// Seconds since the epoch. One injectable clock for every "now" of the daemon.
class Clock {
  public:
    virtual ~Clock() = default;
    virtual std::int64_t now() = 0;
};
class SystemClock final : public Clock {
  public:
    std::int64_t now() override;
};

struct RenderedFeed {
    std::shared_ptr<const std::string> body;  // shared with responses in flight: no copies
    std::string etag;                         // strong: "\"<sha256 prefix>\""
    std::int64_t last_modified = 0;           // never goes backwards for the same feed
    std::string last_modified_http;           // the same, as the header says it
};

/// The validators of a feed, carried from one plan version to the next.
struct Validators {
    std::string etag;
    std::int64_t last_modified = 0;
};

/// A school year whose events the feeds hold beside the current year's (docs/input.md, "Next
/// school year"); empty when there is none.
struct YearBeside {
    std::shared_ptr<const Plan> plan;
    std::shared_ptr<const LoadedSchool> school;
    [[nodiscard]] bool empty() const { return !plan || !school; }
};
/// The years beside the current one in the feeds: the year before it until the current year's
/// first school day (after the switch, in the summer), and a published next year.
struct YearsBeside {
    YearBeside previous;
    YearBeside next;
};

/// The feeds of one plan version. A feed's bytes are assembled on its first request and then
/// kept, so that memory grows with the feeds people subscribe to, not with every person, group
/// and role of every school. The VEVENT texts they are assembled from are rendered for that
/// request (or once for all the feeds a warm() renders after a change) and given back.
class FeedCache {
  public:
    /// Only the feeds put() in (tests).
    FeedCache();
    FeedCache(KeptPlan plan, std::shared_ptr<const LoadedSchool> school,
              std::map<std::string, Validators> previous, std::int64_t changed_at, Metrics* metrics,
              YearsBeside beside = {});
    ~FeedCache();
    FeedCache(const FeedCache&) = delete;
    FeedCache& operator=(const FeedCache&) = delete;

    /// The feed (assembled on first use); null when the school has no such feed.
    [[nodiscard]] std::shared_ptr<const RenderedFeed> get(const std::string& key) const;
    void put(const std::string& key, RenderedFeed feed);
    /// Validators for the next version: those of rendered feeds, and those carried over.
    [[nodiscard]] std::map<std::string, Validators> validators() const;
    /// The feeds rendered in this version so far: the ones people fetch.
    [[nodiscard]] std::vector<std::string> rendered_keys() const;
    /// Renders these feeds now (those of the version before, after a change), so that readers
    /// of a new version never wait for a render on the threads that serve them.
    void warm(const std::vector<std::string>& keys) const;

  private:
    /// get() with mu_ held, the texts kept for the next render of a warm().
    std::shared_ptr<const RenderedFeed> find_or_render(const std::string& key) const;
    struct Renderer;
    std::unique_ptr<Renderer> renderer_;
    std::map<std::string, Validators> previous_;
    std::int64_t changed_at_ = 0;
    Metrics* metrics_ = nullptr;
    mutable std::mutex mu_;
    mutable std::map<std::string, std::shared_ptr<const RenderedFeed>> feeds_;
};

struct SchoolSnapshot {
    std::shared_ptr<const LoadedSchool> school;  // null when it never loaded
    /// Empty when it never planned; load() it (it may be kept deflated).
    KeptPlan plan;
    /// The years its feeds hold beside this one (empty when there are none).
    YearsBeside beside;
    std::string id;
    std::string name;
    std::string school_year;
    std::string folder;
    /// "school.ics", "person/anna.ics", ...: shared by copies of this snapshot (a copy that
    /// only records new input errors serves the same feeds).
    std::shared_ptr<FeedCache> feeds = std::make_shared<FeedCache>();
    std::vector<std::string> errors;  // FILE:LINE:COLUMN of the last failed load
    std::int64_t planned_at = 0;
    std::size_t events = 0;
    std::size_t unplanned = 0;
    /// The newest change record this plan includes, and how many it includes that no stored
    /// plan does yet (a checkpoint is written every kCheckpointChanges).
    long long through_change = 0;
    int unsaved_changes = 0;
    /// The newest re-plan after a change of the school's files: when (as of), and what it
    /// moved or cancelled with the reasons (for the API and the IB'er's page).
    std::optional<LocalMoment> replanned_as_of;
    std::vector<PlanChange> replan_changes;
    /// The input version this plan was made from (docs/input.md).
    long long input_version = 0;
    /// The stored plan this one is (or builds on with the change records after it).
    long long stored_plan = 0;
};

struct FeedRoute {
    std::string school;
    std::string feed;  // key into SchoolSnapshot::feeds
};

struct Snapshot {
    std::map<std::string, std::shared_ptr<const SchoolSnapshot>> schools;
    std::map<std::string, FeedRoute> subscriptions;  // token hash → feed
    bool ready = false;
};

/// How often the daemon re-reads subscriptions, so that a revoked link stops working.
inline constexpr int kSubscriptionRefreshSeconds = 2;

/// The feed key of a subscription scope and target.
std::string feed_key(FeedScope scope, const std::string& target);

}  // namespace jk::daemon
