package bot_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

// openCase requests dana's offboarding now and waits for the checklist.
func (w *world) openCase(requester string) int64 {
	w.t.Helper()
	w.slash(requester, "/offboard @dana contract ended")
	cs := w.cases()
	id := cs[len(cs)-1].ID
	w.waitFor("the case to open", 10*time.Second, func() bool { return w.caseOf(id).State == storage.CaseOpen })
	w.settle()
	return id
}

func TestAHeldActionIsNotExecutedAndComesBackOnItsDate(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id := w.openCase(manager)
	key := w.action(id, "access_key")
	w.click(sec1, key.ID, "Hold")
	view, ok := w.slack.OpenView(sec1)
	if !ok || !strings.Contains(view.AllText(), "Why hold it?") {
		t.Fatalf("no hold form: %+v", view)
	}
	// The reason is required: Slack shows the error in the form.
	ack := w.submit(sec1, map[string]fakeslack.Input{"reason": {Value: "   "}, "until": {SelectedDate: "2024-07-05"}})
	if v, open := w.slack.OpenView(sec1); !open || v.CallbackID != "offboard_hold" || !strings.Contains(string(ack.Payload), "A reason is required") {
		t.Fatalf("a hold without a reason: ack %s; the form must stay open with the error", ack.Payload)
	}
	ack = w.submit(sec1, map[string]fakeslack.Input{"reason": {Value: "tomorrow"}, "until": {SelectedDate: "2024-06-30"}})
	if !strings.Contains(string(ack.Payload), "future") {
		t.Fatalf("a hold until a past date: ack %s", ack.Payload)
	}
	w.submit(sec1, map[string]fakeslack.Input{"reason": {Value: "needed for the handover until Friday"},
		"until": {SelectedDate: "2024-07-05"}, "until_time": {SelectedTime: "09:00"}})
	if a := w.action(id, "access_key"); a.State != storage.ActionHeld || a.HeldBy != sec1 {
		t.Fatalf("action after hold: %s by %s", a.State, a.HeldBy)
	}
	if w.threadCount(id, "needed for the handover until Friday") == 0 || w.threadCount(id, "Fri 5 Jul 2024 09:00") == 0 {
		t.Errorf("the thread does not say who held it, why and until when:\n%s", strings.Join(w.thread(id), "\n"))
	}
	updates := w.iam.Count("iam", "UpdateAccessKey")

	w.clock.Advance(48 * time.Hour) // Wed: still held
	w.tick()
	if a := w.action(id, "access_key"); a.State != storage.ActionHeld {
		t.Fatalf("the action left its hold early: %s", a.State)
	}
	w.clock.Advance(48 * time.Hour) // Fri 10:00: back
	w.waitActions(id, "the held action to come back", func(as []storage.Action) bool {
		for _, a := range as {
			if a.ID == key.ID {
				return a.State == storage.ActionAwaitingApproval
			}
		}
		return false
	})
	if w.threadCount(id, "hold on") == 0 {
		t.Error("the thread does not say the action came back")
	}
	if got := w.iam.Count("iam", "UpdateAccessKey"); got != updates {
		t.Fatalf("the key was touched while held (%d calls)", got-updates)
	}
	w.click(sec2, key.ID, "Approve")
	w.waitActions(id, "the approved key to be deactivated", func(as []storage.Action) bool {
		return w.action(id, "access_key").State == storage.ActionDone
	})
	if got := w.iam.Count("iam", "UpdateAccessKey"); got != updates+1 {
		t.Errorf("UpdateAccessKey called %d times after the approval; want 1", got-updates)
	}
}

func TestClicksAreCheckedAgainstWhoMayDoWhat(t *testing.T) {
	w := newWorld(t, worldOptions{config: func(c *flows.Config) {
		c.Policy.Rules = []flows.Rule{{Match: flows.Match{System: "aws", Action: "access_key"}, ApprovalsRequired: 2}}
	}})
	// sec3 is a requester as well as an approver here.
	must(t, w.slack.SetUserGroupMembers("S0MANAGERS", []string{manager, sec3}))
	id := w.openCase(sec3)
	member := w.action(id, "membership")
	key := w.action(id, "access_key")

	refusals := func(user string) int {
		n := 0
		for _, e := range w.slack.Ephemerals(user) {
			if strings.Contains(e.AllText(), ":no_entry:") {
				n++
			}
		}
		return n
	}
	type click struct {
		who, label string
		action     int64
		refused    bool
		words      string
	}
	for _, c := range []click{
		{outsider, "Approve", member.ID, true, "only approvers"},
		{sec3, "Approve", member.ID, true, "two-person rule"},
		{sec1, "Approve", member.ID, false, ""},
		{sec1, "Approve", key.ID, false, ""},
		{sec1, "Approve", key.ID, true, "already approved"},
		{sec2, "Approve", key.ID, false, ""},
	} {
		before := refusals(c.who)
		w.click(c.who, c.action, c.label)
		got := refusals(c.who) - before
		switch {
		case c.refused && got != 1:
			t.Errorf("%s clicking %s on %d: %d refusals; want 1", c.who, c.label, c.action, got)
		case c.refused && !strings.Contains(w.lastEphemeral(c.who), c.words):
			t.Errorf("%s was refused with %q; want it to mention %q", c.who, w.lastEphemeral(c.who), c.words)
		case !c.refused && got != 0:
			t.Errorf("%s clicking %s on %d was refused: %s", c.who, c.label, c.action, w.lastEphemeral(c.who))
		}
		if c.action == key.ID && c.who == sec1 && !c.refused {
			if a := w.action(id, "access_key"); a.State != storage.ActionAwaitingApproval || len(a.Approvers) != 1 {
				t.Errorf("after one of two approvals the key is %s with %v", a.State, a.Approvers)
			}
		}
	}
	w.waitActions(id, "both approved actions to run", func([]storage.Action) bool {
		return w.action(id, "membership").State == storage.ActionDone && w.action(id, "access_key").State == storage.ActionDone
	})
	if a := w.action(id, "access_key"); len(a.Approvers) != 2 {
		t.Errorf("the key was executed with approvals %v; want two people", a.Approvers)
	}
	var denied int
	w.db.AuditEvents(context.Background(), storage.ExportFilter{CaseID: id}, func(ev storage.Event) error {
		if ev.Type == storage.EventDenied {
			denied++
		}
		return nil
	})
	if denied != 3 {
		t.Errorf("%d denied events in the audit log; want 3", denied)
	}
}

func TestThePersonOffboardedCannotActOnTheirOwnCase(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slash(manager, "/offboard @sam moving on")
	w.waitFor("the case to open", 10*time.Second, func() bool { return w.caseOf(1).State == storage.CaseOpen })
	w.settle()
	group := w.action(1, "usergroup")
	w.click(sec1, group.ID, "Approve")
	if got := w.lastEphemeral(sec1); !strings.Contains(got, "person being offboarded") {
		t.Errorf("the target's own click: %q", got)
	}
	if a := w.action(1, "usergroup"); a.State != storage.ActionAwaitingApproval {
		t.Fatalf("the target's click changed the action to %s", a.State)
	}
	w.click(sec2, group.ID, "Approve")
	w.waitActions(1, "another approver's approval to run", func([]storage.Action) bool {
		return w.action(1, "usergroup").State == storage.ActionDone
	})
	w.slash(sec1, "/offboard cancel @sam")
	if got := w.lastEphemeral(sec1); !strings.Contains(got, "cannot cancel your own") {
		t.Errorf("the target cancelling their own case: %q", got)
	}
	if c := w.caseOf(1); c.State != storage.CaseOpen {
		t.Errorf("the case is %s after its target tried to cancel it", c.State)
	}
}

func TestFiftyConcurrentApprovalsExecuteAnActionOnce(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id := w.openCase(manager)
	key := w.action(id, "access_key")
	block := "a" + itoa(key.ID) + ".act"
	m := w.messageWithBlock(block)
	before := w.iam.Count("iam", "UpdateAccessKey")
	listed := w.iam.Count("iam", "ListAccessKeys")
	var wg sync.WaitGroup
	var envs sync.Map
	approvers := []string{sec1, sec2, sec3}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			env, err := w.slack.ClickButton(approvers[i%3], fakeslack.InMessage(channel, m.TS), fakeslack.LabelIn(block, "Approve"))
			if err == nil {
				envs.Store(env, true)
			}
		}(i)
	}
	wg.Wait()
	n := 0
	envs.Range(func(k, _ any) bool {
		n++
		w.slack.WaitAck(k.(string), 10*time.Second)
		return true
	})
	if n < 40 {
		t.Fatalf("only %d of 50 clicks were sent (the button disappeared too soon to test anything)", n)
	}
	w.settle()
	w.waitActions(id, "the key to be deactivated", func([]storage.Action) bool {
		return w.action(id, "access_key").State == storage.ActionDone
	})
	w.waitFor("the executor to be idle", 10*time.Second, w.executorIdle)
	w.settle()
	if got := w.iam.Count("iam", "UpdateAccessKey") - before; got != 1 {
		t.Errorf("UpdateAccessKey called %d times for %d clicks; want exactly 1", got, n)
	}
	// The read calls too: a second run that finds the key inactive lists
	// the keys and makes no write.
	if got := w.iam.Count("iam", "ListAccessKeys") - listed; got != 1 {
		t.Errorf("ListAccessKeys called %d times by the revocation; want exactly 1", got)
	}
	// Evidence that cannot hide a repeat: an "already gone" second run
	// makes no mutating call, but it writes its own events.
	ev := map[string]int{}
	rows, err := w.db.Reader().QueryContext(context.Background(), `SELECT type FROM audit_events WHERE action_id=?`, key.ID)
	must(t, err)
	for rows.Next() {
		var typ string
		must(t, rows.Scan(&typ))
		ev[typ]++
	}
	rows.Close()
	if ev["executing"] != 1 || ev["revoked"]+ev["already_gone"] != 1 {
		t.Errorf("audit events of the action %v; want one executing and one outcome", ev)
	}
	if a := w.action(id, "access_key"); a.Attempts != 1 {
		t.Errorf("%d attempts; want 1", a.Attempts)
	}
	if got := w.threadCount(id, "Revoked"); got != 1 {
		t.Errorf("%d 'Revoked' replies; want 1", got)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestAForgedClickIsCheckedAgainstTheDatabase(t *testing.T) {
	w := newWorld(t, worldOptions{})
	id := w.openCase(manager)
	key := w.action(id, "access_key")
	approver := flows.Actor{ID: sec1, Approver: true}
	ctx := context.Background()
	for _, tc := range []struct {
		name           string
		caseID, action int64
		want           error
	}{
		{"an action that does not exist", id, 9999, flows.ErrUnknownAction},
		{"an action of another case", id + 1, key.ID, flows.ErrUnknownAction},
	} {
		if err := w.svc.Approve(ctx, approver, tc.caseID, tc.action); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v; want %v", tc.name, err, tc.want)
		}
	}
	w.click(sec1, key.ID, "Approve")
	w.waitActions(id, "the key to be done", func([]storage.Action) bool { return w.action(id, "access_key").State == storage.ActionDone })
	if err := w.svc.Approve(ctx, flows.Actor{ID: sec2, Approver: true}, id, key.ID); !errors.Is(err, flows.ErrAlreadyDecided) {
		t.Errorf("approving a done action: %v; want ErrAlreadyDecided", err)
	}
	if err := w.svc.Hold(ctx, approver, flows.HoldInput{CaseID: id, ActionID: key.ID, Reason: "late"}); !errors.Is(err, flows.ErrAlreadyDecided) {
		t.Errorf("holding a done action: %v", err)
	}
	denied := 0
	w.db.AuditEvents(ctx, storage.ExportFilter{}, func(ev storage.Event) error {
		if ev.Type == storage.EventDenied {
			denied++
		}
		return nil
	})
	if denied != 4 {
		t.Errorf("%d denied events; want 4", denied)
	}
	if got := w.iam.Count("iam", "UpdateAccessKey"); got != 1 {
		t.Errorf("UpdateAccessKey called %d times", got)
	}
}
