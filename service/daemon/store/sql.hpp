// The store's SQL, written once for SQLite and PostgreSQL (sql_store.cpp), over a small backend
// layer that holds what differs per database: how a connection runs a statement and a
// transaction, and a few dialect choices (locks across daemons, news, migrations' own steps,
// the rate limits' buckets). The way spdlog's base_sink owns the shared logic and a sink only
// writes: sqlite_backend.cpp and pg_backend.cpp only talk to their database.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "daemon/store/store.hpp"

namespace jk::daemon::sql {

/// A statement's parameter: NULL, an integer, a real, or text that lives for the call.
using Param = std::variant<std::monostate, long long, double, std::string_view>;

/// A statement's result: each cell as text (NULL as nullopt), as both databases can give it,
/// and how many rows it changed.
struct Rows {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> cells;
    long long affected = 0;

    [[nodiscard]] bool empty() const { return cells.empty(); }
    [[nodiscard]] int size() const { return static_cast<int>(cells.size()); }
    [[nodiscard]] bool null(int row, int col) const { return !cells[row][col]; }
    /// The cell's text, moved out (each cell is read once); "" for NULL.
    std::string take(int row, int col) {
        auto& c = cells[row][col];
        return c ? std::move(*c) : std::string();
    }
    /// The cell as an integer; 0 for NULL.
    [[nodiscard]] long long integer(int row, int col) const;
};

/// One connection, used by one caller at a time. Parameters are numbered in the SQL text:
/// `?1`, `?2`, … (SQLite's own form; the PostgreSQL session writes `$1`, `$2`, …), so a shared
/// statement holds no other `?`, not even in a string literal.
class Session {
  public:
    virtual ~Session() = default;
    virtual Rows run(std::string_view sql, const std::vector<Param>& params) = 0;
    Rows run(std::string_view sql, std::initializer_list<Param> params = {}) {
        return run(sql, std::vector<Param>(params));
    }
    /// Several statements without parameters (a migration).
    virtual void script(const std::string& sql) = 0;
};

/// How a piece of work uses its connection: a read may be tried again on a new connection
/// when the old one broke; a write may not (its commit may have happened); a transaction is a
/// write between BEGIN (SQLite: BEGIN IMMEDIATE, one writer at a time) and COMMIT, rolled back
/// when the work throws.
enum class Access { read, write, transaction };

/// What differs per database.
class Backend {
  public:
    virtual ~Backend() = default;
    /// Runs `work` on a connection. Throws StoreError, or StoreUnavailable when the database
    /// cannot be reached just now.
    virtual void with(Access access, const std::function<void(Session&)>& work) = 0;

    /// "sqlite" or "postgresql".
    [[nodiscard]] virtual std::string name() const = 0;
    /// True when other daemons may share this database (news and leases matter).
    [[nodiscard]] virtual bool shared() const = 0;
    /// The words of a migration that differ: "{id}" (an id column that numbers itself) and
    /// "{bigint}" (a 64-bit integer column).
    [[nodiscard]] virtual std::string_view id_column() const = 0;
    [[nodiscard]] virtual std::string_view bigint() const = 0;
    /// A migration's steps of this database only (a table rebuilt where SQLite cannot alter a
    /// constraint; PostgreSQL's storage choices), run after the shared ones; empty for none.
    [[nodiscard]] virtual std::string_view own_migration(int version) const = 0;
    /// The schema version (creating what keeps it) and its update, in a migration's
    /// transaction; `lock_migrations` first, so that daemons starting at once migrate once.
    virtual void lock_migrations(Session& s) = 0;
    virtual int schema_version(Session& s) = 0;
    virtual void set_schema_version(Session& s, int version) = 0;

    /// Serialises the transactions that take the same `key` across daemons, until the commit
    /// (nothing where the database has one writer at a time).
    virtual void lock(Session& s, std::string_view key) = 0;
    /// Tells the other daemons `news` when the transaction commits (nothing without others).
    virtual void tell(Session& s, std::string_view news) = 0;
    /// The transaction may be lost in a power cut (a cache that is written again anyway).
    virtual void relax_commit(Session& s) = 0;
    /// The clause that lets concurrent claims skip each other's rows instead of waiting.
    [[nodiscard]] virtual std::string_view skip_locked() const = 0;
    /// A table's rows were copied with their ids: whatever numbers new ids continues after them.
    virtual void copied(Session& s, const std::string& table) = 0;

    /// AccessStore::take_rate: where the buckets live differs (SQLite's one daemon keeps them
    /// in memory).
    virtual bool take_rate(const std::string& key, double burst, double per_second, double now,
                           int* retry_after) = 0;
    /// OutboxStore::checkpoint.
    virtual void checkpoint() = 0;
    /// ClusterStore::listen.
    virtual std::unique_ptr<StoreListener> listen() = 0;
};

/// How many migrations there are (the newest schema version), and migration `index` (0 for
/// version 1) in the backend's words, its own steps after the shared ones (migrations.cpp).
int migration_count();
std::string migration_text(const Backend& b, int index);

/// The store over a backend: every query and migration, once.
std::unique_ptr<Store> make_store(std::unique_ptr<Backend> backend);

/// The backends (sqlite_backend.cpp, pg_backend.cpp).
std::unique_ptr<Backend> sqlite_backend(const std::string& path, Durability durability);
std::unique_ptr<Backend> postgresql_backend(const std::string& conninfo,
                                            const std::string& password, int connections);

}  // namespace jk::daemon::sql
