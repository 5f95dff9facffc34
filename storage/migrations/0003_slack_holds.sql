-- Schema version 3: a 429's Retry-After, per channel. The sender holds a
-- channel until then; kept here so that a process started after a crash
-- keeps the wait its predecessor was told.
CREATE TABLE slack_holds (
  key    TEXT PRIMARY KEY,
  until  INTEGER NOT NULL
);
