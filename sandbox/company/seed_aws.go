package company

import (
	"fmt"
	"time"

	"github.com/offboard/offboard/sandbox/fakeaws"
)

// The bot's own AWS credentials: an IAM user "offboard", protected.
const (
	AWSKeyID  = "AKIASANDBOXOFFBOARD1"
	AWSSecret = "sandbox-secret-not-real"
)

// SeedAWS builds one AWS account: IAM users with keys used recently,
// never used and idle, a console password, MFA, an SSH key, groups and
// policies, a dormant user and a service account.
func SeedAWS(a *fakeaws.Server, now time.Time) error {
	ago := func(days int) *time.Time { t := now.AddDate(0, 0, -days); return &t }
	if err := a.AddAccount(Account); err != nil {
		return err
	}
	if err := a.AddCredentials(AWSKeyID, Account, "offboard"); err != nil {
		return err
	}
	email := func(h string) map[string]string { return map[string]string{"email": h + "@acme.test"} }
	created := now.AddDate(-2, 0, 0)
	users := []fakeaws.User{
		// The bot's own user: it signs every call with this key.
		{Name: "offboard", Created: created, AttachedPolicies: []string{"arn:aws:iam::aws:policy/IAMFullAccess"},
			AccessKeys: []fakeaws.AccessKey{{ID: AWSKeyID, LastUsed: ago(0), LastService: "iam", LastRegion: "eu-central-1"}}},
		{Name: "dana", Created: created, Tags: email("dana"), PasswordLastUsed: ago(1),
			LoginProfile: &fakeaws.LoginProfile{},
			AccessKeys: []fakeaws.AccessKey{
				{LastUsed: ago(0), LastService: "s3", LastRegion: "eu-central-1"},
				{}, // created, never used
			},
			MFADevices:       []fakeaws.MFADevice{{Serial: "arn:aws:iam::" + Account + ":mfa/dana-phone", Virtual: true}},
			SSHKeys:          []fakeaws.SSHKey{{Body: "ssh-ed25519 AAAAC3Nza dana@laptop"}},
			Groups:           []string{"developers"},
			AttachedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}},
		{Name: "eli", Created: created, Tags: email("eli"), PasswordLastUsed: ago(2), LoginProfile: &fakeaws.LoginProfile{},
			AccessKeys: []fakeaws.AccessKey{{LastUsed: ago(120), LastService: "ec2", LastRegion: "eu-west-1"}}, // idle
			Groups:     []string{"developers", "admins"}},
		{Name: "george", Created: created, Tags: email("george"),
			AccessKeys: []fakeaws.AccessKey{{LastUsed: ago(1), LastService: "dynamodb", LastRegion: "eu-central-1"}},
			Groups:     []string{"developers"}},
		{Name: "ivan", Created: created, Tags: email("ivan"), PasswordLastUsed: ago(0), LoginProfile: &fakeaws.LoginProfile{},
			MFADevices: []fakeaws.MFADevice{{Serial: "arn:aws:iam::" + Account + ":mfa/ivan-key", Virtual: true}},
			Groups:     []string{"admins"}},
		{Name: "jun", Created: created, Tags: email("jun"),
			AccessKeys: []fakeaws.AccessKey{{LastUsed: ago(10), LastService: "athena", LastRegion: "eu-central-1"}}},
		{Name: "omar", Created: created, Tags: email("omar"), PasswordLastUsed: ago(3), LoginProfile: &fakeaws.LoginProfile{}},
		// Dormant: the key and the password were last used long ago.
		{Name: "lena", Created: created, Tags: email("lena"), PasswordLastUsed: ago(240), LoginProfile: &fakeaws.LoginProfile{},
			AccessKeys: []fakeaws.AccessKey{{LastUsed: ago(300), LastService: "s3", LastRegion: "us-east-1"}}},
		{Name: "nora", Created: created, Tags: email("nora"),
			AccessKeys: []fakeaws.AccessKey{{Created: created}}}, // never used in two years
		// The service account: busy, owned by no one person.
		{Name: "ci-deploy", Created: created, Tags: map[string]string{"owner": "platform"},
			AccessKeys:     []fakeaws.AccessKey{{LastUsed: ago(0), LastService: "ecr", LastRegion: "eu-central-1"}},
			InlinePolicies: map[string]string{"deploy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}`}},
	}
	for _, u := range users {
		if _, err := a.AddUser(Account, u); err != nil {
			return fmt.Errorf("seed aws: %w", err)
		}
	}
	return nil
}
