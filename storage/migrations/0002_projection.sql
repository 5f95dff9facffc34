-- Schema version 2: the projector's cursor. Package bot renders audit
-- events into Slack messages after they commit; the cursor is the last
-- event it has rendered, advanced in the transaction that queues the
-- messages, so a crash between the two resumes where it stopped.
CREATE TABLE projections (
  name  TEXT PRIMARY KEY,
  seq   INTEGER NOT NULL
);
-- Events from before the projector existed were rendered when they were
-- written: start after them.
INSERT INTO projections(name, seq) SELECT 'slack', coalesce(max(seq), 0) FROM audit_events;

-- App Home shows cases only to requesters and approvers: remember both.
ALTER TABLE home_viewers ADD COLUMN requester INTEGER NOT NULL DEFAULT 0;

-- Moving an account already linked to another person waits here for a
-- second approver's confirmation.
CREATE TABLE link_requests (
  id             INTEGER PRIMARY KEY,
  identity_id    INTEGER NOT NULL REFERENCES identities(id),
  system         TEXT NOT NULL,
  scope          TEXT NOT NULL DEFAULT '',
  account        TEXT NOT NULL,
  from_identity  INTEGER NOT NULL REFERENCES identities(id),
  asked_by       TEXT NOT NULL,
  asked_at       INTEGER NOT NULL,
  state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','confirmed')),
  confirmed_by   TEXT
);
