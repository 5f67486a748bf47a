// The SQLite store. One connection, serialised by a mutex: SQLite has one writer anyway, and
// the daemon's writes are few (plan changes, subscriptions, tracking) next to its reads, which
// are served from memory.
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>

#include "daemon/store/store.hpp"

namespace jk::daemon {
namespace {

// Each migration moves the schema one version up; they run in a transaction, in order, once.
constexpr const char* kMigrations[] = {
    // 1: plans with history, subscriptions, tracking records, API tokens, audit log.
    R"SQL(
CREATE TABLE plans (
  id          INTEGER PRIMARY KEY,
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  plan_json   TEXT NOT NULL,
  sources     TEXT NOT NULL  -- the school's files as JSON: the last good input, to serve from
);
CREATE INDEX plans_by_school ON plans (school, id);
CREATE TABLE subscriptions (
  id          INTEGER PRIMARY KEY,
  school      TEXT NOT NULL,
  scope       TEXT NOT NULL CHECK (scope IN ('school', 'person', 'group', 'role')),
  target      TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE TABLE event_changes (
  id          INTEGER PRIMARY KEY,
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  uid         TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('done', 'cancel', 'move')),
  before_json TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  actor       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  undone_at   TEXT
);
CREATE INDEX event_changes_by_uid ON event_changes (school, uid, id);
CREATE TABLE api_tokens (
  id          INTEGER PRIMARY KEY,
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  school      TEXT NOT NULL,
  action      TEXT NOT NULL,
  detail      TEXT NOT NULL
);
)SQL",
    // 2: reminder e-mail: the outbox (written before sending), scan cursors, opt-outs, secrets.
    R"SQL(
CREATE TABLE mail_outbox (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,  -- uid|recipient|kind|offset|sequence: never twice
  school          TEXT NOT NULL,
  person          TEXT NOT NULL,
  address         TEXT NOT NULL,
  kind            TEXT NOT NULL
                  CHECK (kind IN ('reminder', 'change', 'overdue', 'digest', 'login')),
  uid             TEXT NOT NULL,
  sequence        INTEGER NOT NULL,
  due_at          INTEGER NOT NULL,
  late            INTEGER NOT NULL DEFAULT 0,
  message         TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  done_at         INTEGER
);
CREATE INDEX mail_outbox_ready ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_by_school ON mail_outbox (school, id);
CREATE TABLE mail_cursors (
  name        TEXT PRIMARY KEY,
  scanned_to  INTEGER NOT NULL
);
CREATE TABLE mail_optouts (
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  kind        TEXT NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (school, person, kind)
);
CREATE TABLE secrets (
  name        TEXT PRIMARY KEY,
  value       TEXT NOT NULL
);
-- Web pages: single-use sign-in links and sessions (only token hashes).
CREATE TABLE login_links (
  token_hash  TEXT PRIMARY KEY,
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER
);
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  csrf        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
)SQL",
    // 3: a change is stored as a change record, not as a new copy of the plan (~210 KB each).
    // The newest plan says which records it includes; later ones are replayed on it. Undo
    // becomes a record of its own, so that a replay restores what the live change restored.
    R"SQL(
ALTER TABLE plans ADD COLUMN through_change INTEGER NOT NULL DEFAULT 0;
-- Until now every change stored a whole plan in its own transaction: each plan includes every
-- change before it.
UPDATE plans SET through_change = (SELECT coalesce(max(id), 0) FROM event_changes);
CREATE TABLE event_changes_v3 (
  id          INTEGER PRIMARY KEY,
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  uid         TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('done', 'cancel', 'move', 'undo')),
  before_json TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  actor       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  undone_at   TEXT,
  change_json TEXT NOT NULL DEFAULT '',
  undo_of     INTEGER
);
INSERT INTO event_changes_v3 (id, school, school_year, uid, action, before_json, note, actor,
                              created_at, undone_at)
  SELECT id, school, school_year, uid, action, before_json, note, actor, created_at, undone_at
  FROM event_changes;
DROP TABLE event_changes;
ALTER TABLE event_changes_v3 RENAME TO event_changes;
CREATE INDEX event_changes_by_uid ON event_changes (school, uid, id);
CREATE INDEX event_changes_by_year ON event_changes (school, school_year, id);
)SQL",
    // 4: the school's input lives in the store as versions (docs/input.md): the files as
    // imported, and the staff changes made in the web pages, each with the input that results.
    // The input of the newest plan of each school becomes its first version.
    R"SQL(
CREATE TABLE input_versions (
  id          INTEGER PRIMARY KEY,
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  origin      TEXT NOT NULL CHECK (origin IN ('files', 'change', 'undo')),
  actor       TEXT NOT NULL DEFAULT '',
  change_json TEXT NOT NULL DEFAULT '',
  undo_of     INTEGER NOT NULL DEFAULT 0,
  summary     TEXT NOT NULL DEFAULT '',
  files       TEXT NOT NULL,
  sources     TEXT NOT NULL,
  skipped     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX input_versions_by_school ON input_versions (school, id);
INSERT INTO input_versions (school, school_year, created_at, origin, files, sources)
  SELECT school, school_year, created_at, 'files', sources, sources FROM plans
  WHERE id IN (SELECT max(id) FROM plans GROUP BY school) AND sources <> '';
)SQL",
    // 5: several daemons on one database (PostgreSQL's migration 5 is the same): outbox claims
    // with a lease, leases for periodic work, and what a page shows once after a redirect.
    R"SQL(
ALTER TABLE mail_outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
CREATE TABLE leases (
  name        TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  until       INTEGER NOT NULL
);
CREATE TABLE stash (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE TABLE today_plans (
  school         TEXT PRIMARY KEY,
  school_year    TEXT NOT NULL,
  through_change INTEGER NOT NULL,
  stored_plan    INTEGER NOT NULL,
  input_version  INTEGER NOT NULL,
  plan_json      TEXT NOT NULL
);
)SQL",
    // 6: the welcome mail of a newcomer or a new invaller is a kind of its own (PostgreSQL's 6
    // changes the constraint; SQLite rebuilds the table, ids kept).
    R"SQL(
CREATE TABLE mail_outbox_v6 (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,  -- uid|recipient|kind|offset|sequence: never twice
  school          TEXT NOT NULL,
  person          TEXT NOT NULL,
  address         TEXT NOT NULL,
  kind            TEXT NOT NULL
                  CHECK (kind IN ('reminder', 'change', 'overdue', 'digest', 'login', 'welcome')),
  uid             TEXT NOT NULL,
  sequence        INTEGER NOT NULL,
  due_at          INTEGER NOT NULL,
  late            INTEGER NOT NULL DEFAULT 0,
  message         TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  done_at         INTEGER,
  lease_owner     TEXT NOT NULL DEFAULT '',
  lease_until     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO mail_outbox_v6 (id, key, school, person, address, kind, uid, sequence, due_at, late,
                            message, state, attempts, next_attempt_at, last_error, created_at,
                            done_at, lease_owner, lease_until)
  SELECT id, key, school, person, address, kind, uid, sequence, due_at, late, message, state,
         attempts, next_attempt_at, last_error, created_at, done_at, lease_owner, lease_until
  FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_v6 RENAME TO mail_outbox;
CREATE INDEX mail_outbox_ready ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_by_school ON mail_outbox (school, id);
)SQL",
};

class Statement {
  public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw StoreError(std::string("sqlite prepare: ") + sqlite3_errmsg(db) + " in: " + sql);
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& v) {
        check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(int i, long long v) {
        check(sqlite3_bind_int64(stmt_, i, v));
        return *this;
    }
    Statement& bind_null(int i) {
        check(sqlite3_bind_null(stmt_, i));
        return *this;
    }
    /// True while there is a row.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw StoreError(std::string("sqlite step: ") + sqlite3_errmsg(db_));
    }
    std::string text(int col) const {
        const auto* p = sqlite3_column_text(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }
    std::optional<std::string> optional_text(int col) const {
        if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
        return text(col);
    }
    long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }
    [[nodiscard]] sqlite3_stmt* raw() const { return stmt_; }

  private:
    void check(int rc) {
        if (rc != SQLITE_OK) throw StoreError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class SqliteStore final : public Store {
  public:
    SqliteStore(const std::string& path, Durability durability) {
        if (sqlite3_open_v2(path.c_str(), &db_,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                            nullptr) != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw StoreError("kan database " + path + " niet openen: " + msg);
        }
        try {
            sqlite3_busy_timeout(db_, kBusyTimeoutMs);
            exec("PRAGMA journal_mode=WAL");
            // FULL: a transaction that returned is on disk, also after a power cut (the daemon
            // answers 2xx only after the commit).
            exec(durability == Durability::full ? "PRAGMA synchronous=FULL"
                                                : "PRAGMA synchronous=NORMAL");
            // Read back, not assumed: a build or a file that does not give what the store
            // promises must not run (the crash test reads this line in a debug log).
            const int sync = pragma_int("PRAGMA synchronous");  // 1 NORMAL, 2 FULL, 3 EXTRA
            spdlog::debug("store: sqlite {}: synchronous={} ({})", path,
                          sync >= 3   ? "extra"
                          : sync == 2 ? "full"
                          : sync == 1 ? "normal"
                                      : "off",
                          durability == Durability::full ? "writes the API acknowledges"
                                                         : "the mail sender's marks");
            if (sync < (durability == Durability::full ? 2 : 1))
                throw StoreError("sqlite " + path + ": synchronous is " + std::to_string(sync) +
                                 ", lager dan deze verbinding belooft");
            if (durability == Durability::normal) exec("PRAGMA wal_autocheckpoint=0");
            exec("PRAGMA foreign_keys=ON");
            // The daemon keeps every plan in memory and reads the database only at start and on
            // a change: SQLite's default 2 MiB page cache per connection would mostly hold plan
            // rows written once. 512 KiB keeps the indexes and the outbox hot.
            exec("PRAGMA cache_size=-512");
            migrate();
        } catch (...) {
            // The destructor does not run for a constructor that throws: close here.
            sqlite3_close(db_);
            throw;
        }
    }
    ~SqliteStore() override {
        sent_stmt_.reset();  // statements before the connection
        sqlite3_close(db_);
    }

    long long save_plan(const StoredPlan& p) override {
        std::lock_guard lock(mu_);
        return insert_plan(p);
    }

    std::optional<StoredPlan> latest_plan(const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(
            db_,
            (std::string(kPlanColumns) + " WHERE school = ? ORDER BY id DESC LIMIT 1").c_str());
        st.bind(1, school);
        if (!st.step()) return std::nullopt;
        return plan_row(st);
    }

    std::optional<std::string> plan_sources(const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(db_, "SELECT sources FROM plans WHERE school = ? ORDER BY id DESC LIMIT 1");
        st.bind(1, school);
        if (!st.step()) return std::nullopt;
        return st.text(0);
    }

    long long plan_count(const std::string& school, const std::string& year) override {
        std::lock_guard lock(mu_);
        Statement st(db_, "SELECT count(*) FROM plans WHERE school = ? AND school_year = ?");
        st.bind(1, school).bind(2, year).step();
        return st.integer(0);
    }

    long long add_subscription(const Subscription& s) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "INSERT INTO subscriptions (school, scope, target, token_hash, created_at) "
                     "VALUES (?, ?, ?, ?, ?)");
        st.bind(1, s.school)
            .bind(2, std::string(to_string(s.scope)))
            .bind(3, s.target)
            .bind(4, s.token_hash);
        st.bind(5, s.created_at).step();
        return sqlite3_last_insert_rowid(db_);
    }

    std::vector<Subscription> active_subscriptions() override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT id, school, scope, target, token_hash, created_at FROM subscriptions "
                     "WHERE revoked_at IS NULL ORDER BY id");
        std::vector<Subscription> out;
        while (st.step()) out.push_back(subscription_row(st));
        return out;
    }

    std::optional<Subscription> find_subscription(const std::string& token_hash) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT id, school, scope, target, token_hash, created_at FROM subscriptions "
                     "WHERE token_hash = ? AND revoked_at IS NULL");
        st.bind(1, token_hash);
        if (!st.step()) return std::nullopt;
        return subscription_row(st);
    }

    int revoke_subscriptions(const std::string& school, FeedScope scope, const std::string& target,
                             const std::string& at) override {
        std::lock_guard lock(mu_);
        Statement st(
            db_,
            "UPDATE subscriptions SET revoked_at = ? WHERE school = ? AND scope = ? AND target = ? "
            "AND revoked_at IS NULL");
        st.bind(1, at)
            .bind(2, school)
            .bind(3, std::string(to_string(scope)))
            .bind(4, target)
            .step();
        return sqlite3_changes(db_);
    }

    long long commit_change(const ChangeRecord& c, const AuditEntry& a,
                            long long based_on) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        if (newer_change(c, based_on)) return 0;
        const long long id = insert_change(c);
        insert_audit(a);
        tx.commit();
        return id;
    }

    std::optional<ChangeRecord> last_change(const std::string& school,
                                            const std::string& uid) override {
        std::lock_guard lock(mu_);
        Statement st(db_, (std::string(kChangeColumns) +
                           " WHERE school = ? AND uid = ? AND undone_at IS NULL AND action <> "
                           "'undo' ORDER BY id DESC LIMIT 1")
                              .c_str());
        st.bind(1, school).bind(2, uid);
        if (!st.step()) return std::nullopt;
        return change_row(st);
    }

    long long commit_undo(const ChangeRecord& undo, const AuditEntry& a,
                          long long based_on) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        if (newer_change(undo, based_on)) return 0;
        const long long id = insert_change(undo);
        Statement st(db_, "UPDATE event_changes SET undone_at = ? WHERE id = ?");
        st.bind(1, undo.at).bind(2, undo.undo_of).step();
        insert_audit(a);
        tx.commit();
        return id;
    }

    std::optional<TodayPlan> today_plan(const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT school, school_year, through_change, stored_plan, input_version, "
                     "plan_json FROM today_plans WHERE school = ?");
        st.bind(1, school);
        if (!st.step()) return std::nullopt;
        return TodayPlan{st.text(0),    st.text(1),    st.integer(2),
                         st.integer(3), st.integer(4), st.text(5)};
    }

    std::vector<ChangeRecord> changes_since(const std::string& school,
                                            const std::string& school_year,
                                            long long after_id) override {
        std::lock_guard lock(mu_);
        Statement st(db_, (std::string(kChangeColumns) +
                           " WHERE school = ? AND school_year = ? AND id > ? ORDER BY id")
                              .c_str());
        st.bind(1, school).bind(2, school_year).bind(3, after_id);
        std::vector<ChangeRecord> out;
        while (st.step()) out.push_back(change_row(st));
        return out;
    }

    void add_api_token(const std::string& school, const std::string& person,
                       const std::string& hash, const std::string& at) override {
        std::lock_guard lock(mu_);
        Statement st(
            db_,
            "INSERT INTO api_tokens (school, person, token_hash, created_at) VALUES (?, ?, ?, ?)");
        st.bind(1, school).bind(2, person).bind(3, hash).bind(4, at).step();
    }

    std::optional<ApiTokenOwner> find_api_token(const std::string& hash) override {
        std::lock_guard lock(mu_);
        Statement st(
            db_,
            "SELECT school, person FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL");
        st.bind(1, hash);
        if (!st.step()) return std::nullopt;
        return ApiTokenOwner{st.text(0), st.text(1)};
    }

    int revoke_api_tokens(const std::string& school, const std::string& person,
                          const std::string& at) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "UPDATE api_tokens SET revoked_at = ? WHERE school = ? AND person = ? AND "
                     "revoked_at IS NULL");
        st.bind(1, at).bind(2, school).bind(3, person).step();
        return sqlite3_changes(db_);
    }

    void audit(const AuditEntry& e) override {
        std::lock_guard lock(mu_);
        insert_audit(e);
    }

    std::vector<AuditEntry> audit_log(const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(
            db_,
            "SELECT at, actor, school, action, detail FROM audit_log WHERE school = ? ORDER BY id");
        st.bind(1, school);
        std::vector<AuditEntry> out;
        while (st.step())
            out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4)});
        return out;
    }

    int enqueue_mail(const std::vector<OutboxMessage>& messages, const std::string& cursor_name,
                     std::int64_t cursor) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        int added = 0;
        Statement ins(db_,
                      "INSERT OR IGNORE INTO mail_outbox (key, school, person, address, kind, uid, "
                      "sequence, due_at, late, message, next_attempt_at, created_at) VALUES "
                      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        for (const auto& m : messages) {
            sqlite3_reset(ins.raw());
            ins.bind(1, m.key).bind(2, m.school).bind(3, m.person).bind(4, m.address);
            ins.bind(5, m.kind).bind(6, m.uid).bind(7, static_cast<long long>(m.sequence));
            ins.bind(8, static_cast<long long>(m.due_at)).bind(9, m.late ? 1LL : 0LL);
            ins.bind(10, m.message).bind(11, static_cast<long long>(m.next_attempt_at));
            ins.bind(12, static_cast<long long>(m.created_at));
            ins.step();
            added += sqlite3_changes(db_);
        }
        Statement cur(db_,
                      "INSERT INTO mail_cursors (name, scanned_to) VALUES (?, ?) "
                      "ON CONFLICT (name) DO UPDATE SET scanned_to = excluded.scanned_to");
        cur.bind(1, cursor_name).bind(2, static_cast<long long>(cursor)).step();
        tx.commit();
        return added;
    }

    std::optional<std::int64_t> mail_cursor(const std::string& cursor_name) override {
        std::lock_guard lock(mu_);
        Statement st(db_, "SELECT scanned_to FROM mail_cursors WHERE name = ?");
        st.bind(1, cursor_name);
        if (!st.step()) return std::nullopt;
        return st.integer(0);
    }

    std::vector<OutboxMessage> outbox_claim(std::int64_t now, int limit, const std::string& owner,
                                            int lease_seconds) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);  // BEGIN IMMEDIATE: one writer, so no other claim interleaves
        Statement st(db_, (std::string(kOutboxColumns) +
                           " WHERE state = 'pending' AND next_attempt_at <= ? AND lease_until <= ? "
                           "ORDER BY next_attempt_at, id LIMIT ?")
                              .c_str());
        st.bind(1, static_cast<long long>(now)).bind(2, static_cast<long long>(now));
        st.bind(3, static_cast<long long>(limit));
        std::vector<OutboxMessage> out;
        while (st.step()) out.push_back(outbox_row(st));
        Statement lease(db_,
                        "UPDATE mail_outbox SET lease_owner = ?, lease_until = ? WHERE id = ?");
        for (const auto& m : out) {
            sqlite3_reset(lease.raw());
            lease.bind(1, owner).bind(2, static_cast<long long>(now + lease_seconds)).bind(3, m.id);
            lease.step();
        }
        tx.commit();
        return out;
    }

    void outbox_release(const std::string& owner) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "UPDATE mail_outbox SET lease_until = 0 WHERE (?1 = '' OR lease_owner = ?1) "
                     "AND state = 'pending' AND lease_until > 0");
        st.bind(1, owner).step();
    }

    std::optional<std::int64_t> outbox_next_attempt() override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT min(max(next_attempt_at, lease_until)) FROM mail_outbox "
                     "WHERE state = 'pending'");
        if (!st.step() || sqlite3_column_type(st.raw(), 0) == SQLITE_NULL) return std::nullopt;
        return st.integer(0);
    }

    void outbox_sent(long long id, std::int64_t at) override {
        std::lock_guard lock(mu_);
        // Once per message sent: prepared once per connection.
        if (!sent_stmt_)
            sent_stmt_ = std::make_unique<Statement>(
                db_,
                "UPDATE mail_outbox SET state = 'sent', done_at = ?, attempts = attempts + 1, "
                // A sent sign-in mail's text holds a working credential: it is not kept.
                "message = CASE kind WHEN 'login' THEN '' ELSE message END WHERE id = ?");
        sqlite3_reset(sent_stmt_->raw());
        sent_stmt_->bind(1, static_cast<long long>(at)).bind(2, id).step();
    }

    void outbox_retry(long long id, std::int64_t next, const std::string& error) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "UPDATE mail_outbox SET next_attempt_at = ?, last_error = ?, "
                     "attempts = attempts + 1, lease_until = 0 WHERE id = ?");
        st.bind(1, static_cast<long long>(next)).bind(2, error).bind(3, id).step();
    }

    void outbox_close(long long id, const std::string& state, std::int64_t at,
                      const std::string& reason) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "UPDATE mail_outbox SET state = ?, done_at = ?, last_error = ?, "
                     "attempts = attempts + (? = 'failed') WHERE id = ?");
        st.bind(1, state).bind(2, static_cast<long long>(at)).bind(3, reason).bind(4, state);
        st.bind(5, id).step();
    }

    std::vector<OutboxMessage> outbox(const std::string& school, const std::string& state,
                                      int limit) override {
        std::lock_guard lock(mu_);
        Statement st(db_, (std::string(kOutboxColumns) +
                           " WHERE school = ? AND (? = '' OR state = ?) ORDER BY id DESC LIMIT ?")
                              .c_str());
        st.bind(1, school).bind(2, state).bind(3, state).bind(4, static_cast<long long>(limit));
        std::vector<OutboxMessage> out;
        while (st.step()) out.push_back(outbox_row(st));
        return out;
    }

    std::vector<std::pair<std::string, long long>> outbox_counts(
        const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT state, count(*) FROM mail_outbox WHERE ? = '' OR school = ? "
                     "GROUP BY state ORDER BY state");
        st.bind(1, school).bind(2, school);
        std::vector<std::pair<std::string, long long>> out;
        while (st.step()) out.emplace_back(st.text(0), st.integer(1));
        return out;
    }

    void set_mail_optout(const std::string& school, const std::string& person,
                         const std::string& kind, bool off, const std::string& at) override {
        std::lock_guard lock(mu_);
        if (off) {
            Statement st(db_,
                         "INSERT OR IGNORE INTO mail_optouts (school, person, kind, at) "
                         "VALUES (?, ?, ?, ?)");
            st.bind(1, school).bind(2, person).bind(3, kind).bind(4, at).step();
        } else {
            Statement st(db_,
                         "DELETE FROM mail_optouts WHERE school = ? AND person = ? AND kind = ?");
            st.bind(1, school).bind(2, person).bind(3, kind).step();
        }
    }

    std::vector<std::pair<std::string, std::string>> mail_optouts(
        const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(db_, "SELECT person, kind FROM mail_optouts WHERE school = ? ORDER BY 1, 2");
        st.bind(1, school);
        std::vector<std::pair<std::string, std::string>> out;
        while (st.step()) out.emplace_back(st.text(0), st.text(1));
        return out;
    }

    std::string secret(const std::string& name, const std::string& fresh) override {
        std::lock_guard lock(mu_);
        Statement ins(db_, "INSERT OR IGNORE INTO secrets (name, value) VALUES (?, ?)");
        ins.bind(1, name).bind(2, fresh).step();
        Statement st(db_, "SELECT value FROM secrets WHERE name = ?");
        st.bind(1, name);
        if (!st.step()) throw StoreError("secret " + name + " could not be stored");
        return st.text(0);
    }

    void add_login_link(const std::string& token_hash, const std::string& school,
                        const std::string& person, std::int64_t expires_at) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "INSERT INTO login_links (token_hash, school, person, expires_at) VALUES "
                     "(?, ?, ?, ?)");
        st.bind(1, token_hash).bind(2, school).bind(3, person);
        st.bind(4, static_cast<long long>(expires_at)).step();
    }

    std::optional<ApiTokenOwner> use_login_link(const std::string& token_hash,
                                                std::int64_t now) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        Statement st(db_,
                     "SELECT school, person FROM login_links WHERE token_hash = ? AND used_at IS "
                     "NULL AND expires_at > ?");
        st.bind(1, token_hash).bind(2, static_cast<long long>(now));
        if (!st.step()) return std::nullopt;
        ApiTokenOwner owner{st.text(0), st.text(1)};
        Statement use(db_, "UPDATE login_links SET used_at = ? WHERE token_hash = ?");
        use.bind(1, static_cast<long long>(now)).bind(2, token_hash).step();
        tx.commit();
        return owner;
    }

    void add_session(const WebSession& s, const std::string& token_hash, std::int64_t created_at,
                     std::int64_t expires_at) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "INSERT INTO sessions (token_hash, school, person, csrf, created_at, "
                     "expires_at) VALUES (?, ?, ?, ?, ?, ?)");
        st.bind(1, token_hash).bind(2, s.school).bind(3, s.person).bind(4, s.csrf);
        st.bind(5, static_cast<long long>(created_at)).bind(6, static_cast<long long>(expires_at));
        st.step();
    }

    std::optional<WebSession> find_session(const std::string& token_hash,
                                           std::int64_t now) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT school, person, csrf FROM sessions WHERE token_hash = ? AND "
                     "expires_at > ?");
        st.bind(1, token_hash).bind(2, static_cast<long long>(now));
        if (!st.step()) return std::nullopt;
        return WebSession{st.text(0), st.text(1), st.text(2)};
    }

    void end_session(const std::string& token_hash) override {
        std::lock_guard lock(mu_);
        Statement st(db_, "DELETE FROM sessions WHERE token_hash = ?");
        st.bind(1, token_hash).step();
    }

    std::vector<StoredPlan> yearly_plans(const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(db_, (std::string(kPlanColumns) +
                           " WHERE id IN (SELECT max(id) FROM plans WHERE school = ? GROUP BY "
                           "school_year) ORDER BY school_year")
                              .c_str());
        st.bind(1, school);
        std::vector<StoredPlan> out;
        while (st.step()) out.push_back(plan_row(st));
        return out;
    }

    void checkpoint() override {
        std::lock_guard lock(mu_);
        exec("PRAGMA wal_checkpoint(PASSIVE)");
    }

    long long add_input_version(const InputVersion& v, const AuditEntry& a,
                                long long based_on) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        if (based_on >= 0) {
            Statement latest(db_,
                             "SELECT coalesce(max(id), 0) FROM input_versions WHERE school = ?");
            latest.bind(1, v.school).step();
            if (latest.integer(0) != based_on) return 0;
        }
        Statement st(db_,
                     "INSERT INTO input_versions (school, school_year, created_at, origin, actor, "
                     "change_json, undo_of, summary, files, sources, skipped) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, v.school).bind(2, v.school_year).bind(3, v.created_at).bind(4, v.origin);
        st.bind(5, v.actor).bind(6, v.change_json).bind(7, v.undo_of).bind(8, v.summary);
        st.bind(9, v.files).bind(10, v.sources).bind(11, v.skipped.empty() ? "[]" : v.skipped);
        st.step();
        const long long id = sqlite3_last_insert_rowid(db_);
        insert_audit(a);
        tx.commit();
        return id;
    }

    std::optional<InputVersion> latest_input(const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(
            db_,
            (std::string(kInputColumns) + " WHERE school = ? ORDER BY id DESC LIMIT 1").c_str());
        st.bind(1, school);
        if (!st.step()) return std::nullopt;
        return input_row(st);
    }

    std::vector<InputVersion> input_versions(const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(db_, (std::string(kInputColumns) + " WHERE school = ? ORDER BY id").c_str());
        st.bind(1, school);
        std::vector<InputVersion> out;
        while (st.step()) out.push_back(input_row(st));
        return out;
    }

    SchoolHead school_head(const std::string& school, const std::string& year) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT (SELECT coalesce(max(id), 0) FROM plans WHERE school = ?1), "
                     "(SELECT coalesce(max(id), 0) FROM input_versions WHERE school = ?1), "
                     "(SELECT coalesce(max(id), 0) FROM event_changes WHERE school = ?1 AND "
                     "school_year = ?2)");
        st.bind(1, school).bind(2, year).step();
        return {st.integer(0), st.integer(1), st.integer(2)};
    }

    std::vector<std::string> input_schools() override {
        std::lock_guard lock(mu_);
        Statement st(db_, "SELECT DISTINCT school FROM input_versions ORDER BY school");
        std::vector<std::string> out;
        while (st.step()) out.push_back(st.text(0));
        return out;
    }

    void stash(const std::string& key, const std::string& value, std::int64_t expires_at) override {
        std::lock_guard lock(mu_);
        Statement st(
            db_,
            "INSERT INTO stash (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at");
        st.bind(1, key).bind(2, value).bind(3, static_cast<long long>(expires_at)).step();
    }

    std::optional<std::string> take_stash(const std::string& key, std::int64_t now) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        Statement st(db_, "DELETE FROM stash WHERE key = ? RETURNING value, expires_at");
        st.bind(1, key);
        std::optional<std::string> out;
        if (st.step() && st.integer(1) > now) out = st.text(0);
        while (st.step()) {
        }
        Statement old(db_, "DELETE FROM stash WHERE expires_at <= ?");
        old.bind(1, static_cast<long long>(now)).step();
        tx.commit();
        return out;
    }

    bool take_rate(const std::string& key, double burst, double per_second, double now,
                   int* retry_after) override {
        // One daemon owns an SQLite file: its buckets live in memory (no write, no fsync).
        std::lock_guard lock(rate_mu_);
        if (buckets_.size() > 100'000)
            std::erase_if(buckets_, [&](const auto& kv) {
                return kv.second.second + (burst - kv.second.first) / per_second <= now;
            });
        auto [it, fresh] = buckets_.try_emplace(key, burst, now);
        auto& [tokens, at] = it->second;
        tokens = std::min(burst, tokens + std::max(0.0, now - at) * per_second);
        at = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        if (retry_after) *retry_after = static_cast<int>(std::ceil((1.0 - tokens) / per_second));
        return false;
    }

    bool acquire_lease(const std::string& name, const std::string& owner, std::int64_t now,
                       int seconds) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "INSERT INTO leases (name, owner, until) VALUES (?, ?, ?) ON CONFLICT (name) "
                     "DO UPDATE SET owner = excluded.owner, until = excluded.until "
                     "WHERE leases.owner = excluded.owner OR leases.until <= ?");
        st.bind(1, name).bind(2, owner).bind(3, static_cast<long long>(now + seconds));
        st.bind(4, static_cast<long long>(now)).step();
        return sqlite3_changes(db_) == 1;
    }

    void release_lease(const std::string& name, const std::string& owner) override {
        std::lock_guard lock(mu_);
        Statement st(db_, "DELETE FROM leases WHERE name = ? AND owner = ?");
        st.bind(1, name).bind(2, owner).step();
    }

    std::unique_ptr<StoreListener> listen() override { return nullptr; }

    TableRows read_table(const std::string& table) override {
        std::lock_guard lock(mu_);
        Statement st(db_, ("SELECT * FROM " + copied_table(table) + " ORDER BY rowid").c_str());
        TableRows out;
        const int n = sqlite3_column_count(st.raw());
        for (int i = 0; i < n; ++i) out.columns.emplace_back(sqlite3_column_name(st.raw(), i));
        while (st.step()) {
            auto& row = out.rows.emplace_back();
            for (int i = 0; i < n; ++i) row.push_back(st.optional_text(i));
        }
        return out;
    }

    void write_table(const std::string& table, const TableRows& rows) override {
        std::lock_guard lock(mu_);
        std::string cols, marks;
        for (const auto& c : rows.columns) {
            cols += (cols.empty() ? "" : ", ") + c;
            marks += marks.empty() ? "?" : ", ?";
        }
        Transaction tx(*this);
        Statement st(
            db_, ("INSERT INTO " + copied_table(table) + " (" + cols + ") VALUES (" + marks + ")")
                     .c_str());
        for (const auto& row : rows.rows) {
            sqlite3_reset(st.raw());
            for (size_t i = 0; i < row.size(); ++i) {
                if (row[i])
                    st.bind(static_cast<int>(i + 1), *row[i]);
                else
                    st.bind_null(static_cast<int>(i + 1));
            }
            st.step();
        }
        tx.commit();
    }

    long long count_rows(const std::string& table) override {
        std::lock_guard lock(mu_);
        Statement st(db_, ("SELECT count(*) FROM " + copied_table(table)).c_str());
        st.step();
        return st.integer(0);
    }

    int schema_version() override {
        std::lock_guard lock(mu_);
        return user_version();
    }
    [[nodiscard]] std::string backend() const override { return "sqlite"; }
    [[nodiscard]] bool shared() const override { return false; }

  private:
    /// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted (an exception).
    class Transaction {
      public:
        explicit Transaction(SqliteStore& s) : s_(s) { s_.exec("BEGIN IMMEDIATE"); }
        ~Transaction() {
            if (!done_) sqlite3_exec(s_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit() {
            s_.exec("COMMIT");
            done_ = true;
        }

      private:
        SqliteStore& s_;
        bool done_ = false;
    };

    static constexpr const char* kPlanColumns =
        "SELECT id, school, school_year, created_at, plan_json, sources, through_change "
        "FROM plans";
    static StoredPlan plan_row(const Statement& st) {
        return StoredPlan{st.integer(0), st.text(1), st.text(2),   st.text(3),
                          st.text(4),    st.text(5), st.integer(6)};
    }

    static constexpr const char* kChangeColumns =
        "SELECT id, school, school_year, uid, action, before_json, note, actor, created_at, "
        "change_json, coalesce(undo_of, 0) FROM event_changes";
    static ChangeRecord change_row(const Statement& st) {
        return ChangeRecord{st.integer(0), st.text(1), st.text(2),    st.text(3),
                            st.text(4),    st.text(5), st.text(6),    st.text(7),
                            st.text(8),    st.text(9), st.integer(10)};
    }

  public:
    void put_today_plan(const TodayPlan& t) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "INSERT INTO today_plans (school, school_year, through_change, stored_plan, "
                     "input_version, plan_json) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (school) DO "
                     "UPDATE SET school_year = excluded.school_year, through_change = "
                     "excluded.through_change, stored_plan = excluded.stored_plan, input_version "
                     "= excluded.input_version, plan_json = excluded.plan_json "
                     "WHERE today_plans.through_change < excluded.through_change");
        st.bind(1, t.school).bind(2, t.school_year).bind(3, t.through_change);
        st.bind(4, t.stored_plan).bind(5, t.input_version).bind(6, t.plan_json).step();
    }

  private:
    /// True when the school year has a change record newer than `based_on` (< 0: never).
    bool newer_change(const ChangeRecord& c, long long based_on) {
        if (based_on < 0) return false;
        Statement st(db_,
                     "SELECT coalesce(max(id), 0) FROM event_changes WHERE school = ? AND "
                     "school_year = ?");
        st.bind(1, c.school).bind(2, c.school_year).step();
        return st.integer(0) > based_on;
    }

    long long insert_change(const ChangeRecord& c) {
        Statement st(db_,
                     "INSERT INTO event_changes (school, school_year, uid, action, before_json, "
                     "note, actor, created_at, change_json, undo_of) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, c.school).bind(2, c.school_year).bind(3, c.uid).bind(4, c.action);
        st.bind(5, c.before_json).bind(6, c.note).bind(7, c.actor).bind(8, c.at);
        st.bind(9, c.change_json);
        if (c.undo_of)
            st.bind(10, c.undo_of);
        else
            st.bind_null(10);
        st.step();
        return sqlite3_last_insert_rowid(db_);
    }

    static constexpr const char* kOutboxColumns =
        "SELECT id, key, school, person, address, kind, uid, sequence, due_at, late, message, "
        "state, attempts, next_attempt_at, last_error, created_at, coalesce(done_at, 0) "
        "FROM mail_outbox";
    static OutboxMessage outbox_row(const Statement& st) {
        OutboxMessage m;
        m.id = st.integer(0);
        m.key = st.text(1);
        m.school = st.text(2);
        m.person = st.text(3);
        m.address = st.text(4);
        m.kind = st.text(5);
        m.uid = st.text(6);
        m.sequence = static_cast<int>(st.integer(7));
        m.due_at = st.integer(8);
        m.late = st.integer(9) != 0;
        m.message = st.text(10);
        m.state = st.text(11);
        m.attempts = static_cast<int>(st.integer(12));
        m.next_attempt_at = st.integer(13);
        m.last_error = st.text(14);
        m.created_at = st.integer(15);
        m.done_at = st.integer(16);
        return m;
    }

    /// A row of "SELECT id, school, scope, target, token_hash, created_at FROM subscriptions".
    static Subscription subscription_row(const Statement& st) {
        Subscription s;
        s.id = st.integer(0);
        s.school = st.text(1);
        s.scope = parse_feed_scope(st.text(2)).value_or(FeedScope::school);
        s.target = st.text(3);
        s.token_hash = st.text(4);
        s.created_at = st.text(5);
        return s;
    }

    long long insert_plan(const StoredPlan& p) {
        Statement st(db_,
                     "INSERT INTO plans (school, school_year, created_at, plan_json, sources, "
                     "through_change) VALUES (?, ?, ?, ?, ?, ?)");
        st.bind(1, p.school).bind(2, p.school_year).bind(3, p.created_at).bind(4, p.plan_json);
        st.bind(5, p.sources).bind(6, p.through_change).step();
        return sqlite3_last_insert_rowid(db_);
    }

    void insert_audit(const AuditEntry& e) {
        Statement st(
            db_,
            "INSERT INTO audit_log (at, actor, school, action, detail) VALUES (?, ?, ?, ?, ?)");
        st.bind(1, e.at)
            .bind(2, e.actor)
            .bind(3, e.school)
            .bind(4, e.action)
            .bind(5, e.detail)
            .step();
    }

    int pragma_int(const char* sql) {
        int value = -1;
        char* err = nullptr;
        auto first = [](void* out, int n, char** values, char**) {
            if (n > 0 && values[0]) *static_cast<int*>(out) = std::atoi(values[0]);
            return 0;
        };
        if (sqlite3_exec(db_, sql, first, &value, &err) != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errmsg(db_);
            sqlite3_free(err);
            throw StoreError(std::string("sqlite: ") + msg);
        }
        return value;
    }

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errmsg(db_);
            sqlite3_free(err);
            throw StoreError(std::string("sqlite: ") + msg);
        }
    }

    static constexpr const char* kInputColumns =
        "SELECT id, school, school_year, created_at, origin, actor, change_json, undo_of, "
        "summary, files, sources, skipped FROM input_versions";

    static InputVersion input_row(const Statement& st) {
        InputVersion v;
        v.id = st.integer(0);
        v.school = st.text(1);
        v.school_year = st.text(2);
        v.created_at = st.text(3);
        v.origin = st.text(4);
        v.actor = st.text(5);
        v.change_json = st.text(6);
        v.undo_of = st.integer(7);
        v.summary = st.text(8);
        v.files = st.text(9);
        v.sources = st.text(10);
        v.skipped = st.text(11);
        return v;
    }

    int user_version() {
        Statement st(db_, "PRAGMA user_version");
        st.step();
        return static_cast<int>(st.integer(0));
    }

    void migrate() {
        const int have = user_version();
        const int want = static_cast<int>(std::size(kMigrations));
        if (have > want)
            throw StoreError("de database heeft schemaversie " + std::to_string(have) +
                             ", nieuwer dan dit programma kent (" + std::to_string(want) + ")");
        for (int v = have; v < want; ++v) {
            exec("BEGIN IMMEDIATE");
            try {
                exec(kMigrations[v]);
                exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
                exec("COMMIT");
            } catch (...) {
                sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
                throw;
            }
        }
    }

    sqlite3* db_ = nullptr;
    std::mutex mu_;
    std::mutex rate_mu_;
    std::map<std::string, std::pair<double, double>> buckets_;  // key → (tokens, at)
    std::unique_ptr<Statement> sent_stmt_;  // finalized in the destructor, before db_ closes
};

}  // namespace

std::string_view to_string(FeedScope s) {
    switch (s) {
        case FeedScope::school:
            return "school";
        case FeedScope::person:
            return "person";
        case FeedScope::group:
            return "group";
        case FeedScope::role:
            return "role";
    }
    return "school";
}

std::optional<FeedScope> parse_feed_scope(std::string_view s) {
    for (auto v : {FeedScope::school, FeedScope::person, FeedScope::group, FeedScope::role})
        if (to_string(v) == s) return v;
    return std::nullopt;
}

std::string copied_table(const std::string& table) {
    for (const char* t : kCopiedTables)
        if (table == t) return table;
    throw StoreError("onbekende tabel " + table);
}

std::unique_ptr<Store> open_sqlite_store(const std::string& path, Durability durability) {
    return std::make_unique<SqliteStore>(path, durability);
}

std::unique_ptr<Store> open_store(const StoreLocation& where, Durability durability) {
    if (where.postgresql.empty()) return open_sqlite_store(where.sqlite, durability);
    std::string password;
    if (!where.password_file.empty()) password = read_password_file(where.password_file);
    return open_postgresql_store(where.postgresql, password, where.connections);
}

}  // namespace jk::daemon
