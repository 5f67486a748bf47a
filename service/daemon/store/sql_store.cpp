// Every query and migration of the store, written once for SQLite and PostgreSQL (sql.hpp): the
// backends run the statements and hold what differs. tests/daemon/store_conformance_test.cpp
// holds both to the same contract.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <tuple>

#include "daemon/store/sql_parts.hpp"

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

/// The input versions that are the school's (?1) input: not of a year that is still a draft or
/// published beside the current one (docs/input.md, "Next school year").
constexpr const char* kNotUpcoming =
    "school_year NOT IN (SELECT school_year FROM school_years WHERE school = ?1 AND state <> "
    "'current')";

constexpr const char* kYearColumns =
    "SELECT school, school_year, state, created_at, created_by, published_at, published_by, "
    "plan_json, todo FROM school_years";
SchoolYearRow year_row(Rows& r, int i) {
    SchoolYearRow y;
    y.school = r.take(i, 0);
    y.school_year = r.take(i, 1);
    const std::string state = r.take(i, 2);
    y.state = stored(parse_year_state(state), "school_years.state", state);
    y.created_at = r.take(i, 3);
    y.created_by = r.take(i, 4);
    y.published_at = r.take(i, 5);
    y.published_by = r.take(i, 6);
    y.plan_json = r.take(i, 7);
    y.todo = r.take(i, 8);
    return y;
}

/// The newest input version id of the stream `v` belongs to: its year's when that year is not
/// the school's input yet, else the school's input's.
long long newest_input_id(Session& s, const InputVersion& v) {
    const bool upcoming =
        s.run(
             "SELECT count(*) FROM school_years WHERE school = ?1 AND school_year = ?2 AND "
             "state <> 'current'",
             {v.school, v.school_year})
            .integer(0, 0) > 0;
    if (upcoming)
        return s
            .run(
                "SELECT coalesce(max(id), 0) FROM input_versions WHERE school = ?1 AND "
                "school_year = ?2",
                {v.school, v.school_year})
            .integer(0, 0);
    return s
        .run(std::string("SELECT coalesce(max(id), 0) FROM input_versions WHERE school = ?1 AND ") +
                 kNotUpcoming,
             {v.school})
        .integer(0, 0);
}

long long insert_input(Session& s, const InputVersion& v) {
    return s
        .run(
            "INSERT INTO input_versions (school, school_year, created_at, origin, actor, "
            "change_json, undo_of, summary, files, sources, skipped) VALUES (?1, ?2, "
            "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
            {v.school, v.school_year, v.created_at, to_string(v.origin), v.actor, v.change_json,
             v.undo_of, v.summary, v.files, v.sources,
             v.skipped.empty() ? std::string_view("[]") : std::string_view(v.skipped)})
        .integer(0, 0);
}

/// True when the school year has a change record newer than `based_on` (< 0: never). The
/// lock serialises a school's changes across daemons: ids then follow the commit order,
/// which changes_since relies on.
bool newer_change(Backend& b, Session& s, const ChangeRecord& c, long long based_on) {
    b.lock(s, "changes:" + c.school);
    if (based_on < 0) return false;
    return s.run(
                "SELECT coalesce(max(id), 0) FROM event_changes WHERE school = ?1 AND "
                "school_year = ?2",
                {c.school, c.school_year})
               .integer(0, 0) > based_on;
}

long long insert_change(Session& s, const ChangeRecord& c) {
    return s
        .run(
            "INSERT INTO event_changes (school, school_year, uid, action, before_json, note, "
            "actor, created_at, change_json, undo_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
            "?9, ?10) RETURNING id",
            {c.school, c.school_year, c.uid, to_string(c.action), c.before_json, c.note, c.actor,
             c.at, c.change_json, c.undo_of ? Param(c.undo_of) : Param()})
        .integer(0, 0);
}

void insert_audit(Session& s, const AuditEntry& e) {
    s.run(
        "INSERT INTO audit_log (at, actor, school, action, detail) VALUES (?1, ?2, ?3, ?4, "
        "?5)",
        {e.at, e.actor, e.school, e.action, e.detail});
}

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
    return std::make_unique<Store>(std::move(backend));
}

}  // namespace sql

using namespace sql;

StoreBackend::StoreBackend(std::unique_ptr<sql::Backend> backend) : backend_(std::move(backend)) {}
StoreBackend::~StoreBackend() = default;
Store::Store(std::unique_ptr<sql::Backend> backend)
    : StoreBackend(std::move(backend)),
      PlanStore(*backend_),
      TrackingStore(*backend_),
      SubscriptionStore(*backend_),
      AccessStore(*backend_),
      OutboxStore(*backend_),
      AuditStore(*backend_),
      ClusterStore(*backend_) {
    migrate();
}

Store::~Store() = default;

void Store::migrate() {
    const int want = migration_count();
    tx(*backend_, [&](Session& s) {
        backend_->lock_migrations(s);
        const int have = backend_->schema_version(s);
        if (have > want)
            throw StoreError("de database heeft schemaversie " + std::to_string(have) +
                             ", nieuwer dan dit programma kent (" + std::to_string(want) +
                             "); werk jaarkalender bij");
        for (int v = have; v < want; ++v) {
            s.script(migration_text(*backend_, v));
            backend_->set_schema_version(s, v + 1);
            // Said where several daemons share the database; a command that opens an SQLite
            // file answers on the standard output, where this line would be in the way.
            spdlog::log(backend_->shared() ? spdlog::level::info : spdlog::level::debug,
                        "store: {} schema migrated to version {}", backend_->name(), v + 1);
        }
    });
}

long long PlanStore::save_plan(const StoredPlan& sp) {
    return tx(b_, [&](Session& s) {
        const long long id =
            s.run(
                 "INSERT INTO plans (school, school_year, created_at, plan_json, sources, "
                 "through_change) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                 {sp.school, sp.school_year, sp.created_at, sp.plan_json, sp.sources,
                  sp.through_change})
                .integer(0, 0);
        b_.tell(s, "school:" + sp.school);
        return id;
    });
}

std::optional<StoredPlan> PlanStore::latest_plan(const std::string& school) {
    return read(b_, [&](Session& s) {
        return first(
            s.run(with_where(kPlanColumns, "WHERE school = ?1 ORDER BY id DESC LIMIT 1"), {school}),
            plan_row);
    });
}

std::optional<std::string> PlanStore::plan_sources(const std::string& school) {
    return read(b_, [&](Session& s) -> std::optional<std::string> {
        auto r =
            s.run("SELECT sources FROM plans WHERE school = ?1 ORDER BY id DESC LIMIT 1", {school});
        if (r.empty()) return std::nullopt;
        return r.take(0, 0);
    });
}

long long PlanStore::plan_count(const std::string& school, const std::string& year) {
    return read(b_, [&](Session& s) {
        return s
            .run("SELECT count(*) FROM plans WHERE school = ?1 AND school_year = ?2",
                 {school, year})
            .integer(0, 0);
    });
}

std::map<std::string, std::vector<std::string>> PlanStore::planned_years() {
    return read(b_, [&](Session& s) {
        auto r = s.run(
            "SELECT DISTINCT school, school_year FROM plans ORDER BY school, "
            "school_year");
        std::map<std::string, std::vector<std::string>> out;
        for (int i = 0; i < r.size(); ++i) out[r.take(i, 0)].push_back(r.take(i, 1));
        return out;
    });
}

std::vector<StoredPlan> PlanStore::yearly_plans(const std::string& school) {
    return read(b_, [&](Session& s) {
        return all(s.run(with_where(kPlanColumns,
                                    "WHERE id IN (SELECT max(id) FROM plans WHERE school = ?1 "
                                    "GROUP BY school_year) ORDER BY school_year"),
                         {school}),
                   plan_row);
    });
}

Stored PlanStore::add_input_version(const InputVersion& v, const AuditEntry& a,
                                    long long based_on) {
    return tx(b_, [&](Session& s) -> Stored {
        // One writer of a school's input at a time, across daemons.
        b_.lock(s, "input:" + v.school);
        if (based_on >= 0 && newest_input_id(s, v) != based_on) return Stored::lost_race();
        const long long id = insert_input(s, v);
        insert_audit(s, a);
        b_.tell(s, "school:" + v.school);
        return Stored::as(id);
    });
}

std::optional<InputVersion> PlanStore::latest_input(const std::string& school) {
    return read(b_, [&](Session& s) {
        return first(s.run(with_where(kInputColumns, "WHERE school = ?1 AND ") + kNotUpcoming +
                               " ORDER BY school_year DESC, id DESC LIMIT 1",
                           {school}),
                     input_row);
    });
}

std::vector<InputVersion> PlanStore::input_versions(const std::string& school) {
    return read(b_, [&](Session& s) {
        return all(s.run(with_where(kInputColumns, "WHERE school = ?1 AND ") + kNotUpcoming +
                             " ORDER BY id",
                         {school}),
                   input_row);
    });
}

std::optional<InputVersion> PlanStore::latest_input_of(const std::string& school,
                                                       const std::string& year) {
    return read(b_, [&](Session& s) {
        return first(s.run(with_where(kInputColumns,
                                      "WHERE school = ?1 AND school_year = ?2 "
                                      "ORDER BY id DESC LIMIT 1"),
                           {school, year}),
                     input_row);
    });
}

std::vector<InputVersion> PlanStore::input_versions_of(const std::string& school,
                                                       const std::string& year) {
    return read(b_, [&](Session& s) {
        return all(
            s.run(with_where(kInputColumns, "WHERE school = ?1 AND school_year = ?2 ORDER BY id"),
                  {school, year}),
            input_row);
    });
}

std::vector<SchoolYearRow> PlanStore::school_years(const std::string& school) {
    return read(b_, [&](Session& s) {
        if (school.empty())
            return all(s.run(with_where(kYearColumns, "ORDER BY school, school_year")), year_row);
        return all(
            s.run(with_where(kYearColumns, "WHERE school = ?1 ORDER BY school_year"), {school}),
            year_row);
    });
}

Stored PlanStore::start_year(const SchoolYearRow& y, const InputVersion& first,
                             const AuditEntry& a) {
    return tx(b_, [&](Session& s) -> Stored {
        b_.lock(s, "input:" + y.school);
        if (s.run("SELECT count(*) FROM school_years WHERE school = ?1 AND school_year = ?2",
                  {y.school, y.school_year})
                .integer(0, 0) > 0)
            return Stored::lost_race();
        s.run(
            "INSERT INTO school_years (school, school_year, state, created_at, created_by, "
            "todo) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            {y.school, y.school_year, to_string(y.state), y.created_at, y.created_by, y.todo});
        const long long id = insert_input(s, first);
        insert_audit(s, a);
        b_.tell(s, "school:" + y.school);
        return Stored::as(id);
    });
}

void PlanStore::update_year(const SchoolYearRow& y, const AuditEntry* a) {
    tx(b_, [&](Session& s) {
        s.run(
            "UPDATE school_years SET state = ?3, published_at = ?4, published_by = ?5, "
            "plan_json = ?6, todo = ?7 WHERE school = ?1 AND school_year = ?2",
            {y.school, y.school_year, to_string(y.state), y.published_at, y.published_by,
             y.plan_json, y.todo});
        if (a) insert_audit(s, *a);
        b_.tell(s, "school:" + y.school);
    });
}

std::vector<std::string> PlanStore::input_schools() {
    return read(b_, [&](Session& s) {
        auto r = s.run("SELECT DISTINCT school FROM input_versions ORDER BY school");
        std::vector<std::string> out;
        for (int i = 0; i < r.size(); ++i) out.push_back(r.take(i, 0));
        return out;
    });
}

SchoolHead PlanStore::school_head(const std::string& school, const std::string& year) {
    return read(b_, [&](Session& s) {
        auto r = s.run(
            "SELECT (SELECT coalesce(max(id), 0) FROM plans WHERE school = ?1), "
            "(SELECT coalesce(max(id), 0) FROM input_versions WHERE school = ?1 AND " +
                std::string(kNotUpcoming) +
                "), "
                "(SELECT coalesce(max(id), 0) FROM event_changes WHERE school = ?1 AND "
                "school_year = ?2)",
            {school, year});
        return SchoolHead{r.integer(0, 0), r.integer(0, 1), r.integer(0, 2)};
    });
}

Stored TrackingStore::commit_change(const ChangeRecord& c, const AuditEntry& a,
                                    long long based_on) {
    return tx(b_, [&](Session& s) -> Stored {
        if (newer_change(b_, s, c, based_on)) return Stored::lost_race();
        const long long id = insert_change(s, c);
        insert_audit(s, a);
        return Stored::as(id);
    });
}

std::optional<ChangeRecord> TrackingStore::last_change(const std::string& school,
                                                       const std::string& uid) {
    return read(b_, [&](Session& s) {
        return first(s.run(with_where(kChangeColumns,
                                      "WHERE school = ?1 AND uid = ?2 AND undone_at IS NULL "
                                      "AND action <> 'undo' ORDER BY id DESC LIMIT 1"),
                           {school, uid}),
                     change_row);
    });
}

Stored TrackingStore::commit_undo(const ChangeRecord& undo, const AuditEntry& a,
                                  long long based_on) {
    return tx(b_, [&](Session& s) -> Stored {
        if (newer_change(b_, s, undo, based_on)) return Stored::lost_race();
        const long long id = insert_change(s, undo);
        s.run("UPDATE event_changes SET undone_at = ?1 WHERE id = ?2", {undo.at, undo.undo_of});
        insert_audit(s, a);
        return Stored::as(id);
    });
}

void TrackingStore::put_today_plan(const TodayPlan& t) {
    tx(b_, [&](Session& s) {
        // A cache of what the change records say: lost in a crash, the others replay the
        // records. Not worth waiting for the disk with every change.
        b_.relax_commit(s);
        s.run(
            "INSERT INTO today_plans (school, school_year, through_change, stored_plan, "
            "input_version, plan_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (school) "
            "DO UPDATE SET school_year = excluded.school_year, through_change = "
            "excluded.through_change, stored_plan = excluded.stored_plan, input_version = "
            "excluded.input_version, plan_json = excluded.plan_json "
            "WHERE today_plans.through_change < excluded.through_change",
            {t.school, t.school_year, t.through_change, t.stored_plan, t.input_version,
             t.plan_json});
        b_.tell(s, "school:" + t.school);
    });
}

std::optional<TodayPlan> TrackingStore::today_plan(const std::string& school) {
    return read(b_, [&](Session& s) -> std::optional<TodayPlan> {
        auto r = s.run(
            "SELECT school, school_year, through_change, stored_plan, input_version, "
            "plan_json FROM today_plans WHERE school = ?1",
            {school});
        if (r.empty()) return std::nullopt;
        return TodayPlan{r.take(0, 0),    r.take(0, 1),    r.integer(0, 2),
                         r.integer(0, 3), r.integer(0, 4), r.take(0, 5)};
    });
}

std::vector<ChangeRecord> TrackingStore::changes_since(const std::string& school,
                                                       const std::string& school_year,
                                                       long long after_id) {
    return read(b_, [&](Session& s) {
        return all(
            s.run(with_where(kChangeColumns,
                             "WHERE school = ?1 AND school_year = ?2 AND id > ?3 ORDER BY id"),
                  {school, school_year, after_id}),
            change_row);
    });
}

long long SubscriptionStore::add_subscription(const Subscription& sub) {
    return tx(b_, [&](Session& s) {
        const long long id =
            s.run(
                 "INSERT INTO subscriptions (school, scope, target, token_hash, created_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
                 {sub.school, to_string(sub.scope), sub.target, sub.token_hash, sub.created_at})
                .integer(0, 0);
        b_.tell(s, "subscriptions");
        return id;
    });
}

std::vector<Subscription> SubscriptionStore::active_subscriptions() {
    return read(b_, [&](Session& s) {
        return all(s.run(with_where(kSubscriptionColumns, "WHERE revoked_at IS NULL ORDER BY id")),
                   subscription_row);
    });
}

std::optional<Subscription> SubscriptionStore::find_subscription(const std::string& token_hash) {
    return read(b_, [&](Session& s) {
        return first(
            s.run(with_where(kSubscriptionColumns, "WHERE token_hash = ?1 AND revoked_at IS NULL"),
                  {token_hash}),
            subscription_row);
    });
}

int SubscriptionStore::revoke_subscriptions(const std::string& school, FeedScope scope,
                                            const std::string& target, const std::string& at) {
    return tx(b_, [&](Session& s) {
        const auto n = s.run(
                            "UPDATE subscriptions SET revoked_at = ?1 WHERE school = ?2 AND "
                            "scope = ?3 AND target = ?4 AND revoked_at IS NULL",
                            {at, school, to_string(scope), target})
                           .affected;
        b_.tell(s, "subscriptions");
        return static_cast<int>(n);
    });
}

void AccessStore::add_api_token(const std::string& school, const std::string& person,
                                const std::string& hash, const std::string& at) {
    write(b_, [&](Session& s) {
        s.run(
            "INSERT INTO api_tokens (school, person, token_hash, created_at) VALUES (?1, ?2, "
            "?3, ?4)",
            {school, person, hash, at});
    });
}

std::optional<ApiTokenOwner> AccessStore::find_api_token(const std::string& hash) {
    return read(b_, [&](Session& s) -> std::optional<ApiTokenOwner> {
        auto r = s.run(
            "SELECT school, person FROM api_tokens WHERE token_hash = ?1 AND revoked_at IS "
            "NULL",
            {hash});
        if (r.empty()) return std::nullopt;
        return ApiTokenOwner{r.take(0, 0), r.take(0, 1)};
    });
}

int AccessStore::revoke_api_tokens(const std::string& school, const std::string& person,
                                   const std::string& at) {
    return write(b_, [&](Session& s) {
        return static_cast<int>(s.run("UPDATE api_tokens SET revoked_at = ?1 WHERE school = ?2 "
                                      "AND person = ?3 AND revoked_at IS NULL",
                                      {at, school, person})
                                    .affected);
    });
}

void AccessStore::add_login_link(const std::string& token_hash, const std::string& school,
                                 const std::string& person, std::int64_t expires_at) {
    write(b_, [&](Session& s) {
        s.run(
            "INSERT INTO login_links (token_hash, school, person, expires_at) VALUES (?1, "
            "?2, ?3, ?4)",
            {token_hash, school, person, ll(expires_at)});
    });
}

std::optional<ApiTokenOwner> AccessStore::use_login_link(const std::string& token_hash,
                                                         std::int64_t now) {
    return write(b_, [&](Session& s) -> std::optional<ApiTokenOwner> {
        // One statement: two daemons given the same link cannot both use it.
        auto r = s.run(
            "UPDATE login_links SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL "
            "AND expires_at > ?2 RETURNING school, person",
            {token_hash, ll(now)});
        if (r.empty()) return std::nullopt;
        return ApiTokenOwner{r.take(0, 0), r.take(0, 1)};
    });
}

void AccessStore::add_session(const WebSession& ws, const std::string& token_hash,
                              std::int64_t created_at, std::int64_t expires_at) {
    write(b_, [&](Session& s) {
        s.run(
            "INSERT INTO sessions (token_hash, school, person, csrf, created_at, expires_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            {token_hash, ws.school, ws.person, ws.csrf, ll(created_at), ll(expires_at)});
    });
}

std::optional<WebSession> AccessStore::find_session(const std::string& token_hash,
                                                    std::int64_t now) {
    return read(b_, [&](Session& s) -> std::optional<WebSession> {
        auto r = s.run(
            "SELECT school, person, csrf FROM sessions WHERE token_hash = ?1 AND expires_at "
            "> ?2",
            {token_hash, ll(now)});
        if (r.empty()) return std::nullopt;
        return WebSession{r.take(0, 0), r.take(0, 1), r.take(0, 2)};
    });
}

void AccessStore::end_session(const std::string& token_hash) {
    write(b_,
          [&](Session& s) { s.run("DELETE FROM sessions WHERE token_hash = ?1", {token_hash}); });
}

void AccessStore::stash(const std::string& key, const std::string& value, std::int64_t expires_at) {
    write(b_, [&](Session& s) {
        s.run(
            "INSERT INTO stash (key, value, expires_at) VALUES (?1, ?2, ?3) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
            {key, value, ll(expires_at)});
    });
}

std::optional<std::string> AccessStore::take_stash(const std::string& key, std::int64_t now) {
    return tx(b_, [&](Session& s) -> std::optional<std::string> {
        auto r = s.run("DELETE FROM stash WHERE key = ?1 RETURNING value, expires_at", {key});
        s.run("DELETE FROM stash WHERE expires_at <= ?1", {ll(now)});
        if (r.empty() || r.integer(0, 1) <= now) return std::nullopt;
        return r.take(0, 0);
    });
}

bool AccessStore::take_rate(const std::string& key, double burst, double per_second, double now,
                            int* retry_after) {
    return b_.take_rate(key, burst, per_second, now, retry_after);
}

std::string AccessStore::secret(const std::string& name, const std::string& fresh) {
    return write(b_, [&](Session& s) {
        s.run("INSERT INTO secrets (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
              {name, fresh});
        auto r = s.run("SELECT value FROM secrets WHERE name = ?1", {name});
        if (r.empty()) throw StoreError("secret " + name + " could not be stored");
        return r.take(0, 0);
    });
}

void AuditStore::audit(const AuditEntry& e) {
    write(b_, [&](Session& s) { insert_audit(s, e); });
}

std::vector<AuditEntry> AuditStore::audit_log(const std::string& school) {
    return read(b_, [&](Session& s) {
        auto r = s.run(
            "SELECT at, actor, school, action, detail FROM audit_log WHERE school = ?1 ORDER "
            "BY id",
            {school});
        std::vector<AuditEntry> out;
        for (int i = 0; i < r.size(); ++i)
            out.push_back({r.take(i, 0), r.take(i, 1), r.take(i, 2), r.take(i, 3), r.take(i, 4)});
        return out;
    });
}

bool ClusterStore::acquire_lease(const std::string& name, const std::string& owner,
                                 std::int64_t now, int seconds) {
    return write(b_, [&](Session& s) {
        return s.run(
                    "INSERT INTO leases (name, owner, until) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = "
                    "excluded.until WHERE leases.owner = excluded.owner OR leases.until "
                    "<= ?4",
                    {name, owner, ll(now + seconds), ll(now)})
                   .affected == 1;
    });
}

void ClusterStore::release_lease(const std::string& name, const std::string& owner) {
    write(b_, [&](Session& s) {
        s.run("DELETE FROM leases WHERE name = ?1 AND owner = ?2", {name, owner});
    });
}

std::unique_ptr<StoreListener> ClusterStore::listen() {
    return b_.listen();
}

TableRows Store::read_table(const std::string& table) {
    return read(*backend_, [&](Session& s) {
        Rows r = s.run("SELECT * FROM " + copied_table(table) + " ORDER BY 1");
        return TableRows{std::move(r.columns), std::move(r.cells)};
    });
}

void Store::write_table(const std::string& table, const TableRows& rows) {
    tx(*backend_, [&](Session& s) {
        const std::string name = copied_table(table);
        std::string cols, marks;
        for (size_t i = 0; i < rows.columns.size(); ++i) {
            cols += (i ? ", " : "") + rows.columns[i];
            marks += (i ? ", ?" : "?") + std::to_string(i + 1);
        }
        const std::string sql = "INSERT INTO " + name + " (" + cols + ") VALUES (" + marks + ")";
        std::vector<Param> params;
        for (const auto& row : rows.rows) {
            params.clear();
            for (const auto& cell : row)
                params.push_back(cell ? Param(std::string_view(*cell)) : Param());
            s.run(sql, params);
        }
        backend_->copied(s, name);
    });
}

long long Store::count_rows(const std::string& table) {
    return read(*backend_, [&](Session& s) {
        return s.run("SELECT count(*) FROM " + copied_table(table)).integer(0, 0);
    });
}

int Store::schema_version() {
    return read(*backend_, [&](Session& s) { return backend_->schema_version(s); });
}

std::string Store::backend() const {
    return backend_->name();
}

bool ClusterStore::shared() const {
    return b_.shared();
}

namespace {

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
constexpr Words<YearState, 3> kYearStates{{{{YearState::draft, "draft"},
                                            {YearState::published, "published"},
                                            {YearState::current, "current"}}}};

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

std::string_view to_string(YearState y) {
    return kYearStates.of(y);
}
std::optional<YearState> parse_year_state(std::string_view s) {
    return kYearStates.parse(s);
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
