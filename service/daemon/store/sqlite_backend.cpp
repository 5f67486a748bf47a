// The store on SQLite (sql.hpp): one daemon, one file. WAL, foreign keys, a busy timeout, and
// synchronous=FULL (or NORMAL for the mail sender's marks) read back, not assumed; one
// connection behind a mutex, its statements prepared once and kept.
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>

#include "daemon/store/sql.hpp"

namespace jk::daemon::sql {
namespace {

// The steps of a migration that only SQLite takes: it cannot alter a constraint, so a table
// whose CHECK widens is rebuilt (ids kept).
constexpr const char* kOwnMigration3 = R"SQL(
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
)SQL";

/// The outbox rebuilt with its kind constraint allowing `{kinds}` (SQLite cannot change a CHECK
/// constraint in place): a new table, the rows copied, the old one dropped.
constexpr const char* kOutboxRebuild = R"SQL(
CREATE TABLE mail_outbox_new (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,  -- uid|recipient|kind|offset|sequence: never twice
  school          TEXT NOT NULL,
  person          TEXT NOT NULL,
  address         TEXT NOT NULL,
  kind            TEXT NOT NULL
                  CHECK (kind IN ({kinds})),
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
INSERT INTO mail_outbox_new (id, key, school, person, address, kind, uid, sequence, due_at, late,
                            message, state, attempts, next_attempt_at, last_error, created_at,
                            done_at, lease_owner, lease_until)
  SELECT id, key, school, person, address, kind, uid, sequence, due_at, late, message, state,
         attempts, next_attempt_at, last_error, created_at, done_at, lease_owner, lease_until
  FROM mail_outbox;
DROP TABLE mail_outbox;
ALTER TABLE mail_outbox_new RENAME TO mail_outbox;
CREATE INDEX mail_outbox_ready ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_by_school ON mail_outbox (school, id);
)SQL";

std::string outbox_rebuild(std::string_view kinds) {
    std::string text = kOutboxRebuild;
    const std::string_view word = "{kinds}";
    text.replace(text.find(word), word.size(), kinds);
    return text;
}

// 6: the welcome mail; 7: the mail that a next school year is published.
const std::string kOwnMigration6 =
    outbox_rebuild("'reminder', 'change', 'overdue', 'digest', 'login', 'welcome'");
const std::string kOwnMigration7 =
    outbox_rebuild("'reminder', 'change', 'overdue', 'digest', 'login', 'welcome', 'year'");

/// Statements kept prepared, by their text; bounded (texts made at run time are few).
constexpr std::size_t kMaxPrepared = 256;

class SqliteSession final : public Session {
  public:
    explicit SqliteSession(sqlite3* db) : db_(db) {}
    ~SqliteSession() override { forget(); }
    SqliteSession(const SqliteSession&) = delete;
    SqliteSession& operator=(const SqliteSession&) = delete;

    using Session::run;
    Rows run(std::string_view sql, const std::vector<Param>& params) override {
        sqlite3_stmt* st = prepared(sql);
        // Reset before anything can throw, so that a statement never holds its read open.
        struct Reset {
            sqlite3_stmt* st;
            ~Reset() {
                sqlite3_reset(st);
                sqlite3_clear_bindings(st);
            }
        } reset{st};
        for (std::size_t i = 0; i < params.size(); ++i)
            bind(st, static_cast<int>(i + 1), params[i]);
        Rows out;
        const int n = sqlite3_column_count(st);
        for (int rc = sqlite3_step(st);; rc = sqlite3_step(st)) {
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW)
                throw StoreError(std::string("sqlite step: ") + sqlite3_errmsg(db_) +
                                 " in: " + std::string(sql.substr(0, 120)));
            auto& row = out.cells.emplace_back();
            row.reserve(static_cast<std::size_t>(n));
            for (int c = 0; c < n; ++c) {
                if (sqlite3_column_type(st, c) == SQLITE_NULL) {
                    row.emplace_back();
                    continue;
                }
                const auto* p = sqlite3_column_text(st, c);
                row.emplace_back(
                    std::string(reinterpret_cast<const char*>(p),
                                static_cast<std::size_t>(sqlite3_column_bytes(st, c))));
            }
        }
        for (int c = 0; c < n; ++c) out.columns.emplace_back(sqlite3_column_name(st, c));
        out.affected = sqlite3_changes(db_);
        return out;
    }

    void script(const std::string& sql) override { exec(sql.c_str()); }

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err ? err : sqlite3_errmsg(db_);
            sqlite3_free(err);
            throw StoreError(std::string("sqlite: ") + msg);
        }
    }

    /// Finalizes every kept statement (before the connection closes).
    void forget() {
        for (auto& [text, st] : prepared_) sqlite3_finalize(st);
        prepared_.clear();
    }

  private:
    sqlite3_stmt* prepared(std::string_view sql) {
        if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
        if (prepared_.size() >= kMaxPrepared) forget();
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
            throw StoreError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_) +
                             " in: " + std::string(sql));
        prepared_.emplace(std::string(sql), st);
        return st;
    }

    void bind(sqlite3_stmt* st, int i, const Param& p) {
        int rc = SQLITE_OK;
        if (std::holds_alternative<long long>(p))
            rc = sqlite3_bind_int64(st, i, std::get<long long>(p));
        else if (std::holds_alternative<double>(p))
            rc = sqlite3_bind_double(st, i, std::get<double>(p));
        else if (std::holds_alternative<std::string_view>(p)) {
            const auto v = std::get<std::string_view>(p);
            rc = sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        } else
            rc = sqlite3_bind_null(st, i);
        if (rc != SQLITE_OK) throw StoreError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    }

    sqlite3* db_;
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> prepared_;
};

class SqliteBackend final : public Backend {
  public:
    SqliteBackend(const std::string& path, Durability durability) {
        if (sqlite3_open_v2(path.c_str(), &db_,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                            nullptr) != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw StoreError("kan database " + path + " niet openen: " + msg);
        }
        session_ = std::make_unique<SqliteSession>(db_);
        try {
            sqlite3_busy_timeout(db_, kBusyTimeoutMs);
            session_->exec("PRAGMA journal_mode=WAL");
            // FULL: a transaction that returned is on disk, also after a power cut (the daemon
            // answers 2xx only after the commit).
            session_->exec(durability == Durability::full ? "PRAGMA synchronous=FULL"
                                                          : "PRAGMA synchronous=NORMAL");
            // Read back, not assumed: a build or a file that does not give what the store
            // promises must not run (the crash test reads this line in a debug log).
            const long long sync = session_->run("PRAGMA synchronous").integer(0, 0);
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
            // The mail sender's connection leaves checkpoints to the other (Store::checkpoint).
            if (durability == Durability::normal) session_->exec("PRAGMA wal_autocheckpoint=0");
            session_->exec("PRAGMA foreign_keys=ON");
            // The daemon keeps every plan in memory and reads the database only at start and on
            // a change: SQLite's default 2 MiB page cache per connection would mostly hold plan
            // rows written once. 512 KiB keeps the indexes and the outbox hot.
            session_->exec("PRAGMA cache_size=-512");
        } catch (...) {
            // The destructor does not run for a constructor that throws: close here.
            session_.reset();
            sqlite3_close(db_);
            throw;
        }
    }
    ~SqliteBackend() override {
        session_.reset();  // statements before the connection
        sqlite3_close(db_);
    }
    SqliteBackend(const SqliteBackend&) = delete;
    SqliteBackend& operator=(const SqliteBackend&) = delete;

    void with(Access access, const std::function<void(Session&)>& work) override {
        std::lock_guard lock(mu_);
        if (access != Access::transaction) return work(*session_);
        // BEGIN IMMEDIATE: the write lock at once, so that no other writer interleaves.
        session_->exec("BEGIN IMMEDIATE");
        try {
            work(*session_);
            session_->exec("COMMIT");
        } catch (...) {
            // Also when the commit itself failed: the connection never stays in a transaction.
            sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }

    [[nodiscard]] std::string name() const override { return "sqlite"; }
    [[nodiscard]] bool shared() const override { return false; }
    [[nodiscard]] std::string_view id_column() const override { return "INTEGER PRIMARY KEY"; }
    [[nodiscard]] std::string_view bigint() const override { return "INTEGER"; }
    [[nodiscard]] std::string_view own_migration(int version) const override {
        switch (version) {
            case 3:
                return kOwnMigration3;
            case 6:
                return kOwnMigration6;
            case 7:
                return kOwnMigration7;
            default:
                return "";
        }
    }
    void lock_migrations(Session&) override {}  // BEGIN IMMEDIATE: one writer
    int schema_version(Session& s) override {
        return static_cast<int>(s.run("PRAGMA user_version").integer(0, 0));
    }
    void set_schema_version(Session& s, int version) override {
        s.script("PRAGMA user_version = " + std::to_string(version));
    }

    void lock(Session&, std::string_view) override {}  // one writer at a time already
    void tell(Session&, std::string_view) override {}  // no other daemons
    void relax_commit(Session&) override {}
    [[nodiscard]] std::string_view skip_locked() const override { return ""; }
    void copied(Session&, const std::string&) override {}  // the next id follows the largest

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

    void checkpoint() override {
        std::lock_guard lock(mu_);
        session_->exec("PRAGMA wal_checkpoint(PASSIVE)");
    }

    std::unique_ptr<StoreListener> listen() override { return nullptr; }

  private:
    sqlite3* db_ = nullptr;
    std::unique_ptr<SqliteSession> session_;
    std::mutex mu_;
    std::mutex rate_mu_;
    std::map<std::string, std::pair<double, double>> buckets_;  // key → (tokens, at)
};

}  // namespace

std::unique_ptr<Backend> sqlite_backend(const std::string& path, Durability durability) {
    return std::make_unique<SqliteBackend>(path, durability);
}

}  // namespace jk::daemon::sql
