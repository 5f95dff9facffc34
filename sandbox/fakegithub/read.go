package fakegithub

import (
	"slices"
	"sort"
	"strings"
)

// OrgState is a copy of everything the fake knows about one org, for
// assertions and for a page that shows the simulated org.
type OrgState struct {
	Login         string
	NodeID        string
	Members       []Member
	Teams         []Team
	Collaborators []Collaborator
	Invitations   []Invitation
	Credentials   []Credential
	PATs          []PAT
	SAML          []SAMLIdentity
	SAMLEnabled   bool
	Audit         []AuditEvent
	// DeployKeys and RepoInvitations are by repository name.
	DeployKeys      map[string][]DeployKey
	RepoInvitations map[string][]RepoInvitation
	Codespaces      []Codespace
}

// Snapshot returns org's state; ok is false when there is no such org.
func (s *Server) Snapshot(orgLogin string) (OrgState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[strings.ToLower(orgLogin)]
	if o == nil {
		return OrgState{}, false
	}
	st := OrgState{
		Login: o.login, NodeID: o.nodeID(), SAMLEnabled: o.hasSAML,
		Invitations: slices.Clone(o.invitations), Credentials: slices.Clone(o.credentials),
		PATs: slices.Clone(o.pats), SAML: slices.Clone(o.saml), Audit: slices.Clone(o.audit),
		Codespaces: slices.Clone(o.codespaces),
		DeployKeys: map[string][]DeployKey{}, RepoInvitations: map[string][]RepoInvitation{},
	}
	for _, r := range o.repos {
		if len(r.keys) > 0 {
			st.DeployKeys[r.name] = slices.Clone(r.keys)
		}
		if len(r.invitations) > 0 {
			st.RepoInvitations[r.name] = slices.Clone(r.invitations)
		}
	}
	for _, m := range o.members {
		st.Members = append(st.Members, Member{Login: m.user.login, Role: m.role, CreatedAt: m.user.createdAt, JoinedAt: m.joinedAt, Email: m.user.email})
	}
	for _, t := range o.teams {
		tm := Team{Slug: t.slug, Name: t.name}
		for _, m := range o.members {
			if t.members[strings.ToLower(m.user.login)] {
				tm.Members = append(tm.Members, m.user.login)
			}
		}
		st.Teams = append(st.Teams, tm)
	}
	for _, login := range outsideCollaborators(o, s.users) {
		st.Collaborators = append(st.Collaborators, Collaborator{Login: login, Repos: o.collaboratorRepos(login)})
	}
	return st, true
}

// outsideCollaborators lists the logins with repository access who are not
// members, sorted by login.
func outsideCollaborators(o *org, users map[string]*user) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range o.repos {
		for key := range r.collaborators {
			if !seen[key] && o.memberIdx[key] == nil {
				seen[key] = true
				out = append(out, users[key].login)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i]) < strings.ToLower(out[j]) })
	return out
}

// Orgs lists the logins of the orgs the server holds, sorted.
func (s *Server) Orgs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.orgs))
	for _, o := range s.orgs {
		out = append(out, o.login)
	}
	sort.Strings(out)
	return out
}

// IsMember says whether login is an active member of org.
func (s *Server) IsMember(orgLogin, login string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgs[strings.ToLower(orgLogin)]
	return o != nil && o.member(login) != nil
}

// Role is login's role in org ("admin", "member"), empty for a non-member.
func (s *Server) Role(orgLogin, login string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orgs[strings.ToLower(orgLogin)]; o != nil {
		if m := o.member(login); m != nil {
			return m.role
		}
	}
	return ""
}

// Members lists org's members in join order.
func (s *Server) Members(orgLogin string) []Member {
	st, _ := s.Snapshot(orgLogin)
	return st.Members
}

// CollaboratorRepos lists the repositories login reaches as an outside
// collaborator of org; empty when they reach none.
func (s *Server) CollaboratorRepos(orgLogin, login string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orgs[strings.ToLower(orgLogin)]; o != nil {
		return o.collaboratorRepos(login)
	}
	return nil
}

// Invitations lists org's pending invitations.
func (s *Server) Invitations(orgLogin string) []Invitation {
	st, _ := s.Snapshot(orgLogin)
	return st.Invitations
}

// Credentials lists org's SAML-SSO credential authorizations.
func (s *Server) Credentials(orgLogin string) []Credential {
	st, _ := s.Snapshot(orgLogin)
	return st.Credentials
}

// PATs lists the fine-grained PATs with access to org.
func (s *Server) PATs(orgLogin string) []PAT {
	st, _ := s.Snapshot(orgLogin)
	return st.PATs
}
