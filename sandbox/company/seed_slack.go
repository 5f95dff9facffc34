package company

import "github.com/offboard/offboard/sandbox/fakeslack"

// SeedSlack adds the people, the user groups and the two channels.
func SeedSlack(s *fakeslack.Server) {
	everyone := []string{s.BotUserID()}
	for _, p := range People() {
		s.AddUser(fakeslack.User{ID: p.SlackID, Name: p.Handle, RealName: p.RealName, Email: p.email(),
			TZ: "Europe/Berlin", IsBot: p.Role == RoleService})
		everyone = append(everyone, p.SlackID)
	}
	s.AddUserGroup(fakeslack.UserGroup{ID: Managers, Handle: "managers", Name: "Managers",
		Description: "may request offboardings", Members: []string{Maria, "U0TOM", "U0PRIYA"}})
	s.AddUserGroup(fakeslack.UserGroup{ID: Security, Handle: "security", Name: "Security",
		Description: "approve revocations", Members: []string{Alex, "U0BEA", "U0PRIYA"}})
	s.AddUserGroup(fakeslack.UserGroup{ID: "S0ONCALL", Handle: "oncall", Name: "On call",
		Members: []string{Dana, "U0IVAN", "U0OMAR"}})
	s.AddUserGroup(fakeslack.UserGroup{ID: "S0BACKEND", Handle: "backend", Name: "Backend",
		Members: []string{Dana, "U0ELI", "U0GEORGE", "U0JUN"}})
	s.AddUserGroup(fakeslack.UserGroup{ID: "S0LEGACY", Handle: "legacy-owners", Name: "Legacy owners",
		Members: []string{"U0LENA"}})
	// The approvals channel holds the managers and approvers (and an
	// outsider who happens to be there); the target is not in it.
	s.AddChannel(fakeslack.Channel{ID: Approvals, Name: "approvals",
		Members: []string{s.BotUserID(), Maria, "U0TOM", Alex, "U0BEA", "U0PRIYA", Olly}})
	s.AddChannel(fakeslack.Channel{ID: General, Name: "general", Members: everyone})
}
