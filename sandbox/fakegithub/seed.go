package fakegithub

import (
	"fmt"
	"strings"
	"time"
)

// userLocked returns the user login, creating it (created at created, or
// two years ago when zero). s.mu must be held.
func (s *Server) userLocked(login string, created time.Time) *user {
	key := strings.ToLower(login)
	if u := s.users[key]; u != nil {
		if !created.IsZero() {
			u.createdAt = created
		}
		return u
	}
	if created.IsZero() {
		created = s.now().AddDate(-2, 0, 0)
	}
	u := &user{login: login, id: s.id(), createdAt: created}
	s.users[key] = u
	return u
}

// orgLocked returns org login, creating it when unknown. s.mu must be held.
func (s *Server) orgLocked(login string) *org {
	key := strings.ToLower(login)
	if o := s.orgs[key]; o != nil {
		return o
	}
	o := &org{
		login: login, id: s.id(), createdAt: s.now().AddDate(-5, 0, 0),
		memberIdx: map[string]*membership{}, contributions: map[string]map[string]dayCount{},
	}
	s.orgs[key] = o
	return o
}

// AddOrg creates org login (idempotent) and returns its GraphQL node ID.
func (s *Server) AddOrg(login string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.orgLocked(login).nodeID()
}

// AddUser creates a GitHub account that belongs to no org (an outside
// collaborator, an invitee); created zero means two years ago.
func (s *Server) AddUser(login string, created time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userLocked(login, created)
}

// AddMember adds m to org (creating both when needed); adding an existing
// member updates their role.
func (s *Server) AddMember(orgLogin string, m Member) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	u := s.userLocked(m.Login, m.CreatedAt)
	if m.Email != "" {
		u.email = m.Email
	}
	role := m.Role
	if role == "" {
		role = "member"
	}
	if ms := o.member(m.Login); ms != nil {
		ms.role = role
		return
	}
	joined := m.JoinedAt
	if joined.IsZero() {
		joined = s.now().AddDate(-1, 0, 0)
	}
	ms := &membership{user: u, role: role, joinedAt: joined}
	o.members = append(o.members, ms)
	o.memberIdx[strings.ToLower(u.login)] = ms
	o.audit = append(o.audit, AuditEvent{Action: "org.add_member", Actor: "fake-admin", User: u.login, At: joined})
}

// AddTeam creates team slug in org with members (who must be org members
// to count, as on GitHub).
func (s *Server) AddTeam(orgLogin, slug string, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	t := o.team(slug)
	if t == nil {
		t = &team{slug: slug, name: slug, members: map[string]bool{}}
		o.teams = append(o.teams, t)
	}
	for _, m := range members {
		t.members[strings.ToLower(m)] = true
	}
}

// AddRepo creates repository name in org.
func (s *Server) AddRepo(orgLogin, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repoLocked(s.orgLocked(orgLogin), name)
}

func (s *Server) repoLocked(o *org, name string) *repo {
	if r := o.repo(name); r != nil {
		return r
	}
	r := &repo{name: name, id: s.id(), collaborators: map[string]bool{}}
	o.repos = append(o.repos, r)
	return r
}

// AddCollaborator gives login (not an org member) direct access to repos
// of org, creating the repositories when needed.
func (s *Server) AddCollaborator(orgLogin, login string, repos ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	s.userLocked(login, time.Time{})
	for _, name := range repos {
		s.repoLocked(o, name).collaborators[strings.ToLower(login)] = true
	}
}

// AddInvitation records a pending invitation and returns its ID. Zero
// fields get defaults: role direct_member, created now.
func (s *Server) AddInvitation(orgLogin string, inv Invitation) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	if inv.Login != "" {
		s.userLocked(inv.Login, time.Time{})
	}
	inv.ID = s.id()
	if inv.Role == "" {
		inv.Role = "direct_member"
	}
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = s.now()
	}
	o.invitations = append(o.invitations, inv)
	return inv.ID
}

// AddCredential records a SAML-SSO credential authorization and returns
// its credential ID. Zero fields get defaults.
func (s *Server) AddCredential(orgLogin string, c Credential) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	o.hasSAML = true
	c.ID = s.id()
	if c.Type == "" {
		c.Type = "personal access token"
	}
	if c.Type == "personal access token" && c.TokenLastEight == "" {
		c.TokenLastEight = fmt.Sprintf("%08x", c.ID)
	}
	if c.AuthorizedAt.IsZero() {
		c.AuthorizedAt = s.now().AddDate(0, -1, 0)
	}
	o.credentials = append(o.credentials, c)
	return c.ID
}

// AddPAT records a fine-grained PAT with access to org and returns its ID.
func (s *Server) AddPAT(orgLogin string, p PAT) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	s.userLocked(p.Owner, time.Time{})
	p.ID = s.id()
	if p.Name == "" {
		p.Name = fmt.Sprintf("token-%d", p.ID)
	}
	if p.GrantedAt.IsZero() {
		p.GrantedAt = s.now().AddDate(0, -1, 0)
	}
	o.pats = append(o.pats, p)
	return p.ID
}

// AddContribution records n contributions of login to org on day that the
// viewer can see (commits to the org's repositories).
func (s *Server) AddContribution(orgLogin, login string, day time.Time, n int) {
	s.addContribution(orgLogin, login, day, dayCount{visible: n})
}

// AddRestrictedContribution records n contributions of login to org on
// day in repositories the viewer cannot see: GitHub reports them only in
// restrictedContributionsCount.
func (s *Server) AddRestrictedContribution(orgLogin, login string, day time.Time, n int) {
	s.addContribution(orgLogin, login, day, dayCount{restricted: n})
}

func (s *Server) addContribution(orgLogin, login string, day time.Time, c dayCount) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	s.userLocked(login, time.Time{})
	key := strings.ToLower(login)
	days := o.contributions[key]
	if days == nil {
		days = map[string]dayCount{}
		o.contributions[key] = days
	}
	d := days[dayKey(day)]
	d.visible += c.visible
	d.restricted += c.restricted
	days[dayKey(day)] = d
}

// AddSAMLIdentity adds an external identity to org's SAML provider,
// enabling SAML on the org.
func (s *Server) AddSAMLIdentity(orgLogin string, id SAMLIdentity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	o.hasSAML = true
	o.saml = append(o.saml, id)
}

// EnableSAML turns on org's SAML provider with no identities.
func (s *Server) EnableSAML(orgLogin string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.orgLocked(orgLogin).hasSAML = true
}
