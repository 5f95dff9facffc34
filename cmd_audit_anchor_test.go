package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offboard/offboard/storage"
)

// anchoredDB writes n events and returns the database path and each
// event's anchor (SEQ:HASH) as the bot would have stated it.
func anchoredDB(t *testing.T, n int) (string, []string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "offboard.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var anchors []string
	for i := 0; i < n; i++ {
		ev := &storage.Event{Type: storage.EventApproved, CaseID: 1, ActionID: int64(i + 1), Actor: "U0SEC"}
		if err := db.Write(ctx, func(tx *storage.Tx) error { return tx.Audit(ctx, ev) }); err != nil {
			t.Fatal(err)
		}
		anchors = append(anchors, fmt.Sprintf("%d:%s", ev.Seq, ev.Hash))
	}
	return path, anchors
}

// attack runs SQL on the file as someone with write access to it would:
// without the append-only triggers.
func attack(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range append([]string{`DROP TRIGGER IF EXISTS audit_events_no_update`, `DROP TRIGGER IF EXISTS audit_events_no_delete`}, stmts...) {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rechain recomputes every hash with the formula README states, as an
// attacker who read it would after changing a row.
func rechain(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT seq, at, type, coalesce(case_id,0), coalesce(action_id,0), actor, details FROM audit_events ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		seq, c, a              int64
		at, typ, actor, detail string
	}
	var all []row
	for rows.Next() {
		var r row
		rows.Scan(&r.seq, &r.at, &r.typ, &r.c, &r.a, &r.actor, &r.detail)
		all = append(all, r)
	}
	rows.Close()
	prev := strings.Repeat("0", 64)
	for _, r := range all {
		canon := ""
		for _, f := range []string{fmt.Sprint(r.seq), r.at, r.typ, fmt.Sprint(r.c), fmt.Sprint(r.a), r.actor, r.detail} {
			canon += fmt.Sprintf("%d:%s", len(f), f)
		}
		sum := sha256.Sum256([]byte(prev + "\n" + canon))
		h := hex.EncodeToString(sum[:])
		if _, err := raw.Exec(`UPDATE audit_events SET prev_hash=?, hash=? WHERE seq=?`, prev, h, r.seq); err != nil {
			t.Fatal(err)
		}
		prev = h
	}
}

func TestAuditVerifyWithAnchorsCatchesARewrittenOrCutOffLog(t *testing.T) {
	t.Run("the intact log matches its anchors", func(t *testing.T) {
		path, anchors := anchoredDB(t, 6)
		code, out, errs := runWith(t, map[string]string{"OFFBOARD_DB": path}, "audit", "verify", "--anchor", anchors[2], "--anchor", anchors[5])
		if code != 0 || !strings.HasPrefix(out, "ok: 6 events, 2 anchors match") {
			t.Errorf("exit %d, %q %q; want 0 and both anchors matched", code, out, errs)
		}
	})
	t.Run("a cut-off tail with its sequence reset passes plain verify but not the anchor", func(t *testing.T) {
		path, anchors := anchoredDB(t, 6)
		attack(t, path, `DELETE FROM audit_events WHERE seq > 4`, `UPDATE sqlite_sequence SET seq=4 WHERE name='audit_events'`)
		vars := map[string]string{"OFFBOARD_DB": path}
		if code, out, _ := runWith(t, vars, "audit", "verify"); code != 0 {
			t.Fatalf("plain verify: exit %d %q; the attack was meant to pass it", code, out)
		}
		code, out, _ := runWith(t, vars, "audit", "verify", "--anchor", anchors[5])
		if code != 1 || !strings.Contains(out, "audit event 6") || !strings.Contains(out, "missing") {
			t.Errorf("exit %d, %q; want 1 naming event 6 as missing", code, out)
		}
	})
	t.Run("a rewritten and rehashed log disagrees with the anchor", func(t *testing.T) {
		path, anchors := anchoredDB(t, 6)
		attack(t, path, `UPDATE audit_events SET actor='U0EVE' WHERE seq=2`)
		rechain(t, path)
		vars := map[string]string{"OFFBOARD_DB": path}
		if code, out, _ := runWith(t, vars, "audit", "verify"); code != 0 {
			t.Fatalf("plain verify: exit %d %q; the recomputed chain was meant to pass it", code, out)
		}
		file := filepath.Join(t.TempDir(), "anchors.txt")
		os.WriteFile(file, []byte("# posted daily\n"+anchors[0]+"\n\n"+anchors[3]+"\n"), 0o600)
		code, out, _ := runWith(t, vars, "audit", "verify", "--anchors", file)
		if code != 1 || !strings.Contains(out, "audit event 4") || !strings.Contains(out, "differs from the anchor") {
			t.Errorf("exit %d, %q; want 1 naming event 4, the first anchor after the change", code, out)
		}
	})
	t.Run("a malformed anchor is bad usage, never skipped", func(t *testing.T) {
		path, _ := anchoredDB(t, 1)
		vars := map[string]string{"OFFBOARD_DB": path}
		for _, args := range [][]string{{"--anchor", "7"}, {"--anchor", "0:" + strings.Repeat("a", 64)}, {"--anchor", "3:abc"}, {"--anchors", filepath.Join(t.TempDir(), "none")}} {
			if code, _, errs := runWith(t, vars, append([]string{"audit", "verify"}, args...)...); code != 2 || !strings.Contains(errs, "anchor") {
				t.Errorf("%v: exit %d, %q; want 2 naming the anchor", args, code, errs)
			}
		}
	})
}

func TestAuditCommandsOnAMissingDatabaseFailAndCreateNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo.db")
	vars := map[string]string{"OFFBOARD_DB": path}
	for _, sub := range []string{"verify", "export"} {
		if code, out, errs := runWith(t, vars, "audit", sub); code != 1 || !strings.Contains(errs, "no offboard database") {
			t.Errorf("audit %s of a missing database: exit %d, %q %q; want 1", sub, code, out, errs)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the audit commands created %s (stat: %v); an empty file would verify as an empty log", path, err)
	}
}
