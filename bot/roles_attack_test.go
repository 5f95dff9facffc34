package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/storage"
)

// An approver the bot has just removed from the approvers group loses the
// right at once, not when the group's cached membership expires.
func TestAnApproverRemovedFromTheGroupCannotApproveRightAfter(t *testing.T) {
	w := newWorld(t, worldOptions{})
	other := w.openCase(manager) // dana's case, with rows sue could approve
	w.slash(manager, "/offboard @sue leaving")
	cs := w.cases()
	sue := cs[len(cs)-1].ID
	w.waitFor("sue's case to open", 10*time.Second, func() bool { return w.caseOf(sue).State == storage.CaseOpen })
	w.settle()
	var group storage.Action
	for _, a := range w.actions(sue) {
		if a.Kind == "usergroup" && strings.Contains(string(a.Grant), "S0SECURITY") {
			group = a
		}
	}
	if group.ID == 0 {
		t.Fatalf("sue's case has no row for the approvers group: %v", w.actions(sue))
	}
	w.click(sec1, group.ID, "Approve") // warms the approvers' cached membership, then removes sue
	w.waitActions(sue, "sue's removal from the approvers group", func([]storage.Action) bool {
		return w.action(sue, "usergroup").State == storage.ActionDone || func() bool {
			g, _ := w.slack.UserGroup("S0SECURITY")
			return !slices.Contains(g.Members, sec3)
		}()
	})
	w.settle()
	row := w.action(other, "access_key")
	w.click(sec3, row.ID, "Approve")
	if a := w.action(other, "access_key"); a.State != storage.ActionAwaitingApproval || slices.Contains(a.Approvers, sec3) {
		t.Errorf("sue, removed from the approvers, approved a row: %s, approvers %v", a.State, a.Approvers)
	}
	if got := w.lastEphemeral(sec3); !strings.Contains(got, "only approvers") {
		t.Errorf("sue was told %q", got)
	}
}
