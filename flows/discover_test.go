package flows

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// linkedToGitHub links the target to the GitHub login octo through the
// configuration file.
func linkedToGitHub(cfg Config) Config {
	cfg.Identities = append(cfg.Identities, IdentityConfig{Slack: target.SlackID, GitHub: "octo"})
	return cfg
}

func TestDiscoveryTurnsGrantsIntoActionsUnderThePolicy(t *testing.T) {
	cfg := linkedToGitHub(Config{Policy: PolicyConfig{Rules: []Rule{
		{Match: Match{System: "slack", Action: "usergroup"}, AutoApprove: true},
		{Match: Match{System: "github"}, ApprovalsRequired: 2},
	}}})
	gh := newGitHub()
	gh.grants["octo"] = []connectors.Grant{{Kind: "membership", Ref: "m-octo", Title: "org membership"}}
	r := newRigWith(t, rigOptions{cfg: cfg, roleGroups: []string{"S0APPROVERS"}, extra: []Connector{gh, newAWS()},
		grants: []connectors.Grant{
			{Kind: "usergroup", Ref: "S0OPS", Title: "user group @ops"},
			{Kind: "usergroup", Ref: "S0APPROVERS", Title: "user group @offboard-approvers"},
			{Kind: "account", Ref: "bot", Title: "the bot user", Protected: "the bot's own user"},
			{Kind: "enterprise", Ref: "idp", Title: "IdP account", Manual: "deprovision in the IdP"},
		}})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	c := r.openFor(manager, target)

	want := []struct {
		ref      string
		state    string
		required int
		policy   string // a prefix
		job      bool
	}{
		{"S0OPS", storage.ActionAutoApproved, 0, "auto-approved by policy rule 1 (slack, usergroup)", true},
		// The role group's count is TestRemovalFromARoleGroupNeedsTheDefaultApprovals's.
		{"S0APPROVERS", storage.ActionAwaitingApproval, -1, "needs an explicit approval", false},
		{"bot", storage.ActionSkipped, 0, "protected: the bot's own user", false},
		{"idp", storage.ActionAwaitingApproval, 1, "done by hand", false},
		{"m-octo", storage.ActionAwaitingApproval, 2, "needs 2 approvals from different people by policy rule 2", false},
	}
	if n := len(r.actions(c.ID)); n != len(want) {
		t.Fatalf("%d actions; want %d", n, len(want))
	}
	for _, w := range want {
		a := r.byRef(c.ID, w.ref)
		_, queued := r.job(a.ID)
		if a.State != w.state || (w.required >= 0 && a.ApprovalsRequired != w.required) || !strings.HasPrefix(a.Policy, w.policy) || queued != w.job {
			t.Errorf("%s: %s, %d required, policy %q, job %v; want %s, %d, %q…, job %v",
				w.ref, a.State, a.ApprovalsRequired, a.Policy, queued, w.state, w.required, w.policy, w.job)
		}
		if a.MaxAttempts != 5 {
			t.Errorf("%s: %d attempts allowed; want the default 5", w.ref, a.MaxAttempts)
		}
	}
	// The auto-approved grant's policy words are the rule's, in its event.
	auto := r.byRef(c.ID, "S0OPS")
	if !auto.AutoApprove {
		t.Errorf("auto-approved action not flagged: %+v", auto)
	}
	e := r.last(storage.EventAutoApproved)
	if e.ActionID != auto.ID || e.Actor != System.ID || e.Details["policy"] != "auto-approved by policy rule 1 (slack, usergroup)" ||
		e.Details["kind"] != "usergroup" || e.Details["account"] != target.SlackID {
		t.Errorf("auto_approved event %+v", e)
	}
	if n := len(r.audit(storage.EventAutoApproved)); n != 1 {
		t.Errorf("%d auto_approved events; want 1 (never the role group)", n)
	}
	d := r.last(storage.EventDiscovered)
	bySystem, _ := d.Details["by_system"].(map[string]any)
	if d.Details["grants"] != 5.0 || bySystem["slack"] != 4.0 || bySystem["github"] != 1.0 {
		t.Errorf("discovered event %+v", d.Details)
	}
	p := r.last(storage.EventChecklistPosted)
	if p.Details["actions"] != 5.0 || p.Details["before"] != 0.0 {
		t.Errorf("checklist_posted event %+v", p.Details)
	}
	// The AWS account is not linked: the checklist says how to link it.
	c = r.load(c.ID)
	if len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "No IAM user in AWS account 111122223333") ||
		!strings.Contains(c.Notes[0], "/offboard link") {
		t.Errorf("notes %q; want the unlinked AWS note", c.Notes)
	}
	if c.State != storage.CaseOpen || c.OpenedAt.IsZero() {
		t.Errorf("case %s opened at %v", c.State, c.OpenedAt)
	}
}

func TestAnUnlinkedGitHubAccountIsANote(t *testing.T) {
	r := newRigWith(t, rigOptions{extra: []Connector{newGitHub()}})
	c := r.openFor(manager, target)
	if len(c.Notes) != 1 || !strings.HasPrefix(c.Notes[0], "No GitHub account in acme is linked to this person.") {
		t.Errorf("notes %q", c.Notes)
	}
}

func TestACaseWhoseEveryGrantIsProtectedCompletesAtOnce(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "account", Ref: "bot", Protected: "the bot's own user"})
	c := r.open()
	if c.State != storage.CaseCompleted {
		t.Fatalf("case %s; want completed", c.State)
	}
	e := r.last(storage.EventCompleted)
	if e.CaseID != c.ID || e.Details["actions"] != 1.0 || e.Details["skipped"] != 1.0 || e.Details["done"] != 0.0 {
		t.Errorf("completed event %+v", e.Details)
	}
	if r.conn.Calls("bot") != 0 || r.count("jobs") != 0 {
		t.Error("a protected grant was queued or revoked")
	}
}

func TestAGrantAPersonRevokesByHandIsMarkedDoneNeverRevoked(t *testing.T) {
	manual := &sys{system: connectors.Manual, grants: map[string][]connectors.Grant{
		target.SlackID: {{Kind: "task", Ref: "laptop", Title: "Collect laptop"}}}}
	r := newRigWith(t, rigOptions{extra: []Connector{manual}, noSlack: true})
	r.runExecutor(ExecutorOptions{Poll: 10 * time.Millisecond})
	c := r.openFor(manager, target)
	a := r.actions(c.ID)[0]
	if a.State != storage.ActionAwaitingApproval || a.Policy != "done by hand" || !ByHand(a) {
		t.Fatalf("manual task %+v", a)
	}
	if got := Allowed(c, a); len(got) != 2 || got[0] != VerbMarkDone || got[1] != VerbHold {
		t.Errorf("allowed verbs %v; want mark done, hold", got)
	}
	wantRefusal(t, r.svc.Approve(r.ctx, sec1, c.ID, a.ID), AlreadyDecided)
	if err := r.svc.MarkDone(r.ctx, sec1, c.ID, a.ID, "laptop returned"); err != nil {
		t.Fatal(err)
	}
	a = r.action(a.ID)
	if a.State != storage.ActionDone || a.DoneBy != sec1.ID || a.DoneNote != "laptop returned" || a.Outcome != "marked done" {
		t.Errorf("action %+v", a)
	}
	if manual.revoked["laptop"] != 0 {
		t.Error("Revoke was called for a task done by hand")
	}
	if r.load(c.ID).State != storage.CaseCompleted {
		t.Error("the case did not complete")
	}
}

func TestDiscoveryRetriesASystemItCannotReadThenOpensWithANote(t *testing.T) {
	boom := &connectors.Error{System: connectors.GitHub, Op: "list memberships", Kind: connectors.KindRetryable, Err: errors.New("502")}
	for _, tc := range []struct {
		name     string
		failures int // Grants calls that fail
		passes   int // passes before the case opens
		notes    int
		actions  int
	}{
		{"a system that recovers is on the checklist", 2, 3, 0, 2},
		{"a system that never recovers is a note after the last try", 100, maxDiscoverAttempts, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gh := newGitHub()
			gh.grants["octo"] = []connectors.Grant{{Kind: "membership", Ref: "m-octo"}}
			gh.grantsErr = func(n int) error {
				if n <= tc.failures {
					return boom
				}
				return nil
			}
			r := newRigWith(t, rigOptions{cfg: linkedToGitHub(Config{}), extra: []Connector{gh},
				grants: []connectors.Grant{{Kind: "usergroup", Ref: "S1"}}})
			if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
				t.Fatal(err)
			}
			c := r.request(manager, target)
			for pass := 1; pass < tc.passes; pass++ {
				if err := r.svc.OpenDue(r.ctx); err != nil {
					t.Fatal(err)
				}
				if s := r.load(c.ID).State; s != storage.CaseScheduled {
					t.Fatalf("after failed pass %d the case is %s; want still scheduled", pass, s)
				}
			}
			if err := r.svc.OpenDue(r.ctx); err != nil {
				t.Fatal(err)
			}
			c = r.load(c.ID)
			if c.State != storage.CaseOpen || len(c.Notes) != tc.notes || len(r.actions(c.ID)) != tc.actions {
				t.Fatalf("case %s with notes %q and %d actions; want open, %d notes, %d actions",
					c.State, c.Notes, len(r.actions(c.ID)), tc.notes, tc.actions)
			}
			if tc.notes > 0 && !strings.HasPrefix(c.Notes[0], "Could not read GitHub (acme) for octo: github: list memberships: 502.") {
				t.Errorf("note %q", c.Notes[0])
			}
			if n := len(r.audit(storage.EventDiscovered)); n != 1 {
				t.Errorf("%d discovered events; want 1, when it opened", n)
			}
		})
	}
}

// A rule that auto-approves Slack user groups does not apply to offboard's
// own role groups: the row needs an explicit approval, and so the
// configured number of approvals (the checklist shows "needs N").
func TestRemovalFromARoleGroupNeedsTheDefaultApprovals(t *testing.T) {
	r := newRigWith(t, rigOptions{
		cfg:        Config{Policy: PolicyConfig{Rules: []Rule{{Match: Match{System: "slack", Action: "usergroup"}, AutoApprove: true}}}},
		roleGroups: []string{"S0APPROVERS"},
		grants:     []connectors.Grant{{Kind: "usergroup", Ref: "S0APPROVERS"}}})
	c := r.open()
	a := r.actions(c.ID)[0]
	if a.State != storage.ActionAwaitingApproval || a.AutoApprove {
		t.Fatalf("role group removal %s (auto %v); want awaiting an explicit approval", a.State, a.AutoApprove)
	}
	if len(r.audit(storage.EventAutoApproved)) != 0 {
		t.Fatal("a role group removal was auto-approved")
	}
	if err := r.svc.Approve(r.ctx, sec1, c.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	if s := r.action(a.ID).State; s != storage.ActionApproved {
		t.Errorf("after one explicit approval: %s", s)
	}
	if a.ApprovalsRequired != 1 {
		t.Fatalf("flows/discover.go insertActions keeps the auto-approve Decision's ApprovalsRequired (0) "+
			"for a role-group removal it refuses to auto-approve; the action is stored with approvals_required=%d, so the "+
			"checklist reads \"needs 0 different approvers\" and the approved event says required 0. It should get "+
			"policy.approvals_required (1 here).", a.ApprovalsRequired)
	}
}

// Passes that meet (two processes, a tick and a wake) open a case once.
func TestConcurrentPassesOpenACaseOnce(t *testing.T) {
	r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"}, connectors.Grant{Kind: "usergroup", Ref: "S2"})
	c := r.request(manager, target)
	replica := New(Options{DB: r.db, Config: r.svc.cfg, Connectors: Connectors{r.conn}, Logger: r.svc.log, Clock: r.clock.Now})
	errs := make(chan error, 4)
	for _, s := range []*Service{r.svc, replica, r.svc, replica} {
		go func() { errs <- s.OpenDue(r.ctx) }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.actions(c.ID)); n != 2 || len(r.audit(storage.EventDiscovered)) != 1 || len(r.audit(storage.EventChecklistPosted)) != 1 {
		t.Errorf("%d actions, %d discovered, %d checklists; want 2, 1, 1", n,
			len(r.audit(storage.EventDiscovered)), len(r.audit(storage.EventChecklistPosted)))
	}
}

// A discovery lease left by a killed process holds the case for one lease
// at most: an expired one is taken over, a live one is respected.
func TestADiscoveryLeaseOfADeadProcessIsTakenOverOnceExpired(t *testing.T) {
	for _, tc := range []struct {
		name  string
		until time.Duration // from the wall clock
		want  string
	}{
		{"expired", -time.Millisecond, storage.CaseOpen},
		{"live", time.Hour, storage.CaseScheduled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{}, connectors.Grant{Kind: "usergroup", Ref: "S1"})
			c := r.request(manager, target)
			if err := r.db.Write(r.ctx, func(tx *storage.Tx) error {
				_, err := tx.Exec(r.ctx, `INSERT INTO leases(name, owner, until) VALUES (?,?,?)`,
					fmt.Sprintf("discover:%d", c.ID), "killed", time.Now().Add(tc.until).UnixMilli())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if err := r.svc.OpenDue(r.ctx); err != nil {
				t.Fatal(err)
			}
			if s := r.load(c.ID).State; s != tc.want {
				t.Errorf("case %s; want %s", s, tc.want)
			}
		})
	}
}

// While discovery runs, its lease ends at most one lease after now: a
// process killed at that moment stalls the case for no longer.
func TestTheDiscoveryLeaseIsShort(t *testing.T) {
	gh := newGitHub()
	r := newRigWith(t, rigOptions{cfg: linkedToGitHub(Config{}), extra: []Connector{gh}})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	c := r.request(manager, target)
	var left time.Duration
	gh.grantsErr = func(int) error {
		var until int64
		err := r.db.Reader().QueryRowContext(r.ctx, `SELECT until FROM leases WHERE name=?`, fmt.Sprintf("discover:%d", c.ID)).Scan(&until)
		left = time.Until(time.UnixMilli(until))
		return err
	}
	if err := r.svc.OpenDue(r.ctx); err != nil {
		t.Fatal(err)
	}
	if left <= 0 || left > maxLease {
		t.Errorf("the discovery lease ends %s after now; want within %s", left, maxLease)
	}
	if n := r.count("leases"); n != 0 {
		t.Errorf("%d leases left after discovery; want it released", n)
	}
}

// When the person is the last member of one of offboard's role groups,
// the Slack connector offers to disable the group (Slack cannot empty a
// group): that is a removal from the role group too, and a policy that
// auto-approves Slack grants must not apply to it.
func TestDisablingARoleGroupIsNeverAutoApproved(t *testing.T) {
	r := newRigWith(t, rigOptions{
		cfg:        Config{Policy: PolicyConfig{Rules: []Rule{{Match: Match{System: "slack"}, AutoApprove: true}}}},
		roleGroups: []string{"S0APPROVERS"},
		grants: []connectors.Grant{{Kind: "usergroup_disable", Ref: "S0APPROVERS", Title: "disable user group @offboard-approvers",
			Warning: "disables @offboard-approvers for everyone"}}})
	c := r.open()
	a := r.actions(c.ID)[0]
	if a.State == storage.ActionAutoApproved {
		t.Fatalf("flows/discover.go roleGroup matches only grants of kind \"usergroup\"; the Slack connector's " +
			"\"usergroup_disable\" (the person is the group's last member) of offboard's own approver group S0APPROVERS " +
			"was auto-approved and queued by a rule matching system slack, so offboard would disable its own role group " +
			"without anyone approving. Every Slack grant whose Ref is a role group should need an explicit approval.")
	}
	if a.State != storage.ActionAwaitingApproval || len(r.audit(storage.EventAutoApproved)) != 0 {
		t.Errorf("disabling a role group: %s", a.State)
	}
}

// Every system whose account could not be linked says so on the
// checklist: silence would read as "no access there".
func TestAnUnlinkedIdentityCenterUserIsANote(t *testing.T) {
	idc := &sys{system: connectors.IdentityCenter, scope: "d-123"}
	r := newRigWith(t, rigOptions{extra: []Connector{idc}})
	c := r.openFor(manager, target)
	if len(c.Notes) == 0 {
		t.Fatal("an Identity Center connector that found no linked user for the person leaves no note, so the checklist is silent about Identity Center access")
	}
	if !strings.Contains(c.Notes[0], "Identity Center") {
		t.Errorf("notes %q", c.Notes)
	}
}
