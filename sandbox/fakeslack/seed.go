package fakeslack

import (
	"fmt"
	"slices"
)

// AddUser adds or replaces a user. Name defaults to the ID.
func (s *Server) AddUser(u User) {
	if u.Name == "" {
		u.Name = u.ID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[u.ID]; !ok {
		s.userOrder = append(s.userOrder, u.ID)
	}
	s.users[u.ID] = &u
	s.notifyLocked()
}

// AddUserGroup adds or replaces a user group.
func (s *Server) AddUserGroup(g UserGroup) {
	g.Members = append([]string(nil), g.Members...)
	if g.Name == "" {
		g.Name = g.Handle
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.groups[g.ID]; !ok {
		s.groupOrder = append(s.groupOrder, g.ID)
	}
	s.groups[g.ID] = &g
	s.notifyLocked()
}

// AddChannel adds or replaces a channel. The bot can post only in channels
// it is a member of, so list BotUserID in Members for those.
func (s *Server) AddChannel(c Channel) {
	c.Members = append([]string(nil), c.Members...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[c.ID]; !ok {
		s.chanOrder = append(s.chanOrder, c.ID)
	}
	s.channels[c.ID] = &c
	s.notifyLocked()
}

// SetUserGroupMembers replaces a group's members, as an admin would by hand.
func (s *Server) SetUserGroupMembers(groupID string, members []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[groupID]
	if !ok {
		return fmt.Errorf("no user group %s", groupID)
	}
	g.Members = append([]string(nil), members...)
	s.notifyLocked()
	return nil
}

// SetDeleted deactivates or reactivates a user.
func (s *Server) SetDeleted(userID string, deleted bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[userID]
	if !ok {
		return fmt.Errorf("no user %s", userID)
	}
	u.Deleted = deleted
	s.notifyLocked()
	return nil
}

// User returns a copy of the user.
func (s *Server) User(id string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return User{}, false
	}
	return *u, true
}

// Users returns every user, the bot first, in the order they were added.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]User, 0, len(s.userOrder))
	for _, id := range s.userOrder {
		out = append(out, *s.users[id])
	}
	return out
}

// UserGroup returns a copy of the group.
func (s *Server) UserGroup(id string) (UserGroup, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[id]
	if !ok {
		return UserGroup{}, false
	}
	c := *g
	c.Members = slices.Clone(g.Members)
	return c, true
}

// UserGroups returns every group in the order they were added.
func (s *Server) UserGroups() []UserGroup {
	s.mu.Lock()
	ids := slices.Clone(s.groupOrder)
	s.mu.Unlock()
	out := make([]UserGroup, 0, len(ids))
	for _, id := range ids {
		if g, ok := s.UserGroup(id); ok {
			out = append(out, g)
		}
	}
	return out
}

// Channels returns every channel in the order they were added.
func (s *Server) Channels() []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Channel, 0, len(s.chanOrder))
	for _, id := range s.chanOrder {
		c := *s.channels[id]
		c.Members = slices.Clone(c.Members)
		out = append(out, c)
	}
	return out
}

// userByNameLocked finds a user by handle; s.mu held.
func (s *Server) userByNameLocked(name string) *User {
	for _, id := range s.userOrder {
		if u := s.users[id]; u.Name == name {
			return u
		}
	}
	return nil
}

// dmChannel is the ID of the bot's direct-message channel with a user.
func dmChannel(userID string) string { return "D" + userID }

func (c *Channel) has(user string) bool { return slices.Contains(c.Members, user) }
