// The daemon's state: every school under the calendars folder, planned against its stored plan,
// with every feed rendered once per plan change, published as an immutable snapshot that request
// threads read without locks.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/metrics.hpp"
#include "daemon/store.hpp"

namespace jk::daemon {

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
    std::string body;
    std::string etag;                // strong: "\"<sha256 prefix>\""
    std::int64_t last_modified = 0;  // never goes backwards for the same feed
};

struct SchoolSnapshot {
    std::string id;
    std::string name;
    std::string school_year;
    std::string folder;
    std::map<std::string, RenderedFeed> feeds;  // "school.ics", "person/anna.ics", ...
    std::vector<std::string> errors;            // FILE:LINE:COLUMN of the last failed load
    std::int64_t planned_at = 0;
    std::size_t events = 0;
    std::size_t unplanned = 0;
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

class Service {
  public:
    Service(std::filesystem::path calendars, Store& store, Clock& clock);

    /// Loads (or reloads) every school folder; a school whose files are invalid keeps its last
    /// good plan and shows the errors. Thread-safe; one reload at a time.
    void reload();
    /// Re-reads the active subscriptions from the store.
    void refresh_subscriptions();
    /// An unknown token may be one a command has just created: when the store has an active
    /// subscription with this hash, refresh and return true.
    bool learn_subscription(const std::string& token_hash);

    [[nodiscard]] std::shared_ptr<const Snapshot> snapshot() const {
        return std::atomic_load(&snapshot_);
    }
    Store& store() { return store_; }
    [[nodiscard]] const std::filesystem::path& calendars() const { return calendars_; }
    Metrics& metrics() { return metrics_; }
    Clock& clock() { return clock_; }

  private:
    std::shared_ptr<const SchoolSnapshot> load_school_folder(const std::filesystem::path& folder,
                                                             const SchoolSnapshot* before);
    void publish(std::shared_ptr<const Snapshot> s) { std::atomic_store(&snapshot_, std::move(s)); }
    void refresh_subscriptions_locked();  // with reload_mu_ held: snapshots change one at a time

    std::filesystem::path calendars_;
    Store& store_;
    Clock& clock_;
    std::mutex reload_mu_;
    Metrics metrics_;
    std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
};

}  // namespace jk::daemon
