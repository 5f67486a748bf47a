// The store backends the conformance suite and the daemon tests run on: SQLite always, and
// PostgreSQL when the test command has started a throw-away cluster (JK_TEST_PG: a libpq
// key=value string to its maintenance database; tests/support/pg_cluster.sh).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "daemon/store/store.hpp"

namespace jk::test {

/// "sqlite", and "postgresql" when JK_TEST_PG is set. With JK_REQUIRE_PG set and no cluster,
/// throws: a run that was meant to test PostgreSQL must not pass without it.
std::vector<std::string> store_backends();

/// Where a fresh, empty store named `name` lives on `backend` (made empty now): an SQLite file,
/// or a schema of the cluster's database.
daemon::StoreLocation fresh_store(const std::string& backend, const std::string& name);

/// Runs SQL on the database of a PostgreSQL location (for tests that tamper, e.g. the schema
/// version); throws on failure.
void pg_exec(const daemon::StoreLocation& where, const std::string& sql);

}  // namespace jk::test
