package bot_test

import (
	"strings"
	"testing"
	"time"
)

// The person being offboarded gets no warning: even as a requester and an
// approver, their status, list and App Home do not show their own case; an
// outsider's status and list are refused; requesters and approvers see it.
func TestTheTargetSeesNothingOfTheirCase(t *testing.T) {
	w := newWorld(t, worldOptions{})
	must(t, w.slack.SetUserGroupMembers("S0MANAGERS", []string{manager, dana}))
	must(t, w.slack.SetUserGroupMembers("S0SECURITY", []string{sec1, sec2, sec3, dana}))
	id := w.openCase(manager)
	caseTag := "#" + itoa(id)

	w.slash(manager, "/offboard list")
	if got := w.lastEphemeral(manager); !strings.Contains(got, caseTag) {
		t.Fatalf("the requester's list does not show the case: %q", got)
	}
	w.slash(sec1, "/offboard status @dana")
	if got := w.lastEphemeral(sec1); !strings.Contains(got, caseTag) || !strings.Contains(got, "access key") {
		t.Errorf("an approver's status of dana: %q", got)
	}

	w.slashIn("C0GENERAL", dana, "/offboard list")
	if got := w.lastEphemeral(dana); strings.Contains(got, caseTag) || strings.Contains(got, "Dana") {
		t.Errorf("the target's list shows their case: %q", got)
	}
	w.slashIn("C0GENERAL", dana, "/offboard status @dana")
	if got := w.lastEphemeral(dana); strings.Contains(got, caseTag) || !strings.Contains(got, "that you can see") {
		t.Errorf("the target's status of themselves: %q", got)
	}
	w.slashIn("C0GENERAL", dana, "/offboard status")
	if got := w.lastEphemeral(dana); strings.Contains(got, caseTag) {
		t.Errorf("the target's own status: %q", got)
	}
	env, err := w.slack.OpenHome(dana)
	must(t, err)
	w.slack.WaitAck(env, 10*time.Second)
	w.settle()
	if h, ok := w.slack.HomeView(dana); !ok || strings.Contains(h.AllText(), caseTag) || strings.Contains(h.AllText(), "access key") {
		t.Errorf("the target's App Home (published %v) shows their case:\n%s", ok, h.AllText())
	}

	w.slash(outsider, "/offboard list")
	if got := w.lastEphemeral(outsider); !strings.Contains(got, "Only requesters and approvers") {
		t.Errorf("an outsider's list: %q", got)
	}
	w.slash(outsider, "/offboard status @dana")
	if got := w.lastEphemeral(outsider); strings.Contains(got, caseTag) || !strings.Contains(got, "Only requesters and approvers") {
		t.Errorf("an outsider's status: %q", got)
	}
}

// slashIn types a command as user in another channel than the approvals
// one and waits until it is processed.
func (w *world) slashIn(ch, user, typed string) {
	w.t.Helper()
	text := w.slack.EscapeTyped(strings.TrimSpace(strings.TrimPrefix(typed, "/offboard")))
	if _, err := w.slack.SlashWait(user, ch, text, 10*time.Second); err != nil {
		w.t.Fatalf("%s in %s: %v", typed, ch, err)
	}
	w.settle()
}
