package idc

import (
	"context"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

// TestEveryRowOfAPersonWithAnIAMUserAndIdentityCenterAccessIsRevokedOnce:
// an IAM user in one account, and in Identity Center two groups and one
// direct assignment across three accounts.
func TestEveryRowOfAPersonWithAnIAMUserAndIdentityCenterAccessIsRevokedOnce(t *testing.T) {
	e := newEnv(t, fakeaws.Options{AsyncPolls: 2})
	_, err := e.fake.AddUser(mgmt, fakeaws.User{Name: "dana", AccessKeys: []fakeaws.AccessKey{{}}, LoginProfile: &fakeaws.LoginProfile{}})
	must(t, err)
	dana, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana", Emails: []string{"dana@example.com"}})
	must(t, err)
	devs, err := e.fake.AddIdCGroup(fakeaws.IdCGroup{DisplayName: "developers", Members: []string{dana.ID}})
	must(t, err)
	oncall, err := e.fake.AddIdCGroup(fakeaws.IdCGroup{DisplayName: "oncall", Members: []string{dana.ID}})
	must(t, err)
	read, admin, power := e.permSet(t, "ReadOnlyAccess"), e.permSet(t, "AdministratorAccess"), e.permSet(t, "PowerUserAccess")
	e.assign(t, "111111111111", read, "GROUP", devs.ID)
	e.assign(t, "222222222222", read, "GROUP", devs.ID)
	e.assign(t, "333333333333", admin, "GROUP", oncall.ID)
	direct := e.assign(t, "111111111111", power, "USER", dana.ID)
	must(t, e.fake.SetOrganization(mgmt, []fakeaws.OrgAccount{{ID: "111111111111", Name: "prod"},
		{ID: "222222222222", Name: "staging"}, {ID: "333333333333", Name: "infra"}}))

	iamc, err := aws.New(context.Background(), aws.Config{}, aws.Options{AWSConfig: &e.cfg, RequestsPerSecond: 10000, MaxBackoff: 1})
	must(t, err)
	ic := e.connector(t, aws.IdentityCenterConfig{})
	ctx := connectors.WithCase(context.Background(), "c1")

	iamRows, err := iamc[0].Grants(ctx, connectors.Account{System: connectors.AWS, ID: "dana"})
	must(t, err)
	rows, err := ic.Grants(ctx, idcAccount("dana"))
	must(t, err)
	counts := map[string]int{}
	for _, g := range rows {
		counts[g.Kind]++
	}
	if counts[KindGroupMembership] != 2 || counts[KindAssignment] != 1 || counts[KindSessions] != 1 || counts[KindUser] != 1 || len(rows) != 5 {
		t.Fatalf("rows %v, want 2 groups, 1 direct assignment, sessions and the user", counts)
	}
	for _, g := range byKind(rows, KindGroupMembership) {
		if g.Title == "group developers" && (len(g.Items) != 2 || !strings.Contains(strings.Join(g.Context, " "), "2 accounts")) {
			t.Errorf("developers row %+v, want its two accounts with ReadOnlyAccess", g)
		}
	}
	if a := byKind(rows, KindAssignment)[0]; a.Title != "PowerUserAccess in prod (111111111111)" {
		t.Errorf("assignment row %q", a.Title)
	}
	if u := byKind(rows, KindUser)[0]; u.Manual == "" {
		t.Errorf("the user row is not manual: %+v", u)
	}
	if s := byKind(rows, KindSessions)[0]; len(s.Items) != 3 || s.Warning == "" {
		t.Errorf("sessions row %+v, want the three permission sets and a warning", s)
	}

	for _, g := range iamRows {
		if out, err := iamc[0].Revoke(ctx, g); err != nil || out != connectors.Revoked {
			t.Errorf("IAM %s: %v, %v", g.Kind, out, err)
		}
	}
	for _, g := range rows {
		if g.Manual != "" {
			continue
		}
		if out, err := ic.Revoke(ctx, g); err != nil || out != connectors.Revoked {
			t.Errorf("%s %s: %v, %v", g.Kind, g.Title, out, err)
		}
	}

	if gs := e.fake.GroupsOf(dana.ID); len(gs) != 0 {
		t.Errorf("still in groups %v", gs)
	}
	for _, a := range e.fake.Assignments() {
		if a == direct {
			t.Errorf("the direct assignment is still there")
		}
	}
	if n := len(e.fake.Assignments()); n != 3 {
		t.Errorf("%d assignments left, want the groups' three (they are the groups', not hers)", n)
	}
	for _, ps := range []fakeaws.PermissionSet{read, admin, power} {
		got, _ := e.fake.PermissionSetOf(ps.ARN)
		if !strings.Contains(got.InlinePolicy, `"identitystore:userId":["`+dana.ID+`"]`) {
			t.Errorf("%s inline policy %s, want a deny for %s", ps.Name, got.InlinePolicy, dana.ID)
		}
	}
	for action, want := range map[string]int{"DeleteGroupMembership": 2, "DeleteAccountAssignment": 1,
		"DescribeAccountAssignmentDeletionStatus": 3, "PutInlinePolicyToPermissionSet": 3, "ProvisionPermissionSet": 3} {
		if got := e.fake.Count("", action); got != want {
			t.Errorf("%d %s calls, want %d", got, action, want)
		}
	}
	statuses := deletionStatuses(e.fake)
	if strings.Join(statuses, ",") != "IN_PROGRESS,IN_PROGRESS,SUCCEEDED" {
		t.Errorf("deletion statuses seen %v, want it followed to SUCCEEDED", statuses)
	}

	// Revoking again changes nothing and says so.
	for _, g := range rows {
		if g.Manual != "" {
			continue
		}
		if out, err := ic.Revoke(ctx, g); err != nil || out != connectors.AlreadyGone {
			t.Errorf("second %s: %v, %v; want already gone", g.Kind, out, err)
		}
	}
	if e.fake.Count("", "DeleteAccountAssignment") != 1 || e.fake.Count("", "PutInlinePolicyToPermissionSet") != 3 {
		t.Errorf("a second revocation wrote again")
	}
	left, err := ic.Grants(ctx, idcAccount("dana"))
	must(t, err)
	if len(left) != 1 || left[0].Kind != KindUser {
		t.Errorf("after revocation rows %v, want only the manual user row", left)
	}
}

// deletionStatuses lists what each deletion status read answered, from
// the fake's log.
func deletionStatuses(fake *fakeaws.Server) []string {
	var out []string
	for _, c := range fake.Calls() {
		if c.Action == "DescribeAccountAssignmentDeletionStatus" {
			out = append(out, c.Answer)
		}
	}
	return out
}
