package flows

import (
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

func TestHold(t *testing.T) {
	for _, tc := range []struct {
		name   string
		actor  Actor
		reason string
		// approveFirst approves the action (sec1) before the hold.
		approveFirst bool
		kind         RefusalKind
	}{
		{name: "an approver holds with a reason", actor: sec2, reason: "  waiting on legal  "},
		{name: "a hold clears the approvals it had", actor: sec2, reason: "waiting on legal", approveFirst: true},
		{name: "a blank reason is refused and nothing is written", actor: sec2, reason: " \t", kind: ReasonRequired},
		{name: "the target cannot hold", actor: self, reason: "mine", kind: IsTarget},
		{name: "a non-approver cannot hold", actor: manager, reason: "why not", kind: NotApprover},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Policy: PolicyConfig{ApprovalsRequired: 2}}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
			c := r.open()
			a := r.actions(c.ID)[0]
			if tc.approveFirst {
				if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
					t.Fatal(err)
				}
			}
			before := r.seq()
			err := r.svc.Hold(r.ctx, tc.actor, HoldInput{CaseID: c.ID, ActionID: a.ID, Reason: tc.reason})
			got := r.action(a.ID)
			if tc.kind != 0 {
				wantRefusal(t, err, tc.kind)
				if got.State != storage.ActionAwaitingApproval {
					t.Errorf("a refused hold left the action %s", got.State)
				}
				wantEvents := []string{storage.EventDenied}
				if tc.kind == ReasonRequired {
					wantEvents = nil // the form asks again; no click was refused
				}
				if evs := r.since(before); len(evs) != len(wantEvents) || (len(evs) > 0 && evs[0] != wantEvents[0]) {
					t.Errorf("events %v; want %v", evs, wantEvents)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.State != storage.ActionHeld || got.HeldBy != tc.actor.ID || got.HeldReason != "waiting on legal" ||
				!got.HeldUntil.IsZero() || len(got.Approvers) != 0 {
				t.Errorf("held action %+v", got)
			}
			e := r.last(storage.EventHeld)
			if e.ActionID != a.ID || e.Actor != tc.actor.ID || e.Details["reason"] != "waiting on legal" {
				t.Errorf("held event %+v", e)
			}
			if _, ok := e.Details["until"]; ok {
				t.Errorf("held event has an until without one: %+v", e.Details)
			}
			// Held again: the table allows Hold only from awaiting approval.
			wantRefusal(t, r.svc.Hold(r.ctx, sec1, HoldInput{CaseID: c.ID, ActionID: a.ID, Reason: "again"}), AlreadyDecided)
			// Approved from held, it needs all its approvals again.
			if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
				t.Fatal(err)
			}
			if got := r.action(a.ID); got.State != storage.ActionHeld || len(got.Approvers) != 1 {
				t.Errorf("after one approval of two: %s with %v", got.State, got.Approvers)
			}
			if err := r.svc.Approve(r.ctx, sec2, c.ID, a.ID); err != nil {
				t.Fatal(err)
			}
			if got := r.action(a.ID); got.State != storage.ActionApproved {
				t.Errorf("after two approvals: %s", got.State)
			}
			if e := r.last(storage.EventApproved); e.Details["was"] != storage.ActionHeld {
				t.Errorf("approved event %+v", e.Details)
			}
		})
	}
}

func TestAHeldActionResurfacesOnItsUntilDate(t *testing.T) {
	r := newRig(t, Config{Reminders: RemindersConfig{After: Duration(100 * time.Hour)}},
		connectors.Grant{Kind: "usergroup", Ref: "S1"}, connectors.Grant{Kind: "usergroup", Ref: "S2"})
	c := r.open()
	a, forever := r.actions(c.ID)[0], r.actions(c.ID)[1]
	until := r.clock.Now().Add(48 * time.Hour)
	if err := r.svc.Hold(r.ctx, sec1, HoldInput{CaseID: c.ID, ActionID: a.ID, Reason: "notice period", Until: until}); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.Hold(r.ctx, sec1, HoldInput{CaseID: c.ID, ActionID: forever.ID, Reason: "keep"}); err != nil {
		t.Fatal(err)
	}
	if e := r.audit(storage.EventHeld)[0]; e.Details["until"] != until.UTC().Format(time.RFC3339) {
		t.Errorf("held event %+v", e.Details)
	}
	if got := r.action(a.ID); !got.HeldUntil.Equal(until) {
		t.Errorf("held until %v; want %v", got.HeldUntil, until)
	}
	r.clock.Advance(47 * time.Hour)
	if err := r.svc.Tick(r.ctx); err != nil {
		t.Fatal(err)
	}
	if got := r.action(a.ID); got.State != storage.ActionHeld || len(r.audit(storage.EventResurfaced)) != 0 {
		t.Fatalf("before its date: %s, resurfaced %d times", got.State, len(r.audit(storage.EventResurfaced)))
	}
	r.clock.Advance(time.Hour)
	if err := r.svc.Tick(r.ctx); err != nil {
		t.Fatal(err)
	}
	got := r.action(a.ID)
	if got.State != storage.ActionAwaitingApproval || !got.HeldUntil.IsZero() || !got.AwaitingSince.Equal(r.clock.Now()) {
		t.Errorf("on its date: %s, until %v, awaiting since %v", got.State, got.HeldUntil, got.AwaitingSince)
	}
	es := r.audit(storage.EventResurfaced)
	if len(es) != 1 || es[0].ActionID != a.ID || es[0].Actor != System.ID || es[0].Details["held_by"] != sec1.ID ||
		es[0].Details["reason"] != "notice period" {
		t.Errorf("resurfaced events %+v", es)
	}
	// A hold without a date stays; another tick resurfaces nothing more.
	r.clock.Advance(24 * time.Hour)
	if err := r.svc.Tick(r.ctx); err != nil {
		t.Fatal(err)
	}
	if s := r.action(forever.ID).State; s != storage.ActionHeld || len(r.audit(storage.EventResurfaced)) != 1 {
		t.Errorf("the undated hold is %s after %d resurfaced events", s, len(r.audit(storage.EventResurfaced)))
	}
}

func TestAuthorizeChecksTheClickThatOpensAForm(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
	c := r.open()
	a := r.actions(c.ID)[0]
	got, err := r.svc.Authorize(r.ctx, sec1, c.ID, a.ID, VerbHold)
	if err != nil || got.ID != a.ID {
		t.Fatalf("Authorize = %v, %v", got.ID, err)
	}
	before := r.seq()
	_, err = r.svc.Authorize(r.ctx, outsider, c.ID, a.ID, VerbMarkDone)
	wantRefusal(t, err, NotApprover)
	if evs := r.since(before); len(evs) != 1 || evs[0] != storage.EventDenied {
		t.Errorf("events %v; want one denied", evs)
	}
	if e := r.last(storage.EventDenied); e.Details["verb"] != "mark done" || e.ActionID != a.ID {
		t.Errorf("denied event %+v", e)
	}
	_, err = r.svc.Authorize(r.ctx, sec1, c.ID, a.ID, VerbMarkDone)
	wantRefusal(t, err, AlreadyDecided) // a revocable row that has not failed is not done by hand
}
