// One contract for every store backend (docs/deploy.md): each case runs on SQLite, and on
// PostgreSQL when the test command started a cluster (ctest store.conformance_postgresql).
#include <catch2/catch.hpp>
#include <chrono>
#include <latch>
#include <map>
#include <set>
#include <thread>

#include "daemon/store/store.hpp"
#include "store_backends.hpp"

using namespace jk::daemon;
using jk::test::fresh_store;
using jk::test::store_backends;

namespace {

OutboxMessage message(const std::string& key, std::int64_t due) {
    OutboxMessage m;
    m.key = key;
    m.school = "x";
    m.person = "bram";
    m.address = "bram@x.nl";
    m.kind = OutboxKind::reminder;
    m.uid = "u1";
    m.due_at = due;
    m.message = "Subject: a\r\n\r\nb\r\n";
    m.next_attempt_at = due;
    m.created_at = due;
    return m;
}

ChangeRecord record(const std::string& uid, EventAction action, const std::string& at) {
    return {0, "x", "2026-2027", uid, action, "{before}", "", "anna", at, "{}", 0};
}

}  // namespace

TEST_CASE("store: migrates, keeps plan history and survives a reopen", "[io][store]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    const auto where = fresh_store(backend, "plans");
    {
        auto s = open_store(where);
        CHECK(s->schema_version() == 7);
        CHECK(s->backend() == backend);
        CHECK_FALSE(s->latest_plan("x"));
        s->save_plan({0, "x", "2026-2027", "2026-08-01T00:00:00Z", "{\"a\":1}", "{}", 0});
        s->save_plan({0, "x", "2026-2027", "2026-09-01T00:00:00Z", "{\"a\":2}", "S", 7});
        s->save_plan({0, "x", "2025-2026", "2025-09-01T00:00:00Z", "{\"a\":0}", "S", 0});
        CHECK(s->plan_count("x", "2026-2027") == 2);
    }
    auto s = open_store(where);  // migrations run once: a reopen keeps the data
    CHECK(s->schema_version() == 7);
    auto p = s->latest_plan("x");
    REQUIRE(p);
    CHECK(p->plan_json == "{\"a\":0}");
    CHECK(s->plan_sources("x") == "S");
    auto years = s->yearly_plans("x");
    REQUIRE(years.size() == 2);
    CHECK(years[0].school_year == "2025-2026");
    CHECK(years[1].plan_json == "{\"a\":2}");
    CHECK(years[1].through_change == 7);
    CHECK(years[1].created_at == "2026-09-01T00:00:00Z");
}

TEST_CASE("store: change records are stored alone, undone by their own record, replayed in order",
          "[io][store]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    auto s = open_store(fresh_store(backend, "changes"));
    const AuditEntry audit{"t", "anna", "x", "done", "u1"};
    const long long a = s->commit_change({0, "x", "2026-2027", "u1", EventAction::done, "{before}",
                                          "n", "anna", "t1", "{\"kind\":\"done\"}", 0},
                                         audit)
                            .id;
    const long long b = s->commit_change({0, "x", "2026-2027", "u2", EventAction::cancel, "{b2}",
                                          "ziek", "erik", "t2", "{}", 0},
                                         audit)
                            .id;
    s->commit_change(
        {0, "x", "2025-2026", "u0", EventAction::done, "{old}", "", "anna", "t0", "{}", 0}, audit);
    CHECK(s->plan_count("x", "2026-2027") == 0);  // no plan copies
    auto last = s->last_change("x", "u1");
    REQUIRE(last);
    CHECK(last->id == a);
    CHECK(last->actor == "anna");
    CHECK(last->note == "n");
    const long long u = s->commit_undo({0, "x", "2026-2027", "u1", EventAction::undo,
                                        last->before_json, "", "anna", "t3", "", a},
                                       audit)
                            .id;
    CHECK(u > b);
    CHECK_FALSE(s->last_change("x", "u1"));  // the undo is no change to undo again
    auto year = s->changes_since("x", "2026-2027", 0);
    REQUIRE(year.size() == 3);
    CHECK(year[0].id == a);
    CHECK(year[0].change_json == "{\"kind\":\"done\"}");
    CHECK(year[2].action == EventAction::undo);
    CHECK(year[2].undo_of == a);
    CHECK(year[2].before_json == "{before}");
    CHECK(s->changes_since("x", "2026-2027", b).size() == 1);
    CHECK(s->audit_log("x").size() == 4);
}

TEST_CASE("store: a change based on an old state is refused, not stored", "[io][store]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    auto s = open_store(fresh_store(backend, "based_on"));
    const AuditEntry audit{"t", "anna", "x", "done", "u1"};
    const long long a = s->commit_change(record("u1", EventAction::done, "t1"), audit, 0).id;
    REQUIRE(a > 0);
    // Another daemon that has not seen `a` yet:
    CHECK(s->commit_change(record("u2", EventAction::done, "t2"), audit, 0).conflict());
    CHECK(s->changes_since("x", "2026-2027", 0).size() == 1);
    CHECK(s->audit_log("x").size() == 1);  // its audit line went with it
    CHECK(s->commit_change(record("u2", EventAction::done, "t2"), audit, a).id > a);
    ChangeRecord undo = record("u1", EventAction::undo, "t3");
    undo.undo_of = a;
    CHECK(s->commit_undo(undo, audit, a).conflict());
    CHECK(s->last_change("x", "u1"));  // not undone
    // Another school year does not count.
    ChangeRecord other = record("u9", EventAction::done, "t4");
    other.school_year = "2027-2028";
    CHECK(s->commit_change(other, audit, 0).id > 0);

    InputVersion v{0, "x", "2026-2027", "t", InputOrigin::files, "", "", 0, "", "F", "S", ""};
    const long long first = s->add_input_version(v, {"t", "", "x", "import", ""}, 0).id;
    REQUIRE(first > 0);
    CHECK(s->add_input_version(v, {"t", "", "x", "import", ""}, 0).conflict());
    CHECK(s->input_versions("x").size() == 1);
    CHECK(s->add_input_version(v, {"t", "", "x", "import", ""}, first).id > first);

    // The plan of today after a change: the newest one stays.
    s->put_today_plan({"x", "2026-2027", 7, 3, first, R"({"p":7})"});
    s->put_today_plan({"x", "2026-2027", 5, 3, first, R"({"p":5})"});  // late, older: ignored
    auto stored_today = s->today_plan("x");
    REQUIRE(stored_today);
    CHECK(stored_today->through_change == 7);
    CHECK(stored_today->school_year == "2026-2027");
    CHECK(stored_today->stored_plan == 3);
    CHECK(stored_today->input_version == first);
    CHECK(stored_today->plan_json == R"({"p":7})");
    s->put_today_plan({"x", "2026-2027", 9, 3, first, R"({"p":9})"});
    CHECK(s->today_plan("x")->plan_json == R"({"p":9})");
    CHECK_FALSE(s->today_plan("y"));

    const SchoolHead head = s->school_head("x", "2026-2027");
    CHECK(head.input == s->latest_input("x")->id);
    CHECK(head.change == s->changes_since("x", "2026-2027", 0).back().id);
    CHECK(head.plan == 0);
    CHECK(s->school_head("nobody", "2026-2027").input == 0);
}

TEST_CASE("store: subscriptions are added, found by hash and revoked", "[io][store]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    auto s = open_store(fresh_store(backend, "subs"));
    Subscription a{0, "x", FeedScope::person, "bram", "hash-a", "t", std::nullopt};
    Subscription b{0, "x", FeedScope::school, "", "hash-b", "t", std::nullopt};
    s->add_subscription(a);
    s->add_subscription(b);
    CHECK(s->active_subscriptions().size() == 2);
    auto found = s->find_subscription("hash-a");
    REQUIRE(found);
    CHECK(found->scope == FeedScope::person);
    CHECK(found->target == "bram");
    CHECK_FALSE(s->find_subscription("nope"));
    CHECK(s->revoke_subscriptions("x", FeedScope::person, "bram", "t2") == 1);
    CHECK_FALSE(s->find_subscription("hash-a"));
    CHECK(s->active_subscriptions().size() == 1);
    // A token hash is unique: the same hash twice is refused, not silently stored.
    CHECK_THROWS_AS(s->add_subscription(b), StoreError);
    CHECK(s->active_subscriptions().size() == 1);  // and the store still works
}

TEST_CASE("store: tokens, sign-in links, sessions and shown-once values", "[io][store]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    auto s = open_store(fresh_store(backend, "access"));
    s->add_api_token("x", "anna", "tok", "t");
    CHECK(s->find_api_token("tok")->person == "anna");
    CHECK(s->revoke_api_tokens("x", "anna", "t2") == 1);
    CHECK_FALSE(s->find_api_token("tok"));

    s->add_login_link("link", "x", "bram", 1000);
    CHECK_FALSE(s->use_login_link("link", 1000));  // expired at its moment
    auto owner = s->use_login_link("link", 999);
    REQUIRE(owner);
    CHECK(owner->person == "bram");
    CHECK_FALSE(s->use_login_link("link", 999));  // single use

    s->add_session({"x", "bram", "csrf1"}, "sess", 0, 5000);
    CHECK(s->find_session("sess", 4999)->csrf == "csrf1");
    CHECK_FALSE(s->find_session("sess", 5000));
    s->end_session("sess");
    CHECK_FALSE(s->find_session("sess", 10));

    s->stash("k", "link-1", 600);
    s->stash("k", "link-2", 600);  // the newest counts
    CHECK(s->take_stash("k", 100) == "link-2");
    CHECK_FALSE(s->take_stash("k", 100));  // taken
    s->stash("old", "v", 50);
    CHECK_FALSE(s->take_stash("old", 60));  // expired

    CHECK(s->secret("unsubscribe", "first") == "first");
    CHECK(s->secret("unsubscribe", "second") == "first");
}

TEST_CASE("store: rate buckets allow a burst, then the rate", "[io][store]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    auto s = open_store(fresh_store(backend, "rates"));
    for (int i = 0; i < 3; ++i) CHECK(s->take_rate("a", 3, 0.5, 100.0, nullptr));
    int retry = 0;
    CHECK_FALSE(s->take_rate("a", 3, 0.5, 100.0, &retry));
    CHECK(retry == 2);
    CHECK(s->take_rate("b", 3, 0.5, 100.0, nullptr));  // another key has its own bucket
    CHECK_FALSE(s->take_rate("a", 3, 0.5, 101.0, nullptr));
    CHECK(s->take_rate("a", 3, 0.5, 102.5, nullptr));  // refilled one after 2 s
    CHECK_FALSE(s->take_rate("a", 3, 0.5, 102.5, nullptr));
}

TEST_CASE("store: the outbox queues a key once, claims, and keeps states", "[io][store][mail]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    const auto where = fresh_store(backend, "outbox");
    auto s = open_store(where);
    CHECK_FALSE(s->mail_cursor("scan:x"));
    CHECK(s->enqueue_mail({message("k1", 100), message("k2", 200)}, "scan:x", 250) == 2);
    CHECK(s->mail_cursor("scan:x") == 250);
    // The same key again is ignored; the cursor still moves.
    CHECK(s->enqueue_mail({message("k1", 100), message("k3", 300)}, "scan:x", 350) == 1);
    CHECK(s->mail_cursor("scan:x") == 350);

    auto claimed = s->outbox_claim(250, 10, "a", 60);
    REQUIRE(claimed.size() == 2);
    CHECK(claimed[0].key == "k1");
    CHECK(claimed[1].key == "k2");
    // Claimed: not claimable by another daemon until the claim ends.
    CHECK(s->outbox_claim(250, 10, "b", 60).empty());
    CHECK(s->outbox_next_attempt() == 300);  // k3's time; k1 and k2 wait for their claim (310)
    s->outbox_sent(claimed[0].id, 260);
    s->outbox_retry(claimed[1].id, 900, "connection refused");  // a retry ends the claim
    auto k3 = s->outbox_claim(500, 10, "b", 60);
    REQUIRE(k3.size() == 1);  // k3 only: k2 waits until 900
    CHECK(k3[0].key == "k3");
    s->outbox_release("b");  // b stops: k3 is free again at once
    k3 = s->outbox_claim(500, 10, "c", 60);
    REQUIRE(k3.size() == 1);
    s->outbox_close(k3[0].id, OutboxState::failed, 510, "550 no such user");
    CHECK(s->outbox_next_attempt() == 900);

    auto failed = s->outbox("x", OutboxState::failed, 10);
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].last_error == "550 no such user");
    CHECK(failed[0].attempts == 1);
    CHECK(s->outbox("x", std::nullopt, 10).size() == 3);
    std::map<std::string, long long> counts;
    for (const auto& [state, n] : s->outbox_counts("x")) counts[state] = n;
    CHECK(counts == std::map<std::string, long long>{{"failed", 1}, {"pending", 1}, {"sent", 1}});
    // A claim that ran out (its daemon died) is claimable again.
    CHECK(s->outbox_claim(900, 10, "d", 60).size() == 1);
    CHECK(s->outbox_claim(959, 10, "e", 60).empty());
    CHECK(s->outbox_claim(960, 10, "e", 60).size() == 1);
    s->outbox_release("");  // every claim
    CHECK(s->outbox_claim(961, 10, "f", 60).size() == 1);

    // Opt-outs survive a reopen.
    s->set_mail_optout("x", "bram", "digest", true, "t");
    s->set_mail_optout("x", "bram", "reminder", true, "t");
    s->set_mail_optout("x", "bram", "reminder", false, "t");
    s.reset();
    s = open_store(where, Durability::normal);
    CHECK(s->mail_optouts("x") ==
          std::vector<std::pair<std::string, std::string>>{{"bram", "digest"}});
    CHECK(s->outbox("x", OutboxState::sent, 10).size() == 1);
}

TEST_CASE("store: two daemons claiming at once never get the same message", "[io][store][mail]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    const auto where = fresh_store(backend, "claims");
    auto a = open_store(where);
    auto b = open_store(where);
    std::vector<OutboxMessage> all;
    for (int i = 0; i < 400; ++i) all.push_back(message("k" + std::to_string(i), 100));
    a->enqueue_mail(all, "scan:x", 100);
    std::vector<long long> got_a, got_b;
    // Both start behind a barrier and spend a moment on each batch (as sending does), so that
    // the claims really overlap: without it one thread may drain all 400 before the other
    // starts, or (SQLite) keep the write lock while the other sleeps in its busy handler.
    std::latch start(2);
    auto drain = [&start](Store& s, const std::string& owner, std::vector<long long>& got) {
        start.arrive_and_wait();
        for (;;) {
            auto batch = s.outbox_claim(100, 3, owner, 60);
            if (batch.empty()) return;
            for (const auto& m : batch) {
                got.push_back(m.id);
                s.outbox_sent(m.id, 100);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    };
    std::thread ta([&] { drain(*a, "a", got_a); });
    std::thread tb([&] { drain(*b, "b", got_b); });
    ta.join();
    tb.join();
    INFO("a claimed " << got_a.size() << ", b claimed " << got_b.size());
    REQUIRE_FALSE(got_a.empty());  // both took part: the claims did overlap
    REQUIRE_FALSE(got_b.empty());
    std::set<long long> ids(got_a.begin(), got_a.end());
    for (long long id : got_b) CHECK(ids.insert(id).second);
    CHECK(ids.size() == 400);
}

TEST_CASE("store: leases give periodic work to one daemon at a time", "[io][store]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    auto s = open_store(fresh_store(backend, "leases"));
    CHECK(s->acquire_lease("scan:x", "a", 100, 60));
    CHECK_FALSE(s->acquire_lease("scan:x", "b", 120, 60));
    CHECK(s->acquire_lease("scan:x", "a", 120, 60));  // renewed by its owner
    CHECK_FALSE(s->acquire_lease("scan:x", "b", 179, 60));
    CHECK(s->acquire_lease("scan:x", "b", 180, 60));  // ran out: b takes over
    s->release_lease("scan:x", "a");                  // not a's: nothing happens
    CHECK_FALSE(s->acquire_lease("scan:x", "a", 200, 60));
    s->release_lease("scan:x", "b");
    CHECK(s->acquire_lease("scan:x", "a", 200, 60));
}

TEST_CASE("store: input versions are appended with their audit line and read back in order",
          "[io][store]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    auto s = open_store(fresh_store(backend, "inputs"));
    CHECK_FALSE(s->latest_input("x"));
    InputVersion files{
        0,    "x",  "2026-2027", "2026-08-01T00:00:00Z", InputOrigin::files, "", "", 0, "",
        "F1", "S1", ""};
    const long long a =
        s->add_input_version(files, {"2026-08-01T00:00:00Z", "", "x", "import", "bestanden"}).id;
    InputVersion change = files;
    change.origin = InputOrigin::change;
    change.actor = "anna";
    change.change_json = R"({"kind":"closure"})";
    change.summary = "Studiedag";
    change.sources = "S2";
    change.skipped = R"([{"change":1,"reason":"r"}])";
    const long long b = s->add_input_version(change, {"2026-08-02T00:00:00Z", "anna", "x",
                                                      "staff-change", "Studiedag"})
                            .id;
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

TEST_CASE("store: a next year's versions are not the school's input until it is current",
          "[io][store][next_year]") {
    const std::string backend = GENERATE(from_range(store_backends()));
    INFO(backend);
    auto s = open_store(fresh_store(backend, "years"));
    InputVersion now{0, "x", "2026-2027", "t", InputOrigin::files, "", "", 0, "", "F1", "S1", ""};
    const long long a = s->add_input_version(now, {"t", "", "x", "import", ""}).id;
    InputVersion next = now;
    next.school_year = "2027-2028";
    next.sources = "N1";
    SchoolYearRow year{"x", "2027-2028", YearState::draft, "t", "erik", "", "", "", "[]"};
    const long long b = s->start_year(year, next, {"t", "erik", "x", "year-start", ""}).id;
    CHECK(b > a);
    // A second start of the same year is refused, nothing stored.
    CHECK(s->start_year(year, next, {"t", "erik", "x", "year-start", ""}).conflict());
    CHECK(s->input_versions_of("x", "2027-2028").size() == 1);
    // The current year reads as before.
    CHECK(s->latest_input("x")->id == a);
    CHECK(s->input_versions("x").size() == 1);
    CHECK(s->school_head("x", "2026-2027").input == a);
    CHECK(s->latest_input_of("x", "2027-2028")->sources == "N1");
    // Each year has its own newest version to build on.
    next.sources = "N2";
    CHECK(s->add_input_version(next, {"t", "erik", "x", "staff-change", ""}, b).id > b);
    CHECK(s->add_input_version(next, {"t", "erik", "x", "staff-change", ""}, b).conflict());
    now.sources = "S2";
    CHECK(s->add_input_version(now, {"t", "erik", "x", "staff-change", ""}, a).id > b);
    // Published, with its plan and a to-do ticked off; then current: its versions are the input.
    year.state = YearState::published;
    year.plan_json = "{}";
    year.todo = R"([{"text":"t","done":true}])";
    s->update_year(year, nullptr);
    auto rows = s->school_years("x");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].state == YearState::published);
    CHECK(rows[0].plan_json == "{}");
    CHECK(rows[0].todo == year.todo);
    CHECK(s->school_years("").size() == 1);
    CHECK(s->latest_input("x")->sources == "S2");
    year.state = YearState::current;
    s->update_year(year, nullptr);
    CHECK(s->latest_input("x")->sources == "N2");
    CHECK(s->input_versions("x").size() == 4);
}

TEST_CASE("store: every table copies to another backend with its ids", "[io][store]") {
    const std::string from_backend = GENERATE(from_range(store_backends()));
    const std::string to_backend = GENERATE(from_range(store_backends()));
    INFO(from_backend << " -> " << to_backend);
    auto from = open_store(fresh_store(from_backend, "copy_from"));
    auto to = open_store(fresh_store(to_backend, "copy_to"));
    from->add_input_version(
        {0, "x", "2026-2027", "t", InputOrigin::files, "", "", 0, "", "F", "S", ""},
        {"t", "", "x", "import", ""});
    from->save_plan({0, "x", "2026-2027", "t", "{}", "S", 0});
    const long long c =
        from->commit_change(record("u1", EventAction::done, "t1"), {"t", "a", "x", "d", ""}).id;
    from->add_subscription({0, "x", FeedScope::school, "", "h", "t", std::nullopt});
    from->add_api_token("x", "anna", "tok", "t");
    from->add_login_link("l", "x", "anna", 99);
    from->add_session({"x", "anna", "c"}, "s", 1, 2);
    from->enqueue_mail({message("k1", 100)}, "scan:x", 100);
    from->set_mail_optout("x", "anna", "digest", true, "t");
    from->secret("unsubscribe", "geheim");
    from->stash("k", "v", 99);
    from->start_year(
        {"x", "2027-2028", YearState::draft, "t", "erik", "", "", "", "[]"},
        {0, "x", "2027-2028", "t", InputOrigin::files, "erik", "", 0, "", "F", "S", ""},
        {"t", "erik", "x", "year-start", ""});
    for (const char* table : kCopiedTables) to->write_table(table, from->read_table(table));
    for (const char* table : kCopiedTables) {
        INFO(table);
        CHECK(to->count_rows(table) == from->count_rows(table));
        CHECK(to->read_table(table).rows == from->read_table(table).rows);
    }
    // Ids continue after the copied ones.
    CHECK(to->commit_change(record("u2", EventAction::done, "t2"), {"t", "a", "x", "d", ""}).id >
          c);
    CHECK(to->secret("unsubscribe", "nieuw") == "geheim");
    CHECK(to->find_subscription("h"));
    CHECK(to->outbox_claim(100, 10, "a", 60).size() == 1);
}

TEST_CASE("store: a PostgreSQL database from a newer program is refused", "[io][store]") {
    // SQLite's user_version: tests/daemon/sqlite_store_test.cpp.
    for (const auto& backend : store_backends()) {
        if (backend != "postgresql") continue;
        const auto where = fresh_store(backend, "newer");
        { open_store(where); }
        jk::test::pg_exec(where, "UPDATE jk_schema SET version = 99");
        CHECK_THROWS_WITH(open_store(where), Catch::Contains("schemaversie 99"));
    }
}
