package aws

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// The modes of revocation.
const (
	// ModeDisable is reversible: keys and credentials inactive, console
	// password deleted, an inline deny-all policy put on the user.
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
	// Organization, when set, adds every active account of the AWS
	// organisation, entered through the same role name in each.
	Organization *OrganizationConfig `yaml:"organization"`
	// IdentityCenter, when set, turns on the IAM Identity Center connector.
	IdentityCenter *IdentityCenterConfig `yaml:"identity_center"`
}

// OrganizationConfig is `aws.organization`: the accounts are listed with
// Organizations ListAccounts (the credentials must be the management
// account's, or a delegated administrator's) and entered through RoleName.
type OrganizationConfig struct {
	RoleName string `yaml:"role_name"`
	// ExternalID is passed to AssumeRole in every account.
	ExternalID string `yaml:"external_id"`
}

// IdentityCenterConfig is `aws.identity_center`.
type IdentityCenterConfig struct {
	// Region is where the Identity Center instance lives.
	Region string `yaml:"region"`
	// InstanceARN and IdentityStoreID name the instance; both are found
	// with ListInstances when empty.
	InstanceARN     string `yaml:"instance_arn"`
	IdentityStoreID string `yaml:"identity_store_id"`
	// ExternalIdP says the identity source is an external identity
	// provider (Okta, Entra ID, Google) whose sync overwrites changes made
	// here. Users the IdP provisioned are recognised by their external
	// IDs anyway; this covers an IdP that provisions without them.
	ExternalIdP bool `yaml:"external_idp"`
}

var (
	roleNamePattern    = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	regionPattern      = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
	instanceARNPattern = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$`)
	storeIDPattern     = regexp.MustCompile(`^d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

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
	if o := c.Organization; o != nil && !roleNamePattern.MatchString(o.RoleName) {
		errs = append(errs, fmt.Errorf("aws.organization.role_name: %q is not a role name (1–64 of letters, digits and +=,.@_-)", o.RoleName))
	}
	if ic := c.IdentityCenter; ic != nil {
		if !regionPattern.MatchString(ic.Region) {
			errs = append(errs, fmt.Errorf("aws.identity_center.region: %q is not an AWS region (eu-west-1)", ic.Region))
		}
		if ic.InstanceARN != "" && !instanceARNPattern.MatchString(ic.InstanceARN) {
			errs = append(errs, fmt.Errorf("aws.identity_center.instance_arn: %q is not an instance ARN (arn:aws:sso:::instance/ssoins-…)", ic.InstanceARN))
		}
		if ic.IdentityStoreID != "" && !storeIDPattern.MatchString(ic.IdentityStoreID) {
			errs = append(errs, fmt.Errorf("aws.identity_center.identity_store_id: %q is not an identity store ID (d-1234567890)", ic.IdentityStoreID))
		}
		if (ic.InstanceARN == "") != (ic.IdentityStoreID == "") {
			errs = append(errs, errors.New("aws.identity_center: instance_arn and identity_store_id go together (or leave both out to find them)"))
		}
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

// roleAccountPartition returns the partition and account of any ARN.
func roleAccountPartition(arn string) (partition, account string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return "", ""
	}
	return parts[1], parts[4]
}
