package fakeaws

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// AddAccount creates an empty account with a 12-digit ID.
func (s *Server) AddAccount(id string) error {
	if len(id) != 12 || strings.Trim(id, "0123456789") != "" {
		return fmt.Errorf("add account: %q is not a 12-digit account ID", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[id]; !ok {
		s.accounts[id] = newAccount(id, s.clock())
	}
	return nil
}

// AddCredentials lets requests signed with accessKeyID act as the IAM user
// userName of the account (the user need not exist in the fake).
func (s *Server) AddCredentials(accessKeyID, accountID, userName string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[accountID]; !ok {
		return fmt.Errorf("add credentials: no account %s", accountID)
	}
	s.creds[accessKeyID] = principal{
		account: accountID,
		arn:     "arn:aws:iam::" + accountID + ":user/" + userName,
		userID:  s.newID("AIDA", 17),
	}
	return nil
}

// AddRole makes the role assumable with AssumeRole from any account.
func (s *Server) AddRole(accountID, roleName string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return fmt.Errorf("add role: no account %s", accountID)
	}
	a.roles[roleName] = true
	return nil
}

// Deny, when deny is true, makes every call of action ("iam:DeleteUser",
// "sts:AssumeRole") signed with credentials of the account fail with
// AccessDenied, and SimulatePrincipalPolicy report the action as denied;
// Deny with false allows it again.
func (s *Server) Deny(accountID, action string, deny bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accounts[accountID]; ok {
		a.denied[action] = deny
	}
}

// AddUser seeds a user with everything it holds and returns what was stored.
func (s *Server) AddUser(accountID string, u User) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return User{}, fmt.Errorf("add user: no account %s", accountID)
	}
	if u.Name == "" {
		return User{}, fmt.Errorf("add user: empty name")
	}
	if _, exists := a.users[u.Name]; exists {
		return User{}, fmt.Errorf("add user: %s already exists in %s", u.Name, accountID)
	}
	stored := u.clone()
	if err := s.normalize(a, &stored); err != nil {
		return User{}, fmt.Errorf("add user: %w", err)
	}
	a.users[stored.Name] = &stored
	i, _ := slices.BinarySearch(a.names, stored.Name)
	a.names = slices.Insert(a.names, i, stored.Name)
	return stored.clone(), nil
}

// AddAccessKey gives an existing user one more access key and returns it.
func (s *Server) AddAccessKey(accountID, userName string, k AccessKey) (AccessKey, error) {
	var n int
	err := s.UpdateUser(accountID, userName, func(u *User) {
		u.AccessKeys = append(u.AccessKeys, k)
		n = len(u.AccessKeys)
	})
	if err != nil {
		return AccessKey{}, fmt.Errorf("add access key: %w", err)
	}
	u, _ := s.User(accountID, userName)
	return u.AccessKeys[n-1], nil
}

// UpdateUser changes a user in place (add a key, record a sign-in …); the
// same defaults as AddUser are filled in afterwards.
func (s *Server) UpdateUser(accountID, userName string, change func(*User)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return fmt.Errorf("update user: no account %s", accountID)
	}
	u, ok := a.users[userName]
	if !ok {
		return fmt.Errorf("update user: no user %s in %s", userName, accountID)
	}
	changed := u.clone()
	change(&changed)
	changed.Name = userName
	if err := s.normalize(a, &changed); err != nil {
		return fmt.Errorf("update user: %w", err)
	}
	*u = changed
	return nil
}

// User returns a snapshot of the named user.
func (s *Server) User(accountID, userName string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return User{}, false
	}
	u, ok := a.users[userName]
	if !ok {
		return User{}, false
	}
	return u.clone(), true
}

// Users returns snapshots of every user of the account, by name.
func (s *Server) Users(accountID string) []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[accountID]
	if !ok {
		return nil
	}
	out := make([]User, 0, len(a.names))
	for _, n := range a.names {
		out = append(out, a.users[n].clone())
	}
	return out
}

// Accounts returns the IDs of all accounts, sorted.
func (s *Server) Accounts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.accounts))
	for id := range s.accounts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
