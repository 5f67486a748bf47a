#include "daemon/store.hpp"

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

TEST_CASE("the store migrates, keeps plan history and survives a reopen", "[io][store]") {
    const std::string db = temp_db("plans");
    {
        auto s = open_sqlite_store(db);
        CHECK(s->schema_version() == 4);
        CHECK_FALSE(s->latest_plan("x"));
        s->save_plan({0, "x", "2026-2027", "2026-08-01T00:00:00Z", "{\"a\":1}", "{}", 0});
        s->save_plan({0, "x", "2026-2027", "2026-09-01T00:00:00Z", "{\"a\":2}", "{}", 7});
        CHECK(s->plan_count("x", "2026-2027") == 2);
    }
    auto s = open_sqlite_store(db);  // migrations run once: a reopen keeps the data
    CHECK(s->schema_version() == 4);
    auto p = s->latest_plan("x");
    REQUIRE(p);
    CHECK(p->plan_json == "{\"a\":2}");
    CHECK(p->created_at == "2026-09-01T00:00:00Z");
    CHECK(p->through_change == 7);
}

TEST_CASE("change records: stored alone, undone by a record of their own, replayed in order",
          "[io][store]") {
    auto s = open_sqlite_store(temp_db("changes"));
    const AuditEntry audit{"t", "anna", "x", "done", "u1"};
    const long long a = s->commit_change({0, "x", "2026-2027", "u1", "done", "{before}", "n",
                                          "anna", "t1", "{\"kind\":\"done\"}", 0},
                                         audit);
    const long long b = s->commit_change(
        {0, "x", "2026-2027", "u2", "cancel", "{b2}", "ziek", "erik", "t2", "{}", 0}, audit);
    s->commit_change({0, "x", "2025-2026", "u0", "done", "{old}", "", "anna", "t0", "{}", 0},
                     audit);
    CHECK(s->plan_count("x", "2026-2027") == 0);  // no plan copies
    auto last = s->last_change("x", "u1");
    REQUIRE(last);
    CHECK(last->id == a);
    CHECK(last->actor == "anna");
    const long long u = s->commit_undo(
        {0, "x", "2026-2027", "u1", "undo", last->before_json, "", "anna", "t3", "", a}, audit);
    CHECK(u > b);
    CHECK_FALSE(s->last_change("x", "u1"));  // the undo is no change to undo again
    auto year = s->changes_since("x", "2026-2027", 0);
    REQUIRE(year.size() == 3);
    CHECK(year[0].id == a);
    CHECK(year[0].change_json == "{\"kind\":\"done\"}");
    CHECK(year[2].action == "undo");
    CHECK(year[2].undo_of == a);
    CHECK(year[2].before_json == "{before}");
    CHECK(s->changes_since("x", "2026-2027", b).size() == 1);
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

TEST_CASE("outbox: a key is queued once, the cursor moves with it, states are kept",
          "[io][store][mail]") {
    const std::string db = temp_db("outbox");
    auto s = open_sqlite_store(db);
    auto msg = [](const std::string& key, std::int64_t due) {
        OutboxMessage m;
        m.key = key;
        m.school = "x";
        m.person = "bram";
        m.address = "bram@x.nl";
        m.kind = "reminder";
        m.uid = "u1";
        m.due_at = due;
        m.message = "Subject: a\r\n\r\nb\r\n";
        m.next_attempt_at = due;
        m.created_at = due;
        return m;
    };
    CHECK_FALSE(s->mail_cursor("scan:x"));
    CHECK(s->enqueue_mail({msg("k1", 100), msg("k2", 200)}, "scan:x", 250) == 2);
    CHECK(s->mail_cursor("scan:x") == 250);
    // The same key again is ignored; the cursor still moves.
    CHECK(s->enqueue_mail({msg("k1", 100), msg("k3", 300)}, "scan:x", 350) == 1);
    CHECK(s->mail_cursor("scan:x") == 350);

    auto ready = s->outbox_ready(250, 10);
    REQUIRE(ready.size() == 2);
    CHECK(ready[0].key == "k1");
    CHECK(s->outbox_next_attempt() == 100);
    s->outbox_sent(ready[0].id, 260);
    s->outbox_retry(ready[1].id, 900, "connection refused");
    CHECK(s->outbox_ready(500, 10).size() == 1);  // k3 only: k2 waits until 900
    CHECK(s->outbox_next_attempt() == 300);
    s->outbox_close(s->outbox_ready(500, 10)[0].id, "failed", 510, "550 no such user");
    CHECK(s->outbox_next_attempt() == 900);

    auto failed = s->outbox("x", "failed", 10);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].last_error == "550 no such user");
    CHECK(failed[0].attempts == 1);
    auto all = s->outbox("x", "", 10);
    CHECK(all.size() == 3);
    std::map<std::string, long long> counts;
    for (const auto& [state, n] : s->outbox_counts("x")) counts[state] = n;
    CHECK(counts == std::map<std::string, long long>{{"failed", 1}, {"pending", 1}, {"sent", 1}});

    // Opt-outs and the installation's secret survive a reopen.
    s->set_mail_optout("x", "bram", "digest", true, "t");
    s->set_mail_optout("x", "bram", "reminder", true, "t");
    s->set_mail_optout("x", "bram", "reminder", false, "t");
    const std::string secret = s->secret("unsubscribe", "first");
    CHECK(secret == "first");
    s.reset();
    s = open_sqlite_store(db, Durability::normal);
    CHECK(s->mail_optouts("x") ==
          std::vector<std::pair<std::string, std::string>>{{"bram", "digest"}});
    CHECK(s->secret("unsubscribe", "second") == "first");
    CHECK(s->outbox("x", "sent", 10).size() == 1);
}

TEST_CASE("input versions: appended in one transaction with their audit line, read back in order",
          "[io][store]") {
    const std::string db = temp_db("inputs");
    auto s = open_sqlite_store(db);
    CHECK_FALSE(s->latest_input("x"));
    InputVersion files{0,    "x",  "2026-2027", "2026-08-01T00:00:00Z", "files", "", "", 0, "",
                       "F1", "S1", ""};
    const long long a =
        s->add_input_version(files, {"2026-08-01T00:00:00Z", "", "x", "import", "bestanden"});
    InputVersion change = files;
    change.origin = "change";
    change.actor = "anna";
    change.change_json = R"({"kind":"closure"})";
    change.summary = "Studiedag";
    change.sources = "S2";
    change.skipped = R"([{"change":1,"reason":"r"}])";
    const long long b = s->add_input_version(
        change, {"2026-08-02T00:00:00Z", "anna", "x", "staff-change", "Studiedag"});
    CHECK(b > a);
    auto latest = s->latest_input("x");
    REQUIRE(latest);
    CHECK(latest->id == b);
    CHECK(latest->sources == "S2");
    CHECK(latest->skipped == R"([{"change":1,"reason":"r"}])");
    auto all = s->input_versions("x");
    REQUIRE(all.size() == 2);
    CHECK(all[0].skipped == "[]");
    CHECK(all[1].actor == "anna");
    CHECK(s->input_schools() == std::vector<std::string>{"x"});
    CHECK(s->audit_log("x").size() == 2);
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
        REQUIRE(sqlite3_exec(raw, "DROP TABLE input_versions; PRAGMA user_version = 3", nullptr,
                             nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(raw);
    }
    auto s = open_sqlite_store(db);
    CHECK(s->schema_version() == 4);
    auto v = s->latest_input("x");
    REQUIRE(v);
    CHECK(v->origin == "files");
    CHECK(v->files == "NEW");
    CHECK(v->sources == "NEW");
    CHECK(s->input_versions("x").size() == 1);
}
