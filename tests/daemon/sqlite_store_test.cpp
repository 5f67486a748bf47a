// What only SQLite has (its user_version, the migration from schema 3); the contract every
// backend keeps is in store_conformance_test.cpp.
#include "daemon/store/store.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

using namespace jk::daemon;

namespace {
std::string temp_db(const char* name) {
    auto p = std::filesystem::temp_directory_path() /
             (std::string("jk-test-") + name + "-" + std::to_string(::getpid()) + ".db");
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + ext);
    return p.string();
}
}  // namespace

TEST_CASE("a database from a newer program is refused", "[io][store]") {
    const std::string db = temp_db("newer");
    { open_sqlite_store(db); }
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
    CHECK_THROWS_WITH(open_sqlite_store(db), Catch::Contains("schemaversie 99"));
}

TEST_CASE("the migration to schema 4 makes the newest plan's input the first input version",
          "[io][store]") {
    const std::string db = temp_db("migrate4");
    {
        auto s = open_sqlite_store(db);
        s->save_plan({0, "x", "2026-2027", "2026-08-01T00:00:00Z", "{}", "OLD", 0});
        s->save_plan({0, "x", "2026-2027", "2026-09-01T00:00:00Z", "{}", "NEW", 0});
    }
    {
        // Back to schema 3, as a database of the previous version would be.
        sqlite3* raw = nullptr;
        REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
        REQUIRE(sqlite3_exec(raw,
                             "DROP TABLE input_versions; DROP TABLE leases; DROP TABLE stash; DROP "
                             "TABLE today_plans; DROP TABLE school_years; "
                             "ALTER TABLE mail_outbox DROP COLUMN lease_owner; "
                             "ALTER TABLE mail_outbox DROP COLUMN lease_until; "
                             "PRAGMA user_version = 3",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
    }
    auto s = open_sqlite_store(db);
    CHECK(s->schema_version() == 7);
    auto v = s->latest_input("x");
    REQUIRE(v);
    CHECK(v->origin == InputOrigin::files);
    CHECK(v->files == "NEW");
    CHECK(v->sources == "NEW");
    CHECK(s->input_versions("x").size() == 1);
}
