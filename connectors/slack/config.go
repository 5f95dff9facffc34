package slack

import "errors"

// Config is the `slack_connector:` section of the configuration.
type Config struct {
	// UserGroups lists and removes the user-group memberships of a person.
	UserGroups bool `yaml:"usergroups"`
	// SCIM deactivates the Slack account itself; it needs SLACK_SCIM_TOKEN
	// (an admin user token, Business+ or Enterprise plans).
	SCIM bool `yaml:"scim"`
}

// Validate reports a section that turns everything off: leaving the section
// out is how the connector is turned off, so this is most likely a mistake.
func (c Config) Validate() error {
	if !c.UserGroups && !c.SCIM {
		return errors.New("slack_connector: enable usergroups or scim, or leave the section out")
	}
	return nil
}
