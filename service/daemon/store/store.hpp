// The store: what the daemon must not lose. Plans with their history per school year, feed
// subscriptions (only token hashes), tracking records, sessions, the outbox and the audit log.
// An interface in focused parts, implemented by SQLite (one daemon) and PostgreSQL (several
// daemons on one database, docs/deploy.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jk::daemon {

namespace sql {
class Backend;
}

/// A store failure (I/O, corruption, constraint): carries the operation and the backend's words.
class StoreError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct StoredPlan {
    long long id = 0;
    std::string school;
    std::string school_year;
    std::string created_at;  // UTC, YYYY-MM-DDTHH:MM:SSZ
    std::string plan_json;
    /// The school's files this plan was made from (JSON), so that the last good input can be
    /// served again when the files on disk have become invalid.
    std::string sources;
    /// The newest change record this plan includes: the plan of today is this one with the
    /// school year's later change records replayed on it (changes_since).
    long long through_change = 0;
};

enum class FeedScope { school, person, group, role };
std::string_view to_string(FeedScope s);
std::optional<FeedScope> parse_feed_scope(std::string_view s);

struct Subscription {
    long long id = 0;
    std::string school;
    FeedScope scope = FeedScope::school;
    std::string target;      // person id, group id, role name; empty for the school
    std::string token_hash;  // hex SHA-256 of the token; the token itself is never stored
    std::string created_at;
    std::optional<std::string> revoked_at;
};

struct AuditEntry {
    std::string at;
    std::string actor;
    std::string school;
    std::string action;
    std::string detail;
};

/// What a change record does to its event; stored as its word (`to_string`), read back with
/// `parse_event_action`, which also reads the API's path ("/events/<uid>/done").
enum class EventAction { done, cancel, move, undo };
std::string_view to_string(EventAction a);
std::optional<EventAction> parse_event_action(std::string_view s);

/// A change made through the API or the pages: what was asked (to replay it), and the event as
/// it was before (for undo). A change is stored as this record alone, not as a new plan copy.
struct ChangeRecord {
    long long id = 0;
    std::string school;
    std::string school_year;
    std::string uid;
    EventAction action = EventAction::done;
    /// done/cancel/move: the event before the change. undo: the event it restores.
    std::string before_json;
    std::string note;
    std::string actor;  // person id
    std::string at;
    std::string change_json;  // the change as asked (JSON); empty for records before schema 3
    long long undo_of = 0;    // undo: the change it undid
};

/// One message in the outbox: written before it is sent, marked after. `key` is unique: a
/// message that was queued once is never queued again.
/// What a queued message is: one of the kinds of mail (MailKind's words), or a sign-in link.
enum class OutboxKind { reminder, change, overdue, digest, welcome, login, year };
std::string_view to_string(OutboxKind k);
std::optional<OutboxKind> parse_outbox_kind(std::string_view s);
/// Where a queued message is: waiting (or being sent), sent, given up, or no longer needed.
enum class OutboxState { pending, sent, failed, skipped };
std::string_view to_string(OutboxState s);
std::optional<OutboxState> parse_outbox_state(std::string_view s);

struct OutboxMessage {
    long long id = 0;
    std::string key;
    std::string school;
    std::string person;
    std::string address;
    OutboxKind kind = OutboxKind::reminder;
    std::string uid;  // the event; empty for digests; an overdue list: its events, space-separated
    int sequence = 0;
    std::int64_t due_at = 0;
    bool late = false;    // queued after its time because the daemon was not running
    std::string message;  // the whole RFC 5322 text
    OutboxState state = OutboxState::pending;
    int attempts = 0;
    std::int64_t next_attempt_at = 0;
    std::string last_error;
    std::int64_t created_at = 0;
    std::int64_t done_at = 0;  // when it was sent, failed or skipped
};

/// Where an input version comes from: the school's files, a staff change, or the undo of one.
enum class InputOrigin { files, change, undo };
std::string_view to_string(InputOrigin o);
std::optional<InputOrigin> parse_input_origin(std::string_view s);

/// What a write that goes on top of what its writer read did: stored, with the new row's id,
/// or not, because another daemon wrote in between (read again and retry). An unreachable
/// database and every other failure are exceptions (StoreUnavailable, StoreError), not results.
struct Stored {
    enum class Outcome { stored, conflict };
    Outcome outcome = Outcome::stored;
    long long id = 0;
    [[nodiscard]] bool conflict() const { return outcome == Outcome::conflict; }
    static Stored as(long long id) { return {Outcome::stored, id}; }
    static Stored lost_race() { return {Outcome::conflict, 0}; }
};

/// One version of a school's input (docs/input.md): its files as imported, or a staff change
/// made in the web pages or the API, or the undo of one, with the input that results. The input
/// of a school is the `sources` of its newest version: every daemon plans from the store, never
/// from a disk of its own.
struct InputVersion {
    long long id = 0;
    std::string school;
    std::string school_year;
    std::string created_at;
    InputOrigin origin = InputOrigin::files;
    std::string actor;        // person id; empty for files
    std::string change_json;  // change: the StaffChange as JSON (jaarkalender/staff_change.hpp)
    long long undo_of = 0;    // undo: the version of the change it undoes
    std::string summary;      // Dutch, one line, for the history (never an absence's reason)
    std::string files;        // the school's files this version builds on (sources JSON)
    std::string sources;      // the input that results (sources JSON): what is planned
    std::string skipped;      // JSON [{"change": id, "reason": ...}]: changes that did not apply
};

/// Where a school year made from the one before it stands (docs/input.md, "Next school year"):
/// a draft only the school's leads see, published to everyone beside the current year, or
/// current (the switch happened; its input is the school's input).
enum class YearState { draft, published, current };
std::string_view to_string(YearState s);
std::optional<YearState> parse_year_state(std::string_view s);

/// A school year made from the one before it.
struct SchoolYearRow {
    std::string school;
    std::string school_year;
    YearState state = YearState::draft;
    std::string created_at;
    std::string created_by;
    std::string published_at;
    std::string published_by;
    std::string plan_json;    // published: the plan staff see, re-planned stably from it
    std::string todo = "[]";  // JSON [{"text": ..., "done": bool}]: what the school fills in
};

/// A signed-in person of the web pages, with the session's CSRF token.
struct WebSession {
    std::string school;
    std::string person;
    std::string csrf;
};

struct ApiTokenOwner {
    std::string school;
    std::string person;
};

/// A write that kept losing the race to other daemons changing the same school: nothing was
/// stored, the database is fine; the request may be tried again at once (409).
class StoreConflict : public StoreError {
  public:
    using StoreError::StoreError;
};

/// A store that cannot be reached just now (the database is down, restarting or failing
/// over): the request may succeed when tried again (503 with Retry-After), nothing was written.
class StoreUnavailable : public StoreError {
  public:
    using StoreError::StoreError;
};

/// The newest plan, input version and change record of a school: what a daemon compares with
/// what it serves to learn whether another daemon changed the school (0 where there is none).
struct SchoolHead {
    long long plan = 0;
    long long input = 0;
    long long change = 0;  // of the school year asked for
};

/// A school's plan as it is after its newest change record, as the daemon that made the change
/// computed it. With several daemons the others read it instead of replaying the record (a
/// re-plan each, which would cost every daemon what the change cost one). One row per school,
/// overwritten: not history (that is the change records and the stored plans).
struct TodayPlan {
    std::string school;
    std::string school_year;
    long long through_change = 0;
    long long stored_plan = 0;    // the stored plan it builds on
    long long input_version = 0;  // the input it was planned from
    std::string plan_json;
};

/// The parts below are what the daemon's components use: each runs its queries, written once,
/// on the backend it is given (sql.hpp: SQLite or PostgreSQL);
/// tests/daemon/store_conformance_test.cpp holds every backend to the same contract.

/// The schools' input versions and the plans made from them, with their history.
class PlanStore {
  public:
    explicit PlanStore(sql::Backend& backend) : b_(backend) {}
    /// Appends a plan to the school year's history (never overwrites).
    long long save_plan(const StoredPlan& plan);
    /// The newest plan of a school (of any year), if any.
    std::optional<StoredPlan> latest_plan(const std::string& school);
    /// The input files (`sources`) of the newest plan of a school, without reading the plan.
    std::optional<std::string> plan_sources(const std::string& school);
    /// How many plans the school year's history holds.
    long long plan_count(const std::string& school, const std::string& school_year);
    /// Every school year that has a stored plan, per school (past years in the school list).
    std::map<std::string, std::vector<std::string>> planned_years();
    /// The newest plan of each school year of a school, oldest year first (the trend view).
    std::vector<StoredPlan> yearly_plans(const std::string& school);

    /// One transaction: a new input version and its audit entry; a conflict when the school's
    /// newest version is no longer `based_on` (another daemon stored one in between). `based_on`
    /// < 0 accepts any.
    Stored add_input_version(const InputVersion& version, const AuditEntry& audit,
                             long long based_on = -1);
    /// The newest input version of a school, if any.
    std::optional<InputVersion> latest_input(const std::string& school);
    /// Every input version of a school, oldest first (the history, and the changes to compose).
    std::vector<InputVersion> input_versions(const std::string& school);
    /// The schools that have an input version, sorted.
    std::vector<std::string> input_schools();
    /// One small read: the ids of the school's newest plan, input version and change record.
    SchoolHead school_head(const std::string& school, const std::string& school_year);

    // ---- next school year: a draft or published year is not the school's input yet; the
    // reads above leave its versions out (latest_input, input_versions, school_head) --------
    /// The newest input version of one school year (a draft's, or any other), if any.
    std::optional<InputVersion> latest_input_of(const std::string& school,
                                                const std::string& school_year);
    /// Every input version of one school year, oldest first.
    std::vector<InputVersion> input_versions_of(const std::string& school,
                                                const std::string& school_year);
    /// The years made from the year before (draft, published, current) of a school, by year;
    /// of every school when `school` is empty.
    std::vector<SchoolYearRow> school_years(const std::string& school);
    /// One transaction: a new draft year with its first input version; a conflict when the
    /// school already has that year.
    Stored start_year(const SchoolYearRow& year, const InputVersion& first,
                      const AuditEntry& audit);
    /// A draft is published (with the plan staff see), a published year's plan is kept after a
    /// change (`plan_json`), or a year becomes current; the row as it was asked is stored.
    void update_year(const SchoolYearRow& year, const AuditEntry* audit);

  private:
    sql::Backend& b_;
};

/// What was held, cancelled, moved or undone.
class TrackingStore {
  public:
    explicit TrackingStore(sql::Backend& backend) : b_(backend) {}
    /// One transaction: the change record and its audit entry. When this returns, the change is
    /// on disk (the API answers 2xx only after it). A conflict, and nothing stored, when the
    /// school year has a record newer than `based_on` (another daemon changed the school in
    /// between: catch up and retry); `based_on` < 0 accepts any.
    /// The other daemons hear of it with its plan of today (put_today_plan), or at their next
    /// look at the store.
    Stored commit_change(const ChangeRecord& change, const AuditEntry& audit,
                         long long based_on = -1);
    /// The newest done/cancel/move of an event that has not been undone yet.
    std::optional<ChangeRecord> last_change(const std::string& school, const std::string& uid);
    /// One transaction: the undo record, the undone change marked as such, the audit entry;
    /// a conflict on a newer record, as commit_change.
    Stored commit_undo(const ChangeRecord& undo, const AuditEntry& audit, long long based_on = -1);
    /// Stores the plan of today after a change record (unless a newer one is there already)
    /// and tells the other daemons. Written after the change is answered: off the write path.
    void put_today_plan(const TodayPlan& today);
    /// The plan of today a daemon stored after the school's newest change, if any.
    std::optional<TodayPlan> today_plan(const std::string& school);
    /// The change records of a school year after `after_id`, oldest first (to replay on the
    /// stored plan that includes `after_id`).
    std::vector<ChangeRecord> changes_since(const std::string& school,
                                            const std::string& school_year, long long after_id);

  private:
    sql::Backend& b_;
};

/// Feed subscriptions (token hashes only).
class SubscriptionStore {
  public:
    explicit SubscriptionStore(sql::Backend& backend) : b_(backend) {}
    long long add_subscription(const Subscription& s);
    /// Active (not revoked) subscriptions, all schools.
    std::vector<Subscription> active_subscriptions();
    /// The active subscription with this token hash, if any (an indexed lookup).
    std::optional<Subscription> find_subscription(const std::string& token_hash);
    /// Revokes every active subscription of a school and scope/target; returns how many.
    int revoke_subscriptions(const std::string& school, FeedScope scope, const std::string& target,
                             const std::string& at);

  private:
    sql::Backend& b_;
};

/// Who may do what: API tokens, sign-in links, sessions, what a page shows once, the rate
/// limits, and the installation's secrets. Shared by every daemon on the same database.
class AccessStore {
  public:
    explicit AccessStore(sql::Backend& backend) : b_(backend) {}
    void add_api_token(const std::string& school, const std::string& person,
                       const std::string& token_hash, const std::string& at);
    std::optional<ApiTokenOwner> find_api_token(const std::string& token_hash);
    int revoke_api_tokens(const std::string& school, const std::string& person,
                          const std::string& at);

    /// A single-use sign-in link (its hash), valid until `expires_at`.
    void add_login_link(const std::string& token_hash, const std::string& school,
                        const std::string& person, std::int64_t expires_at);
    /// Uses a sign-in link: its owner when it is unused and unexpired (then it is used up).
    std::optional<ApiTokenOwner> use_login_link(const std::string& token_hash, std::int64_t now);
    void add_session(const WebSession& session, const std::string& token_hash,
                     std::int64_t created_at, std::int64_t expires_at);
    std::optional<WebSession> find_session(const std::string& token_hash, std::int64_t now);
    void end_session(const std::string& token_hash);

    /// Keeps `value` under `key` until `expires_at` (a subscribe link a page shows once after
    /// its redirect, on whichever daemon the reload lands).
    void stash(const std::string& key, const std::string& value, std::int64_t expires_at);
    /// Takes a stashed value (it is gone afterwards); none when absent or expired at `now`.
    std::optional<std::string> take_stash(const std::string& key, std::int64_t now);

    /// One step of the token bucket `key` (`burst` at once, then `per_second`) at `now`
    /// (seconds, fractions allowed): true when it was allowed. Otherwise `retry_after` (when
    /// given) is set to the whole seconds until a step is. Every daemon on the database
    /// counts in the same buckets.
    bool take_rate(const std::string& key, double burst, double per_second, double now,
                   int* retry_after);

    /// A named secret of this installation (e.g. the key of unsubscribe links): the stored one,
    /// or `fresh`, stored now, when there is none.
    std::string secret(const std::string& name, const std::string& fresh);

  private:
    sql::Backend& b_;
};

/// The mail outbox, the scan cursors and the opt-outs.
class OutboxStore {
  public:
    explicit OutboxStore(sql::Backend& backend) : b_(backend) {}
    /// One transaction: the messages whose key is new, and the scan cursor `cursor_name` moved
    /// to `cursor`. Returns how many messages were new.
    int enqueue_mail(const std::vector<OutboxMessage>& messages, const std::string& cursor_name,
                     std::int64_t cursor);
    /// Where the last scan of this name ended, if it ever ran.
    std::optional<std::int64_t> mail_cursor(const std::string& cursor_name);
    /// Claims up to `limit` pending messages whose next attempt is due, oldest due first, for
    /// `owner` until `now + lease_seconds`: no other daemon claims them meanwhile (rows that
    /// another is claiming are skipped, not waited for). A daemon that dies leaves its claims
    /// to expire; then another sends them.
    std::vector<OutboxMessage> outbox_claim(std::int64_t now, int limit, const std::string& owner,
                                            int lease_seconds);
    /// Gives back `owner`'s claims on messages that are still pending (a daemon that stops);
    /// empty `owner`: every claim (the one daemon of an unshared store, at its start: whoever
    /// claimed before was that daemon, killed).
    void outbox_release(const std::string& owner);
    /// The earliest moment a pending message can be claimed (next attempt, or its lease's end).
    std::optional<std::int64_t> outbox_next_attempt();
    void outbox_sent(long long id, std::int64_t at);
    void outbox_retry(long long id, std::int64_t next_attempt, const std::string& error);
    /// Ends a message that will not be sent: "failed" (refused for good) or "skipped" (its
    /// event was resolved meanwhile), with the reason.
    void outbox_close(long long id, OutboxState state, std::int64_t at, const std::string& reason);
    /// A school's messages, newest first; in every state when `state` is none.
    std::vector<OutboxMessage> outbox(const std::string& school, std::optional<OutboxState> state,
                                      int limit);
    /// Counts per state of a school's messages (all schools when empty).
    std::vector<std::pair<std::string, long long>> outbox_counts(const std::string& school);

    /// Turns one kind of mail off (or on again) for a person.
    void set_mail_optout(const std::string& school, const std::string& person,
                         const std::string& kind, bool off, const std::string& at);
    /// (person, kind) pairs that are off for a school.
    std::vector<std::pair<std::string, std::string>> mail_optouts(const std::string& school);

    /// Copies what the write-ahead log holds into the database without waiting for or blocking
    /// writers (SQLite's PASSIVE checkpoint; a no-op where there is no such log). The mail
    /// sender's connection never checkpoints itself, so that no mark waits for a checkpoint's
    /// fsync; the sender asks another connection to do this between its batches.
    void checkpoint();

  private:
    sql::Backend& b_;
};

/// Who did what, when (never a note or an absence's reason).
class AuditStore {
  public:
    explicit AuditStore(sql::Backend& backend) : b_(backend) {}
    void audit(const AuditEntry& e);
    std::vector<AuditEntry> audit_log(const std::string& school);

  private:
    sql::Backend& b_;
};

/// What several daemons on one database tell each other (a no-op for one daemon on SQLite).
struct StoreNews {
    std::vector<std::string> schools;  // whose plan, input or tracking changed
    bool subscriptions = false;        // a subscription was added or revoked
    bool resync = false;               // the connection was lost: news may be missed
    std::string problem;               // why the database cannot be reached (Dutch), or empty
};
class StoreListener {
  public:
    virtual ~StoreListener() = default;
    /// Waits up to `timeout` for news (empty when there is none). Reconnects by itself; after a
    /// reconnect it reports `resync`.
    virtual StoreNews wait(std::chrono::milliseconds timeout) = 0;
};

/// Coordination between daemons: leases (one daemon does a periodic task) and news.
class ClusterStore {
  public:
    explicit ClusterStore(sql::Backend& backend) : b_(backend) {}
    /// Takes or renews the lease `name` for `owner` until `now + seconds`: true when it is
    /// `owner`'s now (it was free, expired, or already `owner`'s).
    bool acquire_lease(const std::string& name, const std::string& owner, std::int64_t now,
                       int seconds);
    void release_lease(const std::string& name, const std::string& owner);
    /// A listener on another connection, or null when this backend has no other daemons.
    std::unique_ptr<StoreListener> listen();
    /// True when other daemons may share this database (news and leases matter).
    [[nodiscard]] bool shared() const;

  private:
    sql::Backend& b_;
};

/// Rows of one table, as text (NULL as nullopt), for copying a store to another backend.
struct TableRows {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;
};

/// The backend a Store's parts share: a base listed first, so that it is made before them.
class StoreBackend {
  protected:
    explicit StoreBackend(std::unique_ptr<sql::Backend> backend);
    ~StoreBackend();
    std::unique_ptr<sql::Backend> backend_;
};
/// The whole store: every part above, on one database. A component takes the parts it uses.
class Store : private StoreBackend,
              public PlanStore,
              public TrackingStore,
              public SubscriptionStore,
              public AccessStore,
              public OutboxStore,
              public AuditStore,
              public ClusterStore {
  public:
    /// Opens the store on `backend`, migrating its schema. Throws StoreError.
    explicit Store(std::unique_ptr<sql::Backend> backend);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /// Schema version after migrations.
    int schema_version();
    /// "sqlite" or "postgresql".
    [[nodiscard]] std::string backend() const;
    /// Every row of a table of kCopiedTables, in id (or key) order.
    TableRows read_table(const std::string& table);
    /// Writes rows into an empty table in one transaction, ids kept (sequences follow).
    void write_table(const std::string& table, const TableRows& rows);
    long long count_rows(const std::string& table);

  private:
    void migrate();
};

/// The tables `migrate-store` copies, in an order that keeps references valid.
inline constexpr const char* kCopiedTables[] = {
    "input_versions", "plans",     "event_changes", "subscriptions", "api_tokens",
    "login_links",    "sessions",  "mail_outbox",   "mail_cursors",  "mail_optouts",
    "secrets",        "audit_log", "stash",         "today_plans",   "school_years",
};
/// `table` when it is one of kCopiedTables (a name put into SQL text), else StoreError.
std::string copied_table(const std::string& table);

/// How hard a connection syncs. `full`: a committed transaction survives a power cut (every
/// write the API acknowledges). `normal`: it survives a crash of the daemon but may be lost in a
/// power cut; the mail sender's marks use it, where a lost mark means at most one repeated mail.
/// A `normal` connection also leaves checkpoints to others (Store::checkpoint): on a disk with a
/// slow fsync, a checkpoint every thousand pages held up the sender's marks (bench/mail with
/// JK_BENCH_FSYNC_US=20000: 0.87x smtplib).
enum class Durability { full, normal };

/// Where the store is: an SQLite file, or a PostgreSQL connection string (libpq's, e.g.
/// "host=db1,db2 dbname=jaarkalender user=jk target_session_attrs=read-write") with the
/// password read from a file.
struct StoreLocation {
    std::string sqlite;
    std::string postgresql;
    std::string password_file;
    int connections = 4;  // PostgreSQL: the pool of one daemon
};

/// The password in a file (the first line; a file only the daemon's user can read, as
/// libpq's own passfile). Throws StoreError naming the file when it cannot be read.
std::string read_password_file(const std::string& path);

/// Opens the store a location names (creating and migrating it). Throws StoreError.
std::unique_ptr<Store> open_store(const StoreLocation& where,
                                  Durability durability = Durability::full);

/// Opens (creating and migrating) a PostgreSQL database: versioned migrations as SQLite's,
/// refusing a newer schema; a pool of connections that reconnect (and follow a failover with a
/// multi-host string and target_session_attrs=read-write). Throws StoreError.
std::unique_ptr<Store> open_postgresql_store(const std::string& conninfo,
                                             const std::string& password = "", int connections = 4);

/// Opens (creating and migrating) an SQLite database: WAL, foreign keys, a busy timeout, and
/// synchronous=FULL (or NORMAL) so that a committed write survives a crash. Throws StoreError.
std::unique_ptr<Store> open_sqlite_store(const std::string& path,
                                         Durability durability = Durability::full);

/// Milliseconds a writer waits for a lock before failing.
inline constexpr int kBusyTimeoutMs = 5000;

}  // namespace jk::daemon
