package bot_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

func TestTheWholeStoryFromRequestToCompletion(t *testing.T) {
	w := newWorld(t, worldOptions{})
	ctx := context.Background()
	w.slash(manager, "/offboard @dana on 2024-07-03 contract ended")
	if got := w.lastEphemeral(manager); !strings.Contains(got, "Wed 3 Jul 2024 09:00 Europe/Berlin") || strings.Contains(got, "overdue") {
		t.Fatalf("confirmation = %q", got)
	}
	if c := w.caseOf(1); c.State != storage.CaseScheduled || c.Trigger != storage.TriggerScheduled {
		t.Fatalf("case = %+v; want scheduled", c)
	}

	// Nothing happens before the effective time, however often the
	// scheduler looks.
	w.clock.Advance(24 * time.Hour) // Tue 2 Jul 10:00
	w.tick()
	if n := len(w.thread(1)); n != 0 {
		t.Fatalf("%d thread replies before the effective time; want none", n)
	}
	if n := w.gh.CallCount("GET /orgs/{org}/memberships/{username}"); n != 0 {
		t.Errorf("GitHub was asked about the person %d times before the effective time", n)
	}

	// A grant that appears after the request is discovered too.
	late, err := w.iam.AddAccessKey(awsAcct, "dev", fakeaws.AccessKey{})
	must(t, err)

	w.clock.Advance(23*time.Hour + time.Minute) // Wed 3 Jul 09:01
	w.waitFor("the case to open", 10*time.Second, func() bool { return w.caseOf(1).State == storage.CaseOpen })
	w.settle()
	checklist := strings.Join(w.thread(1), "\n")
	for _, want := range []string{
		"Checklist for offboarding #1",
		"GitHub · acme · dev-gh · org membership (member, 2 teams",
		"AWS · 123456789012 · dev · access key AKIA",
		"last used 4 days ago",
		late.ID[len(late.ID)-4:],
		"console password",
		"Slack · ",
		"user group @oncall",
		"Collect laptop",
		"linked by config",
		"<!subteam^S0SECURITY>",
	} {
		if !strings.Contains(checklist, want) {
			t.Errorf("the checklist lacks %q:\n%s", want, checklist)
		}
	}

	// Approvals: each action by an approver; the manual task marked done.
	for _, a := range w.actions(1) {
		if a.System == "manual" {
			continue
		}
		w.click(sec1, a.ID, "Approve")
	}
	w.waitActions(1, "every revocation to run", func(as []storage.Action) bool {
		for _, a := range as {
			if a.System != "manual" && a.State != storage.ActionDone {
				return false
			}
		}
		return true
	})
	manual := w.action(1, "task")
	w.click(sec2, manual.ID, "Mark done")
	w.submit(sec2, map[string]fakeslack.Input{"note": {Value: "laptop returned to IT, ticket 4711"}})
	w.waitFor("the case to complete", 10*time.Second, func() bool { return w.caseOf(1).State == storage.CaseCompleted })
	w.settle()

	// Every revocation is visible on the test servers.
	if w.gh.IsMember(org, "dev-gh") {
		t.Error("dev-gh is still a member of the GitHub org")
	}
	u, _ := w.iam.User(awsAcct, "dev")
	if u.LoginProfile != nil {
		t.Error("the IAM user still has a console password")
	}
	for _, k := range u.AccessKeys {
		if k.Status != "Inactive" {
			t.Errorf("access key %s is %s", k.ID, k.Status)
		}
	}
	if _, ok := u.InlinePolicies["offboard-deny-all"]; !ok {
		t.Errorf("the inline deny-all policy is not on the user: %v", u.InlinePolicies)
	}
	if g, _ := w.slack.UserGroup("S0ONCALL"); slices.Contains(g.Members, dana) {
		t.Errorf("dana is still in @oncall: %v", g.Members)
	}

	// The parent says it is over; the thread tells the story.
	if p := w.parent(1).AllText(); !strings.Contains(p, "Completed") || !strings.Contains(p, "<@"+sec1+">") {
		t.Errorf("parent after completion: %s", p)
	}
	thread := strings.Join(w.thread(1), "\n")
	for _, want := range []string{"approved", "Revoked", "marked", "laptop returned to IT", "This offboarding is closed"} {
		if !strings.Contains(thread, want) {
			t.Errorf("the thread lacks %q", want)
		}
	}

	// The thread anchors the audit chain: the hash it shows is the one in
	// the database for that event.
	var anchored bool
	w.db.AuditEvents(ctx, storage.ExportFilter{CaseID: 1}, func(ev storage.Event) error {
		if ev.Type == storage.EventCompleted {
			anchored = strings.Contains(thread, fmt.Sprintf("Audit log at event %d, hash `%s`", ev.Seq, ev.Hash))
		}
		return nil
	})
	if !anchored {
		t.Errorf("the closing reply does not anchor the audit chain at the completed event:\n%s", thread)
	}
	n, broken, err := w.db.VerifyAudit(ctx)
	if err != nil || broken != nil {
		t.Fatalf("audit verify: %v %v", broken, err)
	}
	types := map[string]int{}
	w.db.AuditEvents(ctx, storage.ExportFilter{CaseID: 1}, func(ev storage.Event) error { types[ev.Type]++; return nil })
	revocations := len(w.actions(1)) - 1
	for typ, want := range map[string]int{storage.EventRequested: 1, storage.EventScheduled: 1, storage.EventDiscovered: 1,
		storage.EventChecklistPosted: 1, storage.EventApproved: revocations, storage.EventExecuting: revocations,
		storage.EventMarkedDone: 1, storage.EventCompleted: 1} {
		if types[typ] != want {
			t.Errorf("audit has %d %s events; want %d", types[typ], typ, want)
		}
	}
	if types[storage.EventRevoked]+types[storage.EventAlreadyGone] != revocations {
		t.Errorf("audit has %d revoked + %d already gone; want %d", types[storage.EventRevoked], types[storage.EventAlreadyGone], revocations)
	}
	// The export and the thread agree.
	if got := w.threadCount(1, "Revoked") + w.threadCount(1, "already gone"); got != revocations {
		t.Errorf("the thread shows %d revocations; the audit log %d", got, revocations)
	}
	if got := w.threadCount(1, ":ballot_box_with_check:"); got != types[storage.EventApproved] {
		t.Errorf("the thread shows %d approvals; the audit log %d", got, types[storage.EventApproved])
	}
	t.Logf("%d audit events, %d actions", n, len(w.actions(1)))
}
