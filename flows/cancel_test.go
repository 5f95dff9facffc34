package flows

import (
	"slices"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

func TestWhoMayCancel(t *testing.T) {
	for _, tc := range []struct {
		name   string
		actor  Actor
		target string
		kind   RefusalKind // 0: cancelled
		event  bool        // a refused event is written
	}{
		{"the requester of the case", manager, target.SlackID, 0, false},
		{"an approver", sec1, target.SlackID, 0, false},
		{"the target, even as an approver", self, target.SlackID, IsTarget, true},
		{"another requester", manager2, target.SlackID, NotYours, true},
		{"anyone else", outsider, target.SlackID, NotYours, true},
		{"someone without a case", sec1, "U0NOBODY", NoCase, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			made, err := r.svc.Request(r.ctx, manager, RequestInput{Target: target, At: r.clock.Now().Add(48 * time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			before := r.seq()
			c, err := r.svc.Cancel(r.ctx, tc.actor, tc.target)
			if tc.kind == 0 {
				if err != nil {
					t.Fatal(err)
				}
				got := r.load(made.ID)
				if c.State != storage.CaseCancelled || got.State != storage.CaseCancelled || got.ClosedBy != tc.actor.ID {
					t.Errorf("case %s closed by %q; want cancelled by %s", got.State, got.ClosedBy, tc.actor.ID)
				}
				e := r.last(storage.EventCancelled)
				if e.CaseID != made.ID || e.Actor != tc.actor.ID || e.Details["was"] != storage.CaseScheduled ||
					e.Details["skipped_actions"] != 0.0 {
					t.Errorf("cancelled event %+v", e)
				}
				// Nothing is left to cancel.
				_, err := r.svc.Cancel(r.ctx, tc.actor, tc.target)
				wantRefusal(t, err, NoCase)
				return
			}
			ref := wantRefusal(t, err, tc.kind)
			if ref.Verb != "cancel" {
				t.Errorf("verb %q", ref.Verb)
			}
			if s := r.load(made.ID).State; s != storage.CaseScheduled {
				t.Errorf("a refused cancel left the case %s", s)
			}
			evs := r.since(before)
			if !tc.event {
				if len(evs) != 0 {
					t.Errorf("events %v; want none", evs)
				}
				return
			}
			if len(evs) != 1 || evs[0] != storage.EventRefused {
				t.Fatalf("events %v; want one refused", evs)
			}
			if e := r.last(storage.EventRefused); e.CaseID != made.ID || e.Actor != tc.actor.ID || e.Details["what"] != "cancel" ||
				e.Details["why"] != tc.kind.String() {
				t.Errorf("refused event %+v", e)
			}
		})
	}
}

func TestCancellingAnOpenCaseSkipsWhatIsNotDoneAndDropsItsJobs(t *testing.T) {
	r := newRig(t, Config{},
		connectors.Grant{Kind: "usergroup", Ref: "A"},
		connectors.Grant{Kind: "usergroup", Ref: "B"},
		connectors.Grant{Kind: "usergroup", Ref: "H"},
		connectors.Grant{Kind: "task", Ref: "D", Manual: "collect the laptop"},
		connectors.Grant{Kind: "account", Ref: "P", Protected: "the bot's own"},
	)
	c := r.open()
	id := func(ref string) int64 { return r.byRef(c.ID, ref).ID }
	if err := r.svc.Approve(r.ctx, sec1, c.ID, id("A")); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.Hold(r.ctx, sec1, HoldInput{CaseID: c.ID, ActionID: id("H"), Reason: "later"}); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.MarkDone(r.ctx, sec1, c.ID, id("D"), "laptop back"); err != nil {
		t.Fatal(err)
	}
	if _, queued := r.job(id("A")); !queued {
		t.Fatal("the approved action is not queued")
	}
	if _, err := r.svc.Cancel(r.ctx, sec2, target.SlackID); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": storage.ActionSkipped, "B": storage.ActionSkipped, "H": storage.ActionSkipped,
		"D": storage.ActionDone, "P": storage.ActionSkipped}
	for ref, state := range want {
		if s := r.byRef(c.ID, ref).State; s != state {
			t.Errorf("%s is %s; want %s", ref, s, state)
		}
	}
	if n := r.count("jobs"); n != 0 {
		t.Errorf("%d jobs left; want none", n)
	}
	e := r.last(storage.EventCancelled)
	var skipped []int64
	for _, v := range e.Details["skipped"].([]any) {
		skipped = append(skipped, int64(v.(float64)))
	}
	slices.Sort(skipped)
	wantSkipped := []int64{id("A"), id("B"), id("H")}
	slices.Sort(wantSkipped)
	if e.Actor != sec2.ID || e.Details["was"] != storage.CaseOpen || e.Details["skipped_actions"] != 3.0 || !slices.Equal(skipped, wantSkipped) {
		t.Errorf("cancelled event %+v; want skipped %v", e.Details, wantSkipped)
	}
	// An executor started now has nothing to run.
	r.runExecutor(fast)
	if err := r.svc.Tick(r.ctx); err != nil {
		t.Fatal(err)
	}
	if r.conn.Calls("A") != 0 {
		t.Error("a cancelled action was revoked")
	}
}
