package aws

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// The modes of revocation (PRODUCT §7).
const (
	// ModeDisable is reversible: keys and credentials inactive, console
	// password deleted, AWSDenyAll attached.
	ModeDisable = "disable"
	// ModeDelete removes everything DeleteUser requires, then the user.
	ModeDelete = "delete"
)

// Config is the `aws:` section of the configuration file.
type Config struct {
	// Mode is ModeDisable (the default when empty) or ModeDelete.
	Mode string `yaml:"mode"`
	// Accounts lists the accounts to work in; empty means the account of
	// the credentials themselves.
	Accounts []AccountConfig `yaml:"accounts"`
}

// AccountConfig is one AWS account to work in.
type AccountConfig struct {
	// Name is how people call the account ("prod"); the account ID when empty.
	Name string `yaml:"name"`
	// RoleARN is the role to assume in that account; empty means the
	// credentials' own account.
	RoleARN string `yaml:"role_arn"`
	// ExternalID is passed to AssumeRole when the role's trust policy
	// requires one.
	ExternalID string `yaml:"external_id"`
}

// roleARNPattern matches an IAM role ARN in any partition.
var roleARNPattern = regexp.MustCompile(`^arn:aws(-cn|-us-gov|-iso|-iso-[a-z])?:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$`)

// Validate reports every problem in the section at once.
func (c Config) Validate() error {
	var errs []error
	if c.Mode != "" && c.Mode != ModeDisable && c.Mode != ModeDelete {
		errs = append(errs, fmt.Errorf("aws.mode: %q is neither %q nor %q", c.Mode, ModeDisable, ModeDelete))
	}
	names := map[string]bool{}
	ids := map[string]bool{}
	own := 0
	for i, a := range c.Accounts {
		where := fmt.Sprintf("aws.accounts[%d]", i)
		id := ""
		switch {
		case a.RoleARN == "":
			own++
			if a.ExternalID != "" {
				errs = append(errs, fmt.Errorf("%s: external_id needs a role_arn", where))
			}
		case !roleARNPattern.MatchString(a.RoleARN):
			errs = append(errs, fmt.Errorf("%s.role_arn: %q is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME)", where, a.RoleARN))
		default:
			id = roleARNPattern.FindStringSubmatch(a.RoleARN)[2]
			if ids[id] {
				errs = append(errs, fmt.Errorf("%s.role_arn: account %s is listed twice", where, id))
			}
			ids[id] = true
		}
		name := a.Name
		if name == "" {
			name = id
		}
		if name != "" && names[strings.ToLower(name)] {
			errs = append(errs, fmt.Errorf("%s.name: %q is used twice", where, name))
		}
		names[strings.ToLower(name)] = true
	}
	if own > 1 {
		errs = append(errs, errors.New("aws.accounts: only one account may go without a role_arn (the credentials' own)"))
	}
	return errors.Join(errs...)
}

// mode returns the effective mode.
func (c Config) mode() string {
	if c.Mode == "" {
		return ModeDisable
	}
	return c.Mode
}

// roleAccount returns the account ID and partition of a validated role ARN.
func roleAccount(roleARN string) (id, partition string) {
	parts := strings.SplitN(roleARN, ":", 6)
	return parts[4], parts[1]
}
