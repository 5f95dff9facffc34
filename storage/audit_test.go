package storage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// appendEvents writes n events in batches of 500 per transaction.
func appendEvents(t testing.TB, db *DB, n int) {
	t.Helper()
	ctx := context.Background()
	for done := 0; done < n; {
		err := db.Write(ctx, func(tx *Tx) error {
			for i := 0; i < 500 && done+i < n; i++ {
				k := done + i
				ev := &Event{Type: EventApproved, CaseID: int64(k%7 + 1), ActionID: int64(k + 1), Actor: fmt.Sprintf("U%04d", k%13),
					Details: Details(map[string]any{"n": k, "reason": "contract ended, <b>&"})}
				if err := tx.Audit(ctx, ev); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		done += 500
	}
}

// tamper runs stmts as an attacker with the file would: without the
// append-only triggers.
func tamper(t *testing.T, db *DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	err := db.Write(ctx, func(tx *Tx) error {
		for _, s := range append([]string{`DROP TRIGGER audit_events_no_update`, `DROP TRIGGER audit_events_no_delete`}, stmts...) {
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAuditVerifyNamesTheFirstEventThatDoesNotMatch(t *testing.T) {
	cases := []struct {
		name    string
		stmts   []string
		wantSeq int64
		want    string
	}{
		{"a changed payload", []string{`UPDATE audit_events SET details='{"n":4,"reason":"nothing"}' WHERE seq=5`}, 5, "content does not match"},
		{"a changed actor", []string{`UPDATE audit_events SET actor='U9999' WHERE seq=7`}, 7, "content does not match"},
		{"a changed time", []string{`UPDATE audit_events SET at='2020-01-01T00:00:00.000Z' WHERE seq=6`}, 6, "content does not match"},
		{"a changed type", []string{`UPDATE audit_events SET type='denied' WHERE seq=12`}, 12, "content does not match"},
		{"a changed case", []string{`UPDATE audit_events SET case_id=case_id+1 WHERE seq=13`}, 13, "content does not match"},
		{"a case removed from its event", []string{`UPDATE audit_events SET case_id=NULL WHERE seq=14`}, 14, "content does not match"},
		{"a changed action", []string{`UPDATE audit_events SET action_id=999 WHERE seq=15`}, 15, "content does not match"},
		{"a changed seq", []string{`UPDATE audit_events SET seq=40 WHERE seq=16`}, 17, "missing"},
		{"a renumbered tail", []string{`UPDATE audit_events SET seq=seq+1 WHERE seq=20`, `UPDATE audit_events SET seq=seq+1 WHERE seq=19`, `UPDATE audit_events SET seq=seq+1 WHERE seq=18`}, 19, "missing"},
		{"the last row removed with its sequence reset", []string{`DELETE FROM audit_events WHERE seq=20`, `UPDATE sqlite_sequence SET seq=19 WHERE name='audit_events'`}, 0, ""},
		{"a changed hash", []string{`UPDATE audit_events SET hash='` + strings.Repeat("ab", 32) + `' WHERE seq=8`}, 8, "content does not match"},
		{"a changed prev_hash", []string{`UPDATE audit_events SET prev_hash='` + strings.Repeat("0", 64) + `' WHERE seq=9`}, 9, "prev_hash"},
		{"a removed row", []string{`DELETE FROM audit_events WHERE seq=10`}, 11, "missing"},
		{"the first rows removed", []string{`DELETE FROM audit_events WHERE seq<=2`}, 3, "missing"},
		{"the last rows removed", []string{`DELETE FROM audit_events WHERE seq>=19`}, 19, "truncated"},
		{"two rows swapped", []string{
			`UPDATE audit_events SET seq=-1 WHERE seq=3`,
			`UPDATE audit_events SET seq=3 WHERE seq=4`,
			`UPDATE audit_events SET seq=4 WHERE seq=-1`}, 3, "prev_hash"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is caught", func(t *testing.T) {
			db := openTemp(t)
			appendEvents(t, db, 20)
			if n, broken, err := db.VerifyAudit(context.Background()); err != nil || broken != nil || n != 20 {
				t.Fatalf("before tampering: %d %v %v", n, broken, err)
			}
			tamper(t, db, tc.stmts...)
			_, broken, err := db.VerifyAudit(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantSeq == 0 {
				// Undetectable from the file alone: the anchors' job
				// (TestAnAnchorCatchesWhatTheFileAloneCannot).
				if broken != nil {
					t.Errorf("verify said %v; the cut was meant to be invisible without an anchor", broken)
				}
				return
			}
			if broken == nil {
				t.Fatal("verify passed a tampered log")
			}
			if broken.Seq != tc.wantSeq || !strings.Contains(broken.Problem, tc.want) {
				t.Errorf("verify said event %d: %q; want event %d and a problem mentioning %q", broken.Seq, broken.Problem, tc.wantSeq, tc.want)
			}
		})
	}
}

func TestAnEmptyAuditLogVerifies(t *testing.T) {
	n, broken, err := openTemp(t).VerifyAudit(context.Background())
	if n != 0 || broken != nil || err != nil {
		t.Errorf("empty log: %d %v %v", n, broken, err)
	}
}

func TestExportOf10000EventsRoundTripsInJSONLAndCSV(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	appendEvents(t, db, 10000)
	var want []Event
	db.AuditEvents(ctx, ExportFilter{}, func(ev Event) error { want = append(want, ev); return nil })

	var jl bytes.Buffer
	n, err := db.ExportJSONL(ctx, &jl, ExportFilter{})
	if err != nil || n != 10000 {
		t.Fatalf("jsonl export: %d rows, %v", n, err)
	}
	sc := bufio.NewScanner(&jl)
	sc.Buffer(nil, 1<<20)
	i := 0
	for sc.Scan() {
		var row exportRow
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		w := want[i]
		at, _ := time.Parse(time.RFC3339Nano, row.At)
		if row.Seq != w.Seq || !at.Equal(w.At) || row.Type != w.Type || *row.CaseID != w.CaseID || *row.ActionID != w.ActionID ||
			row.Actor != w.Actor || string(row.Details) != string(w.Details) || row.PrevHash != w.PrevHash || row.Hash != w.Hash {
			t.Fatalf("jsonl line %d = %+v; want %+v", i+1, row, w)
		}
		i++
	}
	if i != 10000 {
		t.Fatalf("jsonl has %d lines", i)
	}

	var cb bytes.Buffer
	if _, err := db.ExportCSV(ctx, &cb, ExportFilter{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "seq,at,type,case_id,action_id,actor,details,prev_hash,hash" {
		t.Errorf("csv header = %v", recs[0])
	}
	if len(recs) != 10001 {
		t.Fatalf("csv has %d rows; want header + 10000", len(recs))
	}
	last := recs[10000]
	w := want[9999]
	if last[0] != "10000" || last[6] != string(w.Details) || last[8] != w.Hash {
		t.Errorf("csv last row = %v; want seq 10000 with details %s hash %s", last, w.Details, w.Hash)
	}
}

func TestExportFiltersByCaseAndSince(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	t0 := time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)
	clock := t0
	db.SetClock(func() time.Time { return clock })
	for i, c := range []int64{1, 2, 1, 2} {
		clock = t0.Add(time.Duration(i) * 24 * time.Hour)
		db.Write(ctx, func(tx *Tx) error { return tx.Audit(ctx, &Event{Type: EventRequested, CaseID: c}) })
	}
	count := func(f ExportFilter) (n int) {
		db.AuditEvents(ctx, f, func(Event) error { n++; return nil })
		return n
	}
	if got := count(ExportFilter{CaseID: 2}); got != 2 {
		t.Errorf("case 2: %d events; want 2", got)
	}
	if got := count(ExportFilter{Since: t0.Add(48 * time.Hour)}); got != 2 {
		t.Errorf("since day 3: %d events; want 2", got)
	}
	if got := count(ExportFilter{Since: t0.Add(24 * time.Hour), CaseID: 1}); got != 1 {
		t.Errorf("case 1 since day 2: %d events; want 1", got)
	}
}
