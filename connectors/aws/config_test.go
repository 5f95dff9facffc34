package aws

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string // substring of the error; empty for valid
	}{
		{"an empty section is the credentials' own account in disable mode", Config{}, ""},
		{"delete mode with two roles is valid", Config{Mode: "delete", Accounts: []AccountConfig{
			{Name: "prod", RoleARN: "arn:aws:iam::111111111111:role/offboard"},
			{Name: "gov", RoleARN: "arn:aws-us-gov:iam::222222222222:role/path/offboard"}}}, ""},
		{"an unknown mode is refused", Config{Mode: "destroy"}, "aws.mode"},
		{"a role ARN without an account is refused", Config{Accounts: []AccountConfig{{RoleARN: "arn:aws:iam:::role/x"}}}, "not an IAM role ARN"},
		{"a user ARN is not a role", Config{Accounts: []AccountConfig{{RoleARN: "arn:aws:iam::111111111111:user/x"}}}, "not an IAM role ARN"},
		{"a name used twice is refused", Config{Accounts: []AccountConfig{
			{Name: "prod", RoleARN: "arn:aws:iam::111111111111:role/a"},
			{Name: "Prod", RoleARN: "arn:aws:iam::222222222222:role/a"}}}, "used twice"},
		{"an account listed twice is refused", Config{Accounts: []AccountConfig{
			{Name: "a", RoleARN: "arn:aws:iam::111111111111:role/a"},
			{Name: "b", RoleARN: "arn:aws:iam::111111111111:role/b"}}}, "listed twice"},
		{"two accounts without a role are refused", Config{Accounts: []AccountConfig{{Name: "a"}, {Name: "b"}}}, "only one account"},
		{"an external ID without a role is refused", Config{Accounts: []AccountConfig{{ExternalID: "x"}}}, "external_id"},
		{"an organization with a role name and Identity Center with a region are valid", Config{
			Organization:   &OrganizationConfig{RoleName: "offboard", ExternalID: "x"},
			IdentityCenter: &IdentityCenterConfig{Region: "eu-west-1"}}, ""},
		{"an organization without a role name is refused", Config{Organization: &OrganizationConfig{}}, "aws.organization.role_name"},
		{"a role ARN is not a role name", Config{Organization: &OrganizationConfig{RoleName: "arn:aws:iam::1:role/x"}}, "not a role name"},
		{"Identity Center without a region is refused", Config{IdentityCenter: &IdentityCenterConfig{}}, "aws.identity_center.region"},
		{"an instance ARN without its identity store is refused", Config{IdentityCenter: &IdentityCenterConfig{
			Region: "eu-west-1", InstanceARN: "arn:aws:sso:::instance/ssoins-1234567890abcdef"}}, "go together"},
		{"a malformed identity store ID is refused", Config{IdentityCenter: &IdentityCenterConfig{
			Region: "eu-west-1", InstanceARN: "arn:aws:sso:::instance/ssoins-1234567890abcdef", IdentityStoreID: "store"}}, "identity_store_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("got %v, want valid", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("got %v, want an error about %q", err, tc.want)
			}
		})
	}
}
