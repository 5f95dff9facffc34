package slack

import "errors"

// Config is the `slack_connector:` section of the configuration.
type Config struct {
	// UserGroups lists and removes the user-group memberships of a person,
	// and offers to disable a group whose last member they are.
	UserGroups bool `yaml:"usergroups"`
	// SCIM deactivates the Slack account itself; it needs SLACK_SCIM_TOKEN
	// (an admin user token, Business+ or Enterprise plans).
	SCIM bool `yaml:"scim"`
	// Sessions offers to end every Slack session of the person
	// (admin.users.session.reset); it needs SLACK_ADMIN_TOKEN with
	// admin.users:write on Enterprise Grid.
	Sessions bool `yaml:"sessions"`
	// AccessLogs scans Slack for dormant accounts with SLACK_ADMIN_TOKEN:
	// admin.users.list's last activity on Enterprise Grid (admin.users:read),
	// team.accessLogs elsewhere (paid plans, the admin scope).
	AccessLogs bool `yaml:"access_logs"`
}

// Validate reports a section that turns everything off: leaving the section
// out is how the connector is turned off, so this is most likely a mistake.
func (c Config) Validate() error {
	if !c.UserGroups && !c.SCIM && !c.Sessions && !c.AccessLogs {
		return errors.New("slack_connector: enable usergroups, scim, sessions or access_logs, or leave the section out")
	}
	return nil
}

// On says whether the section turns anything on.
func (c Config) On() bool { return c.Validate() == nil }
