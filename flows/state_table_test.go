package flows

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// The state table, spelled out here independently of table.go: for each
// kind of action in each state, the verbs an open case's checklist row
// offers. A change to the lifecycle must change this test too.
func TestEveryStateAllowsExactlyTheVerbsItShould(t *testing.T) {
	none := []Verb(nil)
	revocable := map[string][]Verb{
		storage.ActionPlanned:          none,
		storage.ActionAwaitingApproval: {VerbApprove, VerbHold},
		storage.ActionApproved:         none,
		storage.ActionAutoApproved:     none,
		storage.ActionExecuting:        none,
		storage.ActionDone:             none,
		storage.ActionHeld:             {VerbApprove},
		"failed, attempts left":        none,
		"failed, attempts ran out":     {VerbRetry, VerbMarkDone},
		storage.ActionSkipped:          none,
	}
	byHand := map[string][]Verb{
		storage.ActionAwaitingApproval: {VerbMarkDone, VerbHold},
		storage.ActionHeld:             {VerbMarkDone},
		storage.ActionDone:             none,
		storage.ActionSkipped:          none,
	}
	open := storage.Case{State: storage.CaseOpen}
	check := func(kind string, base storage.Action, want map[string][]Verb) {
		for state, verbs := range want {
			a := withState(base, state)
			if got := Allowed(open, a); !slices.Equal(got, verbs) {
				t.Errorf("%s action %s: allows %v; want %v", kind, state, got, verbs)
			}
			for _, closed := range []string{storage.CaseScheduled, storage.CaseCompleted, storage.CaseCancelled} {
				if got := Allowed(storage.Case{State: closed}, a); len(got) != 0 {
					t.Errorf("%s action %s in a %s case: allows %v; want nothing", kind, state, closed, got)
				}
			}
		}
	}
	check("a revocable", storage.Action{System: string(connectors.Slack), Grant: grantJSON(t, connectors.Grant{Kind: "usergroup"})}, revocable)
	check("a manual", storage.Action{System: string(connectors.Manual), Grant: grantJSON(t, connectors.Grant{Kind: "task"})}, byHand)
	check("a by-hand", storage.Action{System: string(connectors.GitHub), Grant: grantJSON(t, connectors.Grant{Kind: "sso", Manual: "revoke it in the IdP"})}, byHand)
	protected := map[string][]Verb{}
	for state := range revocable {
		protected[state] = none
	}
	check("a protected", storage.Action{System: string(connectors.GitHub), Grant: grantJSON(t, connectors.Grant{Kind: "membership", Protected: "the token's owner"})}, protected)
}

// A click the state does not allow is refused through the service and
// changes nothing; one it allows is taken. Each cell on a fresh database.
func TestAClickTheStateDoesNotAllowChangesNothing(t *testing.T) {
	states := []string{storage.ActionPlanned, storage.ActionAwaitingApproval, storage.ActionApproved, storage.ActionAutoApproved,
		storage.ActionExecuting, storage.ActionDone, storage.ActionHeld, "failed, attempts left", "failed, attempts ran out", storage.ActionSkipped}
	for _, state := range states {
		for _, verb := range Verbs {
			t.Run(fmt.Sprintf("%s %s", verb, state), func(t *testing.T) {
				r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
				c := r.open()
				a := r.actions(c.ID)[0]
				failed := state == "failed, attempts left" || state == "failed, attempts ran out"
				if err := r.db.Write(r.ctx, func(tx *storage.Tx) error {
					st, attempts := state, 0
					if failed {
						st = storage.ActionFailed
						if state == "failed, attempts ran out" {
							attempts = a.MaxAttempts
						}
					}
					_, err := tx.Exec(r.ctx, `UPDATE actions SET state=?, attempts=? WHERE id=?`, st, attempts, a.ID)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				before := r.action(a.ID)
				allowed := slices.Contains(Allowed(r.load(c.ID), before), verb)
				events := r.seq()
				var err error
				switch verb {
				case VerbApprove:
					err = r.svc.Approve(r.ctx, sec1, c.ID, a.ID)
				case VerbHold:
					err = r.svc.Hold(r.ctx, sec1, HoldInput{CaseID: c.ID, ActionID: a.ID, Reason: "wait"})
				case VerbRetry:
					err = r.svc.Retry(r.ctx, sec1, c.ID, a.ID)
				case VerbMarkDone:
					err = r.svc.MarkDone(r.ctx, sec1, c.ID, a.ID, "done by hand")
				}
				after := r.action(a.ID)
				if allowed {
					if err != nil {
						t.Fatalf("an allowed click was refused: %v", err)
					}
					if len(r.since(events)) == 0 {
						t.Error("an allowed click wrote no audit event")
					}
					return
				}
				wantRefusal(t, err, AlreadyDecided)
				if after.State != before.State || after.Attempts != before.Attempts || len(after.Approvers) != len(before.Approvers) {
					t.Errorf("a refused click changed the action: %s/%d/%v → %s/%d/%v",
						before.State, before.Attempts, before.Approvers, after.State, after.Attempts, after.Approvers)
				}
				if got := r.since(events); !slices.Equal(got, []string{storage.EventDenied}) {
					t.Errorf("a refused click wrote %v; want one denied event", got)
				}
			})
		}
	}
}

func withState(a storage.Action, state string) storage.Action {
	a.MaxAttempts = 5
	switch state {
	case "failed, attempts left":
		a.State, a.Attempts = storage.ActionFailed, 1
	case "failed, attempts ran out":
		a.State, a.Attempts = storage.ActionFailed, 5
	default:
		a.State = state
	}
	return a
}

func grantJSON(t *testing.T, g connectors.Grant) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}
