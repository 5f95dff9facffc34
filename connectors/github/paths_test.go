package github

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

// newBothEnv is an env whose connector holds the owner's token and an App
// with every permission offboard can use.
func newBothEnv(t *testing.T, tune ...func(*Options)) *env {
	t.Helper()
	fake := newFake(t, fakegithub.Options{})
	app, err := fake.AddApp(org, map[string]string{"members": "write", "organization_personal_access_tokens": "write",
		"administration": "write", "organization_codespaces": "write"})
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions(fake)
	for _, f := range tune {
		f(&opts)
	}
	conn, err := New(Config{Org: org}, Credentials{Token: "tok-boss", AppID: app.ID, InstallationID: app.InstallationID, PrivateKey: app.PrivateKeyPEM}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, fake: fake, conn: conn}
}

func (e *env) grantsOf(acct connectors.Account) []connectors.Grant {
	e.t.Helper()
	gs, err := e.conn.Grants(context.Background(), acct)
	if err != nil {
		e.t.Fatalf("Grants(%s): %v", acct.ID, err)
	}
	return gs
}

func kindsOf(gs []connectors.Grant) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Kind)
	}
	return out
}

// seedEveryPath gives dev every access path offboard knows, plus some of
// others' that must not be touched.
func seedEveryPath(f *fakegithub.Server) {
	f.AddMember(org, fakegithub.Member{Login: "dev"})
	f.AddMember(org, fakegithub.Member{Login: "other"})
	f.AddTeam(org, "core", "dev")
	f.AddTeam(org, "web", "dev", "other")
	f.AddTeam(org, "ops", "dev")
	f.AddDeployKey(org, "api", fakegithub.DeployKey{Title: "ci", AddedBy: "dev", LastUsed: days(2)})
	f.AddDeployKey(org, "api", fakegithub.DeployKey{Title: "others", AddedBy: "other"})
	f.AddCodespace(org, fakegithub.Codespace{Name: "dev-api-1", Owner: "dev", Repo: "api", LastUsedAt: days(1)})
	f.AddCodespace(org, fakegithub.Codespace{Name: "other-api-1", Owner: "other", Repo: "api"})
	f.AddPAT(org, fakegithub.PAT{Owner: "dev", Name: "laptop"})
	f.AddPAT(org, fakegithub.PAT{Owner: "other"})
	f.AddCredential(org, fakegithub.Credential{Login: "dev", TokenLastEight: "deadbeef"})
	f.AddCredential(org, fakegithub.Credential{Login: "other"})
	f.AddInvitation(org, fakegithub.Invitation{Email: "dev@second.example"})
	f.AddInvitation(org, fakegithub.Invitation{Email: "someone@else.example"})
	f.AddRepoInvitation(org, "docs", fakegithub.RepoInvitation{Invitee: "dev", Inviter: "boss", Permissions: "write"})
	f.AddRepoInvitation(org, "docs", fakegithub.RepoInvitation{Invitee: "other"})
}

// The discovery of issue 12: a person with every path. Each path is a
// grant, and revoking each removes it from the fake org while others'
// access stays.
func TestEveryAccessPathIsAGrantAndEachRevokeRemovesIt(t *testing.T) {
	e := newBothEnv(t)
	seedEveryPath(e.fake)
	dev := connectors.Account{ID: "dev", LinkedBy: connectors.LinkConfig, Emails: []string{"dev@first.example", "dev@second.example"}}
	e.fake.ResetCalls()
	gs := e.grantsOf(dev)
	t.Logf("discovery with 2 repositories: %d calls: %v", e.fake.TotalCalls(), e.fake.CallCounts())
	if n := e.fake.CallCount(fakegithub.RouteDeployKeys); n != 1 {
		t.Errorf("%d deploy-key lists, want 1: only api has keys", n)
	}
	want := []string{KindMembership, KindInvitation, KindRepoInvitation, KindDeployKey, KindCodespace, KindSSOCredentials, KindPATAccess}
	if !slices.Equal(kindsOf(gs), want) {
		t.Fatalf("kinds = %v, want %v", kindsOf(gs), want)
	}
	if m := gs[0]; !slices.Contains(m.Context, "3 teams") || m.Protected != "" || len(m.Context) != 3 {
		t.Errorf("membership = %+v, want 3 teams, no notes of blind spots, not protected", m)
	}
	gone := map[string]func() bool{
		KindMembership: func() bool { return !e.fake.IsMember(org, "dev") && e.fake.IsMember(org, "other") },
		KindInvitation: func() bool {
			inv := e.fake.Invitations(org)
			return len(inv) == 1 && inv[0].Email == "someone@else.example"
		},
		KindRepoInvitation: func() bool {
			inv := e.fake.RepoInvitations(org, "docs")
			return len(inv) == 1 && inv[0].Invitee == "other"
		},
		KindDeployKey: func() bool {
			ks := e.fake.DeployKeys(org, "api")
			return len(ks) == 1 && ks[0].AddedBy == "other"
		},
		KindCodespace: func() bool {
			cs := e.fake.Codespaces(org)
			return len(cs) == 1 && cs[0].Owner == "other"
		},
		KindSSOCredentials: func() bool {
			cs := e.fake.Credentials(org)
			return len(cs) == 1 && cs[0].Login == "other"
		},
		KindPATAccess: func() bool {
			ps := e.fake.PATs(org)
			return len(ps) == 1 && ps[0].Owner == "other"
		},
	}
	// Revoke the membership last: GitHub removes a member's other org
	// access with them, and each row must prove its own removal.
	slices.Reverse(gs[1:])
	gs = append(gs[1:], gs[0])
	for _, g := range gs {
		if gone[g.Kind]() {
			t.Fatalf("%s is gone before its revoke", g.Kind)
		}
		if out := e.revoke(g); out != connectors.Revoked {
			t.Errorf("revoke %s = %v, want revoked", g.Kind, out)
		}
		if !gone[g.Kind]() {
			t.Errorf("%s still in the fake org after its revoke", g.Kind)
		}
		if out := e.revoke(g); out != connectors.AlreadyGone {
			t.Errorf("second revoke %s = %v, want already gone", g.Kind, out)
		}
	}
	if left := e.grantsOf(dev); len(left) != 0 {
		t.Errorf("after every revoke, grants = %v", kindsOf(left))
	}
}

func TestDeployKeyGrantWarnsAndShowsRecentUse(t *testing.T) {
	e := newEnv(t)
	used := time.Date(2024, 6, 30, 8, 0, 0, 0, time.UTC)
	id := e.fake.AddDeployKey(org, "api", fakegithub.DeployKey{Title: "ci", AddedBy: "dev", LastUsed: used, CreatedAt: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)})
	e.fake.AddDeployKey(org, "web", fakegithub.DeployKey{Title: "ro", AddedBy: "dev", ReadOnly: true})
	gs := e.grants("dev")
	if len(gs) != 2 {
		t.Fatalf("grants = %+v, want one per key", gs)
	}
	g := gs[0]
	if g.Ref != "api/"+itoa(id) || g.Warning == "" || !strings.Contains(g.Warning, "CI") {
		t.Errorf("grant = %+v, want ref api/%d and a warning that CI may depend on it", g, id)
	}
	if want := []string{"api", "read-write", "last used 2024-06-30", "added 2024-01-02"}; !slices.Equal(g.Context, want) {
		t.Errorf("context = %q, want %q", g.Context, want)
	}
	if g.LastActive == nil || !g.LastActive.Equal(used) {
		t.Errorf("last active = %v, want %v", g.LastActive, used)
	}
	if !slices.Contains(gs[1].Context, "never used") || !slices.Contains(gs[1].Context, "read-only") {
		t.Errorf("unused key context = %q", gs[1].Context)
	}
}

func TestEmailOnlyInvitationIsFoundByTheAccountsEmails(t *testing.T) {
	e := newEnv(t)
	e.fake.AddInvitation(org, fakegithub.Invitation{Email: "Dev@Second.example", Role: "admin"})
	without := e.grantsOf(connectors.Account{ID: "dev"})
	if len(without) != 0 {
		t.Errorf("without emails, grants = %+v", without)
	}
	gs := e.grantsOf(connectors.Account{ID: "dev", Emails: []string{"dev@first.example", "dev@second.example"}})
	if len(gs) != 1 || gs[0].Kind != KindInvitation || !strings.Contains(gs[0].Title, "Dev@Second.example") {
		t.Fatalf("grants = %+v, want the invitation to the second address", gs)
	}
	// A person with no login yet: only the invitation, nothing that an
	// empty login would match (a deploy key whose adder GitHub no longer knows).
	e.fake.AddDeployKey(org, "api", fakegithub.DeployKey{Title: "orphan"})
	nologin := e.grantsOf(connectors.Account{Emails: []string{"dev@second.example"}})
	if len(nologin) != 1 || nologin[0].Kind != KindInvitation {
		t.Errorf("grants without a login = %+v, want only the invitation", nologin)
	}
	if out := e.revoke(nologin[0]); out != connectors.Revoked || len(e.fake.Invitations(org)) != 0 {
		t.Errorf("revoke = %v, invitations left %v", out, e.fake.Invitations(org))
	}
}

func TestLastOwnerIsProtectedAndItsRevokeIsADecision(t *testing.T) {
	e := newAppEnv(t, newClock()) // no token: no owner is protected as the token's
	e.fake.AddMember(org, fakegithub.Member{Login: "alice", Role: "admin"})
	g := e.grant("alice", KindMembership)
	if g.Protected != "" {
		t.Fatalf("one of two owners protected: %q", g.Protected)
	}
	e.revoke(e.grant("boss", KindMembership))
	if last := e.grant("alice", KindMembership); !strings.Contains(last.Protected, "last owner") {
		t.Errorf("the last owner = %q, want protected", last.Protected)
	}
	_, err := e.conn.Revoke(context.Background(), g) // the row listed while there were two
	if connectors.KindOf(err) != connectors.KindDecision {
		t.Errorf("revoke of the last owner = %v, want a decision", err)
	}
	if e.fake.CallCount(fakegithub.RouteRemoveMember) != 1 || !e.fake.IsMember(org, "alice") {
		t.Error("the last owner's removal was attempted or happened")
	}
}

func TestTheTokensOwnerIsProtected(t *testing.T) {
	e := newEnv(t)
	e.fake.AddMember(org, fakegithub.Member{Login: "alice", Role: "admin"})
	e.fake.AddCredential(org, fakegithub.Credential{Login: "boss"})
	for _, g := range e.grants("boss") {
		if !strings.Contains(g.Protected, "token") {
			t.Errorf("%s of the token's owner = %q, want protected", g.Kind, g.Protected)
		}
	}
	if g := e.grant("alice", KindMembership); g.Protected != "" {
		t.Errorf("another owner protected: %q", g.Protected)
	}
}

func TestCollaboratorWhoBecameAMemberIsADecisionNotRetried(t *testing.T) {
	e := newEnv(t)
	e.fake.AddCollaborator(org, "contractor", "api")
	g := e.grant("contractor", KindCollaborator)
	e.fake.AddMember(org, fakegithub.Member{Login: "contractor"})
	_, err := e.conn.Revoke(context.Background(), g)
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Kind != connectors.KindDecision || ce.Retryable() || !strings.Contains(err.Error(), "member") {
		t.Fatalf("err = %v, want a non-retryable decision that names the membership", err)
	}
	if n := e.fake.CallCount(fakegithub.RouteRemoveOutsideCollab); n != 1 {
		t.Errorf("%d removal calls, want exactly 1", n)
	}
}

func TestSecondaryLimitSaidOnlyInTheBodyIsARateLimit(t *testing.T) {
	var observed []connectors.ErrorKind
	e := newEnv(t, func(o *Options) {
		o.Observer = func(_ connectors.System, op string, _ time.Duration, err error) {
			if op == "list invitations" && err != nil {
				observed = append(observed, connectors.KindOf(err))
			}
		}
	})
	e.fake.SecondaryLimitBodyOnly(fakegithub.RouteInvitations, time.Hour)
	_, err := e.conn.Grants(context.Background(), connectors.Account{ID: "dev"})
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Kind != connectors.KindRetryable || ce.RetryAfter != time.Minute {
		t.Fatalf("err = %v, want retryable after a minute (no retry-after given), not a permission error", err)
	}
	if n := e.fake.CallCount(fakegithub.RouteInvitations); n != 1 {
		t.Errorf("%d calls to the limited route, want 1: the wait is past MaxRateWait", n)
	}
	if len(observed) != 1 || observed[0] != connectors.KindRetryable {
		t.Errorf("the observer saw %v, want one retryable failure (a limit, not a permission)", observed)
	}
}

func TestWritesCostFivePointsOfTheLimiter(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.RESTRate, o.Burst = 0.001, 20 })
	id := e.fake.AddInvitation(org, fakegithub.Invitation{Login: "newbie"})
	full := e.conn.meter.rest.Tokens()
	if _, err := e.conn.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "newbie"}, Kind: KindInvitation, Ref: itoa(id)}); err != nil {
		t.Fatal(err)
	}
	if spent := full - e.conn.meter.rest.Tokens(); spent < 4.9 || spent > 5.1 {
		t.Errorf("one DELETE spent %.2f points, want 5", spent)
	}
}

func TestLoopingPaginationEndsWithAnError(t *testing.T) {
	e := newEnv(t)
	e.fake.LoopPages(fakegithub.RouteInvitations)
	_, err := e.conn.Grants(context.Background(), connectors.Account{ID: "dev"})
	if err == nil || !strings.Contains(err.Error(), "loops") {
		t.Fatalf("err = %v, want the loop named", err)
	}
	if n := e.fake.CallCount(fakegithub.RouteInvitations); n != 1 {
		t.Errorf("%d invitation pages read, want 1", n)
	}
}

func TestAppInstallationTokensAreReportedForRedaction(t *testing.T) {
	var secrets []string
	e := newBothEnv(t, func(o *Options) { o.Secret = func(s string) { secrets = append(secrets, s) } })
	e.grants("boss")
	if len(secrets) != 1 || !strings.HasPrefix(secrets[0], "ghs_") || e.fake.InstallationTokensIssued() != 1 {
		t.Errorf("secrets = %d %q, want the one minted installation token", len(secrets), secrets)
	}
}

func TestDoctorSaysWhichGrantClassesAreCovered(t *testing.T) {
	both := checksByName(newBothEnv(t).conn.Check(context.Background()))["github grant classes"]
	if !both.OK || strings.Contains(both.Detail, "NOT covered") {
		t.Errorf("token and App: %+v, want everything covered", both)
	}
	token := checksByName(newEnv(t).conn.Check(context.Background()))["github grant classes"]
	if !strings.Contains(token.Detail, "NOT covered: fine-grained PAT access") {
		t.Errorf("token only: %+v, want PATs named as not covered", token)
	}
	app := checksByName(newAppEnv(t, newClock()).conn.Check(context.Background()))["github grant classes"]
	if !strings.Contains(app.Detail, "NOT covered: SAML-SSO credential authorizations") {
		t.Errorf("App only: %+v, want SSO credentials named as not covered", app)
	}
}

// With both credentials, GraphQL (contributions, dormancy) runs on the
// token: an owner sees every org repository, an App only its own.
func TestWithBothCredentialsGraphQLUsesTheToken(t *testing.T) {
	e := newBothEnv(t)
	e.fake.AddMember(org, fakegithub.Member{Login: "dev"})
	e.grants("dev")
	if left := e.fake.RateRemaining("tok-boss", "graphql"); left == 5000 {
		t.Error("no GraphQL call was made with the token")
	}
}

// A token without the repo scope sees the org's private repositories as
// 404s: discovery says deploy keys and repository invitations could not
// be checked, rather than finding none.
func TestHiddenRepositoriesAreNotedNotSilentlySkipped(t *testing.T) {
	e := newEnv(t)
	e.fake.AddToken("tok-org-only", "boss", "admin:org")
	conn, err := New(Config{Org: org}, Credentials{Token: "tok-org-only"}, fastOptions(e.fake))
	if err != nil {
		t.Fatal(err)
	}
	e.fake.AddMember(org, fakegithub.Member{Login: "dev"})
	e.fake.AddDeployKey(org, "api", fakegithub.DeployKey{AddedBy: "dev"})
	gs, err := conn.Grants(context.Background(), connectors.Account{ID: "dev"})
	if err != nil || len(gs) != 1 {
		t.Fatalf("grants = %+v, %v", gs, err)
	}
	if !slices.Contains(gs[0].Context, "deploy keys not checkable: the credentials may not read repository administration") {
		t.Errorf("membership context = %q, want the blind spot named", gs[0].Context)
	}
}

func TestCodespaceWithUnpushedWorkIsWarned(t *testing.T) {
	e := newEnv(t)
	e.fake.AddCodespace(org, fakegithub.Codespace{Name: "dev-api-1", Owner: "dev", Repo: "api", Uncommitted: true, LastUsedAt: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
	e.fake.AddCodespace(org, fakegithub.Codespace{Name: "dev-web-1", Owner: "dev", Repo: "web", State: "Shutdown"})
	gs := e.grants("dev")
	if len(gs) != 2 || !strings.Contains(gs[0].Warning, "not pushed") || gs[1].Warning != "" {
		t.Fatalf("grants = %+v, want the first warned of unpushed work", gs)
	}
	if want := []string{"api", "available", "last used 2024-06-01"}; !slices.Equal(gs[0].Context, want) {
		t.Errorf("context = %q, want %q", gs[0].Context, want)
	}
	if want := []string{"web", "shutdown"}; !slices.Equal(gs[1].Context, want) {
		t.Errorf("context = %q, want %q", gs[1].Context, want)
	}
}

// Without emails from the caller, an invitation to an address of the
// login's SAML identity in the org is still found.
func TestEmailOnlyInvitationIsFoundByTheSAMLIdentitysEmails(t *testing.T) {
	e := newEnv(t)
	e.fake.AddMember(org, fakegithub.Member{Login: "dev"})
	e.fake.AddSAMLIdentity(org, fakegithub.SAMLIdentity{NameID: "dev@first.example", Emails: []string{"dev@first.example", "dev@second.example"}, Login: "dev"})
	e.fake.AddInvitation(org, fakegithub.Invitation{Email: "dev@second.example"})
	e.fake.AddInvitation(org, fakegithub.Invitation{Email: "someone@else.example"})
	gs := e.grants("dev")
	if len(gs) != 2 || gs[1].Kind != KindInvitation || !strings.Contains(gs[1].Title, "dev@second.example") {
		t.Fatalf("grants = %+v, want membership and the invitation to the SAML identity's second address", gs)
	}
}

// An App without repository administration is refused the deploy-key
// counts and each repository's invitations: no key is asked for, the
// first refusal of invitations stops that walk, and the row says what
// could not be checked.
func TestAppWithoutAdministrationNotesTheBlindSpotCheaply(t *testing.T) {
	fake := newFake(t, fakegithub.Options{})
	app, err := fake.AddApp(org, map[string]string{"members": "write", "organization_personal_access_tokens": "write"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := New(Config{Org: org}, Credentials{AppID: app.ID, InstallationID: app.InstallationID, PrivateKey: app.PrivateKeyPEM},
		func() Options { o := fastOptions(fake); o.MaxConcurrency = 1; return o }())
	if err != nil {
		t.Fatal(err)
	}
	fake.AddMember(org, fakegithub.Member{Login: "dev"})
	for _, r := range []string{"a", "b", "c", "d", "e"} {
		fake.AddRepo(org, r)
	}
	gs, err := conn.Grants(context.Background(), connectors.Account{ID: "dev"})
	if err != nil || len(gs) != 1 {
		t.Fatalf("grants = %+v, %v", gs, err)
	}
	for _, want := range []string{"deploy keys not checkable", "repository invitations not checkable", "Codespaces not checkable"} {
		if !slices.ContainsFunc(gs[0].Context, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("context = %q, want %q", gs[0].Context, want)
		}
	}
	if n := fake.CallCount(fakegithub.RouteDeployKeys); n != 0 {
		t.Errorf("%d deploy-key calls, want none: GraphQL already refused the counts", n)
	}
	if n := fake.CallCount(fakegithub.RouteRepoInvitations); n != 1 {
		t.Errorf("%d repository-invitation calls, want 1: the first refusal is enough", n)
	}
}

func TestLoopingGraphQLCursorEndsWithAnError(t *testing.T) {
	e := newEnv(t)
	e.fake.AddRepo(org, "api")
	e.fake.LoopCursors()
	_, err := e.conn.Grants(context.Background(), connectors.Account{ID: "dev"})
	if err == nil || !strings.Contains(err.Error(), "loops") {
		t.Fatalf("err = %v, want the loop named", err)
	}
	if n := e.fake.CallCount(fakegithub.RouteGraphQL); n > 5 {
		t.Errorf("%d GraphQL calls: the walk went round", n)
	}
}

// Beside a token, the App is needed only for fine-grained tokens: doctor
// does not ask it for members.
func TestBesideATokenTheAppNeedsOnlyFineGrainedTokens(t *testing.T) {
	fake := newFake(t, fakegithub.Options{})
	app, err := fake.AddApp(org, map[string]string{"organization_personal_access_tokens": "write"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := New(Config{Org: org}, Credentials{Token: "tok-boss", AppID: app.ID, InstallationID: app.InstallationID, PrivateKey: app.PrivateKeyPEM}, fastOptions(fake))
	if err != nil {
		t.Fatal(err)
	}
	checks := checksByName(conn.Check(context.Background()))
	for _, name := range []string{"github token", "github org owner", "github app", "github app permissions", "github grant classes"} {
		if c, ok := checks[name]; !ok || !c.OK {
			t.Errorf("%s = %+v, want passed", name, c)
		}
	}
	if d := checks["github grant classes"].Detail; strings.Contains(d, "NOT covered") {
		t.Errorf("grant classes = %q, want all covered", d)
	}
}

// One class the credentials may not read is a note on the row, not a
// failed discovery: here the App lacks fine-grained token access.
func TestARefusedOptionalClassIsANote(t *testing.T) {
	fake := newFake(t, fakegithub.Options{})
	app, err := fake.AddApp(org, map[string]string{"members": "write"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := New(Config{Org: org}, Credentials{Token: "tok-boss", AppID: app.ID, InstallationID: app.InstallationID, PrivateKey: app.PrivateKeyPEM}, fastOptions(fake))
	if err != nil {
		t.Fatal(err)
	}
	fake.AddMember(org, fakegithub.Member{Login: "dev"})
	fake.AddCredential(org, fakegithub.Credential{Login: "dev"})
	gs, err := conn.Grants(context.Background(), connectors.Account{ID: "dev"})
	if err != nil || !slices.Equal(kindsOf(gs), []string{KindMembership, KindSSOCredentials}) {
		t.Fatalf("grants = %v, %v; want membership and SSO credentials", kindsOf(gs), err)
	}
	if !slices.Contains(gs[0].Context, "fine-grained PATs not checkable: the App may not list them") {
		t.Errorf("context = %q, want the refused class named", gs[0].Context)
	}
}
