// The mail outbox, its scan cursors and the opt-outs (store.hpp, OutboxStore): written once for
// both databases, as every query of the store.
#include <algorithm>
#include <tuple>

#include "daemon/store/sql_parts.hpp"

namespace jk::daemon {
namespace sql {
namespace {

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
    const std::string kind = r.take(i, 5);
    m.kind = stored(parse_outbox_kind(kind), "mail_outbox.kind", kind);
    m.uid = r.take(i, 6);
    m.sequence = static_cast<int>(r.integer(i, 7));
    m.due_at = r.integer(i, 8);
    m.late = r.integer(i, 9) != 0;
    m.message = r.take(i, 10);
    const std::string state = r.take(i, 11);
    m.state = stored(parse_outbox_state(state), "mail_outbox.state", state);
    m.attempts = static_cast<int>(r.integer(i, 12));
    m.next_attempt_at = r.integer(i, 13);
    m.last_error = r.take(i, 14);
    m.created_at = r.integer(i, 15);
    m.done_at = r.integer(i, 16);
    return m;
}

constexpr Words<OutboxKind, 7> kOutboxKinds{{{{OutboxKind::reminder, "reminder"},
                                              {OutboxKind::change, "change"},
                                              {OutboxKind::overdue, "overdue"},
                                              {OutboxKind::digest, "digest"},
                                              {OutboxKind::welcome, "welcome"},
                                              {OutboxKind::login, "login"},
                                              {OutboxKind::year, "year"}}}};
constexpr Words<OutboxState, 4> kOutboxStates{{{{OutboxState::pending, "pending"},
                                                {OutboxState::sent, "sent"},
                                                {OutboxState::failed, "failed"},
                                                {OutboxState::skipped, "skipped"}}}};

}  // namespace
}  // namespace sql

using namespace sql;

std::string_view to_string(OutboxKind k) {
    return kOutboxKinds.of(k);
}
std::optional<OutboxKind> parse_outbox_kind(std::string_view s) {
    return kOutboxKinds.parse(s);
}
std::string_view to_string(OutboxState s) {
    return kOutboxStates.of(s);
}
std::optional<OutboxState> parse_outbox_state(std::string_view s) {
    return kOutboxStates.parse(s);
}

int OutboxStore::enqueue_mail(const std::vector<OutboxMessage>& messages,
                              const std::string& cursor_name, std::int64_t cursor) {
    return tx(b_, [&](Session& s) {
        long long added = 0;
        for (const auto& m : messages)
            added += s.run(
                          "INSERT INTO mail_outbox (key, school, person, address, kind, uid, "
                          "sequence, due_at, late, message, next_attempt_at, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                          "ON CONFLICT (key) DO NOTHING",
                          {m.key, m.school, m.person, m.address, to_string(m.kind), m.uid,
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

std::optional<std::int64_t> OutboxStore::mail_cursor(const std::string& cursor_name) {
    return read(b_, [&](Session& s) -> std::optional<std::int64_t> {
        auto r = s.run("SELECT scanned_to FROM mail_cursors WHERE name = ?1", {cursor_name});
        if (r.empty()) return std::nullopt;
        return r.integer(0, 0);
    });
}

std::vector<OutboxMessage> OutboxStore::outbox_claim(std::int64_t now, int limit,
                                                     const std::string& owner, int lease_seconds) {
    return tx(b_, [&](Session& s) {
        // Two daemons claiming at once take different messages and never wait for each
        // other (SQLite: one writer at a time anyway).
        auto out =
            all(s.run("UPDATE mail_outbox SET lease_owner = ?3, lease_until = ?4 WHERE "
                      "id IN (SELECT id FROM mail_outbox WHERE state = 'pending' AND "
                      "next_attempt_at <= ?1 AND lease_until <= ?1 ORDER BY "
                      "next_attempt_at, id LIMIT ?2" +
                          std::string(b_.skip_locked()) + ") RETURNING " + kOutboxFields,
                      {ll(now), static_cast<long long>(limit), owner, ll(now + lease_seconds)}),
                outbox_row);
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
        });
        return out;
    });
}

void OutboxStore::outbox_release(const std::string& owner) {
    write(b_, [&](Session& s) {
        s.run(
            "UPDATE mail_outbox SET lease_until = 0 WHERE (?1 = '' OR lease_owner = ?1) AND "
            "state = 'pending' AND lease_until > 0",
            {owner});
    });
}

std::optional<std::int64_t> OutboxStore::outbox_next_attempt() {
    return read(b_, [&](Session& s) -> std::optional<std::int64_t> {
        auto r = s.run(
            "SELECT min(CASE WHEN next_attempt_at > lease_until THEN next_attempt_at ELSE "
            "lease_until END) FROM mail_outbox WHERE state = 'pending'");
        if (r.empty() || r.null(0, 0)) return std::nullopt;
        return r.integer(0, 0);
    });
}

void OutboxStore::outbox_sent(long long id, std::int64_t at) {
    write(b_, [&](Session& s) {
        s.run(
            "UPDATE mail_outbox SET state = 'sent', done_at = ?1, attempts = attempts + 1, "
            // A sent sign-in mail's text holds a working credential: it is not kept.
            "message = CASE kind WHEN 'login' THEN '' ELSE message END WHERE id = ?2",
            {ll(at), id});
    });
}

void OutboxStore::outbox_retry(long long id, std::int64_t next, const std::string& error) {
    write(b_, [&](Session& s) {
        s.run(
            "UPDATE mail_outbox SET next_attempt_at = ?1, last_error = ?2, attempts = "
            "attempts + 1, lease_until = 0 WHERE id = ?3",
            {ll(next), error, id});
    });
}

void OutboxStore::outbox_close(long long id, OutboxState state, std::int64_t at,
                               const std::string& reason) {
    write(b_, [&](Session& s) {
        s.run(
            "UPDATE mail_outbox SET state = ?1, done_at = ?2, last_error = ?3, attempts = "
            "attempts + CASE WHEN ?1 = 'failed' THEN 1 ELSE 0 END WHERE id = ?4",
            {to_string(state), ll(at), reason, id});
    });
}

std::vector<OutboxMessage> OutboxStore::outbox(const std::string& school,
                                               std::optional<OutboxState> state, int limit) {
    return read(b_, [&](Session& s) {
        return all(s.run("SELECT " + std::string(kOutboxFields) +
                             " FROM mail_outbox WHERE school = ?1 AND (?2 = '' OR state = ?2) "
                             "ORDER BY id DESC LIMIT ?3",
                         {school, state ? to_string(*state) : std::string_view(""),
                          static_cast<long long>(limit)}),
                   outbox_row);
    });
}

std::vector<std::pair<std::string, long long>> OutboxStore::outbox_counts(
    const std::string& school) {
    return read(b_, [&](Session& s) {
        auto r = s.run(
            "SELECT state, count(*) FROM mail_outbox WHERE ?1 = '' OR school = ?1 GROUP BY "
            "state ORDER BY state",
            {school});
        std::vector<std::pair<std::string, long long>> out;
        for (int i = 0; i < r.size(); ++i) out.emplace_back(r.take(i, 0), r.integer(i, 1));
        return out;
    });
}

void OutboxStore::set_mail_optout(const std::string& school, const std::string& person,
                                  const std::string& kind, bool off, const std::string& at) {
    write(b_, [&](Session& s) {
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

std::vector<std::pair<std::string, std::string>> OutboxStore::mail_optouts(
    const std::string& school) {
    return read(b_, [&](Session& s) {
        auto r = s.run("SELECT person, kind FROM mail_optouts WHERE school = ?1 ORDER BY 1, 2",
                       {school});
        std::vector<std::pair<std::string, std::string>> out;
        for (int i = 0; i < r.size(); ++i) out.emplace_back(r.take(i, 0), r.take(i, 1));
        return out;
    });
}

void OutboxStore::checkpoint() {
    b_.checkpoint();
}

}  // namespace jk::daemon
