package storage

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func TestReadyAndWritable(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if err := db.Ready(ctx); err != nil {
		t.Errorf("ready: %v", err)
	}
	if err := db.Writable(ctx); err != nil {
		t.Errorf("writable: %v", err)
	}
	write(t, db, func(ctx context.Context, tx *Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM schema_migrations WHERE version=?`, latestVersion())
		return err
	})
	if err := db.Ready(ctx); err == nil {
		t.Error("ready with a schema behind the binary's")
	}
	db.Close()
	if err := db.Ready(ctx); err == nil {
		t.Error("ready after close")
	}
}

func TestOpenExistingRefusesWhatIsNotAnOffboardDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	for name, path := range map[string]string{"a directory": dir, "an empty file": empty, "no path": ""} {
		if db, err := OpenExisting(ctx, path); err == nil {
			db.Close()
			t.Errorf("%s: opened", name)
		}
	}
	if _, err := Open(ctx, ""); err == nil {
		t.Error("Open of an empty path succeeded")
	}
	real := filepath.Join(dir, "offboard.db")
	db, err := Open(ctx, real)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = OpenExisting(ctx, real)
	if err != nil || db.Path() != real {
		t.Fatalf("OpenExisting of a real database: %v", err)
	}
	db.Close()
}

func TestACommitThatEnqueuedWakesTheSender(t *testing.T) {
	db := openTemp(t)
	var woken atomic.Int32
	db.OnOutbox(func() { woken.Add(1) })
	write(t, db, func(ctx context.Context, tx *Tx) error { return tx.Audit(ctx, &Event{Type: EventConfigLoaded}) })
	if woken.Load() != 0 {
		t.Error("a commit without messages woke the sender")
	}
	write(t, db, func(ctx context.Context, tx *Tx) error {
		return tx.Enqueue(ctx, &OutMsg{Stream: "s", Op: OpPost, Channel: "C1", Payload: []byte(`{}`)})
	})
	if woken.Load() != 1 {
		t.Errorf("woken %d times; want once", woken.Load())
	}
	// A transaction that fails enqueues nothing and wakes no one.
	db.Write(context.Background(), func(tx *Tx) error {
		tx.Enqueue(context.Background(), &OutMsg{Stream: "s", Op: OpPost, Payload: []byte(`{}`)})
		return os.ErrInvalid
	})
	if n, _ := OutboxDepth(context.Background(), db.Reader()); woken.Load() != 1 || n != 1 {
		t.Errorf("after a failed transaction: woken %d, depth %d; want 1 and 1", woken.Load(), n)
	}
}

func TestBrokenNamesTheEvent(t *testing.T) {
	b := &Broken{Seq: 7, Problem: "its content does not match its hash"}
	if !strings.HasPrefix(b.Error(), "audit event 7: ") {
		t.Errorf("Broken.Error = %q", b.Error())
	}
}
