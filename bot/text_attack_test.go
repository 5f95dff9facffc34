package bot_test

import (
	"strings"
	"testing"

	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

// A Hold reason or a Mark done note with an invisible format character (a
// right-to-left override that makes the text read differently to the next
// approver) is refused in the form, and nothing changes.
func TestInvisibleFormatCharactersAreRefusedInEveryForm(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id := w.openCase(manager)
	key := w.action(id, "access_key")
	w.click(sec1, key.ID, "Hold")
	ack := w.submit(sec1, map[string]fakeslack.Input{"reason": {Value: "looks fine \u202Eevol ton si"}})
	if !strings.Contains(string(ack.Payload), "U+202E") {
		t.Errorf("the Hold form accepted a bidi override: %s", ack.Payload)
	}
	if a := w.action(id, "access_key"); a.State != storage.ActionAwaitingApproval || a.HeldReason != "" {
		t.Errorf("the refused form changed the action: %s %q", a.State, a.HeldReason)
	}
	task := w.action(id, "task")
	w.click(sec1, task.ID, "Mark done")
	ack = w.submit(sec1, map[string]fakeslack.Input{"note": {Value: "returned\u200b"}})
	if !strings.Contains(string(ack.Payload), "U+200B") {
		t.Errorf("the Mark done form accepted a zero-width space: %s", ack.Payload)
	}
	if a := w.action(id, "task"); a.State == storage.ActionDone {
		t.Error("the refused note marked the task done")
	}
	w.slash(manager, "/offboard")
	ack = w.submit(manager, map[string]fakeslack.Input{"target": {SelectedUser: dana}, "reason": {Value: "\u2066hidden\u2069"}})
	if !strings.Contains(string(ack.Payload), "U+2066") {
		t.Errorf("the request form accepted a bidi isolate: %s", ack.Payload)
	}
}
