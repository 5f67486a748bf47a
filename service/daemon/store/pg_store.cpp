// The PostgreSQL store (libpq): for several daemons on one database (docs/deploy.md). A small
// pool of connections, each used by one caller at a time; a connection that breaks is reset on
// its next use, so the store follows a restart or a failover (a multi-host string with
// target_session_attrs=read-write). A write that fails because the database is gone throws
// StoreUnavailable: nothing was acknowledged, the caller answers 503.
#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "daemon/store/store.hpp"

namespace jk::daemon {
namespace {

// The same versions as SQLite's migrations, in PostgreSQL's words.
constexpr const char* kMigrations[] = {
    // 1: plans with history, subscriptions, tracking records, API tokens, audit log.
    R"SQL(
CREATE TABLE plans (
  id          BIGSERIAL PRIMARY KEY,
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  plan_json   TEXT NOT NULL,
  sources     TEXT NOT NULL
);
CREATE INDEX plans_by_school ON plans (school, id);
CREATE TABLE subscriptions (
  id          BIGSERIAL PRIMARY KEY,
  school      TEXT NOT NULL,
  scope       TEXT NOT NULL CHECK (scope IN ('school', 'person', 'group', 'role')),
  target      TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE TABLE event_changes (
  id          BIGSERIAL PRIMARY KEY,
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  uid         TEXT NOT NULL,
  action      TEXT NOT NULL CONSTRAINT event_changes_action CHECK (action IN ('done', 'cancel', 'move')),
  before_json TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  actor       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  undone_at   TEXT
);
CREATE INDEX event_changes_by_uid ON event_changes (school, uid, id);
CREATE TABLE api_tokens (
  id          BIGSERIAL PRIMARY KEY,
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE TABLE audit_log (
  id          BIGSERIAL PRIMARY KEY,
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  school      TEXT NOT NULL,
  action      TEXT NOT NULL,
  detail      TEXT NOT NULL
);
CREATE INDEX audit_log_by_school ON audit_log (school, id);
)SQL",
    // 2: reminder e-mail: the outbox, scan cursors, opt-outs, secrets; sign-in and sessions.
    R"SQL(
CREATE TABLE mail_outbox (
  id              BIGSERIAL PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,
  school          TEXT NOT NULL,
  person          TEXT NOT NULL,
  address         TEXT NOT NULL,
  kind            TEXT NOT NULL
                  CHECK (kind IN ('reminder', 'change', 'overdue', 'digest', 'login')),
  uid             TEXT NOT NULL,
  sequence        BIGINT NOT NULL,
  due_at          BIGINT NOT NULL,
  late            INTEGER NOT NULL DEFAULT 0,
  message         TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      BIGINT NOT NULL,
  done_at         BIGINT
);
CREATE INDEX mail_outbox_ready ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_by_school ON mail_outbox (school, id);
CREATE TABLE mail_cursors (
  name        TEXT PRIMARY KEY,
  scanned_to  BIGINT NOT NULL
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
CREATE TABLE login_links (
  token_hash  TEXT PRIMARY KEY,
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  expires_at  BIGINT NOT NULL,
  used_at     BIGINT
);
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  csrf        TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
)SQL",
    // 3: change records instead of plan copies; undo as a record of its own.
    R"SQL(
ALTER TABLE plans ADD COLUMN through_change BIGINT NOT NULL DEFAULT 0;
UPDATE plans SET through_change = (SELECT coalesce(max(id), 0) FROM event_changes);
ALTER TABLE event_changes DROP CONSTRAINT event_changes_action;
ALTER TABLE event_changes ADD CONSTRAINT event_changes_action
  CHECK (action IN ('done', 'cancel', 'move', 'undo'));
ALTER TABLE event_changes ADD COLUMN change_json TEXT NOT NULL DEFAULT '';
ALTER TABLE event_changes ADD COLUMN undo_of BIGINT;
CREATE INDEX event_changes_by_year ON event_changes (school, school_year, id);
)SQL",
    // 4: the school's input as versions (docs/input.md).
    R"SQL(
CREATE TABLE input_versions (
  id          BIGSERIAL PRIMARY KEY,
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  origin      TEXT NOT NULL CHECK (origin IN ('files', 'change', 'undo')),
  actor       TEXT NOT NULL DEFAULT '',
  change_json TEXT NOT NULL DEFAULT '',
  undo_of     BIGINT NOT NULL DEFAULT 0,
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
    // 5: several daemons: outbox claims with a lease, leases, shown-once values, and the rate
    // limits' buckets (SQLite keeps those in its one daemon's memory).
    R"SQL(
ALTER TABLE mail_outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
CREATE TABLE leases (
  name        TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  until       BIGINT NOT NULL
);
CREATE TABLE stash (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE TABLE today_plans (
  school         TEXT PRIMARY KEY,
  school_year    TEXT NOT NULL,
  through_change BIGINT NOT NULL,
  stored_plan    BIGINT NOT NULL,
  input_version  BIGINT NOT NULL,
  plan_json      TEXT NOT NULL
);
-- Written with every change: lz4 compresses a plan several times faster than the default pglz.
ALTER TABLE today_plans ALTER COLUMN plan_json SET COMPRESSION lz4;
-- Buckets change with every request that is limited; losing them in a crash only forgives a
-- little: no write-ahead log, no fsync.
CREATE UNLOGGED TABLE rate_buckets (
  key         TEXT PRIMARY KEY,
  tokens      DOUBLE PRECISION NOT NULL,
  at          DOUBLE PRECISION NOT NULL,
  granted     BOOLEAN NOT NULL
);
)SQL",
    // 6: the welcome mail of a newcomer or a new invaller is a kind of its own (SQLite's 6).
    R"SQL(
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check
  CHECK (kind IN ('reminder', 'change', 'overdue', 'digest', 'login', 'welcome'));
)SQL",
};

/// The channel of the daemons' news: "school:<id>" or "subscriptions".
constexpr const char* kChannel = "jaarkalender";
/// Serialises migrations of daemons that start at once (pg_advisory_xact_lock's key).
constexpr long long kMigrationLock = 0x6a6b6d6967;  // "jkmig"

/// SQLSTATEs that mean "the database is not there just now", not "this request is wrong".
bool unavailable_state(const std::string& state) {
    return state.rfind("08", 0) == 0      // connection exception
           || state.rfind("57P", 0) == 0  // admin shutdown, crash shutdown, cannot connect now
           || state == "25006"            // read-only transaction: a standby after failover
           || state == "53300";           // too many connections
}

/// libpq's message without its trailing newline.
std::string trimmed(std::string msg) {
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return msg;
}

class Result {
  public:
    explicit Result(PGresult* r) : r_(r) {}
    ~Result() { PQclear(r_); }
    Result(Result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&&) = delete;

    [[nodiscard]] int rows() const { return PQntuples(r_); }
    [[nodiscard]] int columns() const { return PQnfields(r_); }
    [[nodiscard]] std::string text(int row, int col) const {
        return {PQgetvalue(r_, row, col), static_cast<size_t>(PQgetlength(r_, row, col))};
    }
    [[nodiscard]] std::optional<std::string> optional_text(int row, int col) const {
        if (PQgetisnull(r_, row, col)) return std::nullopt;
        return text(row, col);
    }
    [[nodiscard]] long long integer(int row, int col) const {
        return PQgetisnull(r_, row, col) ? 0 : std::stoll(PQgetvalue(r_, row, col));
    }
    [[nodiscard]] std::string column_name(int col) const { return PQfname(r_, col); }
    [[nodiscard]] long long affected() const {
        const char* n = PQcmdTuples(r_);
        return *n ? std::stoll(n) : 0;
    }
    [[nodiscard]] PGresult* raw() const { return r_; }

  private:
    PGresult* r_;
};

/// A parameter as text (NULL when empty optional).
using Param = std::optional<std::string>;
Param p(const std::string& s) {
    return s;
}
Param p(long long v) {
    return std::to_string(v);
}
Param p(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return std::string(buf);
}

/// One connection. Not thread-safe: the pool hands it to one caller at a time.
class Connection {
  public:
    Connection(std::string conninfo, std::string password)
        : conninfo_(std::move(conninfo)), password_(std::move(password)) {}
    ~Connection() {
        if (conn_) PQfinish(conn_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Connects (again) when there is no healthy connection. Throws StoreUnavailable.
    void ensure() {
        if (conn_ && PQstatus(conn_) == CONNECTION_OK) return;
        if (conn_) PQfinish(conn_);
        conn_ = connect(conninfo_, password_);
    }

    static PGconn* connect(const std::string& conninfo, const std::string& password) {
        // connect_timeout before dbname: the expanded string overrides it when it says so.
        std::vector<const char*> keys{"connect_timeout", "application_name", "dbname"};
        std::vector<const char*> values{"5", "jaarkalender", conninfo.c_str()};
        if (!password.empty()) {
            keys.push_back("password");
            values.push_back(password.c_str());
        }
        keys.push_back(nullptr);
        values.push_back(nullptr);
        PGconn* c = PQconnectdbParams(keys.data(), values.data(), 1);
        if (!c) throw StoreUnavailable("postgresql: geen geheugen voor een verbinding");
        if (PQstatus(c) != CONNECTION_OK) {
            std::string msg = PQerrorMessage(c);
            PQfinish(c);
            throw StoreUnavailable("postgresql niet bereikbaar: " + trimmed(msg));
        }
        // Quiet the NOTICEs of IF NOT EXISTS on stderr; they are not errors.
        PQsetNoticeProcessor(
            c, [](void*, const char*) {}, nullptr);
        return c;
    }

    Result exec(const std::string& sql, const std::vector<Param>& params = {}) {
        std::vector<const char*> values;
        std::vector<int> lengths;
        for (const auto& v : params) {
            values.push_back(v ? v->c_str() : nullptr);
            lengths.push_back(v ? static_cast<int>(v->size()) : 0);
        }
        Result r(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                              values.data(), lengths.data(), nullptr, 0));
        check(r, sql);
        return r;
    }

    /// Several statements without parameters (migrations).
    void exec_script(const std::string& sql) {
        Result r(PQexec(conn_, sql.c_str()));
        check(r, sql.substr(0, 60));
    }

    [[nodiscard]] bool broken() const { return !conn_ || PQstatus(conn_) != CONNECTION_OK; }
    void drop() {
        if (conn_) PQfinish(conn_);
        conn_ = nullptr;
    }

  private:
    void check(const Result& r, const std::string& what) {
        // A null result (out of memory, connection gone) reads as a fatal error.
        const ExecStatusType st = PQresultStatus(r.raw());
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
        const char* state = PQresultErrorField(r.raw(), PG_DIAG_SQLSTATE);
        std::string msg = r.raw() ? PQresultErrorMessage(r.raw()) : "";
        if (msg.empty()) msg = PQerrorMessage(conn_);
        const std::string sqlstate = state ? state : "";
        msg = trimmed(msg);
        if (PQstatus(conn_) != CONNECTION_OK || unavailable_state(sqlstate))
            throw StoreUnavailable("postgresql niet bereikbaar: " + msg);
        throw StoreError("postgresql: " + msg + " (" + sqlstate + ") in: " + what.substr(0, 120));
    }

    std::string conninfo_;
    std::string password_;
    PGconn* conn_ = nullptr;
};

/// Connections handed out one caller at a time.
class Pool {
  public:
    Pool(const std::string& conninfo, const std::string& password, int size) {
        for (int i = 0; i < std::max(1, size); ++i)
            free_.push_back(std::make_unique<Connection>(conninfo, password));
    }

    /// Runs `f` on a healthy connection. When the connection breaks, it is dropped (the next
    /// use connects again); a `read` is tried once more on a new connection, a write is not (it
    /// may have committed): the caller gets StoreUnavailable.
    template <class F>
    auto with(bool read, F&& f) {
        auto conn = take();
        struct Back {
            Pool& pool;
            std::unique_ptr<Connection>& c;
            ~Back() { pool.give(std::move(c)); }
        } back{*this, conn};
        for (int attempt = 0;; ++attempt) {
            try {
                conn->ensure();
                return f(*conn);
            } catch (const StoreUnavailable&) {
                conn->drop();
                if (!read || attempt > 0) throw;
            }
        }
    }

  private:
    std::unique_ptr<Connection> take() {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !free_.empty(); });
        auto c = std::move(free_.back());
        free_.pop_back();
        return c;
    }
    void give(std::unique_ptr<Connection> c) {
        {
            std::lock_guard lock(mu_);
            free_.push_back(std::move(c));
        }
        cv_.notify_one();
    }

    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<std::unique_ptr<Connection>> free_;
};

/// BEGIN ... COMMIT on one connection; rolls back when left uncommitted (an exception).
class Transaction {
  public:
    explicit Transaction(Connection& c) : c_(c) { c_.exec("BEGIN"); }
    ~Transaction() {
        if (done_ || c_.broken()) return;
        try {
            c_.exec("ROLLBACK");
        } catch (const std::exception& e) {
            spdlog::warn("postgresql: rollback failed: {}", e.what());
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit() {
        c_.exec("COMMIT");
        done_ = true;
    }

  private:
    Connection& c_;
    bool done_ = false;
};

/// Tells the other daemons (delivered when the transaction commits).
void tell(Connection& c, const std::string& news) {
    c.exec("SELECT pg_notify($1, $2)", {p(std::string(kChannel)), p(news)});
}

/// Waits for the channel's notifications on a connection of its own.
class PgListener final : public StoreListener {
  public:
    PgListener(std::string conninfo, std::string password)
        : conninfo_(std::move(conninfo)), password_(std::move(password)) {}
    ~PgListener() override {
        if (conn_) PQfinish(conn_);
    }
    PgListener(const PgListener&) = delete;
    PgListener& operator=(const PgListener&) = delete;

    StoreNews wait(std::chrono::milliseconds timeout) override {
        StoreNews news;
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            if (!reconnect()) {
                news.problem = problem_;
                std::this_thread::sleep_for(timeout);
                return news;
            }
            news.resync = true;  // what happened while we were away is not in any notification
        }
        pollfd fd{PQsocket(conn_), POLLIN, 0};
        const int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
        if (ready > 0 && !PQconsumeInput(conn_)) {
            spdlog::warn("postgresql: the listening connection broke: {}", PQerrorMessage(conn_));
            PQfinish(conn_);
            conn_ = nullptr;
            return news;
        }
        while (PGnotify* n = PQnotifies(conn_)) {
            const std::string payload = n->extra ? n->extra : "";
            PQfreemem(n);
            if (payload == "subscriptions")
                news.subscriptions = true;
            else if (payload.rfind("school:", 0) == 0)
                news.schools.push_back(payload.substr(7));
        }
        std::sort(news.schools.begin(), news.schools.end());
        news.schools.erase(std::unique(news.schools.begin(), news.schools.end()),
                           news.schools.end());
        return news;
    }

  private:
    bool reconnect() {
        if (conn_) PQfinish(conn_);
        conn_ = nullptr;
        try {
            conn_ = Connection::connect(conninfo_, password_);
        } catch (const StoreUnavailable& e) {
            problem_ = e.what();
            return false;
        }
        Result r(PQexec(conn_, (std::string("LISTEN ") + kChannel).c_str()));
        if (PQresultStatus(r.raw()) != PGRES_COMMAND_OK) {
            problem_ = std::string("postgresql: LISTEN mislukt: ") + PQerrorMessage(conn_);
            PQfinish(conn_);
            conn_ = nullptr;
            return false;
        }
        return true;
    }

    std::string conninfo_;
    std::string password_;
    PGconn* conn_ = nullptr;
    std::string problem_;
};

class PgStore final : public Store {
    // Reads are tried again on a new connection when the old one broke; writes are not (the
    // commit may have happened): they throw StoreUnavailable.
    template <class F>
    auto read(F&& f) {
        return pool_.with(true, std::forward<F>(f));
    }
    template <class F>
    auto write(F&& f) {
        return pool_.with(false, std::forward<F>(f));
    }

  public:
    PgStore(std::string conninfo, std::string password, int connections)
        : conninfo_(std::move(conninfo)),
          password_(std::move(password)),
          pool_(conninfo_, password_, connections) {
        migrate();
    }

    // ---- plans and input -------------------------------------------------------------------
    long long save_plan(const StoredPlan& sp) override {
        return write([&](Connection& c) {
            Transaction tx(c);
            auto r = c.exec(
                "INSERT INTO plans (school, school_year, created_at, plan_json, sources, "
                "through_change) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                {p(sp.school), p(sp.school_year), p(sp.created_at), p(sp.plan_json), p(sp.sources),
                 p(sp.through_change)});
            tell(c, "school:" + sp.school);
            tx.commit();
            return r.integer(0, 0);
        });
    }

    std::optional<StoredPlan> latest_plan(const std::string& school) override {
        return read([&](Connection& c) -> std::optional<StoredPlan> {
            auto r =
                c.exec(std::string(kPlanColumns) + " WHERE school = $1 ORDER BY id DESC LIMIT 1",
                       {p(school)});
            if (r.rows() == 0) return std::nullopt;
            return plan_row(r, 0);
        });
    }

    std::optional<std::string> plan_sources(const std::string& school) override {
        return read([&](Connection& c) -> std::optional<std::string> {
            auto r = c.exec("SELECT sources FROM plans WHERE school = $1 ORDER BY id DESC LIMIT 1",
                            {p(school)});
            if (r.rows() == 0) return std::nullopt;
            return r.text(0, 0);
        });
    }

    long long plan_count(const std::string& school, const std::string& year) override {
        return read([&](Connection& c) {
            return c
                .exec("SELECT count(*) FROM plans WHERE school = $1 AND school_year = $2",
                      {p(school), p(year)})
                .integer(0, 0);
        });
    }

    std::vector<StoredPlan> yearly_plans(const std::string& school) override {
        return read([&](Connection& c) {
            auto r = c.exec(std::string(kPlanColumns) +
                                " WHERE id IN (SELECT max(id) FROM plans WHERE school = $1 GROUP "
                                "BY school_year) ORDER BY school_year",
                            {p(school)});
            std::vector<StoredPlan> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(plan_row(r, i));
            return out;
        });
    }

    long long add_input_version(const InputVersion& v, const AuditEntry& a,
                                long long based_on) override {
        return write([&](Connection& c) -> long long {
            Transaction tx(c);
            // One writer of a school's input at a time, across daemons.
            c.exec("SELECT pg_advisory_xact_lock(hashtext($1))", {p("input:" + v.school)});
            if (based_on >= 0) {
                auto latest =
                    c.exec("SELECT coalesce(max(id), 0) FROM input_versions WHERE school = $1",
                           {p(v.school)});
                if (latest.integer(0, 0) != based_on) return 0;
            }
            auto r = c.exec(
                "INSERT INTO input_versions (school, school_year, created_at, origin, actor, "
                "change_json, undo_of, summary, files, sources, skipped) VALUES ($1, $2, $3, $4, "
                "$5, $6, $7, $8, $9, $10, $11) RETURNING id",
                {p(v.school), p(v.school_year), p(v.created_at), p(v.origin), p(v.actor),
                 p(v.change_json), p(v.undo_of), p(v.summary), p(v.files), p(v.sources),
                 p(v.skipped.empty() ? "[]" : v.skipped)});
            insert_audit(c, a);
            tell(c, "school:" + v.school);
            tx.commit();
            return r.integer(0, 0);
        });
    }

    std::optional<InputVersion> latest_input(const std::string& school) override {
        return read([&](Connection& c) -> std::optional<InputVersion> {
            auto r =
                c.exec(std::string(kInputColumns) + " WHERE school = $1 ORDER BY id DESC LIMIT 1",
                       {p(school)});
            if (r.rows() == 0) return std::nullopt;
            return input_row(r, 0);
        });
    }

    std::vector<InputVersion> input_versions(const std::string& school) override {
        return read([&](Connection& c) {
            auto r =
                c.exec(std::string(kInputColumns) + " WHERE school = $1 ORDER BY id", {p(school)});
            std::vector<InputVersion> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(input_row(r, i));
            return out;
        });
    }

    SchoolHead school_head(const std::string& school, const std::string& year) override {
        return read([&](Connection& c) {
            auto r = c.exec(
                "SELECT (SELECT coalesce(max(id), 0) FROM plans WHERE school = $1), "
                "(SELECT coalesce(max(id), 0) FROM input_versions WHERE school = $1), "
                "(SELECT coalesce(max(id), 0) FROM event_changes WHERE school = $1 AND "
                "school_year = $2)",
                {p(school), p(year)});
            return SchoolHead{r.integer(0, 0), r.integer(0, 1), r.integer(0, 2)};
        });
    }

    std::vector<std::string> input_schools() override {
        return read([&](Connection& c) {
            auto r = c.exec("SELECT DISTINCT school FROM input_versions ORDER BY school");
            std::vector<std::string> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(r.text(i, 0));
            return out;
        });
    }

    // ---- tracking ----------------------------------------------------------------------------
    long long commit_change(const ChangeRecord& rec, const AuditEntry& a,
                            long long based_on) override {
        return write([&](Connection& c) -> long long {
            Transaction tx(c);
            if (newer_change(c, rec, based_on)) return 0;
            const long long id = insert_change(c, rec);
            insert_audit(c, a);
            tx.commit();
            return id;
        });
    }

    std::optional<ChangeRecord> last_change(const std::string& school,
                                            const std::string& uid) override {
        return read([&](Connection& c) -> std::optional<ChangeRecord> {
            auto r = c.exec(std::string(kChangeColumns) +
                                " WHERE school = $1 AND uid = $2 AND undone_at IS NULL AND "
                                "action <> 'undo' ORDER BY id DESC LIMIT 1",
                            {p(school), p(uid)});
            if (r.rows() == 0) return std::nullopt;
            return change_row(r, 0);
        });
    }

    long long commit_undo(const ChangeRecord& undo, const AuditEntry& a,
                          long long based_on) override {
        return write([&](Connection& c) -> long long {
            Transaction tx(c);
            if (newer_change(c, undo, based_on)) return 0;
            const long long id = insert_change(c, undo);
            c.exec("UPDATE event_changes SET undone_at = $1 WHERE id = $2",
                   {p(undo.at), p(undo.undo_of)});
            insert_audit(c, a);
            tx.commit();
            return id;
        });
    }

    std::optional<TodayPlan> today_plan(const std::string& school) override {
        return read([&](Connection& c) -> std::optional<TodayPlan> {
            auto r = c.exec(
                "SELECT school, school_year, through_change, stored_plan, input_version, "
                "plan_json FROM today_plans WHERE school = $1",
                {p(school)});
            if (r.rows() == 0) return std::nullopt;
            return TodayPlan{r.text(0, 0),    r.text(0, 1),    r.integer(0, 2),
                             r.integer(0, 3), r.integer(0, 4), r.text(0, 5)};
        });
    }

    std::vector<ChangeRecord> changes_since(const std::string& school,
                                            const std::string& school_year,
                                            long long after_id) override {
        return read([&](Connection& c) {
            auto r = c.exec(std::string(kChangeColumns) +
                                " WHERE school = $1 AND school_year = $2 AND id > $3 ORDER BY id",
                            {p(school), p(school_year), p(after_id)});
            std::vector<ChangeRecord> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(change_row(r, i));
            return out;
        });
    }

    // ---- subscriptions -----------------------------------------------------------------------
    long long add_subscription(const Subscription& s) override {
        return write([&](Connection& c) {
            Transaction tx(c);
            auto r = c.exec(
                "INSERT INTO subscriptions (school, scope, target, token_hash, created_at) "
                "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                {p(s.school), p(std::string(to_string(s.scope))), p(s.target), p(s.token_hash),
                 p(s.created_at)});
            tell(c, "subscriptions");
            tx.commit();
            return r.integer(0, 0);
        });
    }

    std::vector<Subscription> active_subscriptions() override {
        return read([&](Connection& c) {
            auto r = c.exec(
                "SELECT id, school, scope, target, token_hash, created_at FROM subscriptions "
                "WHERE revoked_at IS NULL ORDER BY id");
            std::vector<Subscription> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(subscription_row(r, i));
            return out;
        });
    }

    std::optional<Subscription> find_subscription(const std::string& token_hash) override {
        return read([&](Connection& c) -> std::optional<Subscription> {
            auto r = c.exec(
                "SELECT id, school, scope, target, token_hash, created_at FROM subscriptions "
                "WHERE token_hash = $1 AND revoked_at IS NULL",
                {p(token_hash)});
            if (r.rows() == 0) return std::nullopt;
            return subscription_row(r, 0);
        });
    }

    int revoke_subscriptions(const std::string& school, FeedScope scope, const std::string& target,
                             const std::string& at) override {
        return write([&](Connection& c) {
            Transaction tx(c);
            auto r = c.exec(
                "UPDATE subscriptions SET revoked_at = $1 WHERE school = $2 AND scope = $3 AND "
                "target = $4 AND revoked_at IS NULL",
                {p(at), p(school), p(std::string(to_string(scope))), p(target)});
            tell(c, "subscriptions");
            tx.commit();
            return static_cast<int>(r.affected());
        });
    }

    // ---- access ------------------------------------------------------------------------------
    void add_api_token(const std::string& school, const std::string& person,
                       const std::string& hash, const std::string& at) override {
        write([&](Connection& c) {
            c.exec(
                "INSERT INTO api_tokens (school, person, token_hash, created_at) VALUES ($1, $2, "
                "$3, $4)",
                {p(school), p(person), p(hash), p(at)});
            return 0;
        });
    }

    std::optional<ApiTokenOwner> find_api_token(const std::string& hash) override {
        return read([&](Connection& c) -> std::optional<ApiTokenOwner> {
            auto r = c.exec(
                "SELECT school, person FROM api_tokens WHERE token_hash = $1 AND revoked_at IS "
                "NULL",
                {p(hash)});
            if (r.rows() == 0) return std::nullopt;
            return ApiTokenOwner{r.text(0, 0), r.text(0, 1)};
        });
    }

    int revoke_api_tokens(const std::string& school, const std::string& person,
                          const std::string& at) override {
        return write([&](Connection& c) {
            return static_cast<int>(
                c.exec("UPDATE api_tokens SET revoked_at = $1 WHERE school = $2 AND person = $3 "
                       "AND revoked_at IS NULL",
                       {p(at), p(school), p(person)})
                    .affected());
        });
    }

    void add_login_link(const std::string& token_hash, const std::string& school,
                        const std::string& person, std::int64_t expires_at) override {
        write([&](Connection& c) {
            c.exec(
                "INSERT INTO login_links (token_hash, school, person, expires_at) VALUES ($1, $2, "
                "$3, $4)",
                {p(token_hash), p(school), p(person), p(static_cast<long long>(expires_at))});
            return 0;
        });
    }

    std::optional<ApiTokenOwner> use_login_link(const std::string& token_hash,
                                                std::int64_t now) override {
        return write([&](Connection& c) -> std::optional<ApiTokenOwner> {
            // One statement: two daemons given the same link cannot both use it.
            auto r = c.exec(
                "UPDATE login_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL "
                "AND expires_at > $2 RETURNING school, person",
                {p(token_hash), p(static_cast<long long>(now))});
            if (r.rows() == 0) return std::nullopt;
            return ApiTokenOwner{r.text(0, 0), r.text(0, 1)};
        });
    }

    void add_session(const WebSession& s, const std::string& token_hash, std::int64_t created_at,
                     std::int64_t expires_at) override {
        write([&](Connection& c) {
            c.exec(
                "INSERT INTO sessions (token_hash, school, person, csrf, created_at, expires_at) "
                "VALUES ($1, $2, $3, $4, $5, $6)",
                {p(token_hash), p(s.school), p(s.person), p(s.csrf),
                 p(static_cast<long long>(created_at)), p(static_cast<long long>(expires_at))});
            return 0;
        });
    }

    std::optional<WebSession> find_session(const std::string& token_hash,
                                           std::int64_t now) override {
        return read([&](Connection& c) -> std::optional<WebSession> {
            auto r = c.exec(
                "SELECT school, person, csrf FROM sessions WHERE token_hash = $1 AND expires_at "
                "> $2",
                {p(token_hash), p(static_cast<long long>(now))});
            if (r.rows() == 0) return std::nullopt;
            return WebSession{r.text(0, 0), r.text(0, 1), r.text(0, 2)};
        });
    }

    void end_session(const std::string& token_hash) override {
        write([&](Connection& c) {
            c.exec("DELETE FROM sessions WHERE token_hash = $1", {p(token_hash)});
            return 0;
        });
    }

    void stash(const std::string& key, const std::string& value, std::int64_t expires_at) override {
        write([&](Connection& c) {
            c.exec(
                "INSERT INTO stash (key, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
                {p(key), p(value), p(static_cast<long long>(expires_at))});
            return 0;
        });
    }

    std::optional<std::string> take_stash(const std::string& key, std::int64_t now) override {
        return write([&](Connection& c) -> std::optional<std::string> {
            Transaction tx(c);
            auto r =
                c.exec("DELETE FROM stash WHERE key = $1 RETURNING value, expires_at", {p(key)});
            c.exec("DELETE FROM stash WHERE expires_at <= $1", {p(static_cast<long long>(now))});
            tx.commit();
            if (r.rows() == 0 || r.integer(0, 1) <= now) return std::nullopt;
            return r.text(0, 0);
        });
    }

    bool take_rate(const std::string& key, double burst, double per_second, double now,
                   int* retry_after) override {
        return write([&](Connection& c) {
            // One statement: concurrent daemons step the same bucket in turn (the row lock).
            auto r = c.exec(
                "INSERT INTO rate_buckets AS b (key, tokens, at, granted) "
                "VALUES ($1, $2::float8 - 1, $4::float8, true) "
                "ON CONFLICT (key) DO UPDATE SET "
                "granted = least($2::float8, b.tokens + greatest(0, $4::float8 - b.at) * "
                "$3::float8) >= 1, "
                "tokens = least($2::float8, b.tokens + greatest(0, $4::float8 - b.at) * "
                "$3::float8) - CASE WHEN least($2::float8, b.tokens + greatest(0, $4::float8 - "
                "b.at) * $3::float8) >= 1 THEN 1 ELSE 0 END, "
                "at = greatest(b.at, $4::float8) "
                "RETURNING granted, tokens",
                {p(key), p(burst), p(per_second), p(now)});
            const bool granted = r.text(0, 0) == "t";
            if (!granted && retry_after)
                *retry_after =
                    static_cast<int>(std::ceil((1.0 - std::stod(r.text(0, 1))) / per_second));
            return granted;
        });
    }

    std::string secret(const std::string& name, const std::string& fresh) override {
        return write([&](Connection& c) {
            c.exec(
                "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                {p(name), p(fresh)});
            auto r = c.exec("SELECT value FROM secrets WHERE name = $1", {p(name)});
            if (r.rows() == 0) throw StoreError("secret " + name + " could not be stored");
            return r.text(0, 0);
        });
    }

    // ---- outbox ------------------------------------------------------------------------------
    int enqueue_mail(const std::vector<OutboxMessage>& messages, const std::string& cursor_name,
                     std::int64_t cursor) override {
        return write([&](Connection& c) {
            Transaction tx(c);
            int added = 0;
            for (const auto& m : messages)
                added += static_cast<int>(
                    c.exec("INSERT INTO mail_outbox (key, school, person, address, kind, uid, "
                           "sequence, due_at, late, message, next_attempt_at, created_at) VALUES "
                           "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                           "ON CONFLICT (key) DO NOTHING",
                           {p(m.key), p(m.school), p(m.person), p(m.address), p(m.kind), p(m.uid),
                            p(static_cast<long long>(m.sequence)),
                            p(static_cast<long long>(m.due_at)), p(m.late ? 1LL : 0LL),
                            p(m.message), p(static_cast<long long>(m.next_attempt_at)),
                            p(static_cast<long long>(m.created_at))})
                        .affected());
            c.exec(
                "INSERT INTO mail_cursors (name, scanned_to) VALUES ($1, $2) ON CONFLICT (name) "
                "DO UPDATE SET scanned_to = excluded.scanned_to",
                {p(cursor_name), p(static_cast<long long>(cursor))});
            tx.commit();
            return added;
        });
    }

    std::optional<std::int64_t> mail_cursor(const std::string& cursor_name) override {
        return read([&](Connection& c) -> std::optional<std::int64_t> {
            auto r =
                c.exec("SELECT scanned_to FROM mail_cursors WHERE name = $1", {p(cursor_name)});
            if (r.rows() == 0) return std::nullopt;
            return r.integer(0, 0);
        });
    }

    std::vector<OutboxMessage> outbox_claim(std::int64_t now, int limit, const std::string& owner,
                                            int lease_seconds) override {
        return write([&](Connection& c) {
            // SKIP LOCKED: two daemons claiming at once take different messages, never wait.
            auto r = c.exec(
                "UPDATE mail_outbox SET lease_owner = $3, lease_until = $4 WHERE id IN ("
                "SELECT id FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= $1 "
                "AND lease_until <= $1 ORDER BY next_attempt_at, id LIMIT $2 "
                "FOR UPDATE SKIP LOCKED) RETURNING " +
                    std::string(kOutboxFields),
                {p(static_cast<long long>(now)), p(static_cast<long long>(limit)), p(owner),
                 p(static_cast<long long>(now + lease_seconds))});
            std::vector<OutboxMessage> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(outbox_row(r, i));
            std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
                return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
            });
            return out;
        });
    }

    void outbox_release(const std::string& owner) override {
        write([&](Connection& c) {
            c.exec(
                "UPDATE mail_outbox SET lease_until = 0 WHERE ($1 = '' OR lease_owner = $1) AND "
                "state = 'pending' AND lease_until > 0",
                {p(owner)});
            return 0;
        });
    }

    std::optional<std::int64_t> outbox_next_attempt() override {
        return read([&](Connection& c) -> std::optional<std::int64_t> {
            auto r = c.exec(
                "SELECT min(greatest(next_attempt_at, lease_until)) FROM mail_outbox WHERE "
                "state = 'pending'");
            if (r.rows() == 0 || !r.optional_text(0, 0)) return std::nullopt;
            return r.integer(0, 0);
        });
    }

    void outbox_sent(long long id, std::int64_t at) override {
        write([&](Connection& c) {
            c.exec(
                "UPDATE mail_outbox SET state = 'sent', done_at = $1, attempts = attempts + 1, "
                "message = CASE kind WHEN 'login' THEN '' ELSE message END WHERE id = $2",
                {p(static_cast<long long>(at)), p(id)});
            return 0;
        });
    }

    void outbox_retry(long long id, std::int64_t next, const std::string& error) override {
        write([&](Connection& c) {
            c.exec(
                "UPDATE mail_outbox SET next_attempt_at = $1, last_error = $2, attempts = "
                "attempts + 1, lease_until = 0 WHERE id = $3",
                {p(static_cast<long long>(next)), p(error), p(id)});
            return 0;
        });
    }

    void outbox_close(long long id, const std::string& state, std::int64_t at,
                      const std::string& reason) override {
        write([&](Connection& c) {
            c.exec(
                "UPDATE mail_outbox SET state = $1, done_at = $2, last_error = $3, attempts = "
                "attempts + CASE WHEN $1 = 'failed' THEN 1 ELSE 0 END WHERE id = $4",
                {p(state), p(static_cast<long long>(at)), p(reason), p(id)});
            return 0;
        });
    }

    std::vector<OutboxMessage> outbox(const std::string& school, const std::string& state,
                                      int limit) override {
        return read([&](Connection& c) {
            auto r = c.exec("SELECT " + std::string(kOutboxFields) +
                                " FROM mail_outbox WHERE school = $1 AND ($2 = '' OR state = $2) "
                                "ORDER BY id DESC LIMIT $3",
                            {p(school), p(state), p(static_cast<long long>(limit))});
            std::vector<OutboxMessage> out;
            for (int i = 0; i < r.rows(); ++i) out.push_back(outbox_row(r, i));
            return out;
        });
    }

    std::vector<std::pair<std::string, long long>> outbox_counts(
        const std::string& school) override {
        return read([&](Connection& c) {
            auto r = c.exec(
                "SELECT state, count(*) FROM mail_outbox WHERE $1 = '' OR school = $1 GROUP BY "
                "state ORDER BY state",
                {p(school)});
            std::vector<std::pair<std::string, long long>> out;
            for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.integer(i, 1));
            return out;
        });
    }

    void set_mail_optout(const std::string& school, const std::string& person,
                         const std::string& kind, bool off, const std::string& at) override {
        write([&](Connection& c) {
            if (off)
                c.exec(
                    "INSERT INTO mail_optouts (school, person, kind, at) VALUES ($1, $2, $3, $4) "
                    "ON CONFLICT DO NOTHING",
                    {p(school), p(person), p(kind), p(at)});
            else
                c.exec("DELETE FROM mail_optouts WHERE school = $1 AND person = $2 AND kind = $3",
                       {p(school), p(person), p(kind)});
            return 0;
        });
    }

    std::vector<std::pair<std::string, std::string>> mail_optouts(
        const std::string& school) override {
        return read([&](Connection& c) {
            auto r = c.exec("SELECT person, kind FROM mail_optouts WHERE school = $1 ORDER BY 1, 2",
                            {p(school)});
            std::vector<std::pair<std::string, std::string>> out;
            for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.text(i, 1));
            return out;
        });
    }

    void checkpoint() override {}  // PostgreSQL checkpoints on its own

    // ---- audit -------------------------------------------------------------------------------
    void audit(const AuditEntry& e) override {
        write([&](Connection& c) {
            insert_audit(c, e);
            return 0;
        });
    }

    std::vector<AuditEntry> audit_log(const std::string& school) override {
        return read([&](Connection& c) {
            auto r = c.exec(
                "SELECT at, actor, school, action, detail FROM audit_log WHERE school = $1 ORDER "
                "BY id",
                {p(school)});
            std::vector<AuditEntry> out;
            for (int i = 0; i < r.rows(); ++i)
                out.push_back(
                    {r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4)});
            return out;
        });
    }

    // ---- several daemons ---------------------------------------------------------------------
    bool acquire_lease(const std::string& name, const std::string& owner, std::int64_t now,
                       int seconds) override {
        return write([&](Connection& c) {
            return c.exec(
                        "INSERT INTO leases (name, owner, until) VALUES ($1, $2, $3) "
                        "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = "
                        "excluded.until WHERE leases.owner = excluded.owner OR leases.until "
                        "<= $4",
                        {p(name), p(owner), p(static_cast<long long>(now + seconds)),
                         p(static_cast<long long>(now))})
                       .affected() == 1;
        });
    }

    void release_lease(const std::string& name, const std::string& owner) override {
        write([&](Connection& c) {
            c.exec("DELETE FROM leases WHERE name = $1 AND owner = $2", {p(name), p(owner)});
            return 0;
        });
    }

    std::unique_ptr<StoreListener> listen() override {
        return std::make_unique<PgListener>(conninfo_, password_);
    }

    TableRows read_table(const std::string& table) override {
        return read([&](Connection& c) {
            auto r = c.exec("SELECT * FROM " + copied_table(table) + " ORDER BY 1");
            TableRows out;
            for (int i = 0; i < r.columns(); ++i) out.columns.push_back(r.column_name(i));
            for (int row = 0; row < r.rows(); ++row) {
                auto& values = out.rows.emplace_back();
                for (int i = 0; i < r.columns(); ++i) values.push_back(r.optional_text(row, i));
            }
            return out;
        });
    }

    void write_table(const std::string& table, const TableRows& rows) override {
        write([&](Connection& c) {
            const std::string name = copied_table(table);
            std::string cols, marks;
            for (size_t i = 0; i < rows.columns.size(); ++i) {
                cols += (i ? ", " : "") + rows.columns[i];
                marks += (i ? ", $" : "$") + std::to_string(i + 1);
            }
            Transaction tx(c);
            const std::string sql =
                "INSERT INTO " + name + " (" + cols + ") VALUES (" + marks + ")";
            for (const auto& row : rows.rows) c.exec(sql, row);
            // Ids were copied: the sequence continues after the largest.
            if (std::find(rows.columns.begin(), rows.columns.end(), "id") != rows.columns.end())
                c.exec(
                    "SELECT setval(pg_get_serial_sequence($1, 'id'), "
                    "greatest(1, (SELECT coalesce(max(id), 0) FROM " +
                        name + ")), (SELECT count(*) > 0 FROM " + name + "))",
                    {p(name)});
            tx.commit();
            return 0;
        });
    }

    long long count_rows(const std::string& table) override {
        return read([&](Connection& c) {
            return c.exec("SELECT count(*) FROM " + copied_table(table)).integer(0, 0);
        });
    }

    int schema_version() override {
        return read([&](Connection& c) {
            return static_cast<int>(c.exec("SELECT version FROM jk_schema").integer(0, 0));
        });
    }
    [[nodiscard]] std::string backend() const override { return "postgresql"; }
    [[nodiscard]] bool shared() const override { return true; }

  private:
    void migrate() {
        write([&](Connection& c) {
            Transaction tx(c);
            // Daemons that start at once migrate one after the other.
            c.exec("SELECT pg_advisory_xact_lock($1)", {p(kMigrationLock)});
            c.exec_script("CREATE TABLE IF NOT EXISTS jk_schema (version INTEGER NOT NULL)");
            auto r = c.exec("SELECT version FROM jk_schema");
            if (r.rows() == 0) c.exec("INSERT INTO jk_schema (version) VALUES (0)");
            const int have = r.rows() ? static_cast<int>(r.integer(0, 0)) : 0;
            const int want = static_cast<int>(std::size(kMigrations));
            if (have > want)
                throw StoreError("de database heeft schemaversie " + std::to_string(have) +
                                 ", nieuwer dan dit programma kent (" + std::to_string(want) +
                                 "); werk jaarkalender bij");
            for (int v = have; v < want; ++v) {
                c.exec_script(kMigrations[v]);
                c.exec("UPDATE jk_schema SET version = $1", {p(static_cast<long long>(v + 1))});
                spdlog::info("postgresql: schema migrated to version {}", v + 1);
            }
            tx.commit();
            return 0;
        });
    }

    static bool newer_change(Connection& c, const ChangeRecord& rec, long long based_on) {
        // Serialises a school's changes across daemons: ids then follow the commit order,
        // which changes_since relies on.
        c.exec("SELECT pg_advisory_xact_lock(hashtext($1))", {p("changes:" + rec.school)});
        if (based_on < 0) return false;
        return c.exec(
                    "SELECT coalesce(max(id), 0) FROM event_changes WHERE school = $1 AND "
                    "school_year = $2",
                    {p(rec.school), p(rec.school_year)})
                   .integer(0, 0) > based_on;
    }

  public:
    void put_today_plan(const TodayPlan& t) override {
        write([&](Connection& c) {
            Transaction tx(c);
            // A cache of what the change records say: lost in a crash, the others replay the
            // records. Not worth waiting for the disk with every change.
            c.exec("SET LOCAL synchronous_commit = off");
            c.exec(
                "INSERT INTO today_plans (school, school_year, through_change, stored_plan, "
                "input_version, plan_json) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (school) DO "
                "UPDATE SET school_year = excluded.school_year, through_change = "
                "excluded.through_change, stored_plan = excluded.stored_plan, input_version = "
                "excluded.input_version, plan_json = excluded.plan_json "
                "WHERE today_plans.through_change < excluded.through_change",
                {p(t.school), p(t.school_year), p(t.through_change), p(t.stored_plan),
                 p(t.input_version), p(t.plan_json)});
            tell(c, "school:" + t.school);
            tx.commit();
            return 0;
        });
    }

  private:
    static long long insert_change(Connection& c, const ChangeRecord& rec) {
        return c
            .exec(
                "INSERT INTO event_changes (school, school_year, uid, action, before_json, note, "
                "actor, created_at, change_json, undo_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                "$9, $10) RETURNING id",
                {p(rec.school), p(rec.school_year), p(rec.uid), p(rec.action), p(rec.before_json),
                 p(rec.note), p(rec.actor), p(rec.at), p(rec.change_json),
                 rec.undo_of ? p(rec.undo_of) : Param{}})
            .integer(0, 0);
    }

    static void insert_audit(Connection& c, const AuditEntry& e) {
        c.exec(
            "INSERT INTO audit_log (at, actor, school, action, detail) VALUES ($1, $2, $3, $4, "
            "$5)",
            {p(e.at), p(e.actor), p(e.school), p(e.action), p(e.detail)});
    }

    static constexpr const char* kPlanColumns =
        "SELECT id, school, school_year, created_at, plan_json, sources, through_change FROM "
        "plans";
    static StoredPlan plan_row(const Result& r, int i) {
        return StoredPlan{r.integer(i, 0), r.text(i, 1), r.text(i, 2),   r.text(i, 3),
                          r.text(i, 4),    r.text(i, 5), r.integer(i, 6)};
    }

    static constexpr const char* kChangeColumns =
        "SELECT id, school, school_year, uid, action, before_json, note, actor, created_at, "
        "change_json, coalesce(undo_of, 0) FROM event_changes";
    static ChangeRecord change_row(const Result& r, int i) {
        return ChangeRecord{r.integer(i, 0), r.text(i, 1), r.text(i, 2),    r.text(i, 3),
                            r.text(i, 4),    r.text(i, 5), r.text(i, 6),    r.text(i, 7),
                            r.text(i, 8),    r.text(i, 9), r.integer(i, 10)};
    }

    static constexpr const char* kOutboxFields =
        "id, key, school, person, address, kind, uid, sequence, due_at, late, message, state, "
        "attempts, next_attempt_at, last_error, created_at, coalesce(done_at, 0)";
    static OutboxMessage outbox_row(const Result& r, int i) {
        OutboxMessage m;
        m.id = r.integer(i, 0);
        m.key = r.text(i, 1);
        m.school = r.text(i, 2);
        m.person = r.text(i, 3);
        m.address = r.text(i, 4);
        m.kind = r.text(i, 5);
        m.uid = r.text(i, 6);
        m.sequence = static_cast<int>(r.integer(i, 7));
        m.due_at = r.integer(i, 8);
        m.late = r.integer(i, 9) != 0;
        m.message = r.text(i, 10);
        m.state = r.text(i, 11);
        m.attempts = static_cast<int>(r.integer(i, 12));
        m.next_attempt_at = r.integer(i, 13);
        m.last_error = r.text(i, 14);
        m.created_at = r.integer(i, 15);
        m.done_at = r.integer(i, 16);
        return m;
    }

    static Subscription subscription_row(const Result& r, int i) {
        Subscription s;
        s.id = r.integer(i, 0);
        s.school = r.text(i, 1);
        s.scope = parse_feed_scope(r.text(i, 2)).value_or(FeedScope::school);
        s.target = r.text(i, 3);
        s.token_hash = r.text(i, 4);
        s.created_at = r.text(i, 5);
        return s;
    }

    static constexpr const char* kInputColumns =
        "SELECT id, school, school_year, created_at, origin, actor, change_json, undo_of, "
        "summary, files, sources, skipped FROM input_versions";
    static InputVersion input_row(const Result& r, int i) {
        InputVersion v;
        v.id = r.integer(i, 0);
        v.school = r.text(i, 1);
        v.school_year = r.text(i, 2);
        v.created_at = r.text(i, 3);
        v.origin = r.text(i, 4);
        v.actor = r.text(i, 5);
        v.change_json = r.text(i, 6);
        v.undo_of = r.integer(i, 7);
        v.summary = r.text(i, 8);
        v.files = r.text(i, 9);
        v.sources = r.text(i, 10);
        v.skipped = r.text(i, 11);
        return v;
    }

    std::string conninfo_;
    std::string password_;
    Pool pool_;
};

}  // namespace

std::string read_password_file(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    if (!in || !std::getline(in, line))
        throw StoreError(path +
                         ": het wachtwoordbestand is niet te lezen; zet het wachtwoord van "
                         "de database op de eerste regel (alleen leesbaar voor de dienst)");
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
}

std::unique_ptr<Store> open_postgresql_store(const std::string& conninfo,
                                             const std::string& password, int connections) {
    return std::make_unique<PgStore>(conninfo, password, connections);
}

}  // namespace jk::daemon
