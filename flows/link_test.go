package flows

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// linkRow is one account link in words: system/scope/account by method.
func linkRows(ls []storage.AccountLink) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.System+"/"+l.Scope+"/"+l.Account+" by "+l.LinkedBy)
	}
	return out
}

func TestLink(t *testing.T) {
	second := &sys{system: connectors.AWS, scope: "444455556666", name: "staging"}
	for _, tc := range []struct {
		name   string
		actor  Actor
		in     LinkInput
		noAWS  bool
		twoAWS bool
		kind   RefusalKind
		detail string
		// audited: a refusal writes a refused event.
		audited bool
		want    []string // the target's links afterwards
	}{
		{name: "a GitHub login", actor: sec1, in: LinkInput{GitHub: "octo"},
			want: []string{"github/acme/octo by manual"}},
		{name: "an IAM user in an account named by its name", actor: sec1, in: LinkInput{AWSUser: "dev", AWSAccount: "prod"},
			want: []string{"aws/111122223333/dev by manual"}},
		{name: "an IAM user in an account named by its ID", actor: sec1, in: LinkInput{AWSUser: "dev", AWSAccount: "111122223333"},
			twoAWS: true, want: []string{"aws/111122223333/dev by manual"}},
		{name: "an IAM user without an account is linked in every account", actor: sec1, in: LinkInput{AWSUser: "dev"}, twoAWS: true,
			want: []string{"aws/111122223333/dev by manual", "aws/444455556666/dev by manual"}},
		{name: "both at once", actor: sec1, in: LinkInput{GitHub: "octo", AWSUser: "dev"},
			want: []string{"aws/111122223333/dev by manual", "github/acme/octo by manual"}},
		{name: "a non-approver is refused", actor: manager, in: LinkInput{GitHub: "octo"}, kind: NotApprover, audited: true},
		{name: "the target is refused", actor: self, in: LinkInput{GitHub: "octo"}, kind: IsTarget, audited: true},
		{name: "an AWS account that is not configured", actor: sec1, in: LinkInput{AWSUser: "dev", AWSAccount: "sandbox"},
			kind: UnknownAWSAccount, detail: "sandbox"},
		{name: "AWS when its connector is off", actor: sec1, in: LinkInput{AWSUser: "dev"}, noAWS: true,
			kind: ConnectorOff, detail: "aws"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extra := []Connector{newGitHub()}
			if !tc.noAWS {
				extra = append(extra, newAWS())
			}
			if tc.twoAWS {
				extra = append(extra, second)
			}
			r := newRigWith(t, rigOptions{extra: extra})
			tc.in.Target = target
			before := r.seq()
			got, err := r.svc.Link(r.ctx, tc.actor, tc.in)
			if tc.kind != 0 {
				ref := wantRefusal(t, err, tc.kind)
				if ref.Verb != "link" || ref.Detail != tc.detail {
					t.Errorf("refusal %+v; want detail %q", ref, tc.detail)
				}
				evs := r.since(before)
				if tc.audited != (len(evs) == 1 && evs[0] == storage.EventRefused) || (!tc.audited && len(evs) != 0) {
					t.Errorf("events %v (audited: %v)", evs, tc.audited)
				}
				if len(r.links(target.SlackID)) != 0 || r.count("accounts") != 0 {
					t.Error("a refused link linked something")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ls := linkRows(r.links(target.SlackID)); !slices.Equal(ls, tc.want) {
				t.Errorf("links %v; want %v", ls, tc.want)
			}
			if len(got) != len(tc.want) {
				t.Errorf("Link returned %d links; want %d", len(got), len(tc.want))
			}
			es := r.audit(storage.EventLinkChanged)
			if len(es) != len(tc.want) {
				t.Fatalf("%d link_changed events; want %d", len(es), len(tc.want))
			}
			for _, e := range es {
				if e.Actor != tc.actor.ID || e.Details["slack"] != target.SlackID || e.Details["linked_by"] != "manual" {
					t.Errorf("link_changed event %+v", e)
				}
			}
			for _, l := range r.links(target.SlackID) {
				if l.LinkedActor != tc.actor.ID {
					t.Errorf("link %+v does not name who linked it", l)
				}
			}
		})
	}
}

func TestLinksAddedToAnOpenCaseAreNewRowsOfItsChecklist(t *testing.T) {
	gh := newGitHub()
	gh.grants["octo"] = []connectors.Grant{{Kind: "membership", Ref: "m-octo"}, {Kind: "deploy_key", Ref: "k-octo"}}
	r := newRigWith(t, rigOptions{extra: []Connector{gh},
		grants: []connectors.Grant{{Kind: "usergroup", Ref: "S1"}, {Kind: "usergroup", Ref: "S2"}}})
	c := r.openFor(manager, target)
	before := r.seq()
	if _, err := r.svc.Link(r.ctx, sec1, LinkInput{Target: target, GitHub: "octo"}); err != nil {
		t.Fatal(err)
	}
	as := r.actions(c.ID)
	var got []string
	for _, a := range as {
		got = append(got, a.System+"/"+a.Account+"/"+a.Kind+"/"+a.State)
	}
	want := []string{"slack/U0DEV/usergroup/awaiting_approval", "slack/U0DEV/usergroup/awaiting_approval",
		"github/octo/membership/awaiting_approval", "github/octo/deploy_key/awaiting_approval"}
	if !slices.Equal(got, want) {
		t.Fatalf("actions %v; want %v", got, want)
	}
	if as[2].Position != 2 || as[3].Position != 3 {
		t.Errorf("positions %d, %d; want after the first two", as[2].Position, as[3].Position)
	}
	if evs := r.since(before); !slices.Equal(evs, []string{storage.EventLinkChanged, storage.EventDiscovered, storage.EventChecklistPosted}) {
		t.Errorf("events %v", evs)
	}
	if e := r.last(storage.EventDiscovered); e.Details["grants"] != 2.0 || e.Details["after"] != "link" {
		t.Errorf("discovered event %+v", e.Details)
	}
	if e := r.last(storage.EventChecklistPosted); e.CaseID != c.ID || e.Details["actions"] != 4.0 || e.Details["before"] != 2.0 {
		t.Errorf("checklist_posted event %+v", e.Details)
	}
	// A link to a person whose case is not open yet waits for discovery.
	later := Person{SlackID: "U0LATER"}
	if _, err := r.svc.Request(r.ctx, manager, RequestInput{Target: later, At: r.clock.Now().Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	before = r.seq()
	if _, err := r.svc.Link(r.ctx, sec1, LinkInput{Target: later, GitHub: "later-gh"}); err != nil {
		t.Fatal(err)
	}
	if evs := r.since(before); !slices.Equal(evs, []string{storage.EventLinkChanged}) {
		t.Errorf("events %v; want only the link", evs)
	}
}

func TestTheConfigurationFilesLinksReplaceLinksByHand(t *testing.T) {
	cfg := Config{Identities: []IdentityConfig{
		{Slack: target.SlackID, GitHub: "octo", AWS: "dev@prod"},
		{GitHub: "ghost", Name: "Ghost", Email: "ghost@example.com"},
	}}
	r := newRigWith(t, rigOptions{cfg: cfg, extra: []Connector{newGitHub(), newAWS()}})
	// octo was linked by hand to someone else first.
	if _, err := r.svc.Link(r.ctx, sec1, LinkInput{Target: other, GitHub: "octo"}); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	if got := linkRows(r.links(target.SlackID)); !slices.Equal(got, []string{"aws/111122223333/dev by config", "github/acme/octo by config"}) {
		t.Errorf("target's links %v", got)
	}
	if got := r.links(other.SlackID); len(got) != 0 {
		t.Errorf("other still has %v", linkRows(got))
	}
	owner, err := storage.LoadAccountOwner(r.ctx, r.db.Reader(), "github", "acme", "ghost")
	if err != nil {
		t.Fatal(err)
	}
	ghost, err := storage.LoadIdentity(r.ctx, r.db.Reader(), owner.IdentityID)
	if err != nil || ghost.Name != "Ghost" || ghost.Email != "ghost@example.com" || ghost.SlackUser != "" {
		t.Errorf("ghost %+v, %v", ghost, err)
	}
	// Syncing again at the next start keeps every link.
	n := r.count("accounts")
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil || r.count("accounts") != n {
		t.Errorf("a second sync: %v, %d accounts; want %d", err, r.count("accounts"), n)
	}
}

// A person of the file without a Slack ID keeps one identity across
// restarts, so a case opened for them still finds their accounts.
func TestAPersonOfTheFileWithoutSlackKeepsTheirIdentityAcrossRestarts(t *testing.T) {
	gh := newGitHub()
	gh.grants["ghost"] = []connectors.Grant{{Kind: "membership", Ref: "m-ghost"}}
	gh.dormant = []connectors.Dormant{{Account: connectors.Account{System: connectors.GitHub, ID: "ghost"}, Why: "no contributions in 90 days"}}
	r := newRigWith(t, rigOptions{cfg: Config{Identities: []IdentityConfig{{GitHub: "ghost", Name: "Ghost"}}}, extra: []Connector{gh}})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := r.svc.Scan(r.ctx, ScanInput{Trigger: "command", Actor: sec1})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.svc.StartFromDormant(r.ctx, sec1, finding(t, rep, "ghost")); err != nil {
		t.Fatal(err)
	}
	// The process restarts before the case is discovered.
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.OpenDue(r.ctx); err != nil {
		t.Fatal(err)
	}
	c := r.load(r.last(storage.EventRequested).CaseID)
	if n := len(r.actions(c.ID)); n != 1 {
		t.Fatalf("flows/link.go SyncConfigIdentities calls tx.NewIdentity for every identities entry without a slack "+
			"ID on every start, so each restart makes a new identity (now %d identities for one person) and moves the file's "+
			"links to it. A case started for that person (here from their dormant finding) keeps the old identity, finds no "+
			"linked account and ends %s with %d actions and notes %q: nothing of theirs is revoked. It should find the "+
			"existing identity (by the linked account, or by name/email) instead of creating one.",
			r.count("identities"), c.State, n, c.Notes)
	}
}

func TestAGitHubLoginInTheFileWithoutAGitHubConnectorIsKept(t *testing.T) {
	r := newRig(t, Config{Identities: []IdentityConfig{{Slack: target.SlackID, GitHub: "octo"}}})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	if got := linkRows(r.links(target.SlackID)); !slices.Equal(got, []string{"github//octo by config"}) {
		t.Errorf("links %v", got)
	}
}

func TestDiscoveryLinksAccountsFoundByEmail(t *testing.T) {
	withEmail := Person{SlackID: target.SlackID, Name: "dev", Email: "dev@example.com"}
	for _, tc := range []struct {
		name string
		// linkedTo is who octo is linked to by hand before the case.
		linkedTo  *Person
		findErr   error
		wantLinks []string
		wantEvent bool
		actions   int
	}{
		{name: "an account found by email is linked and discovered",
			wantLinks: []string{"github/acme/octo by email-match"}, wantEvent: true, actions: 1},
		{name: "an email match never moves a link made by hand", linkedTo: &other, actions: 0},
		{name: "a search that fails leaves discovery to go on", findErr: errors.New("timeout"), actions: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gh := newGitHub()
			gh.grants["octo"] = []connectors.Grant{{Kind: "membership", Ref: "m-octo"}}
			gh.emails = map[string][]connectors.Account{"dev@example.com": {{System: connectors.GitHub, ID: "octo"}}}
			gh.emailErr = tc.findErr
			r := newRigWith(t, rigOptions{extra: []Connector{gh}, noSlack: true})
			if tc.linkedTo != nil {
				if _, err := r.svc.Link(r.ctx, sec1, LinkInput{Target: *tc.linkedTo, GitHub: "octo"}); err != nil {
					t.Fatal(err)
				}
			}
			before := r.seq()
			c := r.openFor(manager, withEmail)
			if got := linkRows(r.links(target.SlackID)); !slices.Equal(got, tc.wantLinks) {
				t.Errorf("links %v; want %v", got, tc.wantLinks)
			}
			var linked []ev
			for _, e := range r.audit(storage.EventLinkChanged) {
				if e.Seq > before {
					linked = append(linked, e)
				}
			}
			if tc.wantEvent != (len(linked) == 1) {
				t.Fatalf("link_changed events %+v", linked)
			}
			if tc.wantEvent && (linked[0].Actor != System.ID || linked[0].Details["email"] != "dev@example.com" ||
				linked[0].Details["linked_by"] != "email-match" || linked[0].Details["account"] != "octo") {
				t.Errorf("link_changed event %+v", linked[0])
			}
			if n := len(r.actions(c.ID)); n != tc.actions {
				t.Errorf("%d actions; want %d", n, tc.actions)
			}
		})
	}
}

// Linking an account that is already on the checklist adds nothing: its
// grants are rows already, and a second row would be a second revocation
// to approve.
func TestLinkingAnAccountAlreadyOnTheChecklistAddsNoRows(t *testing.T) {
	gh := newGitHub()
	gh.grants["octo"] = []connectors.Grant{{Kind: "membership", Ref: "m-octo"}}
	r := newRigWith(t, rigOptions{extra: []Connector{gh}, noSlack: true})
	c := r.request(manager, target)
	if _, err := r.svc.Link(r.ctx, sec1, LinkInput{Target: target, GitHub: "octo"}); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.OpenDue(r.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(r.actions(c.ID)); n != 1 {
		t.Fatalf("%d actions after discovery; want 1", n)
	}
	// The same link again, by another approver, into the open case.
	if _, err := r.svc.Link(r.ctx, sec2, LinkInput{Target: target, GitHub: "octo"}); err != nil {
		t.Fatal(err)
	}
	if n := len(r.actions(c.ID)); n != 1 {
		t.Fatalf("flows/link.go Link treats every link it was asked for as new (it appends it and audits "+
			"link_changed even when tx.Link reports no change), and addToOpenCase discovers those accounts again and "+
			"inserts their grants as new rows: linking github:octo a second time into the open case left %d rows for "+
			"the one membership, each to approve and revoke. Only changed links should be added, and grants already "+
			"on the checklist skipped.", n)
	}
}

// Moving an account already linked to another person needs a second
// approver's confirmation: one approver's link does not move it.
func TestOneApproverCannotMoveAnAccountFromAnotherPerson(t *testing.T) {
	gh := newGitHub()
	gh.grants["octo"] = []connectors.Grant{{Kind: "membership", Ref: "m-octo"}}
	r := newRigWith(t, rigOptions{cfg: Config{Identities: []IdentityConfig{{Slack: other.SlackID, GitHub: "octo"}}},
		extra: []Connector{gh}, noSlack: true})
	if err := r.svc.SyncConfigIdentities(r.ctx); err != nil {
		t.Fatal(err)
	}
	_, err := r.svc.Link(r.ctx, sec1, LinkInput{Target: target, GitHub: "octo"})
	if got := linkRows(r.links(other.SlackID)); !slices.Equal(got, []string{"github/acme/octo by config"}) {
		t.Fatalf("flows/link.go Link moves an account linked to another person (here by the identities file) "+
			"on one approver's word, with no second approver's confirmation (Link returned %v; other's links are now "+
			"%v, the target's %v). The move should wait for a second approver.", err, got, linkRows(r.links(target.SlackID)))
	}
}
