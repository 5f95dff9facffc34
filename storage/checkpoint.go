package storage

import (
	"context"
	"time"
)

// checkpointEvery is how often the WAL is copied back into the database
// file. SQLite's own automatic checkpoint runs inside the commit that
// crosses 1,000 WAL pages, so a burst of stored envelopes (5 KB each, two
// pages) paid for it while Slack waited for the acks: measured, it was three
// quarters of the time to store 2,000 of them. Here it runs on a reader
// connection, beside the writer, which never waits for it.
const checkpointEvery = time.Second

// checkpointTimeout bounds one checkpoint.
const checkpointTimeout = 10 * time.Second

// startCheckpointer turns the writer's automatic checkpoint off and runs
// passive checkpoints in the background until Close. If the pragma fails
// the writer keeps checkpointing itself, which is slower but correct.
func (db *DB) startCheckpointer() {
	if _, err := db.write.Exec(`PRAGMA wal_autocheckpoint=0`); err != nil {
		return
	}
	db.stopCheckpoints = make(chan struct{})
	db.checkpointsDone = make(chan struct{})
	go func() { // owned: Close waits for it
		defer close(db.checkpointsDone)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-db.stopCheckpoints:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), checkpointTimeout)
				// PASSIVE: copy what no reader still needs, take no lock a
				// writer waits on; a busy moment is simply tried again.
				_, _ = db.read.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
				cancel()
			}
		}
	}()
}

// stopCheckpointer ends the background checkpoints; closing the last
// connection then checkpoints the rest, as SQLite does.
func (db *DB) stopCheckpointer() {
	if db.stopCheckpoints != nil {
		close(db.stopCheckpoints)
		<-db.checkpointsDone
		db.stopCheckpoints = nil
	}
}
