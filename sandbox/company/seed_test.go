package company

import (
	"slices"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

// The story needs a company with every kind of access the bot handles;
// this pins that the seed still has each.
func TestTheSeedHasEveryKindOfAccessTheStoryNeeds(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	fs, err := fakeslack.Start(fakeslack.Options{Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	SeedSlack(fs)
	mgrs, _ := fs.UserGroup(Managers)
	sec, _ := fs.UserGroup(Security)
	both := 0
	for _, m := range mgrs.Members {
		if slices.Contains(sec.Members, m) {
			both++
		}
	}
	if len(mgrs.Members)-both != 2 || len(sec.Members) != 3 || both != 1 {
		t.Errorf("managers %v, approvers %v; want two managers and three approvers, one of them also a requester", mgrs.Members, sec.Members)
	}
	devs := 0
	for _, p := range People() {
		if p.Role == RoleDev {
			devs++
		}
	}
	if devs < 10 {
		t.Errorf("%d developers; want about a dozen", devs)
	}
	if ch := fs.Channels(); len(ch) != 2 || slices.Contains(ch[0].Members, Dana) {
		t.Errorf("channels %+v; want #approvals without Dana, and #general", ch)
	}

	gh := fakegithub.New(fakegithub.Options{Now: func() time.Time { return now }})
	SeedGitHub(gh, now)
	org, _ := gh.Snapshot(Org)
	roles := map[string]bool{}
	for _, m := range org.Members {
		roles[m.Role] = true
	}
	if !roles["admin"] || !roles["member"] || len(org.Teams) == 0 || len(org.Collaborators) == 0 ||
		len(org.Invitations) == 0 || len(org.Credentials) == 0 || len(org.PATs) == 0 || !org.SAMLEnabled {
		t.Errorf("the org lacks a kind of access: %+v", org)
	}

	iam := fakeaws.New(fakeaws.Options{Clock: func() time.Time { return now }})
	if err := SeedAWS(iam, now); err != nil {
		t.Fatal(err)
	}
	var recent, never, idle, password, mfa, ssh, service bool
	for _, u := range iam.Users(Account) {
		for _, k := range u.AccessKeys {
			switch {
			case k.LastUsed == nil:
				never = true
			case now.Sub(*k.LastUsed) < 48*time.Hour:
				recent = true
			case now.Sub(*k.LastUsed) > 90*24*time.Hour:
				idle = true
			}
		}
		password = password || u.LoginProfile != nil
		mfa = mfa || len(u.MFADevices) > 0
		ssh = ssh || len(u.SSHKeys) > 0
		service = service || u.Name == "ci-deploy"
	}
	if !recent || !never || !idle || !password || !mfa || !ssh || !service {
		t.Errorf("IAM lacks a kind: recent %v never %v idle %v password %v mfa %v ssh %v service %v", recent, never, idle, password, mfa, ssh, service)
	}
}
