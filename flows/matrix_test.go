package flows

import (
	"fmt"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// The authorization matrix: every role × every command and button, each
// cell's outcome asserted against what the product promises (docs/design.md,
// "Who may do what"). Each cell runs on a fresh database, through the same
// calls bot makes.
func TestTheAuthorizationMatrix(t *testing.T) {
	roles := []struct {
		name  string
		actor Actor
	}{
		{"requester", Actor{ID: "U0MGR", Requester: true}},
		{"approver", Actor{ID: "U0SEC1", Approver: true}},
		{"requester who is approver", Actor{ID: "U0BOTH", Requester: true, Approver: true}},
		{"linker", Actor{ID: "U0SEC2", Approver: true}},
		{"target", Actor{ID: "U0DEV", Requester: true, Approver: true}},
		{"target's alias", Actor{ID: "U0DEVALT", Requester: true, Approver: true}},
		{"outsider", Actor{ID: "U0OUT"}},
	}
	const ok = RefusalKind(0)
	// want[op] lists the outcome per role, in the order of roles.
	want := map[string][7]RefusalKind{
		"approve a row":              {NotApprover, ok, TwoPerson, ok, IsTarget, IsTarget, NotApprover},
		"approve a row they linked":  {NotApprover, ok, TwoPerson, TwoPerson, IsTarget, IsTarget, NotApprover},
		"hold":                       {NotApprover, ok, ok, ok, IsTarget, IsTarget, NotApprover},
		"retry":                      {NotApprover, ok, ok, ok, IsTarget, IsTarget, NotApprover},
		"mark done":                  {NotApprover, ok, ok, ok, IsTarget, IsTarget, NotApprover},
		"approve all remaining":      {NotApprover, ok, TwoPerson, ok, IsTarget, IsTarget, NotApprover},
		"cancel":                     {NotYours, ok, ok, ok, IsTarget, IsTarget, NotYours},
		"request another's":          {ok, NotRequester, ok, NotRequester, ok, ok, NotRequester},
		"link to the target":         {NotApprover, ok, ok, ok, IsTarget, IsTarget, NotApprover},
		"see the case":               {ok, ok, ok, ok, NoCase, NoCase, NoCase},
		"scan":                       {NotApprover, ok, ok, ok, ok, ok, NotApprover},
		"snooze the target's report": {NotApprover, ok, ok, ok, IsTarget, IsTarget, NotApprover},
	}
	ops := map[string]func(r *rig, a Actor, c storage.Case) error{
		"approve a row": func(r *rig, a Actor, c storage.Case) error {
			return r.svc.Approve(r.ctx, a, c.ID, r.byRef(c.ID, "S1").ID)
		},
		"approve a row they linked": func(r *rig, a Actor, c storage.Case) error {
			return r.svc.Approve(r.ctx, a, c.ID, r.byRef(c.ID, "member").ID)
		},
		"hold": func(r *rig, a Actor, c storage.Case) error {
			return r.svc.Hold(r.ctx, a, HoldInput{CaseID: c.ID, ActionID: r.byRef(c.ID, "S1").ID, Reason: "wait"})
		},
		"retry": func(r *rig, a Actor, c storage.Case) error {
			return r.svc.Retry(r.ctx, a, c.ID, exhaust(r, r.byRef(c.ID, "S1")).ID)
		},
		"mark done": func(r *rig, a Actor, c storage.Case) error {
			return r.svc.MarkDone(r.ctx, a, c.ID, exhaust(r, r.byRef(c.ID, "S1")).ID, "done by hand")
		},
		"approve all remaining": func(r *rig, a Actor, c storage.Case) error {
			return r.svc.ApproveAll(r.ctx, a, c.ID, len(r.actions(c.ID)))
		},
		"cancel": func(r *rig, a Actor, c storage.Case) error {
			_, err := r.svc.Cancel(r.ctx, a, target.SlackID)
			return err
		},
		"request another's": func(r *rig, a Actor, c storage.Case) error {
			_, err := r.svc.Request(r.ctx, a, RequestInput{Target: other, At: r.clock.Now().Add(time.Hour)})
			return err
		},
		"link to the target": func(r *rig, a Actor, c storage.Case) error {
			_, err := r.svc.Link(r.ctx, a, LinkInput{Target: target, GitHub: "dev-second"})
			return err
		},
		"see the case": func(r *rig, a Actor, c storage.Case) error {
			if !r.svc.MaySee(r.ctx, r.db.Reader(), a, c) {
				return &Refusal{Kind: NoCase}
			}
			return nil
		},
		"scan": func(r *rig, a Actor, c storage.Case) error { return r.svc.RequestScan(r.ctx, a) },
		"snooze the target's report": func(r *rig, a Actor, c storage.Case) error {
			rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "test", Actor: System})
			if err != nil || len(rep.Rows) == 0 {
				r.t.Fatalf("no report row to snooze: %v", err)
			}
			return r.svc.Snooze(r.ctx, a, rep.Rows[0].FindingID)
		},
	}
	for op, outcomes := range want {
		for i, role := range roles {
			t.Run(fmt.Sprintf("%s by the %s", op, role.name), func(t *testing.T) {
				r, c := matrixCase(t)
				err := ops[op](r, role.actor, c)
				got := ok
				if err != nil {
					ref, refused := Refused(err)
					if !refused {
						t.Fatalf("failed: %v", err)
					}
					got = ref.Kind
				}
				if got != outcomes[i] {
					t.Errorf("got %v; want %v", words(got), words(outcomes[i]))
				}
			})
		}
	}
}

func words(k RefusalKind) string {
	if k == 0 {
		return "accepted"
	}
	return "refused (" + k.String() + ")"
}

// matrixCase is an open case for the target requested by U0BOTH, whose
// GitHub login U0SEC2 linked by hand, with a second Slack account U0DEVALT
// linked to the target, and a dormant GitHub account of the target's.
func matrixCase(t *testing.T) (*rig, storage.Case) {
	gh := newGitHub()
	gh.grants["dev-gh"] = []connectors.Grant{{Kind: "membership", Ref: "member", Title: "org membership"}}
	gh.dormant = []connectors.Dormant{{Account: connectors.Account{System: connectors.GitHub, Scope: "acme", ID: "dev-gh"}, Why: "no contributions"}}
	r := newRigWith(t, rigOptions{grants: []connectors.Grant{{Kind: "usergroup", Ref: "S1", Title: "user group @ops"}}, extra: []Connector{gh}})
	if _, err := r.svc.Link(r.ctx, Actor{ID: "U0SEC2", Approver: true}, LinkInput{Target: target, GitHub: "dev-gh"}); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(r.db.Write(r.ctx, func(tx *storage.Tx) error {
		ident, err := tx.IdentityBySlack(r.ctx, target.SlackID, target.Name, "")
		if err != nil {
			return err
		}
		_, err = tx.Link(r.ctx, storage.AccountLink{IdentityID: ident.ID, System: "slack", Account: "U0DEVALT", LinkedBy: "config"})
		return err
	}))
	c := r.openFor(Actor{ID: "U0BOTH", Requester: true, Approver: true}, target)
	return r, c
}

// exhaust makes an action a failed one whose attempts ran out.
func exhaust(r *rig, a storage.Action) storage.Action {
	r.t.Helper()
	if err := r.db.Write(r.ctx, func(tx *storage.Tx) error {
		_, err := tx.Exec(r.ctx, `UPDATE actions SET state='failed', attempts=max_attempts WHERE id=?`, a.ID)
		return err
	}); err != nil {
		r.t.Fatal(err)
	}
	return r.action(a.ID)
}
