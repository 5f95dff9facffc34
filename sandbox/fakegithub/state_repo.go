package fakegithub

import (
	"fmt"
	"strings"
	"time"
)

// DeployKey is an SSH key attached to one repository. GitHub reports who
// added it (added_by) and when it was last used (last_used).
type DeployKey struct {
	ID       int64
	Title    string
	ReadOnly bool
	// AddedBy is the login of the person who added the key.
	AddedBy   string
	CreatedAt time.Time
	// LastUsed is zero for a key never used.
	LastUsed time.Time
}

// RepoInvitation is a pending invitation of a user to collaborate on one
// repository.
type RepoInvitation struct {
	ID      int64
	Invitee string
	Inviter string
	// Permissions is "read" (default), "triage", "write", "maintain" or "admin".
	Permissions string
	CreatedAt   time.Time
}

// Codespace is a codespace billed to the org.
type Codespace struct {
	Name  string
	Owner string
	Repo  string
	// State is "Available" (default), "Shutdown", …
	State      string
	CreatedAt  time.Time
	LastUsedAt time.Time
	// Unpushed and Uncommitted are the codespace's git_status: work that
	// deleting the codespace would lose.
	Unpushed, Uncommitted bool
}

// comment is an issue or pull-request comment, which GraphQL lists under
// the author's issueComments.
type comment struct {
	login, org, repo string
	at               time.Time
}

// AddDeployKey adds k to repo of org (creating the repository) and
// returns its ID. Zero fields get defaults: a title, created a month ago.
func (s *Server) AddDeployKey(orgLogin, repoName string, k DeployKey) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(s.orgLocked(orgLogin), repoName)
	k.ID = s.id()
	if k.Title == "" {
		k.Title = fmt.Sprintf("key-%d", k.ID)
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = s.now().AddDate(0, -1, 0)
	}
	r.keys = append(r.keys, k)
	return k.ID
}

// DeployKeys returns the deploy keys of repo, for tests to read back.
func (s *Server) DeployKeys(orgLogin, repoName string) []DeployKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orgs[strings.ToLower(orgLogin)]; o != nil {
		if r := o.repo(repoName); r != nil {
			return append([]DeployKey(nil), r.keys...)
		}
	}
	return nil
}

// AddRepoInvitation invites inv.Invitee to repo of org and returns the
// invitation's ID.
func (s *Server) AddRepoInvitation(orgLogin, repoName string, inv RepoInvitation) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(s.orgLocked(orgLogin), repoName)
	s.userLocked(inv.Invitee, time.Time{})
	inv.ID = s.id()
	if inv.Permissions == "" {
		inv.Permissions = "read"
	}
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = s.now()
	}
	r.invitations = append(r.invitations, inv)
	return inv.ID
}

// RepoInvitations returns the pending invitations of repo.
func (s *Server) RepoInvitations(orgLogin, repoName string) []RepoInvitation {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orgs[strings.ToLower(orgLogin)]; o != nil {
		if r := o.repo(repoName); r != nil {
			return append([]RepoInvitation(nil), r.invitations...)
		}
	}
	return nil
}

// AddCodespace records a codespace of cs.Owner billed to org, creating
// its repository.
func (s *Server) AddCodespace(orgLogin string, cs Codespace) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orgLocked(orgLogin)
	s.userLocked(cs.Owner, time.Time{})
	if cs.Repo != "" {
		s.repoLocked(o, cs.Repo)
	}
	if cs.State == "" {
		cs.State = "Available"
	}
	if cs.CreatedAt.IsZero() {
		cs.CreatedAt = s.now().AddDate(0, 0, -7)
	}
	o.codespaces = append(o.codespaces, cs)
}

// Codespaces returns the codespaces billed to org.
func (s *Server) Codespaces(orgLogin string) []Codespace {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orgs[strings.ToLower(orgLogin)]; o != nil {
		return append([]Codespace(nil), o.codespaces...)
	}
	return nil
}

// AddComment records an issue or pull-request comment by login on repo
// of org at at. Comments are not contributions: GitHub's
// contributionsCollection does not count them.
func (s *Server) AddComment(orgLogin, repoName, login string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repoLocked(s.orgLocked(orgLogin), repoName)
	s.userLocked(login, time.Time{})
	s.comments = append(s.comments, comment{login: login, org: orgLogin, repo: repoName, at: at})
}
