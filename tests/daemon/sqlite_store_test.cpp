#include "daemon/store.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <filesystem>

using namespace jk::daemon;

namespace {
std::string temp_db(const char* name) {
    auto p = std::filesystem::temp_directory_path() /
             (std::string("jk-test-") + name + "-" + std::to_string(::getpid()) + ".db");
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + ext);
    return p.string();
}
}  // namespace

TEST_CASE("the store migrates, keeps plan history and survives a reopen", "[io][store]") {
    const std::string db = temp_db("plans");
    {
        auto s = open_sqlite_store(db);
        CHECK(s->schema_version() == 1);
        CHECK_FALSE(s->latest_plan("x"));
        s->save_plan({0, "x", "2026-2027", "2026-08-01T00:00:00Z", "{\"a\":1}", "{}"});
        s->save_plan({0, "x", "2026-2027", "2026-09-01T00:00:00Z", "{\"a\":2}", "{}"});
        CHECK(s->plan_count("x", "2026-2027") == 2);
    }
    auto s = open_sqlite_store(db);  // migrations run once: a reopen keeps the data
    CHECK(s->schema_version() == 1);
    auto p = s->latest_plan("x");
    REQUIRE(p);
    CHECK(p->plan_json == "{\"a\":2}");
    CHECK(p->created_at == "2026-09-01T00:00:00Z");
}

TEST_CASE("subscriptions: add, find by hash, revoke", "[io][store]") {
    auto s = open_sqlite_store(temp_db("subs"));
    Subscription a{0, "x", FeedScope::person, "bram", "hash-a", "t", std::nullopt};
    Subscription b{0, "x", FeedScope::school, "", "hash-b", "t", std::nullopt};
    s->add_subscription(a);
    s->add_subscription(b);
    CHECK(s->active_subscriptions().size() == 2);
    CHECK(s->find_subscription("hash-a"));
    CHECK_FALSE(s->find_subscription("nope"));
    CHECK(s->revoke_subscriptions("x", FeedScope::person, "bram", "t2") == 1);
    CHECK_FALSE(s->find_subscription("hash-a"));
    CHECK(s->active_subscriptions().size() == 1);
    // A token hash is unique: the same hash twice is refused, not silently stored.
    CHECK_THROWS_AS(s->add_subscription(b), StoreError);
    s->audit({"t", "cli", "x", "subscribe", "person bram"});
    CHECK(s->audit_log("x").size() == 1);
}

TEST_CASE("a database from a newer program is refused", "[io][store]") {
    const std::string db = temp_db("newer");
    { open_sqlite_store(db); }
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
    CHECK_THROWS_WITH(open_sqlite_store(db), Catch::Contains("schemaversie 99"));
}
