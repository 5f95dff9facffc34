package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

// clickBlock has user click the button labelled label in a block and
// waits until the click is processed.
func (w *world) clickBlock(user, block, label string) {
	w.t.Helper()
	m := w.messageWithBlock(block)
	env, err := w.slack.ClickButton(user, fakeslack.InMessage(channel, m.TS), fakeslack.LabelIn(block, label))
	if err != nil {
		w.t.Fatalf("%s clicks %s in %s: %v", user, label, block, err)
	}
	if _, err := w.slack.WaitAck(env, 10*time.Second); err != nil {
		w.t.Fatal(err)
	}
	w.settle()
}

// One approver cannot move an account that is linked to someone else into
// a case: the move waits for a second approver, the asker cannot confirm
// it, and the asker cannot approve the rows it adds.
func TestMovingALinkedAccountNeedsASecondApprover(t *testing.T) {
	w := newWorld(t, worldOptions{config: func(c *flows.Config) { c.Identities = nil }})
	ctx := context.Background()
	// dev-gh is linked to another person first.
	w.slash(sec2, "/offboard link @olly github:dev-gh")
	owner := func() int64 {
		l, err := storage.LoadAccountOwner(ctx, w.db.Reader(), "github", org, "dev-gh")
		must(t, err)
		return l.IdentityID
	}
	first := owner()
	id := w.openCase(manager)
	before := len(w.actions(id))

	w.slash(sec1, "/offboard link @dana github:dev-gh")
	if got := w.lastEphemeral(sec1); !strings.Contains(got, "second approver must confirm") {
		t.Errorf("the asker was told %q", got)
	}
	if owner() != first || len(w.actions(id)) != before {
		t.Fatalf("the account moved (%d → %d) or rows were added (%d → %d) without a second approver", first, owner(), before, len(w.actions(id)))
	}
	w.clickBlock(sec1, "l1.act", "Approve")
	if got := w.lastEphemeral(sec1); !strings.Contains(got, "another approver must confirm") || owner() != first {
		t.Fatalf("the asker confirmed their own move (%q, owner %d)", got, owner())
	}
	w.clickBlock(sec2, "l1.act", "Approve")
	if owner() == first {
		t.Fatal("a second approver's confirmation did not move the account")
	}
	member := w.action(id, "membership")
	if member.ID == 0 {
		t.Fatalf("the moved account's grants were not added to the case")
	}
	w.click(sec1, member.ID, "Approve")
	if a := w.action(id, "membership"); a.State != storage.ActionAwaitingApproval || !strings.Contains(w.lastEphemeral(sec1), "two-person") {
		t.Errorf("the linker approved the row their link added: %s, %q", a.State, w.lastEphemeral(sec1))
	}
	var links int
	w.db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM audit_events WHERE type='link_changed' AND details LIKE '%dev-gh%'`).Scan(&links)
	if links != 3 {
		t.Errorf("%d link_changed events for dev-gh; want the first link, the asked move and its confirmation", links)
	}
	if w.threadCount(id, "linked to this person") == 0 {
		t.Error("the case's thread does not record the link")
	}
}
