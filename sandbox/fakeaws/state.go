package fakeaws

import (
	"maps"
	"slices"
	"time"
)

// Credential statuses as IAM spells them.
const (
	StatusActive   = "Active"
	StatusInactive = "Inactive"
)

// DenyAllARN is the AWS managed policy that denies every action.
const DenyAllARN = "arn:aws:iam::aws:policy/AWSDenyAll"

// MaxAccessKeys and MaxManagedPolicies are IAM's default quotas per user.
const (
	MaxAccessKeys      = 2
	MaxManagedPolicies = 10
)

// User is an IAM user with everything attached to it. AddUser takes one to
// seed the fake; User returns one as a snapshot. Empty IDs, ARNs, paths and
// dates are filled in when seeding.
type User struct {
	Name    string
	ID      string
	ARN     string
	Path    string
	Created time.Time
	Tags    map[string]string
	// PasswordLastUsed is the last console sign-in; nil when never.
	PasswordLastUsed *time.Time
	// LoginProfile is the console password; nil when there is none.
	LoginProfile        *LoginProfile
	AccessKeys          []AccessKey
	SSHKeys             []SSHKey
	SigningCerts        []SigningCert
	ServiceCreds        []ServiceCred
	MFADevices          []MFADevice
	Groups              []string
	AttachedPolicies    []string // policy ARNs
	InlinePolicies      map[string]string
	PermissionsBoundary string
}

// LoginProfile is a console password.
type LoginProfile struct {
	Created       time.Time
	ResetRequired bool
}

// AccessKey is an API key pair (the secret is not kept).
type AccessKey struct {
	ID      string
	Status  string
	Created time.Time
	// LastUsed is nil when the key was never used.
	LastUsed    *time.Time
	LastService string
	LastRegion  string
}

// SSHKey is an SSH public key for CodeCommit.
type SSHKey struct {
	ID       string
	Status   string
	Uploaded time.Time
	Body     string
}

// SigningCert is an X.509 signing certificate.
type SigningCert struct {
	ID       string
	Status   string
	Uploaded time.Time
	Body     string
}

// ServiceCred is a service-specific credential (CodeCommit Git, Keyspaces …).
type ServiceCred struct {
	ID              string
	Status          string
	ServiceName     string
	ServiceUserName string
	Created         time.Time
}

// MFADevice is an MFA device assigned to a user.
type MFADevice struct {
	Serial  string
	Enabled time.Time
	// Virtual devices outlive their deactivation until deleted.
	Virtual bool
}

// clone returns a deep copy, so snapshots never alias the server's state.
func (u *User) clone() User {
	c := *u
	c.Tags = maps.Clone(u.Tags)
	if u.PasswordLastUsed != nil {
		t := *u.PasswordLastUsed
		c.PasswordLastUsed = &t
	}
	if u.LoginProfile != nil {
		lp := *u.LoginProfile
		c.LoginProfile = &lp
	}
	c.AccessKeys = slices.Clone(u.AccessKeys)
	for i, k := range c.AccessKeys {
		if k.LastUsed != nil {
			t := *k.LastUsed
			c.AccessKeys[i].LastUsed = &t
		}
	}
	c.SSHKeys = slices.Clone(u.SSHKeys)
	c.SigningCerts = slices.Clone(u.SigningCerts)
	c.ServiceCreds = slices.Clone(u.ServiceCreds)
	c.MFADevices = slices.Clone(u.MFADevices)
	c.Groups = slices.Clone(u.Groups)
	c.AttachedPolicies = slices.Clone(u.AttachedPolicies)
	c.InlinePolicies = maps.Clone(u.InlinePolicies)
	return c
}

// account is one simulated AWS account.
type account struct {
	id      string
	created time.Time
	users   map[string]*User
	names   []string // user names, sorted, for stable paging
	groups  map[string]*group
	// virtualMFA maps a virtual device's serial to the user it is
	// assigned to, "" once deactivated.
	virtualMFA map[string]string
	roles      map[string]bool
	// rolePolicies are the roles' inline policies: role → name → document.
	rolePolicies map[string]map[string]string
	// managed are the account's customer managed policies: ARN → document.
	managed map[string]string
	denied  map[string]bool // "iam:DeleteUser" → AccessDenied
	report  reportState
}

type group struct {
	name, id, arn, path string
	created             time.Time
	inline              map[string]string // policy name → document
	attached            []string          // policy ARNs
}

func newAccount(id string, created time.Time) *account {
	return &account{
		id:           id,
		created:      created,
		users:        map[string]*User{},
		groups:       map[string]*group{},
		virtualMFA:   map[string]string{},
		roles:        map[string]bool{},
		rolePolicies: map[string]map[string]string{},
		managed:      map[string]string{},
		denied:       map[string]bool{},
	}
}

// user returns the named user or a NoSuchEntity error.
func (a *account) user(name string) (*User, *apiError) {
	if name == "" {
		return nil, errValidation("1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must not be null")
	}
	u, ok := a.users[name]
	if !ok {
		return nil, errNoSuchEntity("The user with name %s cannot be found.", name)
	}
	return u, nil
}

func (a *account) removeUser(name string) {
	delete(a.users, name)
	if i, ok := slices.BinarySearch(a.names, name); ok {
		a.names = slices.Delete(a.names, i, i+1)
	}
}
