package storage

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestTheDatabaseAndItsWALFilesArePrivate(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "offboard.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// A write makes SQLite create the -wal and -shm files.
	if err := db.Write(ctx, func(tx *Tx) error { return tx.Audit(ctx, &Event{Type: EventConfigLoaded}) }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("stat %s: %v", p, err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o; want 600", filepath.Base(p), st.Mode().Perm())
		}
	}
}

func TestAWorldReadableDatabaseIsMadePrivateOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "offboard.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("after reopening, mode %o; want 600", st.Mode().Perm())
	}
}

func TestEnvelopesAreStoredWithoutTheirVerificationToken(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	envs := []*Envelope{
		{EnvelopeID: "e1", Type: "slash_commands", Payload: []byte(`{"token":"VERIFYTOKEN123","command":"/offboard","text":"<@U1> on 2024-07-01 & <b>"}`)},
		{EnvelopeID: "e2", Type: "interactive", Payload: []byte(`{"type":"block_actions","token":"VERIFYTOKEN123","actions":[{"value":"a:1","token":"nested stays"}]}`)},
		{EnvelopeID: "e3", Type: "events_api", Payload: []byte(`{"event":{"type":"app_home_opened"}}`)},
		{EnvelopeID: "e4", Type: "odd", Payload: []byte(`not json "token"`)},
	}
	if _, err := db.InsertEnvelopes(ctx, envs); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Reader().QueryContext(ctx, `SELECT envelope_id, payload FROM inbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var id string
		var p []byte
		rows.Scan(&id, &p)
		got[id] = string(p)
	}
	for _, id := range []string{"e1", "e2"} {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(got[id]), &m); err != nil {
			t.Fatalf("%s stored as %q: %v", id, got[id], err)
		}
		if _, ok := m["token"]; ok {
			t.Errorf("%s stored with its token: %s", id, got[id])
		}
	}
	if want := `{"command":"/offboard","text":"<@U1> on 2024-07-01 & <b>"}`; got["e1"] != want {
		t.Errorf("e1 stored as %s; want %s (the rest as it came)", got["e1"], want)
	}
	if want := `{"type":"block_actions","actions":[{"value":"a:1","token":"nested stays"}]}`; got["e2"] != want {
		t.Errorf("e2 stored as %s; want %s", got["e2"], want)
	}
	if got["e3"] != string(envs[2].Payload) || got["e4"] != string(envs[3].Payload) {
		t.Errorf("payloads without a token changed: %q %q", got["e3"], got["e4"])
	}
}

func TestPruneRemovesOldHandledTrafficAndNeverTheAuditLog(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	day := 24 * time.Hour
	now := time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)
	clock := now.Add(-40 * day)
	db.SetClock(func() time.Time { return clock })
	appendEvents(t, db, 30)

	inbox := func(envID, state string) int64 {
		envs := []*Envelope{{EnvelopeID: envID, Type: "slash_commands", Payload: []byte(`{}`)}}
		must(t, func() error { _, err := db.InsertEnvelopes(ctx, envs); return err }())
		if state != "pending" {
			failure := ""
			if state == "failed" {
				failure = "boom"
			}
			must(t, db.Write(ctx, func(tx *Tx) error { return tx.FinishEnvelope(ctx, envs[0].ID, failure) }))
		}
		return envs[0].ID
	}
	outbox := func(state string) int64 {
		m := &OutMsg{Stream: "s", Op: OpPost, Channel: "C1", Payload: []byte(`{}`)}
		must(t, db.Write(ctx, func(tx *Tx) error {
			if err := tx.Enqueue(ctx, m); err != nil {
				return err
			}
			switch state {
			case "sent":
				return tx.MarkSent(ctx, *m, "C1", "1.1")
			case "dead":
				return tx.GiveUp(ctx, m.ID, "refused")
			}
			return nil
		}))
		return m.ID
	}
	// Handled 40 days ago: gone. Handled 10 days ago, or never: kept.
	oldDone, oldFailed, oldPending := inbox("old-done", "done"), inbox("old-failed", "failed"), inbox("old-pending", "pending")
	oldSent, oldDead, oldWaiting := outbox("sent"), outbox("dead"), outbox("pending")
	clock = now.Add(-10 * day)
	newDone, newSent := inbox("new-done", "done"), outbox("sent")
	appendEvents(t, db, 30)

	p, err := db.Prune(ctx, now, Retention{InboxDays: 30, OutboxDays: 30})
	if err != nil || p.Inbox != 2 || p.Outbox != 1 {
		t.Fatalf("prune = %+v, %v; want 2 inbox rows and 1 outbox row", p, err)
	}
	exists := func(table string, id int64) bool {
		var n int
		db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id=?`, id).Scan(&n)
		return n == 1
	}
	for id, want := range map[int64]bool{oldDone: false, oldFailed: false, oldPending: true, newDone: true} {
		if exists("inbox", id) != want {
			t.Errorf("inbox row %d exists=%v; want %v", id, !want, want)
		}
	}
	for id, want := range map[int64]bool{oldSent: false, oldDead: true, oldWaiting: true, newSent: true} {
		if exists("outbox", id) != want {
			t.Errorf("outbox row %d exists=%v; want %v", id, !want, want)
		}
	}
	n, broken, err := db.VerifyAudit(ctx)
	if n != 60 || broken != nil || err != nil {
		t.Errorf("after prune verify = %d %v %v; want all 60 audit events intact", n, broken, err)
	}
	// A shorter outbox retention reaches the newer message too; the
	// defaults apply to keys left out.
	if p, _ := db.Prune(ctx, now, Retention{OutboxDays: 5}); p.Inbox != 0 || p.Outbox != 1 {
		t.Errorf("second prune = %+v; want only the 10-day-old sent message", p)
	}
}

func TestPruneWorksThroughABacklogInBatches(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	db.SetClock(func() time.Time { return time.Unix(0, 0) })
	must(t, db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2500)
			INSERT INTO inbox(envelope_id, type, payload, received_at, state, processed_at) SELECT 'e'||i, 't', '{}', 0, 'done', 0 FROM n`)
		return err
	}))
	p, err := db.Prune(ctx, time.Unix(0, 0).Add(31*24*time.Hour), Retention{})
	if err != nil || p.Inbox != 2500 {
		t.Errorf("prune = %+v, %v; want all 2500 old rows", p, err)
	}
}

func TestRetentionValidates(t *testing.T) {
	var r Retention
	r.Defaults()
	if r.InboxDays != 30 || r.OutboxDays != 30 || r.Validate() != nil {
		t.Errorf("defaults = %+v, %v", r, r.Validate())
	}
	if err := (Retention{InboxDays: -1, OutboxDays: 0}).Validate(); err == nil {
		t.Error("negative and zero days accepted")
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
