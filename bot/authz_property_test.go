package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// For every case state × action state × kind of action × verb × role, the
// checklist shows a verb's button if and only if an approver's click on it
// is accepted, and App Home lists an action as waiting for someone if and
// only if their Approve would be accepted. Both come from flows' one table.
func TestAButtonIsShownIfAndOnlyIfItsClickIsAccepted(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "offboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, twoPerson := range []bool{true, false} {
		cfg := flows.Config{}
		cfg.Policy.TwoPersonRule = &twoPerson
		cfg.Defaults()
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		svc := flows.New(flows.Options{DB: db, Config: cfg, Logger: zerolog.Nop()})
		roles := map[string]flows.Actor{
			"approver":              {ID: "U0SEC", Approver: true},
			"requester-is-approver": {ID: "U0MGR", Requester: true, Approver: true},
			"requester":             {ID: "U0MGR", Requester: true},
			"target":                {ID: "U0DEV", Approver: true},
			"outsider":              {ID: "U0OUT"},
			"approver-who-approved": {ID: "U0SEC2", Approver: true},
		}
		kinds := map[string]connectors.Grant{
			"revocable": {Account: connectors.Account{System: connectors.GitHub, ID: "dev"}, Kind: "membership", Title: "org membership"},
			"manual":    {Account: connectors.Account{System: connectors.Manual}, Kind: "task", Title: "Collect laptop"},
			"by hand":   {Account: connectors.Account{System: connectors.Slack, ID: "U0DEV"}, Kind: "usergroup", Manual: "only admins edit groups"},
			"protected": {Account: connectors.Account{System: connectors.GitHub, ID: "bot"}, Kind: "membership", Protected: "the token's owner"},
		}
		states := []string{storage.ActionPlanned, storage.ActionAwaitingApproval, storage.ActionApproved, storage.ActionAutoApproved,
			storage.ActionExecuting, storage.ActionDone, storage.ActionHeld, storage.ActionFailed, storage.ActionSkipped}
		checked := 0
		for _, caseState := range []string{storage.CaseOpen, storage.CaseCompleted, storage.CaseCancelled} {
			for kindName, g := range kinds {
				for _, state := range states {
					for _, attempts := range []int{0, 5} {
						if attempts > 0 && state != storage.ActionFailed {
							continue // attempts matter only to a failed action
						}
						c, a := insert(t, db, caseState, g, state, attempts)
						shown := map[flows.Verb]bool{}
						for _, el := range buttonsFor(c, a) {
							for v, id := range verbAction {
								if actionIDOf(el) == id {
									shown[v] = true
								}
							}
						}
						for roleName, actor := range roles {
							for _, verb := range flows.Verbs {
								_, err := svc.Authorize(ctx, actor, c.ID, a.ID, verb)
								accepted := err == nil
								if _, refused := flows.Refused(err); err != nil && !refused {
									t.Fatal(err)
								}
								where := fmt.Sprintf("two-person %v, case %s, %s action %s (attempts %d), %s by %s", twoPerson, caseState, kindName, state, attempts, verb, roleName)
								if roleName == "approver" && shown[verb] != accepted {
									t.Errorf("%s: button shown %v, click accepted %v", where, shown[verb], accepted)
								}
								if accepted && !shown[verb] {
									t.Errorf("%s: accepted without a button", where)
								}
								if verb == flows.VerbApprove {
									home := homeLists(t, svc, db, actor, c.ID)
									if home != accepted {
										t.Errorf("%s: App Home lists it %v, click accepted %v", where, home, accepted)
									}
								}
								checked++
							}
						}
					}
				}
			}
		}
		if checked < 1000 {
			t.Fatalf("only %d cells checked", checked)
		}
	}
}

func actionIDOf(el any) string {
	b, _ := json.Marshal(el)
	var v struct {
		ActionID string `json:"action_id"`
	}
	json.Unmarshal(b, &v)
	return v.ActionID
}

// insert writes a case for U0DEV requested by U0MGR, with one action in the
// given state that U0SEC2 has approved once.
func insert(t *testing.T, db *storage.DB, caseState string, g connectors.Grant, state string, attempts int) (storage.Case, storage.Action) {
	t.Helper()
	ctx := context.Background()
	var c storage.Case
	var a storage.Action
	err := db.Write(ctx, func(tx *storage.Tx) error {
		ident, err := tx.IdentityBySlack(ctx, "U0DEV", "dev", "")
		if err != nil {
			return err
		}
		// One active case per person: close the last one first.
		if _, err := tx.Exec(ctx, `UPDATE cases SET state='completed' WHERE state IN ('open','scheduled')`); err != nil {
			return err
		}
		c = storage.Case{IdentityID: ident.ID, Target: ident, Requester: "U0MGR", Trigger: storage.TriggerManual, State: caseState, EffectiveAt: db.Now()}
		if err := tx.InsertCase(ctx, &c); err != nil {
			return err
		}
		raw, _ := json.Marshal(g)
		a = storage.Action{CaseID: c.ID, System: string(g.Account.System), Kind: g.Kind, Grant: raw, State: state, ApprovalsRequired: 2, MaxAttempts: 5}
		if err := tx.InsertAction(ctx, &a); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE actions SET attempts=? WHERE id=?`, attempts, a.ID); err != nil {
			return err
		}
		_, err = tx.AddApproval(ctx, a.ID, "U0SEC2")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err = storage.LoadAction(ctx, db.Reader(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, err = storage.LoadCase(ctx, db.Reader(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c, a
}

// homeLists says whether viewer's App Home lists an action of the case as
// waiting for their approval.
func homeLists(t *testing.T, svc *flows.Service, db *storage.DB, viewer flows.Actor, caseID int64) bool {
	t.Helper()
	r := NewRenderer(Config{ApprovalsChannel: "C0APPROVALS"}, time.UTC)
	r.authority = svc
	view, err := r.HomeView(context.Background(), db.Reader(), viewer)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range view.Blocks.BlockSet {
		if s, ok := b.(*slack.SectionBlock); ok && s.BlockID == "pending" {
			return strings.Contains(s.Text.Text, fmt.Sprintf("• #%d ", caseID))
		}
	}
	return false
}
