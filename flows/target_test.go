package flows

import (
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// alias is the target's second Slack account (another workspace of the
// grid), linked to the same identity, acting as an approver.
var alias = Actor{ID: "U0DEV2", Requester: true, Approver: true}

// linkAlias links alias's Slack account to the target's identity.
func (r *rig) linkAlias(c storage.Case) {
	r.t.Helper()
	if err := r.db.Write(r.ctx, func(tx *storage.Tx) error {
		_, err := tx.Link(r.ctx, storage.AccountLink{IdentityID: c.IdentityID, System: string(connectors.Slack), Scope: "T0",
			Account: alias.ID, LinkedBy: string(connectors.LinkConfig)})
		return err
	}); err != nil {
		r.t.Fatal(err)
	}
}

// The target is recognised by identity: from any of their Slack accounts
// they can neither act on their case nor see it.
func TestTheTargetIsRecognisedByEveryOneOfTheirSlackAccounts(t *testing.T) {
	gh := newGitHub()
	gh.dormant = []connectors.Dormant{{Account: connectors.Account{System: connectors.GitHub, ID: "octo"}, Why: "idle"}}
	r := newRigWith(t, rigOptions{cfg: linkedToGitHub(Config{}), extra: []Connector{gh},
		grants: []connectors.Grant{{Kind: "usergroup", Ref: "S1"}}})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
	if err != nil {
		t.Fatal(err)
	}
	c := r.open()
	r.linkAlias(c)
	a := r.actions(c.ID)[0]

	wantRefusal(t, r.svc.Approve(r.ctx, alias, c.ID, a.ID), IsTarget)
	wantRefusal(t, r.svc.ApproveAll(r.ctx, alias, c.ID, len(r.actions(c.ID))), IsTarget)
	wantRefusal(t, r.svc.Hold(r.ctx, alias, HoldInput{CaseID: c.ID, ActionID: a.ID, Reason: "mine"}), IsTarget)
	_, err = r.svc.Cancel(r.ctx, alias, target.SlackID)
	wantRefusal(t, err, IsTarget)
	_, err = r.svc.Link(r.ctx, alias, LinkInput{Target: target, GitHub: "octo2"})
	wantRefusal(t, err, IsTarget)
	wantRefusal(t, r.svc.Snooze(r.ctx, alias, finding(t, rep, "octo")), IsTarget)
	wantRefusal(t, r.svc.StartFromDormant(r.ctx, alias, finding(t, rep, "octo")), IsTarget)
	if r.svc.MayApprove(r.ctx, r.db.Reader(), alias, c, a) {
		t.Error("App Home offers the target's second account their own action")
	}
	if s := r.load(c.ID).State; s != storage.CaseOpen || r.action(a.ID).State != storage.ActionAwaitingApproval {
		t.Errorf("the target's clicks changed the case (%s) or its action (%s)", s, r.action(a.ID).State)
	}
	for _, e := range r.audit(storage.EventDenied) {
		if e.Actor != alias.ID || e.Details["why"] != IsTarget.String() {
			t.Errorf("denied event %+v", e)
		}
	}
}

func TestWhoMaySeeACase(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
	c := r.open()
	r.linkAlias(c)
	for _, tc := range []struct {
		viewer Actor
		want   bool
	}{
		{manager, true}, {manager2, true}, {sec1, true}, {outsider, false}, {self, false}, {alias, false},
		{Actor{ID: target.SlackID, Approver: true}, false},
	} {
		if got := r.svc.MaySee(r.ctx, r.db.Reader(), tc.viewer, c); got != tc.want {
			t.Errorf("MaySee(%s) = %v; want %v", tc.viewer.ID, got, tc.want)
		}
	}
}

// Whoever linked an account into an open case cannot approve the rows that
// link added (the two-person rule), though others can, and they can
// approve the other rows.
func TestTheLinkerCannotApproveTheRowsTheirLinkAdded(t *testing.T) {
	off := false
	for _, tc := range []struct {
		name      string
		twoPerson *bool
		kind      RefusalKind
	}{
		{"under the two-person rule", nil, TwoPerson},
		{"without it", &off, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gh := newGitHub()
			gh.grants["octo"] = []connectors.Grant{{Kind: "membership", Ref: "m-octo"}}
			r := newRigWith(t, rigOptions{cfg: Config{Policy: PolicyConfig{TwoPersonRule: tc.twoPerson}}, extra: []Connector{gh},
				grants: []connectors.Grant{{Kind: "usergroup", Ref: "S1"}}})
			c := r.openFor(manager, target)
			if _, err := r.svc.Link(r.ctx, sec1, LinkInput{Target: target, GitHub: "octo"}); err != nil {
				t.Fatal(err)
			}
			added, slack := r.byRef(c.ID, "m-octo"), r.byRef(c.ID, "S1")
			if got := r.svc.MayApprove(r.ctx, r.db.Reader(), sec1, c, added); got != (tc.kind == 0) {
				t.Errorf("App Home offers the linker the row they added: %v", got)
			}
			err := r.svc.Approve(r.ctx, sec1, c.ID, added.ID)
			if tc.kind != 0 {
				wantRefusal(t, err, tc.kind)
				if err := r.svc.Approve(r.ctx, sec2, c.ID, added.ID); err != nil {
					t.Errorf("another approver: %v", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if err := r.svc.Approve(r.ctx, sec1, c.ID, slack.ID); err != nil {
				t.Errorf("the linker approving a row they did not add: %v", err)
			}
			if s := r.action(added.ID).State; s != storage.ActionApproved {
				t.Errorf("the added row is %s", s)
			}
		})
	}
}

// A click is checked in the transaction that applies it: a fact that
// changes while the click waits for the write lock (here, the clicker's
// Slack account is linked to the person being offboarded) decides it.
// Checked against a read taken before the lock, the target would approve
// their own revocation.
func TestAClickIsCheckedInsideTheTransactionThatAppliesIt(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
	c := r.open()
	a := r.actions(c.ID)[0]

	holding, link, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- r.db.Write(r.ctx, func(tx *storage.Tx) error {
			close(holding)
			<-link
			_, err := tx.Link(r.ctx, storage.AccountLink{IdentityID: c.IdentityID, System: string(connectors.Slack), Scope: "T0",
				Account: alias.ID, LinkedBy: string(connectors.LinkConfig)})
			return err
		})
	}()
	<-holding
	clicked := make(chan error, 1)
	go func() { clicked <- r.svc.Approve(r.ctx, alias, c.ID, a.ID) }()
	r.waitFor("the click to wait for the write lock", func() bool { _, n := r.db.WritesWaiting(); return n == 1 })
	close(link)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	wantRefusal(t, <-clicked, IsTarget)
	if got := r.action(a.ID); got.State != storage.ActionAwaitingApproval {
		t.Errorf("the action is %s; want still awaiting approval", got.State)
	}
	if n := len(r.audit(storage.EventApproved)); n != 0 {
		t.Errorf("%d approved events; want none", n)
	}
}
