package storage

import (
	"context"
	"strings"
	"testing"
)

func TestAnAnchorCatchesWhatTheFileAloneCannot(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if empty, err := HeadAnchor(ctx, db.Reader()); err != nil || empty.Seq != 0 {
		t.Fatalf("head of an empty log = %+v, %v; want seq 0", empty, err)
	}
	appendEvents(t, db, 20)
	head, err := HeadAnchor(ctx, db.Reader())
	if err != nil || head.Seq != 20 {
		t.Fatalf("head = %+v %v; want event 20", head, err)
	}
	if back, err := ParseAnchor(head.String()); err != nil || back != head {
		t.Errorf("the head as stated (%s) parses to %+v, %v", head, back, err)
	}
	if _, broken, err := db.VerifyAudit(ctx, head); broken != nil || err != nil {
		t.Fatalf("the intact log against its own head: %v %v", broken, err)
	}
	// Cut off the tail and hide the cut: plain verify cannot tell.
	tamper(t, db, `DELETE FROM audit_events WHERE seq > 17`, `UPDATE sqlite_sequence SET seq=17 WHERE name='audit_events'`)
	if _, broken, _ := db.VerifyAudit(ctx); broken != nil {
		t.Fatalf("plain verify saw the hidden cut (%v); the test no longer shows what anchors add", broken)
	}
	_, broken, err := db.VerifyAudit(ctx, head)
	if err != nil || broken == nil || broken.Seq != 20 || !strings.Contains(broken.Problem, "ends at event 17") {
		t.Errorf("verify against the head = %v, %v; want event 20 missing, the log ending at 17", broken, err)
	}
	// An anchor inside what is left still holds; a wrong one does not.
	if _, broken, _ := db.VerifyAudit(ctx, Anchor{Seq: 3, Hash: strings.Repeat("ab", 32)}); broken == nil || broken.Seq != 3 {
		t.Errorf("a wrong hash for event 3: %v; want event 3 named", broken)
	}
}

func TestAnchorsParseFromWhatTheBotStates(t *testing.T) {
	h := strings.Repeat("0f", 32)
	a, err := ParseAnchor(" 42:" + strings.ToUpper(h) + " ")
	if err != nil || a.Seq != 42 || a.Hash != h || a.String() != "42:"+h {
		t.Errorf("ParseAnchor = %+v, %v; want 42:%s", a, err, h)
	}
	for _, bad := range []string{"", "42", ":" + h, "x:" + h, "-1:" + h, "0:" + h, "42:" + h[:63], "42:" + h + "0", "42:" + strings.Repeat("zz", 32)} {
		if _, err := ParseAnchor(bad); err == nil {
			t.Errorf("ParseAnchor(%q) accepted", bad)
		}
	}
}
