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
