// The schools the daemon serves: every folder under the calendars folder and every school whose
// input is in the store, planned against its stored plan, published as one immutable Snapshot.
// It owns loading, planning, publishing and catching up with other daemons; the services that
// change a school (tracking, input) do so under its lock and publish through it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/background.hpp"
#include "daemon/http/metrics.hpp"
#include "daemon/schools/snapshot.hpp"
#include "daemon/store/store.hpp"

namespace jk::daemon {

/// How long a daemon waits for another's plan of today before it re-plans the change itself.
inline constexpr int kTodayPlanWaitSeconds = 5;

/// After this many change records since the newest stored plan, the plan is stored whole
/// again, so that a start replays at most this many changes.
inline constexpr int kCheckpointChanges = 64;

/// A stored plan as it is today: the change records after it replayed on `plan` (its parsed
/// JSON) under `school`'s rules; with the newest record it now includes. For the daemon's start
/// and for commands that read the store (export-plan).
std::pair<Plan, long long> replay_changes(TrackingStore& store, const LoadedSchool& school,
                                          const StoredPlan& stored, Plan plan);

class SchoolRegistry {
  public:
    SchoolRegistry(std::filesystem::path calendars, OfficialHolidays official, Store& store,
                   Clock& clock, Background& background);
    /// The official vacations every school of this installation is planned with.
    [[nodiscard]] const OfficialHolidays& official() const { return official_; }

    /// Loads (or reloads) every school folder; a school whose files are invalid keeps its last
    /// good plan and shows the errors. Thread-safe; one reload or change at a time.
    void reload();
    /// Re-reads the active subscriptions from the store.
    void refresh_subscriptions();
    /// An unknown token may be one a command has just created: when the store has an active
    /// subscription with this hash, refresh and return true.
    bool learn_subscription(const std::string& token_hash);

    [[nodiscard]] std::shared_ptr<const Snapshot> snapshot() const {
        return std::atomic_load(&snapshot_);
    }
    /// One school of the snapshot, when it is planned (null otherwise).
    [[nodiscard]] std::shared_ptr<const SchoolSnapshot> planned(const std::string& school) const;

    /// Called after a school's plan changed (a re-plan or a tracking change), with the old and
    /// the new snapshot, while no other change of that school runs. The mailer announces moves
    /// with it.
    using PlanListener =
        std::function<void(const SchoolSnapshot* before, const SchoolSnapshot& after)>;
    void on_plan_change(PlanListener listener) {
        std::lock_guard lock(reload_mu_);
        listener_ = std::move(listener);
    }

    /// Where render() finds the years a school's feeds hold beside the current one (the
    /// YearService): the year before until the first school day, a published next year. Set
    /// once, before the first reload.
    using BesideSource = std::function<YearsBeside(const LoadedSchool& current)>;
    void set_beside_source(BesideSource source) { beside_ = std::move(source); }

    [[nodiscard]] const std::filesystem::path& calendars() const { return calendars_; }
    Metrics& metrics() { return metrics_; }
    Clock& clock() { return clock_; }

    // ---- several daemons on one database (docs/deploy.md) ------------------------------------
    /// Serves what another daemon stored for this school: its tracking changes (replayed), or
    /// the plan it made from a new input (read, never planned again). Cheap when nothing changed
    /// (one small read). True when the snapshot changed.
    bool catch_up(const std::string& school);
    /// What the store's listener reported: the schools to catch up, subscriptions to re-read,
    /// and after a reconnect everything.
    void store_news(const StoreNews& news);
    /// Catches up every school (several daemons): the safety net under the news, every few
    /// seconds, for news that never came (a daemon that died between its change and its news).
    void poll_store();
    /// Records that the store cannot be reached (with the reason), or can again (empty).
    void set_store_problem(std::string problem);
    /// Why the store cannot be reached just now (Dutch), empty when it can: /readyz says it.
    [[nodiscard]] std::string store_problem() const;

    // ---- for the services that change a school ----------------------------------------------
    /// The lock of one school's writes (tracking changes, staff changes, catching up): a change
    /// of one school never waits for another school's (docs/architecture.md, "Locks").
    std::mutex& school_mutex(const std::string& school);
    /// Before a write with the school's lock held: where several daemons share the store, start
    /// from what the store has (another daemon's changes, replayed at once).
    void catch_up_before_write(const std::string& school) {
        if (store_.shared()) catch_up_locked(school, true);
    }
    /// The school's lock for a write, caught up with the store.
    std::unique_lock<std::mutex> lock_for_write(const std::string& school) {
        std::unique_lock lock(school_mutex(school));
        catch_up_before_write(school);
        return lock;
    }
    /// make_plan as of the clock, against `previous` when there is one.
    Plan replan(const LoadedSchool& school, const Plan* previous);
    /// True when `plan` (stored as `stored`) is what planning `school` from `version` again
    /// would give: the same input, the same planner, the same closed days.
    static bool planned_as_stored(const Plan& plan, const StoredPlan& stored,
                                  const LoadedSchool& school, const InputVersion& version);
    /// The snapshot of a stored plan (with the change records after it replayed), served as
    /// it is: a start reads the plans it stored instead of planning every school again.
    std::shared_ptr<SchoolSnapshot> serve_stored(std::shared_ptr<const LoadedSchool> school,
                                                 Plan plan, long long through,
                                                 const StoredPlan& stored,
                                                 const InputVersion& version,
                                                 const SchoolSnapshot* before,
                                                 const std::string& folder);
    /// Stores a new plan when it changed (or the input did) and makes its snapshot.
    std::shared_ptr<SchoolSnapshot> adopt_plan(std::shared_ptr<const LoadedSchool> school,
                                               Plan plan, const Plan* previous, long long through,
                                               const InputVersion& version,
                                               const SchoolSnapshot* before,
                                               const std::string& folder);
    /// The snapshot of a school with this plan; feeds whose bytes did not change keep their
    /// validators, changed ones get a Last-Modified that never goes backwards.
    /// `json`: plan_to_json of `plan` when the caller has it (a stored plan), else made here.
    std::shared_ptr<SchoolSnapshot> render(std::shared_ptr<const LoadedSchool> school, Plan plan,
                                           const SchoolSnapshot* before, const std::string& folder,
                                           std::string_view json = {});
    /// The school's feeds made again (with its lock held) for a next year published or changed:
    /// its plan unchanged, its published next year asked again.
    void refresh_feeds(const std::string& school);
    /// The school planned again from its input (with its lock held) after its next year became
    /// current: the year of its newest input version (YearService::tick).
    void switch_year(const std::string& school);
    /// Publishes a school's new snapshot (with its lock held) and tells the listener. A tracking
    /// change also shares its plan of today with the other daemons (`share`).
    void publish_change(const SchoolSnapshot& before, std::shared_ptr<const SchoolSnapshot> after,
                        bool share);

  private:
    std::shared_ptr<const SchoolSnapshot> load_school_folder(const std::filesystem::path& folder,
                                                             const SchoolSnapshot* before);
    /// Plans a school from an input version, against the plan of today (`before`, or after a
    /// start the stored plan with the change records after it).
    std::shared_ptr<SchoolSnapshot> plan_input(const InputVersion& version,
                                               const std::string& folder,
                                               const SchoolSnapshot* before,
                                               std::optional<LoadedSchool> preloaded = {});
    /// plan_input with the input loaded.
    std::shared_ptr<SchoolSnapshot> plan_school(std::shared_ptr<const LoadedSchool> school,
                                                const InputVersion& version,
                                                const std::string& folder,
                                                const SchoolSnapshot* before);
    void publish(std::shared_ptr<const Snapshot> s) { std::atomic_store(&snapshot_, std::move(s)); }
    /// Publishes a new snapshot with one school replaced, on top of whatever the other schools
    /// published meanwhile (with publish_mu_: the copy and the swap are one step).
    void publish_school(const std::string& id, std::shared_ptr<const SchoolSnapshot> school);
    /// Every school's lock, in the order of their ids (a reload replaces them all).
    std::vector<std::unique_lock<std::mutex>> lock_every_school(const Snapshot& snap);
    void refresh_subscriptions_locked();  // with reload_mu_ held
    /// `now`: before a write of our own, whatever it costs; otherwise a change whose plan of
    /// today is still on its way is left for its news.
    bool catch_up_locked(const std::string& school, bool now);
    /// True when the school's newest change `change` has waited kTodayPlanWaitSeconds for its
    /// plan of today.
    bool gap_overdue(const std::string& school, long long change);
    /// Stores the plan of today of a school after a change of this daemon, for the others.
    void share_today(const SchoolSnapshot& snap);
    void notify(const SchoolSnapshot* before, const SchoolSnapshot& after);

    std::filesystem::path calendars_;
    OfficialHolidays official_;
    Store& store_;
    Clock& clock_;
    Background& background_;
    /// One reload at a time (a reload also takes every school's lock).
    std::mutex reload_mu_;
    std::mutex school_mutexes_mu_;
    std::map<std::string, std::unique_ptr<std::mutex>> school_mutexes_;
    /// The snapshot's read-modify-write: held for a copy of the map and a pointer swap only.
    std::mutex publish_mu_;
    /// waiting_for_today_ (schools catch up under their own locks, at once).
    std::mutex waiting_mu_;
    /// school → (newest change without its plan of today, since when)
    std::map<std::string, std::pair<long long, std::int64_t>> waiting_for_today_;
    Metrics metrics_;
    std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
    /// The decoded plans used last (the others are kept deflated in their snapshots).
    std::shared_ptr<PlanShelf> shelf_ = std::make_shared<PlanShelf>(kDecodedPlans);
    PlanListener listener_;
    BesideSource beside_;
    mutable std::mutex problem_mu_;
    std::string store_problem_;
};

}  // namespace jk::daemon
