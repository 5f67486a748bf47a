// The SQLite store. One connection, serialised by a mutex: SQLite has one writer anyway, and
// the daemon's writes are few (plan changes, subscriptions, tracking) next to its reads, which
// are served from memory.
#include <sqlite3.h>

#include <mutex>

#include "daemon/store.hpp"

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

  private:
    void check(int rc) {
        if (rc != SQLITE_OK) throw StoreError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class SqliteStore final : public Store {
  public:
    explicit SqliteStore(const std::string& path) {
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
            exec("PRAGMA synchronous=FULL");
            exec("PRAGMA foreign_keys=ON");
            migrate();
        } catch (...) {
            // The destructor does not run for a constructor that throws: close here.
            sqlite3_close(db_);
            throw;
        }
    }
    ~SqliteStore() override { sqlite3_close(db_); }

    long long save_plan(const StoredPlan& p) override {
        std::lock_guard lock(mu_);
        return insert_plan(p);
    }

    std::optional<StoredPlan> latest_plan(const std::string& school) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT id, school, school_year, created_at, plan_json, sources FROM plans "
                     "WHERE school = ? "
                     "ORDER BY id DESC LIMIT 1");
        st.bind(1, school);
        if (!st.step()) return std::nullopt;
        return StoredPlan{st.integer(0), st.text(1), st.text(2),
                          st.text(3),    st.text(4), st.text(5)};
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

    void commit_change(const StoredPlan& p, const ChangeRecord& c, const AuditEntry& a) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        insert_plan(p);
        Statement st(db_,
                     "INSERT INTO event_changes (school, school_year, uid, action, before_json, "
                     "note, actor, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        st.bind(1, c.school)
            .bind(2, c.school_year)
            .bind(3, c.uid)
            .bind(4, c.action)
            .bind(5, c.before_json);
        st.bind(6, c.note).bind(7, c.actor).bind(8, c.at).step();
        insert_audit(a);
        tx.commit();
    }

    std::optional<ChangeRecord> last_change(const std::string& school,
                                            const std::string& uid) override {
        std::lock_guard lock(mu_);
        Statement st(db_,
                     "SELECT id, school, school_year, uid, action, before_json, note, actor, "
                     "created_at FROM "
                     "event_changes WHERE school = ? AND uid = ? AND undone_at IS NULL ORDER BY id "
                     "DESC LIMIT 1");
        st.bind(1, school).bind(2, uid);
        if (!st.step()) return std::nullopt;
        return ChangeRecord{st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4),
                            st.text(5),    st.text(6), st.text(7), st.text(8)};
    }

    void commit_undo(const StoredPlan& p, long long change_id, const AuditEntry& a) override {
        std::lock_guard lock(mu_);
        Transaction tx(*this);
        insert_plan(p);
        Statement st(db_, "UPDATE event_changes SET undone_at = ? WHERE id = ?");
        st.bind(1, a.at).bind(2, change_id).step();
        insert_audit(a);
        tx.commit();
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

    int schema_version() override {
        std::lock_guard lock(mu_);
        return user_version();
    }

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
                     "INSERT INTO plans (school, school_year, created_at, plan_json, sources) "
                     "VALUES (?, ?, ?, ?, ?)");
        st.bind(1, p.school).bind(2, p.school_year).bind(3, p.created_at).bind(4, p.plan_json);
        st.bind(5, p.sources).step();
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

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errmsg(db_);
            sqlite3_free(err);
            throw StoreError(std::string("sqlite: ") + msg);
        }
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

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
    return std::make_unique<SqliteStore>(path);
}

}  // namespace jk::daemon
