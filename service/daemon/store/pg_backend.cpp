// The store on PostgreSQL (sql.hpp, libpq): for several daemons on one database
// (docs/deploy.md). A small pool of connections, each used by one caller at a time; a connection
// that breaks is reset on its next use, so the store follows a restart or a failover (a
// multi-host string with target_session_attrs=read-write). A write that fails because the
// database is gone throws StoreUnavailable: nothing was acknowledged, the caller answers 503.
#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "daemon/store/sql.hpp"

namespace jk::daemon::sql {
namespace {

// The steps of a migration that only PostgreSQL takes (SQLite rebuilds its tables instead, or
// has no such thing).
constexpr const char* kOwnMigration1 = R"SQL(
CREATE INDEX audit_log_by_school ON audit_log (school, id);
)SQL";
constexpr const char* kOwnMigration3 = R"SQL(
ALTER TABLE event_changes DROP CONSTRAINT event_changes_action;
ALTER TABLE event_changes ADD CONSTRAINT event_changes_action
  CHECK (action IN ('done', 'cancel', 'move', 'undo'));
ALTER TABLE event_changes ADD COLUMN change_json TEXT NOT NULL DEFAULT '';
ALTER TABLE event_changes ADD COLUMN undo_of BIGINT;
CREATE INDEX event_changes_by_year ON event_changes (school, school_year, id);
)SQL";
constexpr const char* kOwnMigration5 = R"SQL(
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
)SQL";
constexpr const char* kOwnMigration6 = R"SQL(
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check
  CHECK (kind IN ('reminder', 'change', 'overdue', 'digest', 'login', 'welcome'));
)SQL";
constexpr const char* kOwnMigration7 = R"SQL(
ALTER TABLE mail_outbox DROP CONSTRAINT mail_outbox_kind_check;
ALTER TABLE mail_outbox ADD CONSTRAINT mail_outbox_kind_check
  CHECK (kind IN ('reminder', 'change', 'overdue', 'digest', 'login', 'welcome', 'year'));
)SQL";

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

/// A parameter as libpq takes it: text (NULL when empty).
using TextParam = std::optional<std::string>;
TextParam p(const std::string& s) {
    return s;
}
TextParam p(long long v) {
    return std::to_string(v);
}
TextParam p(double v) {
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

    Result exec(const std::string& sql, const std::vector<TextParam>& params = {}) {
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
/// A connection of the pool as a Session: `?N` written as `$N`, parameters as text.
class PgSession final : public Session {
  public:
    explicit PgSession(Connection& c) : c_(c) {}

    using Session::run;
    Rows run(std::string_view sql, const std::vector<Param>& params) override {
        std::string text(sql);
        std::replace(text.begin(), text.end(), '?', '$');
        std::vector<TextParam> values;
        values.reserve(params.size());
        for (const Param& v : params) {
            if (const auto* i = std::get_if<long long>(&v))
                values.push_back(p(*i));
            else if (const auto* d = std::get_if<double>(&v))
                values.push_back(p(*d));
            else if (const auto* t = std::get_if<std::string_view>(&v))
                values.emplace_back(std::string(*t));
            else
                values.emplace_back();
        }
        Result r = c_.exec(text, values);
        Rows out;
        out.columns.reserve(static_cast<std::size_t>(r.columns()));
        for (int c = 0; c < r.columns(); ++c) out.columns.push_back(r.column_name(c));
        out.cells.resize(static_cast<std::size_t>(r.rows()));
        for (int row = 0; row < r.rows(); ++row)
            for (int c = 0; c < r.columns(); ++c) out.cells[row].push_back(r.optional_text(row, c));
        out.affected = r.affected();
        return out;
    }

    void script(const std::string& sql) override { c_.exec_script(sql); }

    Connection& connection() { return c_; }

  private:
    Connection& c_;
};

class PgBackend final : public Backend {
  public:
    PgBackend(std::string conninfo, std::string password, int connections)
        : conninfo_(std::move(conninfo)),
          password_(std::move(password)),
          pool_(conninfo_, password_, connections) {}

    void with(Access access, const std::function<void(Session&)>& work) override {
        pool_.with(access == Access::read, [&](Connection& c) {
            PgSession s(c);
            if (access != Access::transaction) return work(s);
            Transaction tx(c);
            work(s);
            tx.commit();
        });
    }

    [[nodiscard]] std::string name() const override { return "postgresql"; }
    [[nodiscard]] bool shared() const override { return true; }
    [[nodiscard]] std::string_view id_column() const override { return "BIGSERIAL PRIMARY KEY"; }
    [[nodiscard]] std::string_view bigint() const override { return "BIGINT"; }
    [[nodiscard]] std::string_view own_migration(int version) const override {
        switch (version) {
            case 1:
                return kOwnMigration1;
            case 3:
                return kOwnMigration3;
            case 5:
                return kOwnMigration5;
            case 6:
                return kOwnMigration6;
            case 7:
                return kOwnMigration7;
            default:
                return "";
        }
    }
    void lock_migrations(Session& s) override {
        // Daemons that start at once migrate one after the other.
        s.run("SELECT pg_advisory_xact_lock(?1)", {kMigrationLock});
    }
    int schema_version(Session& s) override {
        s.script("CREATE TABLE IF NOT EXISTS jk_schema (version INTEGER NOT NULL)");
        Rows r = s.run("SELECT version FROM jk_schema");
        if (!r.empty()) return static_cast<int>(r.integer(0, 0));
        s.run("INSERT INTO jk_schema (version) VALUES (0)");
        return 0;
    }
    void set_schema_version(Session& s, int version) override {
        s.run("UPDATE jk_schema SET version = ?1", {static_cast<long long>(version)});
    }

    void lock(Session& s, std::string_view key) override {
        s.run("SELECT pg_advisory_xact_lock(hashtext(?1))", {key});
    }
    void tell(Session& s, std::string_view news) override {
        // Delivered when the transaction commits.
        s.run("SELECT pg_notify(?1, ?2)", {std::string_view(kChannel), news});
    }
    void relax_commit(Session& s) override { s.run("SET LOCAL synchronous_commit = off"); }
    [[nodiscard]] std::string_view skip_locked() const override {
        return " FOR UPDATE SKIP LOCKED";
    }
    void copied(Session& s, const std::string& table) override {
        // Ids were copied: the sequence continues after the largest.
        Rows cols = s.run(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND "
            "table_name = ?1 AND column_name = 'id'",
            {table});
        if (cols.empty()) return;
        s.run(
            "SELECT setval(pg_get_serial_sequence(?1, 'id'), greatest(1, (SELECT "
            "coalesce(max(id), 0) FROM " +
                table + ")), (SELECT count(*) > 0 FROM " + table + "))",
            {table});
    }

    bool take_rate(const std::string& key, double burst, double per_second, double now,
                   int* retry_after) override {
        return pool_.with(false, [&](Connection& c) {
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

    void checkpoint() override {}  // PostgreSQL checkpoints on its own

    std::unique_ptr<StoreListener> listen() override {
        return std::make_unique<PgListener>(conninfo_, password_);
    }

  private:
    std::string conninfo_;
    std::string password_;
    Pool pool_;
};

}  // namespace

std::unique_ptr<Backend> postgresql_backend(const std::string& conninfo,
                                            const std::string& password, int connections) {
    return std::make_unique<PgBackend>(conninfo, password, connections);
}

}  // namespace jk::daemon::sql

namespace jk::daemon {

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

}  // namespace jk::daemon
