package fakeaws

import (
	"fmt"
	"slices"
)

// IdCUser is a user of the Identity Center identity store.
type IdCUser struct {
	ID          string
	UserName    string
	DisplayName string
	Emails      []string
	// ExternalIDs are set on users an external identity provider
	// provisioned (SCIM): their changes here are overwritten by its sync.
	ExternalIDs []ExternalID
	// Status is "ENABLED" (the default) or "DISABLED".
	Status string
}

// ExternalID is an identifier an external identity provider issued.
type ExternalID struct{ Issuer, ID string }

// IdCGroup is a group of the identity store.
type IdCGroup struct {
	ID          string
	DisplayName string
	// Members are user IDs; AddIdCGroup makes one membership for each.
	Members []string
}

// PermissionSet is an Identity Center permission set.
type PermissionSet struct {
	ARN          string
	Name         string
	InlinePolicy string
}

// Assignment gives a principal (USER or GROUP) a permission set in an account.
type Assignment struct {
	AccountID        string
	PermissionSetARN string
	PrincipalType    string // "USER" or "GROUP"
	PrincipalID      string
}

type membership struct{ id, groupID, userID string }

// identityCenter is the organisation's one Identity Center instance.
type identityCenter struct {
	owner        string // management account ID
	instanceARN  string
	storeID      string
	users        []*IdCUser // in creation order, for stable paging
	groups       map[string]*IdCGroup
	memberships  []membership
	permSets     map[string]*PermissionSet
	assignments  []Assignment
	deletions    map[string]*asyncRequest
	provisioning map[string]*asyncRequest
	failNext     map[Assignment]string // assignment → FailureReason of its next deletion
}

// EnableIdentityCenter creates the Identity Center instance, owned by the
// (management) account owner, and returns its ARN and identity store ID.
func (s *Server) EnableIdentityCenter(owner string) (instanceARN, storeID string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[owner]; !ok {
		return "", "", fmt.Errorf("enable identity center: no account %s", owner)
	}
	suffix := s.hex(16)
	s.idc = &identityCenter{
		owner:        owner,
		instanceARN:  "arn:aws:sso:::instance/ssoins-" + suffix,
		storeID:      "d-" + s.hex(10),
		groups:       map[string]*IdCGroup{},
		permSets:     map[string]*PermissionSet{},
		deletions:    map[string]*asyncRequest{},
		provisioning: map[string]*asyncRequest{},
		failNext:     map[Assignment]string{},
	}
	return s.idc.instanceARN, s.idc.storeID, nil
}

// AddIdCUser adds a user to the identity store and returns it with its ID.
func (s *Server) AddIdCUser(u IdCUser) (IdCUser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idc == nil {
		return IdCUser{}, fmt.Errorf("add idc user: identity center is not enabled")
	}
	if u.ID == "" {
		u.ID = s.uuid()
	}
	if u.Status == "" {
		u.Status = "ENABLED"
	}
	if u.DisplayName == "" {
		u.DisplayName = u.UserName
	}
	stored := u
	stored.Emails, stored.ExternalIDs = slices.Clone(u.Emails), slices.Clone(u.ExternalIDs)
	s.idc.users = append(s.idc.users, &stored)
	return u, nil
}

// AddIdCGroup adds a group with its members and returns it with its ID.
func (s *Server) AddIdCGroup(g IdCGroup) (IdCGroup, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idc == nil {
		return IdCGroup{}, fmt.Errorf("add idc group: identity center is not enabled")
	}
	if g.ID == "" {
		g.ID = s.uuid()
	}
	stored := g
	stored.Members = nil
	s.idc.groups[g.ID] = &stored
	for _, uid := range g.Members {
		s.idc.memberships = append(s.idc.memberships, membership{id: s.uuid(), groupID: g.ID, userID: uid})
	}
	return g, nil
}

// AddPermissionSet creates a permission set and returns it with its ARN.
func (s *Server) AddPermissionSet(name string) (PermissionSet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idc == nil {
		return PermissionSet{}, fmt.Errorf("add permission set: identity center is not enabled")
	}
	ps := &PermissionSet{ARN: s.idc.instanceARN[:len("arn:aws:sso:::")] + "permissionSet/" +
		s.idc.instanceARN[len("arn:aws:sso:::instance/"):] + "/ps-" + s.hex(16), Name: name}
	s.idc.permSets[ps.ARN] = ps
	return *ps, nil
}

// AddAssignment assigns a permission set to a principal in an account.
func (s *Server) AddAssignment(a Assignment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idc == nil {
		return fmt.Errorf("add assignment: identity center is not enabled")
	}
	if _, ok := s.idc.permSets[a.PermissionSetARN]; !ok {
		return fmt.Errorf("add assignment: no permission set %s", a.PermissionSetARN)
	}
	if !slices.Contains(s.idc.assignments, a) {
		s.idc.assignments = append(s.idc.assignments, a)
	}
	return nil
}

// FailNextDeletion makes the next deletion of the assignment end FAILED
// with reason, leaving the assignment in place.
func (s *Server) FailNextDeletion(a Assignment, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idc.failNext[a] = reason
}

// Assignments returns every account assignment.
func (s *Server) Assignments() []Assignment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.idc == nil {
		return nil
	}
	return slices.Clone(s.idc.assignments)
}

// GroupsOf returns the IDs of the groups the user is a member of.
func (s *Server) GroupsOf(userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.idc.memberships {
		if m.userID == userID {
			out = append(out, m.groupID)
		}
	}
	return out
}

// PermissionSetOf returns a snapshot of a permission set.
func (s *Server) PermissionSetOf(arn string) (PermissionSet, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps, ok := s.idc.permSets[arn]
	if !ok {
		return PermissionSet{}, false
	}
	return *ps, true
}

func (ic *identityCenter) user(id string) *IdCUser {
	for _, u := range ic.users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// hex returns n (≥ 8) lower-case hex digits, unique per server: the last
// six count calls, the rest vary visibly; s.mu must be held.
func (s *Server) hex(n int) string {
	s.seq++
	mixed := fmt.Sprintf("%016x%016x", uint64(s.seq)*0x9E3779B97F4A7C15, uint64(s.seq)*0xC2B2AE3D27D4EB4F)
	return mixed[:n-6] + fmt.Sprintf("%06x", s.seq&0xffffff)
}

// uuid returns a UUID-shaped identifier; s.mu must be held.
func (s *Server) uuid() string {
	h := s.hex(32)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// RemoveAssignment removes an assignment at once, as a deletion that
// completed (or a change made in the console) leaves it.
func (s *Server) RemoveAssignment(a Assignment) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.Index(s.idc.assignments, a)
	if i < 0 {
		return fmt.Errorf("remove assignment: no such assignment")
	}
	s.idc.assignments = slices.Delete(s.idc.assignments, i, i+1)
	return nil
}

// SetInlinePolicy sets a permission set's inline policy as it stands,
// as a change made in the console would.
func (s *Server) SetInlinePolicy(permSetARN, doc string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ps, ok := s.idc.permSets[permSetARN]
	if !ok {
		return fmt.Errorf("set inline policy: no permission set %s", permSetARN)
	}
	ps.InlinePolicy = doc
	return nil
}
