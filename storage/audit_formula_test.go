package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"
)

// readmeHash is the formula as README states it, written again from the
// text and not from canonical(): hex(SHA-256(prev_hash "\n" canonical)),
// canonical being each of seq, at, type, case_id, action_id, actor and
// details as its byte length, ":" and its bytes.
func readmeHash(prev string, seq int64, at, typ string, caseID, actionID int64, actor, details string) string {
	var b strings.Builder
	for _, f := range []string{fmt.Sprint(seq), at, typ, fmt.Sprint(caseID), fmt.Sprint(actionID), actor, details} {
		fmt.Fprintf(&b, "%d:%s", len(f), f)
	}
	sum := sha256.Sum256([]byte(prev + "\n" + b.String()))
	return hex.EncodeToString(sum[:])
}

func TestTheAuditHashIsTheFormulaREADMEStates(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	at := time.Date(2024, 7, 1, 9, 30, 15, 123_000_000, time.UTC)
	db.SetClock(func() time.Time { return at })
	events := []*Event{
		{Type: EventRequested, CaseID: 1, Actor: "U0MGR", Details: []byte(`{"reason":"contract ends"}`)},
		{Type: EventApproved, CaseID: 1, ActionID: 7, Actor: "U0SEC", Details: []byte(`{"note":"ünïcode, 1:2 \"quoted\""}`)},
		{Type: EventConfigLoaded, Actor: "offboard"}, // no case, no action, no details
	}
	for _, ev := range events {
		if err := db.Write(ctx, func(tx *Tx) error { return tx.Audit(ctx, ev) }); err != nil {
			t.Fatal(err)
		}
	}
	// The first hash, computed outside Go from the formula and pinned:
	//   printf '%s\n%s' 000…000 '1:124:2024-07-01T09:30:15.123Z9:requested1:11:05:U0MGR26:{"reason":"contract ends"}' | sha256sum
	const first = "add17a169cf1717094455601a9549156c5feb40cb5f1d83bfa4a0ce32ad6640e"
	prev := genesisHash
	for i, ev := range events {
		details := string(ev.Details)
		want := readmeHash(prev, int64(i+1), "2024-07-01T09:30:15.123Z", ev.Type, ev.CaseID, ev.ActionID, ev.Actor, details)
		if ev.Seq != int64(i+1) || ev.PrevHash != prev || ev.Hash != want {
			t.Errorf("event %d: seq %d prev %s hash %s; want seq %d prev %s hash %s", i+1, ev.Seq, ev.PrevHash, ev.Hash, i+1, prev, want)
		}
		prev = want
	}
	if events[0].Hash != first {
		t.Errorf("first event's hash = %s; want the pinned %s", events[0].Hash, first)
	}
}
