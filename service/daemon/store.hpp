// The store: what the daemon must not lose. Plans with their history per school year, feed
// subscriptions (only token hashes), tracking records and the audit log. An interface, so that
// PostgreSQL can follow SQLite without touching the core or the routes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace jk::daemon {

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

/// A change made through the API or the pages: what was asked (to replay it), and the event as
/// it was before (for undo). A change is stored as this record alone, not as a new plan copy.
struct ChangeRecord {
    long long id = 0;
    std::string school;
    std::string school_year;
    std::string uid;
    std::string action;  // done | cancel | move | undo
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
struct OutboxMessage {
    long long id = 0;
    std::string key;
    std::string school;
    std::string person;
    std::string address;
    std::string kind;  // reminder | change | overdue | digest
    std::string uid;   // the event; empty for digests; an overdue list: its events, space-separated
    int sequence = 0;
    std::int64_t due_at = 0;
    bool late = false;              // queued after its time because the daemon was not running
    std::string message;            // the whole RFC 5322 text
    std::string state = "pending";  // pending | sent | failed | skipped
    int attempts = 0;
    std::int64_t next_attempt_at = 0;
    std::string last_error;
    std::int64_t created_at = 0;
    std::int64_t done_at = 0;  // when it was sent, failed or skipped
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
    std::string origin;       // files | change | undo
    std::string actor;        // person id; empty for files
    std::string change_json;  // change: the StaffChange as JSON (jaarkalender/staff_change.hpp)
    long long undo_of = 0;    // undo: the version of the change it undoes
    std::string summary;      // Dutch, one line, for the history (never an absence's reason)
    std::string files;        // the school's files this version builds on (sources JSON)
    std::string sources;      // the input that results (sources JSON): what is planned
    std::string skipped;      // JSON [{"change": id, "reason": ...}]: changes that did not apply
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

class Store {
  public:
    virtual ~Store() = default;

    /// Appends a plan to the school year's history (never overwrites).
    virtual long long save_plan(const StoredPlan& plan) = 0;
    /// The newest plan of a school (of any year), if any.
    virtual std::optional<StoredPlan> latest_plan(const std::string& school) = 0;
    /// The input files (`sources`) of the newest plan of a school, without reading the plan.
    virtual std::optional<std::string> plan_sources(const std::string& school) = 0;
    /// How many plans the school year's history holds.
    virtual long long plan_count(const std::string& school, const std::string& school_year) = 0;

    virtual long long add_subscription(const Subscription& s) = 0;
    /// Active (not revoked) subscriptions, all schools.
    virtual std::vector<Subscription> active_subscriptions() = 0;
    /// The active subscription with this token hash, if any (an indexed lookup).
    virtual std::optional<Subscription> find_subscription(const std::string& token_hash) = 0;
    /// Revokes every active subscription of a school and scope/target; returns how many.
    virtual int revoke_subscriptions(const std::string& school, FeedScope scope,
                                     const std::string& target, const std::string& at) = 0;

    /// One transaction: the change record and its audit entry; returns the record's id. When
    /// this returns, the change is on disk (the API answers 2xx only after it).
    virtual long long commit_change(const ChangeRecord& change, const AuditEntry& audit) = 0;
    /// The newest done/cancel/move of an event that has not been undone yet.
    virtual std::optional<ChangeRecord> last_change(const std::string& school,
                                                    const std::string& uid) = 0;
    /// One transaction: the undo record, the undone change marked as such, the audit entry;
    /// returns the undo record's id.
    virtual long long commit_undo(const ChangeRecord& undo, const AuditEntry& audit) = 0;
    /// The change records of a school year after `after_id`, oldest first (to replay on the
    /// stored plan that includes `after_id`).
    virtual std::vector<ChangeRecord> changes_since(const std::string& school,
                                                    const std::string& school_year,
                                                    long long after_id) = 0;

    virtual void add_api_token(const std::string& school, const std::string& person,
                               const std::string& token_hash, const std::string& at) = 0;
    virtual std::optional<ApiTokenOwner> find_api_token(const std::string& token_hash) = 0;
    virtual int revoke_api_tokens(const std::string& school, const std::string& person,
                                  const std::string& at) = 0;

    virtual void audit(const AuditEntry& e) = 0;
    virtual std::vector<AuditEntry> audit_log(const std::string& school) = 0;

    // ---- mail --------------------------------------------------------------------------------
    /// One transaction: the messages whose key is new, and the scan cursor `cursor_name` moved
    /// to `cursor`. Returns how many messages were new.
    virtual int enqueue_mail(const std::vector<OutboxMessage>& messages,
                             const std::string& cursor_name, std::int64_t cursor) = 0;
    /// Where the last scan of this name ended, if it ever ran.
    virtual std::optional<std::int64_t> mail_cursor(const std::string& cursor_name) = 0;
    /// Pending messages whose next attempt is due, oldest due first.
    virtual std::vector<OutboxMessage> outbox_ready(std::int64_t now, int limit) = 0;
    /// The earliest next attempt of a pending message.
    virtual std::optional<std::int64_t> outbox_next_attempt() = 0;
    virtual void outbox_sent(long long id, std::int64_t at) = 0;
    virtual void outbox_retry(long long id, std::int64_t next_attempt,
                              const std::string& error) = 0;
    /// Ends a message that will not be sent: "failed" (refused for good) or "skipped" (its
    /// event was resolved meanwhile), with the reason.
    virtual void outbox_close(long long id, const std::string& state, std::int64_t at,
                              const std::string& reason) = 0;
    /// A school's messages, newest first; `state` empty for all.
    virtual std::vector<OutboxMessage> outbox(const std::string& school, const std::string& state,
                                              int limit) = 0;
    /// Counts per state of a school's messages (all schools when empty).
    virtual std::vector<std::pair<std::string, long long>> outbox_counts(
        const std::string& school) = 0;

    /// Turns one kind of mail off (or on again) for a person.
    virtual void set_mail_optout(const std::string& school, const std::string& person,
                                 const std::string& kind, bool off, const std::string& at) = 0;
    /// (person, kind) pairs that are off for a school.
    virtual std::vector<std::pair<std::string, std::string>> mail_optouts(
        const std::string& school) = 0;

    /// A named secret of this installation (e.g. the key of unsubscribe links): the stored one,
    /// or `fresh`, stored now, when there is none.
    virtual std::string secret(const std::string& name, const std::string& fresh) = 0;

    // ---- web pages ---------------------------------------------------------------------------
    /// A single-use sign-in link (its hash), valid until `expires_at`.
    virtual void add_login_link(const std::string& token_hash, const std::string& school,
                                const std::string& person, std::int64_t expires_at) = 0;
    /// Uses a sign-in link: its owner when it is unused and unexpired (then it is used up).
    virtual std::optional<ApiTokenOwner> use_login_link(const std::string& token_hash,
                                                        std::int64_t now) = 0;
    virtual void add_session(const WebSession& session, const std::string& token_hash,
                             std::int64_t created_at, std::int64_t expires_at) = 0;
    virtual std::optional<WebSession> find_session(const std::string& token_hash,
                                                   std::int64_t now) = 0;
    virtual void end_session(const std::string& token_hash) = 0;
    /// The newest plan of each school year of a school, oldest year first (the trend view).
    virtual std::vector<StoredPlan> yearly_plans(const std::string& school) = 0;

    /// Copies what the write-ahead log holds into the database without waiting for or blocking
    /// writers (SQLite's PASSIVE checkpoint; a no-op where there is no such log). The mail
    /// sender's connection never checkpoints itself, so that no mark waits for a checkpoint's
    /// fsync; the sender asks another connection to do this between its batches.
    virtual void checkpoint() = 0;

    // ---- the schools' input ----------------------------------------------------------------
    /// One transaction: a new input version and its audit entry; returns the version's id.
    virtual long long add_input_version(const InputVersion& version, const AuditEntry& audit) = 0;
    /// The newest input version of a school, if any.
    virtual std::optional<InputVersion> latest_input(const std::string& school) = 0;
    /// Every input version of a school, oldest first (the history, and the changes to compose).
    virtual std::vector<InputVersion> input_versions(const std::string& school) = 0;
    /// The schools that have an input version, sorted.
    virtual std::vector<std::string> input_schools() = 0;

    /// Schema version after migrations.
    virtual int schema_version() = 0;
};

/// How hard a connection syncs. `full`: a committed transaction survives a power cut (every
/// write the API acknowledges). `normal`: it survives a crash of the daemon but may be lost in a
/// power cut; the mail sender's marks use it, where a lost mark means at most one repeated mail.
/// A `normal` connection also leaves checkpoints to others (Store::checkpoint): on a disk with a
/// slow fsync, a checkpoint every thousand pages held up the sender's marks (bench/mail with
/// JK_BENCH_FSYNC_US=20000: 0.87x smtplib).
enum class Durability { full, normal };

/// Opens (creating and migrating) an SQLite database: WAL, foreign keys, a busy timeout, and
/// synchronous=FULL (or NORMAL) so that a committed write survives a crash. Throws StoreError.
std::unique_ptr<Store> open_sqlite_store(const std::string& path,
                                         Durability durability = Durability::full);

/// Milliseconds a writer waits for a lock before failing.
inline constexpr int kBusyTimeoutMs = 5000;

}  // namespace jk::daemon
