-- Schema version 1 of offboard. Times are integer Unix milliseconds (UTC)
-- except in audit_events, whose `at` is the ISO-8601 text auditors read.

-- A person. slack_user is NULL for a person known only by other accounts
-- (a dormant account nobody linked yet).
CREATE TABLE identities (
  id          INTEGER PRIMARY KEY,
  slack_user  TEXT UNIQUE,
  name        TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);

-- An identity's account in one system, and how the link was made.
CREATE TABLE accounts (
  id           INTEGER PRIMARY KEY,
  identity_id  INTEGER NOT NULL REFERENCES identities(id),
  system       TEXT NOT NULL,
  scope        TEXT NOT NULL DEFAULT '',
  account      TEXT NOT NULL,
  linked_by    TEXT NOT NULL CHECK (linked_by IN ('config','email-match','manual')),
  linked_actor TEXT NOT NULL DEFAULT '',
  linked_at    INTEGER NOT NULL,
  UNIQUE (system, scope, account)
);
CREATE INDEX accounts_identity ON accounts(identity_id);

-- One offboarding case.
CREATE TABLE cases (
  id            INTEGER PRIMARY KEY,
  identity_id   INTEGER NOT NULL REFERENCES identities(id),
  requester     TEXT NOT NULL,
  reason        TEXT NOT NULL DEFAULT '',
  trigger       TEXT NOT NULL CHECK (trigger IN ('manual','scheduled','dormant')),
  state         TEXT NOT NULL CHECK (state IN ('scheduled','open','completed','cancelled')),
  effective_at  INTEGER NOT NULL,
  overdue       INTEGER NOT NULL DEFAULT 0,
  requested_at  INTEGER NOT NULL,
  opened_at     INTEGER,
  closed_at     INTEGER,
  closed_by     TEXT,
  channel       TEXT NOT NULL DEFAULT '',
  -- What discovery could not do: accounts it could not link, systems it
  -- could not read. A JSON array of strings, shown on the checklist.
  notes         TEXT NOT NULL DEFAULT '[]',
  -- Discovery passes that could not read every system; after a few the
  -- case opens anyway, with notes saying what could not be read.
  discover_attempts INTEGER NOT NULL DEFAULT 0
);
-- At most one scheduled or open case per person: the database itself
-- refuses the duplicate a double request would create.
CREATE UNIQUE INDEX cases_one_active ON cases(identity_id) WHERE state IN ('scheduled','open');
CREATE INDEX cases_due ON cases(state, effective_at);

-- The revocation of one grant.
CREATE TABLE actions (
  id                 INTEGER PRIMARY KEY,
  case_id            INTEGER NOT NULL REFERENCES cases(id),
  position           INTEGER NOT NULL,
  system             TEXT NOT NULL,
  scope              TEXT NOT NULL DEFAULT '',
  account            TEXT NOT NULL DEFAULT '',
  kind               TEXT NOT NULL,
  grant_json         TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('planned','awaiting_approval','approved',
                       'executing','done','held','failed','skipped','auto_approved')),
  approvals_required INTEGER NOT NULL DEFAULT 1,
  auto_approve       INTEGER NOT NULL DEFAULT 0,
  policy             TEXT NOT NULL DEFAULT '',
  attempts           INTEGER NOT NULL DEFAULT 0,
  max_attempts       INTEGER NOT NULL DEFAULT 5,
  outcome            TEXT NOT NULL DEFAULT '',
  last_error         TEXT NOT NULL DEFAULT '',
  held_by            TEXT,
  held_reason        TEXT,
  held_until         INTEGER,
  done_by            TEXT,
  done_note          TEXT,
  awaiting_since     INTEGER,
  reminded_at        INTEGER,
  finished_at        INTEGER,
  took_ms            INTEGER,
  updated_at         INTEGER NOT NULL,
  UNIQUE (case_id, position)
);
CREATE INDEX actions_state ON actions(state);

-- One approver's approval of one action; two approvals are two people.
CREATE TABLE approvals (
  action_id  INTEGER NOT NULL REFERENCES actions(id),
  approver   TEXT NOT NULL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (action_id, approver)
);

-- Durable execution queue: an approved action waits here until a worker
-- claims it with a lease.
CREATE TABLE jobs (
  action_id    INTEGER PRIMARY KEY REFERENCES actions(id),
  run_at       INTEGER NOT NULL,
  lease_owner  TEXT,
  lease_until  INTEGER,
  claims       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_ready ON jobs(run_at);

-- Every Socket Mode envelope, written before it is acknowledged.
CREATE TABLE inbox (
  id            INTEGER PRIMARY KEY,
  envelope_id   TEXT NOT NULL UNIQUE,
  dedup_key     TEXT UNIQUE,
  type          TEXT NOT NULL,
  payload       BLOB NOT NULL,
  received_at   INTEGER NOT NULL,
  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','done','failed')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  lease_until   INTEGER,
  processed_at  INTEGER,
  error         TEXT
);
CREATE INDEX inbox_pending ON inbox(state, id);

-- Messages the bot posted, by a stable key, so later updates and thread
-- replies can find them.
CREATE TABLE slack_messages (
  key      TEXT PRIMARY KEY,
  channel  TEXT NOT NULL,
  ts       TEXT NOT NULL
);

-- Every message to Slack, written in the transaction that caused it and
-- delivered in id order per stream.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY,
  stream       TEXT NOT NULL,
  op           TEXT NOT NULL,
  channel      TEXT NOT NULL DEFAULT '',
  msg_key      TEXT,
  thread_key   TEXT,
  payload      TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','dead')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_try_at  INTEGER NOT NULL,
  sent_at      INTEGER,
  error        TEXT
);
CREATE INDEX outbox_pending ON outbox(state, stream, id);

-- Dormant accounts an approver snoozed, respected by later scans.
CREATE TABLE snoozes (
  system   TEXT NOT NULL,
  scope    TEXT NOT NULL DEFAULT '',
  account  TEXT NOT NULL,
  until    INTEGER NOT NULL,
  actor    TEXT NOT NULL,
  at       INTEGER NOT NULL,
  PRIMARY KEY (system, scope, account)
);

CREATE TABLE scan_runs (
  id           INTEGER PRIMARY KEY,
  trigger      TEXT NOT NULL,
  actor        TEXT NOT NULL DEFAULT '',
  started_at   INTEGER NOT NULL,
  finished_at  INTEGER,
  state        TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running','done','failed')),
  result       TEXT NOT NULL DEFAULT ''
);

-- One row of a dormancy report; its buttons name the row, so a click is
-- checked against what the scan really found.
CREATE TABLE dormant_findings (
  id             INTEGER PRIMARY KEY,
  scan_id        INTEGER NOT NULL REFERENCES scan_runs(id),
  system         TEXT NOT NULL,
  scope          TEXT NOT NULL DEFAULT '',
  account        TEXT NOT NULL,
  identity_id    INTEGER REFERENCES identities(id),
  last_activity  INTEGER,
  why            TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'reported' CHECK (state IN ('reported','started','snoozed'))
);

-- People who opened the App Home, whose Home is refreshed when cases change.
CREATE TABLE home_viewers (
  user       TEXT PRIMARY KEY,
  approver   INTEGER NOT NULL DEFAULT 0,
  opened_at  INTEGER NOT NULL
);

-- Named leases: one dormancy scan at a time across processes, and so on.
CREATE TABLE leases (
  name   TEXT PRIMARY KEY,
  owner  TEXT NOT NULL,
  until  INTEGER NOT NULL
);

-- The append-only, hash-chained audit log (see audit.go for the encoding).
CREATE TABLE audit_events (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,
  type       TEXT NOT NULL,
  case_id    INTEGER,
  action_id  INTEGER,
  actor      TEXT NOT NULL DEFAULT '',
  details    TEXT NOT NULL DEFAULT '{}',
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL
);
CREATE INDEX audit_case ON audit_events(case_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
