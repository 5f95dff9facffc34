package fakegithub

import (
	"strings"
	"time"
)

// Member is an org member as tests seed it and read it back.
type Member struct {
	Login string
	// Role is "admin" (an owner) or "member"; empty means "member".
	Role string
	// CreatedAt is when the user's GitHub account was created; zero means
	// two years before the server's now.
	CreatedAt time.Time
	// JoinedAt is when the user joined the org; zero means one year before
	// the server's now.
	JoinedAt time.Time
	// Email is the public email of the account; may be empty.
	Email string
}

// Team is an org team and the logins in it.
type Team struct {
	Slug    string
	Name    string
	Members []string
}

// Collaborator is an outside collaborator and the org repositories they
// can reach.
type Collaborator struct {
	Login string
	Repos []string
}

// Invitation is a pending org invitation, by login or by email.
type Invitation struct {
	ID        int64
	Login     string
	Email     string
	Role      string // "direct_member" (default), "admin", "billing_manager"
	CreatedAt time.Time
	Inviter   string
}

// Credential is a SAML-SSO credential authorization, with the fields GitHub's list gives.
type Credential struct {
	ID    int64
	Login string
	// Type is "personal access token" (default), "SSH key" or "OAuth app token".
	Type           string
	TokenLastEight string
	Fingerprint    string
	Scopes         []string
	AuthorizedAt   time.Time
	// AccessedAt is zero when the credential was never used.
	AccessedAt time.Time
}

// PAT is a fine-grained personal access token with access to the org.
type PAT struct {
	ID    int64
	Owner string
	Name  string
	// Repositories lists the repositories the token reaches; nil means all.
	Repositories []string
	GrantedAt    time.Time
	// ExpiresAt is zero for a token that never expires.
	ExpiresAt time.Time
	// LastUsedAt is zero for a token never used.
	LastUsedAt time.Time
}

// SAMLIdentity is an external identity of the org's SAML provider.
type SAMLIdentity struct {
	NameID       string
	Emails       []string
	SCIMUserName string
	// Login is the linked GitHub login; empty when the identity is not linked.
	Login string
}

// AuditEvent is one org audit-log entry the fake records (joins and removals).
type AuditEvent struct {
	Action string
	Actor  string
	User   string
	At     time.Time
}

// user is a GitHub account, shared by all orgs.
type user struct {
	login     string
	id        int64
	createdAt time.Time
	email     string
}

func (u *user) nodeID() string { return nodeID("U", u.id) }

type membership struct {
	user     *user
	role     string
	joinedAt time.Time
}

type team struct {
	slug, name string
	members    map[string]bool // lower login
}

type repo struct {
	name          string
	id            int64
	collaborators map[string]bool // lower login of outside collaborators
	keys          []DeployKey
	invitations   []RepoInvitation
}

type dayCount struct{ visible, restricted int }

// org is the state of one organization.
type org struct {
	login       string
	id          int64
	createdAt   time.Time
	members     []*membership // in join order
	memberIdx   map[string]*membership
	teams       []*team
	repos       []*repo
	invitations []Invitation
	credentials []Credential
	pats        []PAT
	saml        []SAMLIdentity
	hasSAML     bool
	// contributions by lower login, then by day "2006-01-02".
	contributions map[string]map[string]dayCount
	audit         []AuditEvent
	codespaces    []Codespace
}

func (o *org) nodeID() string { return nodeID("O", o.id) }

func (o *org) member(login string) *membership {
	return o.memberIdx[strings.ToLower(login)]
}

func (o *org) removeMember(login string) bool {
	key := strings.ToLower(login)
	if o.memberIdx[key] == nil {
		return false
	}
	delete(o.memberIdx, key)
	kept := o.members[:0]
	for _, m := range o.members {
		if strings.ToLower(m.user.login) != key {
			kept = append(kept, m)
		}
	}
	o.members = kept
	for _, t := range o.teams {
		delete(t.members, key)
	}
	return true
}

func (o *org) team(slug string) *team {
	for _, t := range o.teams {
		if t.slug == slug {
			return t
		}
	}
	return nil
}

func (o *org) repo(name string) *repo {
	for _, r := range o.repos {
		if strings.EqualFold(r.name, name) {
			return r
		}
	}
	return nil
}

// collaboratorRepos lists the repositories login reaches as an outside
// collaborator, in repository order.
func (o *org) collaboratorRepos(login string) []string {
	var out []string
	key := strings.ToLower(login)
	for _, r := range o.repos {
		if r.collaborators[key] {
			out = append(out, r.name)
		}
	}
	return out
}

func nodeID(prefix string, id int64) string {
	return prefix + "_kgDO" + strings.ToUpper(strings.TrimLeft(formatBase36(id), "0"))
}

func formatBase36(n int64) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 36 {
		b = append([]byte{digits[n%36]}, b...)
	}
	return string(b)
}

func dayKey(t time.Time) string { return t.UTC().Format(time.DateOnly) }
