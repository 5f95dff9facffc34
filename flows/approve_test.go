package flows

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// Every click on Approve, checked against the database: who may, how many
// approvals, and what a refusal records.
func TestApprove(t *testing.T) {
	off := false
	type ids struct{ caseID, actionID int64 }
	cases := []struct {
		name      string
		required  int
		twoPerson *bool
		prior     []Actor // approvals before the click
		actor     Actor
		// click chooses what is clicked; nil: the case's first action.
		click func(r *rig, c storage.Case, a storage.Action) ids
		kind  RefusalKind // 0: accepted
		state string      // the action's state after the click
		count int         // its approvals after the click
	}{
		{name: "one of one approves and queues", required: 1, actor: sec1, state: storage.ActionApproved, count: 1},
		{name: "the first of two waits", required: 2, actor: sec1, state: storage.ActionAwaitingApproval, count: 1},
		{name: "the second of two by another approver queues", required: 2, prior: []Actor{sec1}, actor: sec2,
			state: storage.ActionApproved, count: 2},
		{name: "the same approver twice is one approval", required: 2, prior: []Actor{sec1}, actor: sec1,
			kind: AlreadyApproved, state: storage.ActionAwaitingApproval, count: 1},
		{name: "the requester under the two-person rule", required: 1, actor: boss,
			kind: TwoPerson, state: storage.ActionAwaitingApproval},
		{name: "the requester without the two-person rule", required: 1, twoPerson: &off, actor: boss,
			state: storage.ActionApproved, count: 1},
		{name: "the target, even as an approver", required: 1, actor: self,
			kind: IsTarget, state: storage.ActionAwaitingApproval},
		{name: "a requester who is not an approver", required: 1, actor: manager,
			kind: NotApprover, state: storage.ActionAwaitingApproval},
		{name: "an action already approved", required: 1, prior: []Actor{sec1}, actor: sec2,
			kind: AlreadyDecided, state: storage.ActionApproved, count: 1},
		{name: "an action that does not exist", required: 1, actor: sec1,
			click: func(r *rig, c storage.Case, a storage.Action) ids { return ids{c.ID, a.ID + 1000} },
			kind:  UnknownAction, state: storage.ActionAwaitingApproval},
		{name: "an action of another case", required: 1, actor: sec1,
			click: func(r *rig, c storage.Case, a storage.Action) ids {
				o := r.openFor(manager, other)
				return ids{c.ID, r.actions(o.ID)[0].ID}
			},
			kind: UnknownAction, state: storage.ActionAwaitingApproval},
		{name: "an action of a cancelled case", required: 1, actor: sec1,
			click: func(r *rig, c storage.Case, a storage.Action) ids {
				if _, err := r.svc.Cancel(r.ctx, sec2, target.SlackID); err != nil {
					r.t.Fatal(err)
				}
				return ids{c.ID, a.ID}
			},
			kind: AlreadyDecided, state: storage.ActionSkipped},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Policy: PolicyConfig{ApprovalsRequired: tc.required, TwoPersonRule: tc.twoPerson}}
			r := newRig(t, cfg, connectors.Grant{Kind: "usergroup", Ref: "S1"}, connectors.Grant{Kind: "usergroup", Ref: "S2"})
			c := r.openFor(boss, target)
			a := r.actions(c.ID)[0]
			for _, p := range tc.prior {
				if err := r.svc.Approve(r.ctx, p, c.ID, a.ID); err != nil {
					t.Fatal(err)
				}
			}
			clicked := ids{c.ID, a.ID}
			if tc.click != nil {
				clicked = tc.click(r, c, a)
			}
			before := r.seq()
			stateBefore := r.action(a.ID).State
			err := r.svc.Approve(r.ctx, tc.actor, clicked.caseID, clicked.actionID)

			got := r.action(a.ID)
			if got.State != tc.state || len(got.Approvers) != tc.count {
				t.Errorf("action %s with %d approvals %v; want %s with %d", got.State, len(got.Approvers), got.Approvers, tc.state, tc.count)
			}
			at, queued := r.job(a.ID)
			if wantJob := tc.state == storage.ActionApproved; queued != wantJob || (queued && !at.Equal(r.clock.Now())) {
				t.Errorf("job queued %v at %v; want %v, now", queued, at, wantJob)
			}
			if tc.kind != 0 {
				ref := wantRefusal(t, err, tc.kind)
				if ref.Verb != "approve" {
					t.Errorf("refused verb %q", ref.Verb)
				}
				if evs := r.since(before); len(evs) != 1 || evs[0] != storage.EventDenied {
					t.Fatalf("events %v; want one denied", evs)
				}
				e := r.last(storage.EventDenied)
				wantAction := a.ID
				if tc.kind == UnknownAction {
					wantAction = 0
				}
				if e.Actor != tc.actor.ID || e.ActionID != wantAction || e.Details["verb"] != "approve" ||
					e.Details["why"] != tc.kind.String() {
					t.Errorf("denied event %+v", e)
				}
				if wantAction != 0 && e.Details["state"] != stateBefore {
					t.Errorf("denied event state %v; want %s", e.Details["state"], stateBefore)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			e := r.last(storage.EventApproved)
			if e.ActionID != a.ID || e.Actor != tc.actor.ID || e.Details["approvals"] != float64(tc.count) ||
				e.Details["required"] != float64(tc.required) || e.Details["was"] != storage.ActionAwaitingApproval {
				t.Errorf("approved event %+v", e)
			}
			// The other action is untouched.
			if s := r.actions(c.ID)[1].State; s != storage.ActionAwaitingApproval {
				t.Errorf("the other action is %s", s)
			}
		})
	}
}

func TestADoneActionCannotBeApprovedAgain(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"}, connectors.Grant{Kind: "usergroup", Ref: "S2"})
	r.runExecutor(ExecutorOptions{Poll: 10 * time.Millisecond})
	c := r.open()
	a := r.actions(c.ID)[0]
	if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the action to be done", func() bool { return r.action(a.ID).State == storage.ActionDone })
	wantRefusal(t, r.svc.Approve(r.ctx, sec2, c.ID, a.ID), AlreadyDecided)
	if e := r.last(storage.EventDenied); e.Details["state"] != storage.ActionDone {
		t.Errorf("denied event %+v", e)
	}
	if n := r.conn.Calls("S1"); n != 1 {
		t.Errorf("%d revocations; want 1", n)
	}
}

func TestApproveAllApprovesOnlyWhatTheActorMayApprove(t *testing.T) {
	cfg := Config{Policy: PolicyConfig{Rules: []Rule{
		{Match: Match{Action: "two"}, ApprovalsRequired: 2},
		{Match: Match{Action: "auto"}, AutoApprove: true},
	}}}
	r := newRig(t, cfg,
		connectors.Grant{Kind: "usergroup", Ref: "A"},
		connectors.Grant{Kind: "two", Ref: "B"},
		connectors.Grant{Kind: "usergroup", Ref: "H"},
		connectors.Grant{Kind: "usergroup", Ref: "P", Protected: "the bot's own"},
		connectors.Grant{Kind: "task", Ref: "M", Manual: "collect the laptop"},
		connectors.Grant{Kind: "auto", Ref: "Q"},
	)
	c := r.openFor(boss, target)
	id := func(ref string) int64 { return r.byRef(c.ID, ref).ID }
	if err := r.svc.Hold(r.ctx, sec1, HoldInput{CaseID: c.ID, ActionID: id("H"), Reason: "ask legal"}); err != nil {
		t.Fatal(err)
	}
	states := func() map[string]string {
		out := map[string]string{}
		for _, ref := range []string{"A", "B", "H", "P", "M", "Q"} {
			a := r.byRef(c.ID, ref)
			out[ref] = a.State
			if len(a.Approvers) > 0 {
				out[ref] += "+" + a.Approvers[len(a.Approvers)-1]
			}
		}
		return out
	}
	steps := []struct {
		name  string
		actor Actor
		kind  RefusalKind
		// approved lists the actions that got an approved event.
		approved []string
		want     map[string]string
	}{
		{"the target is refused", self, IsTarget, nil, nil},
		{"a non-approver is refused", manager, NotApprover, nil, nil},
		{"the requester is refused by the two-person rule", boss, TwoPerson, nil, nil},
		{"an approver approves every awaiting row it may", sec1, 0, []string{"A", "B"}, map[string]string{
			"A": "approved+U0SEC1", "B": "awaiting_approval+U0SEC1", "H": "held", "P": "skipped", "M": "awaiting_approval",
			"Q": "auto_approved"}},
		{"the same approver again has nothing left it may approve", sec1, AlreadyApproved, nil, nil},
		{"a second approver completes the two-approval row", sec2, 0, []string{"B"}, map[string]string{
			"A": "approved+U0SEC1", "B": "approved+U0SEC2", "H": "held", "P": "skipped", "M": "awaiting_approval",
			"Q": "auto_approved"}},
		{"when only rows done by hand wait, nothing is approved", sec2, AlreadyDecided, nil, nil},
	}
	for _, st := range steps {
		before := r.seq()
		was := states()
		err := r.svc.ApproveAll(r.ctx, st.actor, c.ID, len(r.actions(c.ID)))
		if st.kind != 0 {
			if ref, ok := Refused(err); !ok || ref.Kind != st.kind {
				t.Errorf("%s: got %v; want refusal %q", st.name, err, st.kind)
				continue
			}
			if evs := r.since(before); len(evs) != 1 || evs[0] != storage.EventDenied {
				t.Errorf("%s: events %v; want one denied", st.name, evs)
			}
			if e := r.last(storage.EventDenied); e.CaseID != c.ID || e.ActionID != 0 || e.Details["why"] != st.kind.String() {
				t.Errorf("%s: denied event %+v", st.name, e)
			}
			if now := states(); !maps.Equal(now, was) {
				t.Errorf("%s: a refused approve-all changed %v to %v", st.name, was, now)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		var got []string
		for _, e := range r.audit(storage.EventApproved) {
			if e.Seq > before {
				for _, ref := range []string{"A", "B", "H", "P", "M", "Q"} {
					if e.ActionID == id(ref) {
						got = append(got, ref)
					}
				}
			}
		}
		if !slices.Equal(got, st.approved) {
			t.Errorf("%s: approved %v; want %v", st.name, got, st.approved)
		}
		if now := states(); !maps.Equal(now, st.want) {
			t.Errorf("%s: states %v; want %v", st.name, now, st.want)
		}
	}
	wantRefusal(t, r.svc.ApproveAll(r.ctx, sec1, c.ID+100, 0), UnknownAction)
}

// Many approvers clicking at once approve and queue the action exactly
// once; every other click is an "already decided" refusal.
func TestConcurrentApprovalsQueueTheActionOnce(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
	c := r.open()
	a := r.actions(c.ID)[0]
	const n = 12
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- r.svc.Approve(r.ctx, Actor{ID: fmt.Sprintf("U0APP%02d", i), Approver: true}, c.ID, a.ID)
		}()
	}
	accepted := 0
	for range n {
		err := <-errs
		if err == nil {
			accepted++
			continue
		}
		if ref, ok := Refused(err); !ok || ref.Kind != AlreadyDecided {
			t.Errorf("a concurrent click: %v; want accepted or already decided", err)
		}
	}
	if accepted != 1 || len(r.audit(storage.EventApproved)) != 1 || len(r.audit(storage.EventDenied)) != n-1 {
		t.Errorf("%d accepted, %d approved events, %d denied; want 1, 1, %d",
			accepted, len(r.audit(storage.EventApproved)), len(r.audit(storage.EventDenied)), n-1)
	}
	if got := r.action(a.ID); got.State != storage.ActionApproved || len(got.Approvers) != 1 {
		t.Errorf("action %s with approvers %v", got.State, got.Approvers)
	}
}

func TestMayApproveIsPermitsAnswer(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
	c := r.openFor(boss, target)
	a := r.actions(c.ID)[0]
	for _, tc := range []struct {
		viewer Actor
		want   bool
	}{{boss, false}, {self, false}, {manager, false}, {sec1, true}} {
		if got := r.svc.MayApprove(r.ctx, r.db.Reader(), tc.viewer, c, a); got != tc.want {
			t.Errorf("MayApprove(%s) = %v; want %v", tc.viewer.ID, got, tc.want)
		}
		// App Home's list and the click agree.
		err := r.svc.Approve(r.ctx, tc.viewer, c.ID, a.ID)
		if (err == nil) != tc.want {
			t.Errorf("%s's click: %v; App Home says %v", tc.viewer.ID, err, tc.want)
		}
		if err == nil {
			break // the action is approved now
		}
	}
	if r.svc.Config().TwoPersonRule() != true || !r.svc.Now().Equal(r.clock.Now()) {
		t.Error("the service's configuration or clock is not the one it was built with")
	}
}
