package github

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

func seedDev(f *fakegithub.Server) {
	f.AddMember(org, fakegithub.Member{Login: "dev", Role: "member"})
	f.AddTeam(org, "core", "dev")
	f.AddTeam(org, "web", "dev", "boss")
	f.AddTeam(org, "ops", "boss")
	f.AddContribution(org, "dev", days(3), 2)
	f.AddContribution(org, "dev", days(20), 7) // outside the 14 days
	f.AddRestrictedContribution(org, "dev", days(1), 1)
}

func TestMembershipGrantCarriesRoleTeamsAndRecentActivity(t *testing.T) {
	e := newEnv(t)
	seedDev(e.fake)
	g := e.grant("dev", KindMembership)
	want := []string{"member", "2 teams", "3 contributions in 14 days (1 private)", notePATsNeedApp}
	if !reflect.DeepEqual(g.Context, want) {
		t.Errorf("context = %q, want %q", g.Context, want)
	}
	if g.LastActive == nil || g.LastActive.Format(time.DateOnly) != days(3).UTC().Format(time.DateOnly) {
		t.Errorf("last active = %v, want the day of the latest visible contribution, %s", g.LastActive, days(3).UTC().Format(time.DateOnly))
	}
	if g.Account.Scope != org || g.Account.LinkedBy != connectors.LinkConfig || g.Account.ID != "dev" {
		t.Errorf("account = %+v, want acme/dev linked by config", g.Account)
	}
}

func TestCollaboratorGrantListsTheirRepositories(t *testing.T) {
	e := newEnv(t)
	e.fake.AddRepo(org, "internal")
	e.fake.AddCollaborator(org, "contractor", "api", "docs")
	g := e.grant("contractor", KindCollaborator)
	if !reflect.DeepEqual(g.Context, []string{"2 repositories", "api, docs", notePATsNeedApp}) || !reflect.DeepEqual(g.Items, []string{"api", "docs"}) {
		t.Errorf("grant = %+v, want 2 repositories api, docs", g)
	}
}

func TestInvitationGrantNamesRoleDateAndInviter(t *testing.T) {
	e := newEnv(t)
	id := e.fake.AddInvitation(org, fakegithub.Invitation{Login: "newbie", Role: "admin", Inviter: "boss", CreatedAt: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)})
	g := e.grant("newbie", KindInvitation)
	if g.Ref != itoa(id) || !reflect.DeepEqual(g.Context, []string{"admin", "invited 2024-06-01", "by boss"}) {
		t.Errorf("grant = %+v", g)
	}
}

func TestSSOCredentialsAreOneGroupedGrant(t *testing.T) {
	e := newEnv(t)
	seedDev(e.fake)
	used := time.Date(2024, 6, 30, 12, 0, 0, 0, time.UTC)
	a := e.fake.AddCredential(org, fakegithub.Credential{Login: "dev", TokenLastEight: "abcd1234", Scopes: []string{"repo"}, AccessedAt: used})
	b := e.fake.AddCredential(org, fakegithub.Credential{Login: "dev", Type: "SSH key", Fingerprint: "SHA256:xyz"})
	e.fake.AddCredential(org, fakegithub.Credential{Login: "boss"})
	g := e.grant("dev", KindSSOCredentials)
	if g.Ref != itoa(a)+","+itoa(b) {
		t.Errorf("ref = %q, want both of dev's credential ids", g.Ref)
	}
	want := []string{"personal access token …abcd1234 (repo), last used 2024-06-30", "SSH key SHA256:xyz, never used"}
	if !reflect.DeepEqual(g.Items, want) {
		t.Errorf("items = %q, want %q", g.Items, want)
	}
	if g.LastActive == nil || !g.LastActive.Equal(used) {
		t.Errorf("last active = %v, want %v", g.LastActive, used)
	}
}

func TestStrangerHasNoGrantsAndNoError(t *testing.T) {
	e := newEnv(t)
	e.fake.AddUser("stranger", time.Time{})
	if gs := e.grants("stranger"); len(gs) != 0 {
		t.Errorf("grants = %+v, want none", gs)
	}
	if gs := e.grants("no-such-login"); len(gs) != 0 {
		t.Errorf("grants of an unknown login = %+v, want none", gs)
	}
}

func TestWithAppCredentialsPATsAreFoundAndSSOIsNoted(t *testing.T) {
	e := newAppEnv(t, newClock())
	seedDev(e.fake)
	e.fake.AddCredential(org, fakegithub.Credential{Login: "dev"})
	exp := time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC)
	p1 := e.fake.AddPAT(org, fakegithub.PAT{Owner: "dev", Name: "deploy", Repositories: []string{"api"}, ExpiresAt: exp})
	p2 := e.fake.AddPAT(org, fakegithub.PAT{Owner: "dev", Name: "ci", LastUsedAt: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)})
	e.fake.AddPAT(org, fakegithub.PAT{Owner: "boss"})
	gs := e.grants("dev")
	var kinds []string
	for _, g := range gs {
		kinds = append(kinds, g.Kind)
	}
	if !reflect.DeepEqual(kinds, []string{KindMembership, KindPATAccess}) {
		t.Fatalf("kinds = %v, want membership and pat_access (no SSO: GitHub refuses Apps there)", kinds)
	}
	if m := gs[0]; m.Context[len(m.Context)-1] != noteSSONeedsToken {
		t.Errorf("membership context %q lacks the SSO note", m.Context)
	}
	p := gs[1]
	if p.Ref != itoa(p1)+","+itoa(p2) {
		t.Errorf("ref = %q", p.Ref)
	}
	want := []string{"deploy (subset repositories), expires 2030-01-02, never used", "ci (all repositories), never expires, last used 2024-07-01"}
	if !reflect.DeepEqual(p.Items, want) {
		t.Errorf("items = %q, want %q", p.Items, want)
	}
}

func TestRevokingEachKindChangesTheOrgAndASecondRevokeIsAlreadyGone(t *testing.T) {
	type kindCase struct {
		name  string
		app   bool
		login string
		kind  string
		seed  func(f *fakegithub.Server)
		gone  func(f *fakegithub.Server) bool
	}
	cases := []kindCase{
		{"membership removes the member and their teams", false, "dev", KindMembership, seedDev,
			func(f *fakegithub.Server) bool {
				st, _ := f.Snapshot(org)
				return !f.IsMember(org, "dev") && len(st.Teams[0].Members) == 0
			}},
		{"collaborator loses every repository", false, "contractor", KindCollaborator,
			func(f *fakegithub.Server) { f.AddCollaborator(org, "contractor", "api", "docs") },
			func(f *fakegithub.Server) bool { return len(f.CollaboratorRepos(org, "contractor")) == 0 }},
		{"invitation is cancelled", false, "newbie", KindInvitation,
			func(f *fakegithub.Server) { f.AddInvitation(org, fakegithub.Invitation{Login: "newbie"}) },
			func(f *fakegithub.Server) bool { return len(f.Invitations(org)) == 0 }},
		{"SSO credentials are all removed and others' kept", false, "dev", KindSSOCredentials,
			func(f *fakegithub.Server) {
				seedDev(f)
				f.AddCredential(org, fakegithub.Credential{Login: "dev"})
				f.AddCredential(org, fakegithub.Credential{Login: "dev"})
				f.AddCredential(org, fakegithub.Credential{Login: "boss"})
			},
			func(f *fakegithub.Server) bool {
				cs := f.Credentials(org)
				return len(cs) == 1 && cs[0].Login == "boss"
			}},
		{"PATs lose org access and others' keep it", true, "dev", KindPATAccess,
			func(f *fakegithub.Server) {
				seedDev(f)
				f.AddPAT(org, fakegithub.PAT{Owner: "dev"})
				f.AddPAT(org, fakegithub.PAT{Owner: "dev"})
				f.AddPAT(org, fakegithub.PAT{Owner: "boss"})
			},
			func(f *fakegithub.Server) bool {
				ps := f.PATs(org)
				return len(ps) == 1 && ps[0].Owner == "boss"
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var e *env
			if tc.app {
				e = newAppEnv(t, newClock())
			} else {
				e = newEnv(t)
			}
			tc.seed(e.fake)
			g := e.grant(tc.login, tc.kind)
			if tc.gone(e.fake) {
				t.Fatal("the access is gone before the revoke")
			}
			if out := e.revoke(g); out != connectors.Revoked {
				t.Errorf("first revoke = %v, want revoked", out)
			}
			if !tc.gone(e.fake) {
				t.Fatal("the fake org still holds the access after the revoke")
			}
			before := e.fake.Calls()
			if out := e.revoke(g); out != connectors.AlreadyGone {
				t.Errorf("second revoke = %v, want already gone", out)
			}
			for _, c := range e.fake.Calls()[len(before):] {
				if c.Status >= 500 {
					t.Errorf("second revoke caused %d on %s", c.Status, c.Route)
				}
			}
			if !tc.gone(e.fake) {
				t.Error("the access came back")
			}
		})
	}
}

func TestRevokeOfAnUnknownKindIsAConfigError(t *testing.T) {
	e := newEnv(t)
	_, err := e.conn.Revoke(t.Context(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: "bogus"})
	if connectors.KindOf(err) != connectors.KindConfig {
		t.Errorf("err = %v, want a config error", err)
	}
}

func TestAMalformedRepoItemRefIsAConfigErrorAndCallsNothing(t *testing.T) {
	e := newEnv(t)
	for _, kind := range []string{KindDeployKey, KindRepoInvitation} {
		for _, ref := range []string{"api", "api/", "/7", "api/seven"} {
			e.fake.ResetCalls()
			_, err := e.conn.Revoke(t.Context(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: kind, Ref: ref})
			if connectors.KindOf(err) != connectors.KindConfig {
				t.Errorf("%s %q: err = %v, want a config error", kind, ref, err)
			}
			if calls := e.fake.Calls(); len(calls) != 0 {
				t.Errorf("%s %q: %d calls, want none", kind, ref, len(calls))
			}
		}
	}
}

func TestSecondGrantsReadReusesListsWith304s(t *testing.T) {
	e := newEnv(t)
	e.fake.AddCollaborator(org, "contractor", "api")
	e.grants("contractor")
	e.fake.ResetCalls()
	e.grants("contractor")
	var notModified []string
	for _, c := range e.fake.Calls() {
		if c.Status == 304 {
			notModified = append(notModified, c.Route)
		}
	}
	joined := strings.Join(notModified, ";")
	if !strings.Contains(joined, fakegithub.RouteOutsideCollabs) || !strings.Contains(joined, fakegithub.RouteInvitations) {
		t.Errorf("304s on %v, want the collaborator and invitation lists", notModified)
	}
}

func itoa(n int64) string { return strconvItoa(n) }
