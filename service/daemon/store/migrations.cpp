// The store's migrations, written once for both databases (sql.hpp): each moves the schema one
// version up; they are history, never edited once released.
#include "daemon/store/sql.hpp"

namespace jk::daemon::sql {
namespace {

// Each migration moves the schema one version up, once, in a transaction. "{id}" and
// "{bigint}" are the backend's words; a backend's own steps of a version follow the shared ones.
constexpr const char* kMigrations[] = {
    // 1: plans with history, subscriptions, tracking records, API tokens, audit log.
    R"SQL(
CREATE TABLE plans (
  id          {id},
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  plan_json   TEXT NOT NULL,
  sources     TEXT NOT NULL  -- the school's files as JSON: the last good input, to serve from
);
CREATE INDEX plans_by_school ON plans (school, id);
CREATE TABLE subscriptions (
  id          {id},
  school      TEXT NOT NULL,
  scope       TEXT NOT NULL CHECK (scope IN ('school', 'person', 'group', 'role')),
  target      TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE TABLE event_changes (
  id          {id},
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  uid         TEXT NOT NULL,
  action      TEXT NOT NULL CONSTRAINT event_changes_action CHECK (action IN ('done', 'cancel', 'move')),
  before_json TEXT NOT NULL,
  note        TEXT NOT NULL DEFAULT '',
  actor       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  undone_at   TEXT
);
CREATE INDEX event_changes_by_uid ON event_changes (school, uid, id);
CREATE TABLE api_tokens (
  id          {id},
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE TABLE audit_log (
  id          {id},
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  school      TEXT NOT NULL,
  action      TEXT NOT NULL,
  detail      TEXT NOT NULL
);
)SQL",
    // 2: reminder e-mail: the outbox (written before sending), scan cursors, opt-outs, secrets;
    // the web pages' single-use sign-in links and sessions (only token hashes).
    R"SQL(
CREATE TABLE mail_outbox (
  id              {id},
  key             TEXT NOT NULL UNIQUE,  -- uid|recipient|kind|offset|sequence: never twice
  school          TEXT NOT NULL,
  person          TEXT NOT NULL,
  address         TEXT NOT NULL,
  kind            TEXT NOT NULL
                  CHECK (kind IN ('reminder', 'change', 'overdue', 'digest', 'login')),
  uid             TEXT NOT NULL,
  sequence        {bigint} NOT NULL,
  due_at          {bigint} NOT NULL,
  late            INTEGER NOT NULL DEFAULT 0,
  message         TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at {bigint} NOT NULL,
  last_error      TEXT NOT NULL DEFAULT '',
  created_at      {bigint} NOT NULL,
  done_at         {bigint}
);
CREATE INDEX mail_outbox_ready ON mail_outbox (state, next_attempt_at);
CREATE INDEX mail_outbox_by_school ON mail_outbox (school, id);
CREATE TABLE mail_cursors (
  name        TEXT PRIMARY KEY,
  scanned_to  {bigint} NOT NULL
);
CREATE TABLE mail_optouts (
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  kind        TEXT NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (school, person, kind)
);
CREATE TABLE secrets (
  name        TEXT PRIMARY KEY,
  value       TEXT NOT NULL
);
CREATE TABLE login_links (
  token_hash  TEXT PRIMARY KEY,
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  expires_at  {bigint} NOT NULL,
  used_at     {bigint}
);
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  school      TEXT NOT NULL,
  person      TEXT NOT NULL,
  csrf        TEXT NOT NULL,
  created_at  {bigint} NOT NULL,
  expires_at  {bigint} NOT NULL
);
)SQL",
    // 3: a change is stored as a change record, not as a new copy of the plan (~210 KB each).
    // The newest plan says which records it includes; later ones are replayed on it. Undo
    // becomes a record of its own (the backends widen event_changes each their own way).
    R"SQL(
ALTER TABLE plans ADD COLUMN through_change {bigint} NOT NULL DEFAULT 0;
-- Until now every change stored a whole plan in its own transaction: each plan includes every
-- change before it.
UPDATE plans SET through_change = (SELECT coalesce(max(id), 0) FROM event_changes);
)SQL",
    // 4: the school's input lives in the store as versions (docs/input.md): the files as
    // imported, and the staff changes made in the web pages, each with the input that results.
    // The input of the newest plan of each school becomes its first version.
    R"SQL(
CREATE TABLE input_versions (
  id          {id},
  school      TEXT NOT NULL,
  school_year TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  origin      TEXT NOT NULL CHECK (origin IN ('files', 'change', 'undo')),
  actor       TEXT NOT NULL DEFAULT '',
  change_json TEXT NOT NULL DEFAULT '',
  undo_of     {bigint} NOT NULL DEFAULT 0,
  summary     TEXT NOT NULL DEFAULT '',
  files       TEXT NOT NULL,
  sources     TEXT NOT NULL,
  skipped     TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX input_versions_by_school ON input_versions (school, id);
INSERT INTO input_versions (school, school_year, created_at, origin, files, sources)
  SELECT school, school_year, created_at, 'files', sources, sources FROM plans
  WHERE id IN (SELECT max(id) FROM plans GROUP BY school) AND sources <> '';
)SQL",
    // 5: several daemons on one database: outbox claims with a lease, leases for periodic work,
    // what a page shows once after a redirect, and the plan of today.
    R"SQL(
ALTER TABLE mail_outbox ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN lease_until {bigint} NOT NULL DEFAULT 0;
CREATE TABLE leases (
  name        TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  until       {bigint} NOT NULL
);
CREATE TABLE stash (
  key         TEXT PRIMARY KEY,
  value       TEXT NOT NULL,
  expires_at  {bigint} NOT NULL
);
CREATE TABLE today_plans (
  school         TEXT PRIMARY KEY,
  school_year    TEXT NOT NULL,
  through_change {bigint} NOT NULL,
  stored_plan    {bigint} NOT NULL,
  input_version  {bigint} NOT NULL,
  plan_json      TEXT NOT NULL
);
)SQL",
    // 6: the welcome mail of a newcomer or a new invaller is a kind of its own (each backend
    // widens the outbox's kind constraint its own way).
    "",
    // 7: next school year (docs/input.md, "Next school year"): a year made from the one before
    // it is a draft, then published, then current. Its input versions are in input_versions
    // with its school_year; until it is current they are not the school's input. A published
    // year's plan is kept here, so that it is re-planned stably after a restart too.
    R"SQL(
CREATE TABLE school_years (
  school        TEXT NOT NULL,
  school_year   TEXT NOT NULL,
  state         TEXT NOT NULL CHECK (state IN ('draft', 'published', 'current')),
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL DEFAULT '',
  published_at  TEXT NOT NULL DEFAULT '',
  published_by  TEXT NOT NULL DEFAULT '',
  plan_json     TEXT NOT NULL DEFAULT '',
  todo          TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (school, school_year)
);
CREATE INDEX input_versions_by_year ON input_versions (school, school_year, id);
-- (each backend widens the outbox's kind constraint for the mail about a published year)
)SQL",
};

}  // namespace

int migration_count() {
    return static_cast<int>(std::size(kMigrations));
}

std::string migration_text(const Backend& b, int index) {
    std::string text = kMigrations[index];
    for (auto [word, by] : {std::pair{std::string_view("{id}"), b.id_column()},
                            std::pair{std::string_view("{bigint}"), b.bigint()}})
        for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at))
            text.replace(at, word.size(), by);
    text += b.own_migration(index + 1);
    return text;
}

}  // namespace jk::daemon::sql
