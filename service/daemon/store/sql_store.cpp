// Every query and migration of the store, written once for SQLite and PostgreSQL (sql.hpp): the
// backends run the statements and hold what differs. tests/daemon/store_conformance_test.cpp
// holds both to the same contract.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>

#include "daemon/store/sql.hpp"

namespace jk::daemon {
namespace sql {
namespace {

constexpr const char* kPlanColumns =
    "SELECT id, school, school_year, created_at, plan_json, sources, through_change FROM plans";
StoredPlan plan_row(Rows& r, int i) {
    return StoredPlan{r.integer(i, 0), r.take(i, 1), r.take(i, 2),   r.take(i, 3),
                      r.take(i, 4),    r.take(i, 5), r.integer(i, 6)};
}

constexpr const char* kChangeColumns =
    "SELECT id, school, school_year, uid, action, before_json, note, actor, created_at, "
    "change_json, coalesce(undo_of, 0) FROM event_changes";
/// A stored word read back as its enum; the tables' CHECK constraints allow no other.
template <class E>
E stored(std::optional<E> value, const char* column, const std::string& word) {
    if (!value) throw StoreError("onbekende waarde '" + word + "' in " + column);
    return *value;
}

ChangeRecord change_row(Rows& r, int i) {
    const std::string action = r.take(i, 4);
    return ChangeRecord{r.integer(i, 0),
                        r.take(i, 1),
                        r.take(i, 2),
                        r.take(i, 3),
                        stored(parse_event_action(action), "event_changes.action", action),
                        r.take(i, 5),
                        r.take(i, 6),
                        r.take(i, 7),
                        r.take(i, 8),
                        r.take(i, 9),
                        r.integer(i, 10)};
}

constexpr const char* kOutboxFields =
    "id, key, school, person, address, kind, uid, sequence, due_at, late, message, state, "
    "attempts, next_attempt_at, last_error, created_at, coalesce(done_at, 0)";
OutboxMessage outbox_row(Rows& r, int i) {
    OutboxMessage m;
    m.id = r.integer(i, 0);
    m.key = r.take(i, 1);
    m.school = r.take(i, 2);
    m.person = r.take(i, 3);
    m.address = r.take(i, 4);
    m.kind = r.take(i, 5);
    m.uid = r.take(i, 6);
    m.sequence = static_cast<int>(r.integer(i, 7));
    m.due_at = r.integer(i, 8);
    m.late = r.integer(i, 9) != 0;
    m.message = r.take(i, 10);
    m.state = r.take(i, 11);
    m.attempts = static_cast<int>(r.integer(i, 12));
    m.next_attempt_at = r.integer(i, 13);
    m.last_error = r.take(i, 14);
    m.created_at = r.integer(i, 15);
    m.done_at = r.integer(i, 16);
    return m;
}

constexpr const char* kSubscriptionColumns =
    "SELECT id, school, scope, target, token_hash, created_at FROM subscriptions";
Subscription subscription_row(Rows& r, int i) {
    Subscription s;
    s.id = r.integer(i, 0);
    s.school = r.take(i, 1);
    s.scope = parse_feed_scope(r.take(i, 2)).value_or(FeedScope::school);
    s.target = r.take(i, 3);
    s.token_hash = r.take(i, 4);
    s.created_at = r.take(i, 5);
    return s;
}

constexpr const char* kInputColumns =
    "SELECT id, school, school_year, created_at, origin, actor, change_json, undo_of, summary, "
    "files, sources, skipped FROM input_versions";
InputVersion input_row(Rows& r, int i) {
    InputVersion v;
    v.id = r.integer(i, 0);
    v.school = r.take(i, 1);
    v.school_year = r.take(i, 2);
    v.created_at = r.take(i, 3);
    const std::string origin = r.take(i, 4);
    v.origin = stored(parse_input_origin(origin), "input_versions.origin", origin);
    v.actor = r.take(i, 5);
    v.change_json = r.take(i, 6);
    v.undo_of = r.integer(i, 7);
    v.summary = r.take(i, 8);
    v.files = r.take(i, 9);
    v.sources = r.take(i, 10);
    v.skipped = r.take(i, 11);
    return v;
}

/// Every row of a result through `row`.
template <class T>
std::vector<T> all(Rows r, T (*row)(Rows&, int)) {
    std::vector<T> out;
    out.reserve(r.cells.size());
    for (int i = 0; i < r.size(); ++i) out.push_back(row(r, i));
    return out;
}
/// The first row through `row`, if any.
template <class T>
std::optional<T> first(Rows r, T (*row)(Rows&, int)) {
    if (r.empty()) return std::nullopt;
    return row(r, 0);
}

std::string with_where(const char* columns, const char* rest) {
    return std::string(columns) + " " + rest;
}

long long ll(std::int64_t v) {
    return static_cast<long long>(v);
}

class SqlStore final : public Store {
    template <class F>
    auto on(Access access, F&& f) {
        using R = std::invoke_result_t<F&, Session&>;
        if constexpr (std::is_void_v<R>) {
            b_->with(access, [&](Session& s) { f(s); });
        } else {
            std::optional<R> out;
            b_->with(access, [&](Session& s) { out.emplace(f(s)); });
            return std::move(*out);
        }
    }
    template <class F>
    auto read(F&& f) {
        return on(Access::read, std::forward<F>(f));
    }
    template <class F>
    auto write(F&& f) {
        return on(Access::write, std::forward<F>(f));
    }
    template <class F>
    auto tx(F&& f) {
        return on(Access::transaction, std::forward<F>(f));
    }

  public:
    explicit SqlStore(std::unique_ptr<Backend> backend) : b_(std::move(backend)) { migrate(); }

    // ---- plans and input -------------------------------------------------------------------
    long long save_plan(const StoredPlan& sp) override {
        return tx([&](Session& s) {
            const long long id =
                s.run(
                     "INSERT INTO plans (school, school_year, created_at, plan_json, sources, "
                     "through_change) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                     {sp.school, sp.school_year, sp.created_at, sp.plan_json, sp.sources,
                      sp.through_change})
                    .integer(0, 0);
            b_->tell(s, "school:" + sp.school);
            return id;
        });
    }

    std::optional<StoredPlan> latest_plan(const std::string& school) override {
        return read([&](Session& s) {
            return first(
                s.run(with_where(kPlanColumns, "WHERE school = ?1 ORDER BY id DESC LIMIT 1"),
                      {school}),
                plan_row);
        });
    }

    std::optional<std::string> plan_sources(const std::string& school) override {
        return read([&](Session& s) -> std::optional<std::string> {
            auto r = s.run("SELECT sources FROM plans WHERE school = ?1 ORDER BY id DESC LIMIT 1",
                           {school});
            if (r.empty()) return std::nullopt;
            return r.take(0, 0);
        });
    }

    long long plan_count(const std::string& school, const std::string& year) override {
        return read([&](Session& s) {
            return s
                .run("SELECT count(*) FROM plans WHERE school = ?1 AND school_year = ?2",
                     {school, year})
                .integer(0, 0);
        });
    }

    std::vector<StoredPlan> yearly_plans(const std::string& school) override {
        return read([&](Session& s) {
            return all(s.run(with_where(kPlanColumns,
                                        "WHERE id IN (SELECT max(id) FROM plans WHERE school = ?1 "
                                        "GROUP BY school_year) ORDER BY school_year"),
                             {school}),
                       plan_row);
        });
    }

    Stored add_input_version(const InputVersion& v, const AuditEntry& a,
                             long long based_on) override {
        return tx([&](Session& s) -> Stored {
            // One writer of a school's input at a time, across daemons.
            b_->lock(s, "input:" + v.school);
            if (based_on >= 0 &&
                s.run("SELECT coalesce(max(id), 0) FROM input_versions WHERE school = ?1",
                      {v.school})
                        .integer(0, 0) != based_on)
                return Stored::lost_race();
            const long long id =
                s.run(
                     "INSERT INTO input_versions (school, school_year, created_at, origin, actor, "
                     "change_json, undo_of, summary, files, sources, skipped) VALUES (?1, ?2, "
                     "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
                     {v.school, v.school_year, v.created_at, to_string(v.origin), v.actor,
                      v.change_json, v.undo_of, v.summary, v.files, v.sources,
                      v.skipped.empty() ? std::string_view("[]") : std::string_view(v.skipped)})
                    .integer(0, 0);
            insert_audit(s, a);
            b_->tell(s, "school:" + v.school);
            return Stored::as(id);
        });
    }

    std::optional<InputVersion> latest_input(const std::string& school) override {
        return read([&](Session& s) {
            return first(
                s.run(with_where(kInputColumns, "WHERE school = ?1 ORDER BY id DESC LIMIT 1"),
                      {school}),
                input_row);
        });
    }

    std::vector<InputVersion> input_versions(const std::string& school) override {
        return read([&](Session& s) {
            return all(s.run(with_where(kInputColumns, "WHERE school = ?1 ORDER BY id"), {school}),
                       input_row);
        });
    }

    std::vector<std::string> input_schools() override {
        return read([&](Session& s) {
            auto r = s.run("SELECT DISTINCT school FROM input_versions ORDER BY school");
            std::vector<std::string> out;
            for (int i = 0; i < r.size(); ++i) out.push_back(r.take(i, 0));
            return out;
        });
    }

    SchoolHead school_head(const std::string& school, const std::string& year) override {
        return read([&](Session& s) {
            auto r = s.run(
                "SELECT (SELECT coalesce(max(id), 0) FROM plans WHERE school = ?1), "
                "(SELECT coalesce(max(id), 0) FROM input_versions WHERE school = ?1), "
                "(SELECT coalesce(max(id), 0) FROM event_changes WHERE school = ?1 AND "
                "school_year = ?2)",
                {school, year});
            return SchoolHead{r.integer(0, 0), r.integer(0, 1), r.integer(0, 2)};
        });
    }

    // ---- tracking ----------------------------------------------------------------------------
    Stored commit_change(const ChangeRecord& c, const AuditEntry& a, long long based_on) override {
        return tx([&](Session& s) -> Stored {
            if (newer_change(s, c, based_on)) return Stored::lost_race();
            const long long id = insert_change(s, c);
            insert_audit(s, a);
            return Stored::as(id);
        });
    }

    std::optional<ChangeRecord> last_change(const std::string& school,
                                            const std::string& uid) override {
        return read([&](Session& s) {
            return first(s.run(with_where(kChangeColumns,
                                          "WHERE school = ?1 AND uid = ?2 AND undone_at IS NULL "
                                          "AND action <> 'undo' ORDER BY id DESC LIMIT 1"),
                               {school, uid}),
                         change_row);
        });
    }

    Stored commit_undo(const ChangeRecord& undo, const AuditEntry& a, long long based_on) override {
        return tx([&](Session& s) -> Stored {
            if (newer_change(s, undo, based_on)) return Stored::lost_race();
            const long long id = insert_change(s, undo);
            s.run("UPDATE event_changes SET undone_at = ?1 WHERE id = ?2", {undo.at, undo.undo_of});
            insert_audit(s, a);
            return Stored::as(id);
        });
    }

    void put_today_plan(const TodayPlan& t) override {
        tx([&](Session& s) {
            // A cache of what the change records say: lost in a crash, the others replay the
            // records. Not worth waiting for the disk with every change.
            b_->relax_commit(s);
            s.run(
                "INSERT INTO today_plans (school, school_year, through_change, stored_plan, "
                "input_version, plan_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (school) "
                "DO UPDATE SET school_year = excluded.school_year, through_change = "
                "excluded.through_change, stored_plan = excluded.stored_plan, input_version = "
                "excluded.input_version, plan_json = excluded.plan_json "
                "WHERE today_plans.through_change < excluded.through_change",
                {t.school, t.school_year, t.through_change, t.stored_plan, t.input_version,
                 t.plan_json});
            b_->tell(s, "school:" + t.school);
        });
    }

    std::optional<TodayPlan> today_plan(const std::string& school) override {
        return read([&](Session& s) -> std::optional<TodayPlan> {
            auto r = s.run(
                "SELECT school, school_year, through_change, stored_plan, input_version, "
                "plan_json FROM today_plans WHERE school = ?1",
                {school});
            if (r.empty()) return std::nullopt;
            return TodayPlan{r.take(0, 0),    r.take(0, 1),    r.integer(0, 2),
                             r.integer(0, 3), r.integer(0, 4), r.take(0, 5)};
        });
    }

    std::vector<ChangeRecord> changes_since(const std::string& school,
                                            const std::string& school_year,
                                            long long after_id) override {
        return read([&](Session& s) {
            return all(
                s.run(with_where(kChangeColumns,
                                 "WHERE school = ?1 AND school_year = ?2 AND id > ?3 ORDER BY id"),
                      {school, school_year, after_id}),
                change_row);
        });
    }

    // ---- subscriptions -----------------------------------------------------------------------
    long long add_subscription(const Subscription& sub) override {
        return tx([&](Session& s) {
            const long long id =
                s.run(
                     "INSERT INTO subscriptions (school, scope, target, token_hash, created_at) "
                     "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                     {sub.school, to_string(sub.scope), sub.target, sub.token_hash, sub.created_at})
                    .integer(0, 0);
            b_->tell(s, "subscriptions");
            return id;
        });
    }

    std::vector<Subscription> active_subscriptions() override {
        return read([&](Session& s) {
            return all(
                s.run(with_where(kSubscriptionColumns, "WHERE revoked_at IS NULL ORDER BY id")),
                subscription_row);
        });
    }

    std::optional<Subscription> find_subscription(const std::string& token_hash) override {
        return read([&](Session& s) {
            return first(s.run(with_where(kSubscriptionColumns,
                                          "WHERE token_hash = ?1 AND revoked_at IS NULL"),
                               {token_hash}),
                         subscription_row);
        });
    }

    int revoke_subscriptions(const std::string& school, FeedScope scope, const std::string& target,
                             const std::string& at) override {
        return tx([&](Session& s) {
            const auto n = s.run(
                                "UPDATE subscriptions SET revoked_at = ?1 WHERE school = ?2 AND "
                                "scope = ?3 AND target = ?4 AND revoked_at IS NULL",
                                {at, school, to_string(scope), target})
                               .affected;
            b_->tell(s, "subscriptions");
            return static_cast<int>(n);
        });
    }

    // ---- access ------------------------------------------------------------------------------
    void add_api_token(const std::string& school, const std::string& person,
                       const std::string& hash, const std::string& at) override {
        write([&](Session& s) {
            s.run(
                "INSERT INTO api_tokens (school, person, token_hash, created_at) VALUES (?1, ?2, "
                "?3, ?4)",
                {school, person, hash, at});
        });
    }

    std::optional<ApiTokenOwner> find_api_token(const std::string& hash) override {
        return read([&](Session& s) -> std::optional<ApiTokenOwner> {
            auto r = s.run(
                "SELECT school, person FROM api_tokens WHERE token_hash = ?1 AND revoked_at IS "
                "NULL",
                {hash});
            if (r.empty()) return std::nullopt;
            return ApiTokenOwner{r.take(0, 0), r.take(0, 1)};
        });
    }

    int revoke_api_tokens(const std::string& school, const std::string& person,
                          const std::string& at) override {
        return write([&](Session& s) {
            return static_cast<int>(s.run("UPDATE api_tokens SET revoked_at = ?1 WHERE school = ?2 "
                                          "AND person = ?3 AND revoked_at IS NULL",
                                          {at, school, person})
                                        .affected);
        });
    }

    void add_login_link(const std::string& token_hash, const std::string& school,
                        const std::string& person, std::int64_t expires_at) override {
        write([&](Session& s) {
            s.run(
                "INSERT INTO login_links (token_hash, school, person, expires_at) VALUES (?1, "
                "?2, ?3, ?4)",
                {token_hash, school, person, ll(expires_at)});
        });
    }

    std::optional<ApiTokenOwner> use_login_link(const std::string& token_hash,
                                                std::int64_t now) override {
        return write([&](Session& s) -> std::optional<ApiTokenOwner> {
            // One statement: two daemons given the same link cannot both use it.
            auto r = s.run(
                "UPDATE login_links SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL "
                "AND expires_at > ?2 RETURNING school, person",
                {token_hash, ll(now)});
            if (r.empty()) return std::nullopt;
            return ApiTokenOwner{r.take(0, 0), r.take(0, 1)};
        });
    }

    void add_session(const WebSession& ws, const std::string& token_hash, std::int64_t created_at,
                     std::int64_t expires_at) override {
        write([&](Session& s) {
            s.run(
                "INSERT INTO sessions (token_hash, school, person, csrf, created_at, expires_at) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                {token_hash, ws.school, ws.person, ws.csrf, ll(created_at), ll(expires_at)});
        });
    }

    std::optional<WebSession> find_session(const std::string& token_hash,
                                           std::int64_t now) override {
        return read([&](Session& s) -> std::optional<WebSession> {
            auto r = s.run(
                "SELECT school, person, csrf FROM sessions WHERE token_hash = ?1 AND expires_at "
                "> ?2",
                {token_hash, ll(now)});
            if (r.empty()) return std::nullopt;
            return WebSession{r.take(0, 0), r.take(0, 1), r.take(0, 2)};
        });
    }

    void end_session(const std::string& token_hash) override {
        write(
            [&](Session& s) { s.run("DELETE FROM sessions WHERE token_hash = ?1", {token_hash}); });
    }

    void stash(const std::string& key, const std::string& value, std::int64_t expires_at) override {
        write([&](Session& s) {
            s.run(
                "INSERT INTO stash (key, value, expires_at) VALUES (?1, ?2, ?3) ON CONFLICT (key) "
                "DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
                {key, value, ll(expires_at)});
        });
    }

    std::optional<std::string> take_stash(const std::string& key, std::int64_t now) override {
        return tx([&](Session& s) -> std::optional<std::string> {
            auto r = s.run("DELETE FROM stash WHERE key = ?1 RETURNING value, expires_at", {key});
            s.run("DELETE FROM stash WHERE expires_at <= ?1", {ll(now)});
            if (r.empty() || r.integer(0, 1) <= now) return std::nullopt;
            return r.take(0, 0);
        });
    }

    bool take_rate(const std::string& key, double burst, double per_second, double now,
                   int* retry_after) override {
        return b_->take_rate(key, burst, per_second, now, retry_after);
    }

    std::string secret(const std::string& name, const std::string& fresh) override {
        return write([&](Session& s) {
            s.run("INSERT INTO secrets (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
                  {name, fresh});
            auto r = s.run("SELECT value FROM secrets WHERE name = ?1", {name});
            if (r.empty()) throw StoreError("secret " + name + " could not be stored");
            return r.take(0, 0);
        });
    }

    // ---- outbox ------------------------------------------------------------------------------
    int enqueue_mail(const std::vector<OutboxMessage>& messages, const std::string& cursor_name,
                     std::int64_t cursor) override {
        return tx([&](Session& s) {
            long long added = 0;
            for (const auto& m : messages)
                added += s.run(
                              "INSERT INTO mail_outbox (key, school, person, address, kind, uid, "
                              "sequence, due_at, late, message, next_attempt_at, created_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                              "ON CONFLICT (key) DO NOTHING",
                              {m.key, m.school, m.person, m.address, m.kind, m.uid,
                               static_cast<long long>(m.sequence), ll(m.due_at), m.late ? 1LL : 0LL,
                               m.message, ll(m.next_attempt_at), ll(m.created_at)})
                             .affected;
            s.run(
                "INSERT INTO mail_cursors (name, scanned_to) VALUES (?1, ?2) ON CONFLICT (name) "
                "DO UPDATE SET scanned_to = excluded.scanned_to",
                {cursor_name, ll(cursor)});
            return static_cast<int>(added);
        });
    }

    std::optional<std::int64_t> mail_cursor(const std::string& cursor_name) override {
        return read([&](Session& s) -> std::optional<std::int64_t> {
            auto r = s.run("SELECT scanned_to FROM mail_cursors WHERE name = ?1", {cursor_name});
            if (r.empty()) return std::nullopt;
            return r.integer(0, 0);
        });
    }

    std::vector<OutboxMessage> outbox_claim(std::int64_t now, int limit, const std::string& owner,
                                            int lease_seconds) override {
        return tx([&](Session& s) {
            // Two daemons claiming at once take different messages and never wait for each
            // other (SQLite: one writer at a time anyway).
            auto out =
                all(s.run("UPDATE mail_outbox SET lease_owner = ?3, lease_until = ?4 WHERE "
                          "id IN (SELECT id FROM mail_outbox WHERE state = 'pending' AND "
                          "next_attempt_at <= ?1 AND lease_until <= ?1 ORDER BY "
                          "next_attempt_at, id LIMIT ?2" +
                              std::string(b_->skip_locked()) + ") RETURNING " + kOutboxFields,
                          {ll(now), static_cast<long long>(limit), owner, ll(now + lease_seconds)}),
                    outbox_row);
            std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
                return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
            });
            return out;
        });
    }

    void outbox_release(const std::string& owner) override {
        write([&](Session& s) {
            s.run(
                "UPDATE mail_outbox SET lease_until = 0 WHERE (?1 = '' OR lease_owner = ?1) AND "
                "state = 'pending' AND lease_until > 0",
                {owner});
        });
    }

    std::optional<std::int64_t> outbox_next_attempt() override {
        return read([&](Session& s) -> std::optional<std::int64_t> {
            auto r = s.run(
                "SELECT min(CASE WHEN next_attempt_at > lease_until THEN next_attempt_at ELSE "
                "lease_until END) FROM mail_outbox WHERE state = 'pending'");
            if (r.empty() || r.null(0, 0)) return std::nullopt;
            return r.integer(0, 0);
        });
    }

    void outbox_sent(long long id, std::int64_t at) override {
        write([&](Session& s) {
            s.run(
                "UPDATE mail_outbox SET state = 'sent', done_at = ?1, attempts = attempts + 1, "
                // A sent sign-in mail's text holds a working credential: it is not kept.
                "message = CASE kind WHEN 'login' THEN '' ELSE message END WHERE id = ?2",
                {ll(at), id});
        });
    }

    void outbox_retry(long long id, std::int64_t next, const std::string& error) override {
        write([&](Session& s) {
            s.run(
                "UPDATE mail_outbox SET next_attempt_at = ?1, last_error = ?2, attempts = "
                "attempts + 1, lease_until = 0 WHERE id = ?3",
                {ll(next), error, id});
        });
    }

    void outbox_close(long long id, const std::string& state, std::int64_t at,
                      const std::string& reason) override {
        write([&](Session& s) {
            s.run(
                "UPDATE mail_outbox SET state = ?1, done_at = ?2, last_error = ?3, attempts = "
                "attempts + CASE WHEN ?1 = 'failed' THEN 1 ELSE 0 END WHERE id = ?4",
                {state, ll(at), reason, id});
        });
    }

    std::vector<OutboxMessage> outbox(const std::string& school, const std::string& state,
                                      int limit) override {
        return read([&](Session& s) {
            return all(s.run("SELECT " + std::string(kOutboxFields) +
                                 " FROM mail_outbox WHERE school = ?1 AND (?2 = '' OR state = ?2) "
                                 "ORDER BY id DESC LIMIT ?3",
                             {school, state, static_cast<long long>(limit)}),
                       outbox_row);
        });
    }

    std::vector<std::pair<std::string, long long>> outbox_counts(
        const std::string& school) override {
        return read([&](Session& s) {
            auto r = s.run(
                "SELECT state, count(*) FROM mail_outbox WHERE ?1 = '' OR school = ?1 GROUP BY "
                "state ORDER BY state",
                {school});
            std::vector<std::pair<std::string, long long>> out;
            for (int i = 0; i < r.size(); ++i) out.emplace_back(r.take(i, 0), r.integer(i, 1));
            return out;
        });
    }

    void set_mail_optout(const std::string& school, const std::string& person,
                         const std::string& kind, bool off, const std::string& at) override {
        write([&](Session& s) {
            if (off)
                s.run(
                    "INSERT INTO mail_optouts (school, person, kind, at) VALUES (?1, ?2, ?3, ?4) "
                    "ON CONFLICT DO NOTHING",
                    {school, person, kind, at});
            else
                s.run("DELETE FROM mail_optouts WHERE school = ?1 AND person = ?2 AND kind = ?3",
                      {school, person, kind});
        });
    }

    std::vector<std::pair<std::string, std::string>> mail_optouts(
        const std::string& school) override {
        return read([&](Session& s) {
            auto r = s.run("SELECT person, kind FROM mail_optouts WHERE school = ?1 ORDER BY 1, 2",
                           {school});
            std::vector<std::pair<std::string, std::string>> out;
            for (int i = 0; i < r.size(); ++i) out.emplace_back(r.take(i, 0), r.take(i, 1));
            return out;
        });
    }

    void checkpoint() override { b_->checkpoint(); }

    // ---- audit -------------------------------------------------------------------------------
    void audit(const AuditEntry& e) override {
        write([&](Session& s) { insert_audit(s, e); });
    }

    std::vector<AuditEntry> audit_log(const std::string& school) override {
        return read([&](Session& s) {
            auto r = s.run(
                "SELECT at, actor, school, action, detail FROM audit_log WHERE school = ?1 ORDER "
                "BY id",
                {school});
            std::vector<AuditEntry> out;
            for (int i = 0; i < r.size(); ++i)
                out.push_back(
                    {r.take(i, 0), r.take(i, 1), r.take(i, 2), r.take(i, 3), r.take(i, 4)});
            return out;
        });
    }

    // ---- several daemons ---------------------------------------------------------------------
    bool acquire_lease(const std::string& name, const std::string& owner, std::int64_t now,
                       int seconds) override {
        return write([&](Session& s) {
            return s.run(
                        "INSERT INTO leases (name, owner, until) VALUES (?1, ?2, ?3) "
                        "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = "
                        "excluded.until WHERE leases.owner = excluded.owner OR leases.until "
                        "<= ?4",
                        {name, owner, ll(now + seconds), ll(now)})
                       .affected == 1;
        });
    }

    void release_lease(const std::string& name, const std::string& owner) override {
        write([&](Session& s) {
            s.run("DELETE FROM leases WHERE name = ?1 AND owner = ?2", {name, owner});
        });
    }

    std::unique_ptr<StoreListener> listen() override { return b_->listen(); }

    // ---- the whole store ---------------------------------------------------------------------
    TableRows read_table(const std::string& table) override {
        return read([&](Session& s) {
            Rows r = s.run("SELECT * FROM " + copied_table(table) + " ORDER BY 1");
            return TableRows{std::move(r.columns), std::move(r.cells)};
        });
    }

    void write_table(const std::string& table, const TableRows& rows) override {
        tx([&](Session& s) {
            const std::string name = copied_table(table);
            std::string cols, marks;
            for (size_t i = 0; i < rows.columns.size(); ++i) {
                cols += (i ? ", " : "") + rows.columns[i];
                marks += (i ? ", ?" : "?") + std::to_string(i + 1);
            }
            const std::string sql =
                "INSERT INTO " + name + " (" + cols + ") VALUES (" + marks + ")";
            std::vector<Param> params;
            for (const auto& row : rows.rows) {
                params.clear();
                for (const auto& cell : row)
                    params.push_back(cell ? Param(std::string_view(*cell)) : Param());
                s.run(sql, params);
            }
            b_->copied(s, name);
        });
    }

    long long count_rows(const std::string& table) override {
        return read([&](Session& s) {
            return s.run("SELECT count(*) FROM " + copied_table(table)).integer(0, 0);
        });
    }

    int schema_version() override {
        return read([&](Session& s) { return b_->schema_version(s); });
    }
    [[nodiscard]] std::string backend() const override { return b_->name(); }
    [[nodiscard]] bool shared() const override { return b_->shared(); }

  private:
    void migrate() {
        const int want = migration_count();
        tx([&](Session& s) {
            b_->lock_migrations(s);
            const int have = b_->schema_version(s);
            if (have > want)
                throw StoreError("de database heeft schemaversie " + std::to_string(have) +
                                 ", nieuwer dan dit programma kent (" + std::to_string(want) +
                                 "); werk jaarkalender bij");
            for (int v = have; v < want; ++v) {
                s.script(migration_text(*b_, v));
                b_->set_schema_version(s, v + 1);
                // Said where several daemons share the database; a command that opens an SQLite
                // file answers on the standard output, where this line would be in the way.
                spdlog::log(b_->shared() ? spdlog::level::info : spdlog::level::debug,
                            "store: {} schema migrated to version {}", b_->name(), v + 1);
            }
        });
    }

    /// True when the school year has a change record newer than `based_on` (< 0: never). The
    /// lock serialises a school's changes across daemons: ids then follow the commit order,
    /// which changes_since relies on.
    bool newer_change(Session& s, const ChangeRecord& c, long long based_on) {
        b_->lock(s, "changes:" + c.school);
        if (based_on < 0) return false;
        return s.run(
                    "SELECT coalesce(max(id), 0) FROM event_changes WHERE school = ?1 AND "
                    "school_year = ?2",
                    {c.school, c.school_year})
                   .integer(0, 0) > based_on;
    }

    static long long insert_change(Session& s, const ChangeRecord& c) {
        return s
            .run(
                "INSERT INTO event_changes (school, school_year, uid, action, before_json, note, "
                "actor, created_at, change_json, undo_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                "?9, ?10) RETURNING id",
                {c.school, c.school_year, c.uid, to_string(c.action), c.before_json, c.note,
                 c.actor, c.at, c.change_json, c.undo_of ? Param(c.undo_of) : Param()})
            .integer(0, 0);
    }

    static void insert_audit(Session& s, const AuditEntry& e) {
        s.run(
            "INSERT INTO audit_log (at, actor, school, action, detail) VALUES (?1, ?2, ?3, ?4, "
            "?5)",
            {e.at, e.actor, e.school, e.action, e.detail});
    }

    std::unique_ptr<Backend> b_;
};

}  // namespace

long long Rows::integer(int row, int col) const {
    const auto& c = cells[row][col];
    if (!c) return 0;
    long long v = 0;
    const char* end = c->data() + c->size();
    if (std::from_chars(c->data(), end, v).ec != std::errc())
        throw StoreError("geen geheel getal uit de database: '" + *c + "'");
    return v;
}

std::unique_ptr<Store> make_store(std::unique_ptr<Backend> backend) {
    return std::make_unique<SqlStore>(std::move(backend));
}

}  // namespace sql

namespace {

/// An enum's stored words, in one table per enum: each value's word, and a word read back.
template <class E, std::size_t N>
struct Words {
    std::array<std::pair<E, std::string_view>, N> pairs;
    [[nodiscard]] constexpr std::string_view of(E value) const {
        for (const auto& [e, w] : pairs)
            if (e == value) return w;
        return pairs[0].second;
    }
    [[nodiscard]] constexpr std::optional<E> parse(std::string_view word) const {
        for (const auto& [e, w] : pairs)
            if (w == word) return e;
        return std::nullopt;
    }
};

constexpr Words<FeedScope, 4> kScopes{{{{FeedScope::school, "school"},
                                        {FeedScope::person, "person"},
                                        {FeedScope::group, "group"},
                                        {FeedScope::role, "role"}}}};
constexpr Words<EventAction, 4> kActions{{{{EventAction::done, "done"},
                                           {EventAction::cancel, "cancel"},
                                           {EventAction::move, "move"},
                                           {EventAction::undo, "undo"}}}};
constexpr Words<InputOrigin, 3> kOrigins{{{{InputOrigin::files, "files"},
                                           {InputOrigin::change, "change"},
                                           {InputOrigin::undo, "undo"}}}};

}  // namespace

std::string_view to_string(FeedScope s) {
    return kScopes.of(s);
}
std::optional<FeedScope> parse_feed_scope(std::string_view s) {
    return kScopes.parse(s);
}
std::string_view to_string(EventAction a) {
    return kActions.of(a);
}
std::optional<EventAction> parse_event_action(std::string_view s) {
    return kActions.parse(s);
}
std::string_view to_string(InputOrigin o) {
    return kOrigins.of(o);
}
std::optional<InputOrigin> parse_input_origin(std::string_view s) {
    return kOrigins.parse(s);
}

std::string copied_table(const std::string& table) {
    for (const char* t : kCopiedTables)
        if (table == t) return table;
    throw StoreError("onbekende tabel " + table);
}

std::unique_ptr<Store> open_sqlite_store(const std::string& path, Durability durability) {
    return sql::make_store(sql::sqlite_backend(path, durability));
}

std::unique_ptr<Store> open_postgresql_store(const std::string& conninfo,
                                             const std::string& password, int connections) {
    return sql::make_store(sql::postgresql_backend(conninfo, password, connections));
}

std::unique_ptr<Store> open_store(const StoreLocation& where, Durability durability) {
    if (where.postgresql.empty()) return open_sqlite_store(where.sqlite, durability);
    std::string password;
    if (!where.password_file.empty()) password = read_password_file(where.password_file);
    return open_postgresql_store(where.postgresql, password, where.connections);
}

}  // namespace jk::daemon
