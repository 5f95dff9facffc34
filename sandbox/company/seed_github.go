package company

import (
	"time"

	"github.com/offboard/offboard/sandbox/fakegithub"
)

// GitHubToken is the token the bot uses; its owner, acme-admin, is the
// org's owner and so a protected account.
const GitHubToken = "ghp_sandbox_acme_admin"

// SeedGitHub builds the acme org: an owner, members with teams, an admin,
// an outside collaborator, a pending invitation, SSO authorizations, a
// fine-grained PAT, recent and old contributions, and a machine user.
func SeedGitHub(g *fakegithub.Server, now time.Time) {
	ago := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	g.AddMember(Org, fakegithub.Member{Login: "acme-admin", Role: "admin", CreatedAt: ago(2000), JoinedAt: ago(1800)})
	g.AddToken(GitHubToken, "acme-admin", "admin:org", "repo", "read:user")
	g.AddContribution(Org, "acme-admin", ago(1), 2)
	members := []struct {
		login, role string
		contributed int // days ago; 0 for never
	}{
		{"dana-gh", "member", 2}, {"eli-gh", "admin", 1}, {"fatima-gh", "member", 5}, {"george-gh", "member", 3},
		{"ivan-gh", "member", 8}, {"jun-gh", "member", 12}, {"kofi-gh", "member", 20}, {"priya-gh", "member", 4},
		{"omar-gh", "member", 6}, {"acme-ci", "member", 1},
		// Dormant: nothing in the org for months.
		{"lena-gh", "member", 200}, {"nora-gh", "member", 0},
	}
	for _, m := range members {
		g.AddMember(Org, fakegithub.Member{Login: m.login, Role: m.role, CreatedAt: ago(1500), JoinedAt: ago(700),
			Email: m.login + "@users.noreply.github.test"})
		if m.contributed > 0 {
			g.AddContribution(Org, m.login, ago(m.contributed), 3)
		}
	}
	g.AddTeam(Org, "backend", "dana-gh", "eli-gh", "george-gh", "jun-gh")
	g.AddTeam(Org, "oncall", "dana-gh", "ivan-gh", "omar-gh")
	g.AddTeam(Org, "frontend", "fatima-gh", "kofi-gh")
	for _, r := range []string{"api", "web", "infra", "website"} {
		g.AddRepo(Org, r)
	}
	g.AddCollaborator(Org, "mo-contractor", "website", "web")
	g.AddInvitation(Org, fakegithub.Invitation{Email: "hana@acme.test", Inviter: "acme-admin", CreatedAt: ago(2)})
	g.EnableSAML(Org)
	for _, p := range People() {
		if p.GitHub != "" {
			g.AddSAMLIdentity(Org, fakegithub.SAMLIdentity{NameID: p.email(), Emails: []string{p.email()}, Login: p.GitHub})
		}
	}
	g.AddCredential(Org, fakegithub.Credential{Login: "dana-gh", Scopes: []string{"repo"}, AuthorizedAt: ago(90), AccessedAt: ago(1)})
	g.AddCredential(Org, fakegithub.Credential{Login: "dana-gh", Type: "SSH key", Fingerprint: "SHA256:dana-laptop", AuthorizedAt: ago(300), AccessedAt: ago(3)})
	g.AddPAT(Org, fakegithub.PAT{Owner: "dana-gh", Name: "deploy-scripts", Repositories: []string{"infra"}, GrantedAt: ago(40), LastUsedAt: ago(2)})
	g.AddPAT(Org, fakegithub.PAT{Owner: "ivan-gh", Name: "terraform", GrantedAt: ago(100), LastUsedAt: ago(30)})
}
