package flows

import (
	"errors"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// Approve all remaining approves exactly the rows the clicked message
// showed: when rows were added since, it refuses and approves nothing.
func TestApproveAllRefusesWhenTheChecklistGainedRows(t *testing.T) {
	r := newRig(t, Config{},
		connectors.Grant{Kind: "usergroup", Ref: "S1", Title: "user group @ops"},
		connectors.Grant{Kind: "usergroup", Ref: "S2", Title: "user group @dev"})
	c := r.open()
	shown := len(r.actions(c.ID))
	// A row arrives after the checklist was shown (a link, a rediscovery).
	if err := r.db.Write(r.ctx, func(tx *storage.Tx) error {
		_, err := r.svc.insertActions(r.ctx, tx, c, []connectors.Grant{{Account: connectors.Account{System: connectors.Slack, ID: "U0DEV"},
			Kind: "usergroup", Ref: "S3", Title: "user group @admins"}}, shown)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	err := r.svc.ApproveAll(r.ctx, sec1, c.ID, shown)
	if !errors.Is(err, &Refusal{Kind: ChecklistChanged}) {
		t.Fatalf("ApproveAll on a stale checklist: %v; want ChecklistChanged", err)
	}
	for _, a := range r.actions(c.ID) {
		if a.State != storage.ActionAwaitingApproval || len(a.Approvers) != 0 || r.events(a.ID)[storage.EventApproved] != 0 {
			t.Errorf("action %d (%s) is %s with approvers %v after a refused Approve all", a.ID, a.Kind, a.State, a.Approvers)
		}
	}
	if err := r.svc.ApproveAll(r.ctx, sec1, c.ID, shown+1); err != nil {
		t.Fatalf("ApproveAll on the current checklist: %v", err)
	}
	for _, a := range r.actions(c.ID) {
		if a.State != storage.ActionApproved {
			t.Errorf("action %d is %s; want approved", a.ID, a.State)
		}
	}
}
