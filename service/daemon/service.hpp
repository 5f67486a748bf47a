// The daemon's state: every school under the calendars folder, planned against its stored plan,
// with every feed rendered once per plan change, published as an immutable snapshot that request
// threads read without locks.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "daemon/http/metrics.hpp"
#include "daemon/http/throttle.hpp"
#include "daemon/mail/unsubscribe.hpp"
#include "daemon/store/store.hpp"
#include "jaarkalender/loader.hpp"
#include "jaarkalender/plan.hpp"
#include "jaarkalender/staff_change.hpp"
#include "jaarkalender/tracking.hpp"

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

/// The feeds of one plan version. The VEVENT texts are rendered once per plan change; a feed's
/// bytes are assembled on its first request and then kept, so that memory grows with the feeds
/// people subscribe to, not with every person, group and role of every school.
class FeedCache {
  public:
    /// Only the feeds put() in (tests).
    FeedCache();
    FeedCache(std::shared_ptr<const Plan> plan, std::shared_ptr<const LoadedSchool> school,
              std::map<std::string, Validators> previous, std::int64_t changed_at,
              Metrics* metrics);
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
    /// How many feeds the school has (rendered or not).
    [[nodiscard]] std::size_t size() const { return keys_.size(); }

  private:
    struct Renderer;
    std::unique_ptr<Renderer> renderer_;
    std::map<std::string, Validators> previous_;
    std::int64_t changed_at_ = 0;
    Metrics* metrics_ = nullptr;
    std::set<std::string> keys_;
    mutable std::mutex mu_;
    mutable std::map<std::string, std::shared_ptr<const RenderedFeed>> feeds_;
};

struct SchoolSnapshot {
    std::shared_ptr<const LoadedSchool> school;  // null when it never loaded
    std::shared_ptr<const Plan> plan;            // null when it never planned
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

/// How long a daemon waits for another's plan of today before it re-plans the change itself.
inline constexpr int kTodayPlanWaitSeconds = 5;

/// After this many change records since the newest stored plan, the plan is stored whole
/// again, so that a start replays at most this many changes.
inline constexpr int kCheckpointChanges = 64;

/// Tracking changes one account may make: a burst, then one a second (a teacher ticking off a
/// morning's events gets through; a script hammering the write path does not slow the rest).
inline constexpr double kWriteBurst = 15;
inline constexpr double kWritesPerSecond = 1;

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

/// What a staff change did, or why it did not: a domain result that the API and the pages each
/// say in their own way.
struct StaffChangeResult {
    enum class Outcome {
        applied,         // stored; the school is re-planned and published
        previewed,       // nothing stored: what it would do
        invalid,         // `errors` say why, at their field
        unknown_school,  // no such school (or not planned yet)
        unknown_change,  // undo: no such change, or it was undone already
        rate_limited,    // too many changes; `retry_after` seconds
    };
    Outcome outcome = Outcome::applied;
    std::vector<FieldError> errors;
    ChangeConsequences consequences;
    std::string summary;
    long long version = 0;  // applied: the new input version
    int retry_after = 0;
    /// The school as it is with the change (previewed, applied): names of new people.
    std::shared_ptr<const LoadedSchool> school;
};

/// What a tracking change (held, cancelled, moved, undone) did, or why it did not: a domain
/// result that the API and the pages each say in their own way.
struct EventChangeResult {
    enum class Outcome {
        applied,          // stored and published
        unchanged,        // it changes nothing: answered without a write
        conflicts,        // a move that breaks a hard constraint (`conflicts` say which)
        invalid,          // `message` says why
        unknown_school,   // no such school (or not planned yet)
        unknown_event,    // no such event
        nothing_to_undo,  // undo without a change to undo
        rate_limited,     // too many changes; `retry_after` seconds
    };
    Outcome outcome = Outcome::applied;
    std::optional<Event> event;  // applied, unchanged: the event as it is now
    std::vector<std::string> conflicts;
    std::string message;
    int retry_after = 0;
    /// invalid: the field of the request the message is about ("held_on"), or empty.
    std::string field;
};

/// A stored plan as it is today: the change records after it replayed on `plan` (its parsed
/// JSON) under `school`'s rules; with the newest record it now includes. For the daemon's start
/// and for commands that read the store (export-plan).
std::pair<Plan, long long> replay_changes(Store& store, const LoadedSchool& school,
                                          const StoredPlan& stored, Plan plan);

/// What the API asks of the daemon besides reading the snapshot.
/// One school year of the trend: its cycle on time, or none for the current year.
struct YearShare {
    std::string school_year;
    std::optional<std::string> share;
};

class ApiBackend {
  public:
    virtual ~ApiBackend() = default;
    /// The owner of an API token (by its hash), if it is active.
    virtual std::optional<ApiTokenOwner> api_token(const std::string& token_hash) = 0;
    /// Applies a change (or undoes the last one of its event when `undo`), stores it, re-plans
    /// the school and publishes the new feeds; `force` lets a move that breaks a constraint pass.
    virtual EventChangeResult change(const std::string& school, const std::string& actor,
                                     const Change& change, bool undo, bool force) = 0;
    virtual std::int64_t now() = 0;
    /// The newest change of an event that was not undone (who made it, for undo rights).
    virtual std::optional<ChangeRecord> last_change(const std::string& school,
                                                    const std::string& uid) = 0;

    // ---- the school's input (docs/input.md) -------------------------------------------------
    /// A staff change by `actor` (rights are the caller's to check): validated as the files are,
    /// re-planned as of now; with `preview` nothing is stored, else it is stored as a new input
    /// version, published, and whoever is affected is mailed.
    virtual StaffChangeResult staff_change(const std::string& school, const std::string& actor,
                                           const StaffChange& change, bool preview) = 0;
    /// Undoes the change of input version `version` as a new version (history is not rewritten).
    virtual StaffChangeResult undo_staff_change(const std::string& school, const std::string& actor,
                                                long long version, bool preview) = 0;
    /// Every input version of a school, oldest first.
    virtual std::vector<InputVersion> input_history(const std::string& school) = 0;

    // ---- e-mail ------------------------------------------------------------------------------
    /// The kinds of mail a person has turned off.
    virtual std::vector<MailKind> mail_off(const std::string& school,
                                           const std::string& person) = 0;
    /// Turns a kind of mail on or off for a person (audited).
    virtual void set_mail(const std::string& school, const std::string& person, MailKind kind,
                          bool on, const std::string& actor) = 0;
    /// A school's outbox, newest first; `state` empty for all.
    virtual std::vector<OutboxMessage> outbox(const std::string& school, const std::string& state,
                                              int limit) = 0;
    /// The content of a signed "turn this mail off" link.
    virtual std::optional<Unsubscribe> verify_unsubscribe(std::string_view token) = 0;

    // ---- web pages ---------------------------------------------------------------------------
    /// The session of a cookie's token, if it is valid.
    virtual std::optional<WebSession> web_session(const std::string& token) = 0;
    /// Starts a session for `session.school`/`person`; fills in its CSRF token and returns the
    /// cookie's token (random; only its hash is stored).
    virtual std::string start_session(WebSession& session) = 0;
    virtual void end_session(const std::string& token) = 0;
    /// A single-use sign-in link token for a person, valid kLoginLinkMinutes.
    virtual std::string create_login_link(const std::string& school, const std::string& person) = 0;
    virtual std::optional<ApiTokenOwner> use_login_link(const std::string& token) = 0;
    /// Sends a sign-in link by mail; false when mail is off.
    virtual bool mail_login_link(const std::string& school, const std::string& person,
                                 const std::string& url) = 0;
    /// Someone asks for a sign-in link for `address` from `client`. Throttled per address and
    /// per client, and the look-up and the mail happen in the background: the caller answers
    /// at once, in the same time whether or not the address is known.
    virtual void request_sign_in(const std::string& address, const std::string& client) = 0;
    /// A new subscribe link, made by `actor`. A person's own feed: the earlier links stop
    /// working. The school's or a group's feed: the earlier links keep working (whole teams
    /// subscribe to them).
    virtual std::string new_subscription(const std::string& school, FeedScope scope,
                                         const std::string& target, const std::string& actor) = 0;
    virtual bool has_subscription(const std::string& school, const std::string& person) = 0;
    /// Something a page shows once after a redirect (a new subscribe link): kept for the
    /// session for ten minutes, and gone once taken, so that a reload neither repeats the POST
    /// nor shows the link again.
    virtual void show_once(const std::string& session_token, const std::string& slot,
                           std::string value) = 0;
    virtual std::optional<std::string> take_shown_once(const std::string& session_token,
                                                       const std::string& slot) = 0;
    /// Marks the events `uids` held on their own day, for "alles t/m vandaag gehouden": one
    /// rate-limit step for the lot, each its own change record (each can be undone). Returns
    /// one result per uid, in order.
    virtual std::vector<EventChangeResult> mark_held(const std::string& school,
                                                     const std::string& actor,
                                                     const std::vector<std::string>& uids) = 0;
    /// The trend over the years: each school year with a stored plan, oldest first, with its
    /// cycle on time ("12 van 30 (40%)"); none for the current year, whose figure the caller
    /// has. A past year's plan no longer changes: its figure is computed once and kept.
    virtual std::vector<YearShare> cycle_trend(const std::string& school) = 0;
    /// Base of links: "https://jaarkalender.stichting.nl".
    [[nodiscard]] virtual std::string public_url() const = 0;
    /// Why the store cannot be reached just now (Dutch), empty when it can: /readyz says it.
    [[nodiscard]] virtual std::string store_problem() const { return {}; }
};

/// Sign-in links one address may get: 3 at once, then one per 5 minutes.
inline constexpr double kSignInPerAddressBurst = 3;
inline constexpr double kSignInPerAddressPerSecond = 1.0 / 300;
/// Sign-in requests one client may make: 10 at once, then one a minute.
inline constexpr double kSignInPerClientBurst = 10;
inline constexpr double kSignInPerClientPerSecond = 1.0 / 60;

/// How long a sign-in link works, and a session lasts.
inline constexpr int kLoginLinkMinutes = 30;
inline constexpr int kSessionDays = 30;

class Service final : public ApiBackend {
  public:
    Service(std::filesystem::path calendars, Store& store, Clock& clock);

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
    /// Called after a school's plan changed (a re-plan or a tracking change), with the old and
    /// the new snapshot, while no other change runs. The mailer announces moves with it.
    using PlanListener =
        std::function<void(const SchoolSnapshot* before, const SchoolSnapshot& after)>;
    void on_plan_change(PlanListener listener) {
        std::lock_guard lock(reload_mu_);
        listener_ = std::move(listener);
    }

    Store& store() { return store_; }
    [[nodiscard]] const std::filesystem::path& calendars() const { return calendars_; }
    Metrics& metrics() { return metrics_; }
    Clock& clock() { return clock_; }

    std::optional<ApiTokenOwner> api_token(const std::string& token_hash) override;
    EventChangeResult change(const std::string& school, const std::string& actor,
                             const Change& change, bool undo, bool force) override;
    std::int64_t now() override { return clock_.now(); }
    std::optional<ChangeRecord> last_change(const std::string& school,
                                            const std::string& uid) override {
        return store_.last_change(school, uid);
    }
    /// The per-account limit of tracking changes (tests and benchmarks set their own).
    void set_write_limit(double burst, double per_second) {
        write_limit_ = make_limit("write", burst, per_second);
    }

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
    [[nodiscard]] std::string store_problem() const override;
    StaffChangeResult staff_change(const std::string& school, const std::string& actor,
                                   const StaffChange& change, bool preview) override;
    StaffChangeResult undo_staff_change(const std::string& school, const std::string& actor,
                                        long long version, bool preview) override;
    std::vector<InputVersion> input_history(const std::string& school) override {
        return store_.input_versions(school);
    }
    std::vector<MailKind> mail_off(const std::string& school, const std::string& person) override;
    void set_mail(const std::string& school, const std::string& person, MailKind kind, bool on,
                  const std::string& actor) override;
    std::vector<OutboxMessage> outbox(const std::string& school, const std::string& state,
                                      int limit) override;
    std::optional<Unsubscribe> verify_unsubscribe(std::string_view token) override;
    std::optional<WebSession> web_session(const std::string& token) override;
    std::string start_session(WebSession& session) override;
    void end_session(const std::string& token) override;
    std::string create_login_link(const std::string& school, const std::string& person) override;
    std::optional<ApiTokenOwner> use_login_link(const std::string& token) override;
    bool mail_login_link(const std::string& school, const std::string& person,
                         const std::string& url) override;
    void request_sign_in(const std::string& address, const std::string& client) override;
    /// Where background work goes (the server's pool); without it, it runs at once (tests).
    using Background = std::function<void(std::function<void()>)>;
    void set_background(Background b) {
        std::lock_guard lock(background_mu_);
        background_ = std::move(b);
    }
    std::string new_subscription(const std::string& school, FeedScope scope,
                                 const std::string& target, const std::string& actor) override;
    bool has_subscription(const std::string& school, const std::string& person) override;
    void show_once(const std::string& session_token, const std::string& slot,
                   std::string value) override;
    std::optional<std::string> take_shown_once(const std::string& session_token,
                                               const std::string& slot) override;
    std::vector<EventChangeResult> mark_held(const std::string& school, const std::string& actor,
                                             const std::vector<std::string>& uids) override;
    std::vector<YearShare> cycle_trend(const std::string& school) override;
    [[nodiscard]] std::string public_url() const override { return public_url_; }
    void set_public_url(std::string url) { public_url_ = std::move(url); }
    /// How sign-in links are mailed (set by `serve` when mail is on).
    using LoginMailer = std::function<bool(const std::string& school, const std::string& person,
                                           const std::string& url)>;
    void on_login_mail(LoginMailer f) { login_mailer_ = std::move(f); }

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
    /// True (and `out` says so) when this account has made too many changes just now.
    bool rate_limited(const std::string& school, const std::string& actor, StaffChangeResult& out);
    /// A new input for a school (a change or an undo): planned as of now against the plan of
    /// today; stored and published unless `preview`. `based_on`: the newest input version it
    /// was made from (another daemon's newer one makes it fail with StoreUnavailable).
    StaffChangeResult change_input(const std::string& school, const std::string& actor,
                                   const SchoolSources& sources, const LoadedSchool& loaded,
                                   InputVersion version, long long based_on, bool preview);
    /// make_plan as of the clock, against `previous` when there is one.
    Plan replan(const LoadedSchool& school, const Plan* previous);
    /// Stores a new plan when it changed (or the input did) and makes its snapshot.
    std::shared_ptr<SchoolSnapshot> adopt_plan(std::shared_ptr<const LoadedSchool> school,
                                               Plan plan, const Plan* previous, long long through,
                                               const InputVersion& version,
                                               const SchoolSnapshot* before,
                                               const std::string& folder);
    /// The snapshot of a school with this plan; feeds whose bytes did not change keep their
    /// validators, changed ones get a Last-Modified that never goes backwards.
    std::shared_ptr<SchoolSnapshot> render(std::shared_ptr<const LoadedSchool> school, Plan plan,
                                           const SchoolSnapshot* before, const std::string& folder);
    void publish(std::shared_ptr<const Snapshot> s) { std::atomic_store(&snapshot_, std::move(s)); }
    /// Publishes a new snapshot with one school replaced, on top of whatever the other schools
    /// published meanwhile (with publish_mu_: the copy and the swap are one step).
    void publish_school(const std::string& id, std::shared_ptr<const SchoolSnapshot> school);
    /// The lock of one school's writes (tracking changes, staff changes, catching up): a change
    /// of one school never waits for another school's (docs/architecture.md, "Locks").
    std::mutex& school_mutex(const std::string& school);
    /// Every school's lock, in the order of their ids (a reload replaces them all).
    std::vector<std::unique_lock<std::mutex>> lock_every_school(const Snapshot& snap);
    void refresh_subscriptions_locked();  // with reload_mu_ held
    /// `now`: before a write of our own, whatever it costs; otherwise a change whose plan of
    /// today is still on its way is left for its news.
    bool catch_up_locked(const std::string& school, bool now);
    /// True when the school's newest change `change` has waited kTodayPlanWaitSeconds for its
    /// plan of today (with reload_mu_ held).
    bool gap_overdue(const std::string& school, long long change);
    /// school → (newest change without its plan of today, since when)
    std::map<std::string, std::pair<long long, std::int64_t>> waiting_for_today_;
    /// Stores the plan of today of a school after a change of this daemon, for the others.
    void share_today(const SchoolSnapshot& snap);
    /// A change without the rate limit (change() and mark_held() take it).
    EventChangeResult apply_event_change(const std::string& school, const std::string& actor,
                                         const Change& change, bool undo, bool force);
    /// One attempt of it (with reload_mu_ held); nothing when another daemon stored a change of
    /// the school first.
    std::optional<EventChangeResult> try_event_change(const std::string& school,
                                                      const std::string& actor,
                                                      const Change& change, bool undo, bool force);
    void notify(const SchoolSnapshot* before, const SchoolSnapshot& after);
    /// The stored plan as it is today: the plan with the change records after it replayed
    /// (under `school`'s rules), and the newest record it now includes.
    std::pair<Plan, long long> replay_stored(const LoadedSchool& school, const StoredPlan& stored,
                                             Plan plan);

    std::filesystem::path calendars_;
    Store& store_;
    Clock& clock_;
    /// One reload at a time (a reload also takes every school's lock).
    std::mutex reload_mu_;
    std::mutex school_mutexes_mu_;
    std::map<std::string, std::unique_ptr<std::mutex>> school_mutexes_;
    /// The snapshot's read-modify-write: held for a copy of the map and a pointer swap only.
    std::mutex publish_mu_;
    /// waiting_for_today_ (schools catch up under their own locks, at once).
    std::mutex waiting_mu_;
    Metrics metrics_;
    std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
    PlanListener listener_;
    std::string public_url_ = "http://localhost:8080";
    LoginMailer login_mailer_;
    /// In memory for one daemon, in the store when several share it.
    std::unique_ptr<RateLimit> make_limit(const char* name, double burst, double per_second);
    std::unique_ptr<RateLimit> write_limit_;
    std::unique_ptr<RateLimit> sign_in_per_address_;
    std::unique_ptr<RateLimit> sign_in_per_client_;
    mutable std::mutex problem_mu_;
    std::string store_problem_;
    std::mutex background_mu_;
    Background background_;
    std::once_flag secret_once_;
    std::string unsubscribe_secret_;
    /// cycle_trend's past figures, by stored plan id.
    std::mutex past_shares_mu_;
    std::map<long long, std::string> past_shares_;
};

}  // namespace jk::daemon
