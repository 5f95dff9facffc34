package aws

import (
	"context"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestRolesTheUsersPoliciesLetThemAssumeGetAnEndSessionsRow(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	for _, r := range []string{"deploy-prod", "deploy-stage", "admin", "unrelated"} {
		must(t, e.fake.AddRole(acctID, r))
	}
	assumeDeploy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/deploy-*"}]}`
	assumeAdmin := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["sts:Assume*"],"Resource":["arn:aws:iam::123456789012:role/admin"]}}`
	denyOnly := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}`
	arn, err := e.fake.AddManagedPolicy(acctID, "assume-admin", assumeAdmin)
	must(t, err)
	must(t, e.fake.SetGroupPolicies(acctID, "ops", nil, []string{arn}))
	_, err = e.fake.AddUser(acctID, fakeaws.User{Name: "dev", Groups: []string{"ops"},
		InlinePolicies: map[string]string{"deploy": assumeDeploy, "guard": denyOnly}})
	must(t, err)
	c := e.connector(t, ModeDisable)
	gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	rows := byKind(gs, KindRoleSessions)
	var titles []string
	for _, g := range rows {
		titles = append(titles, g.Title+" ("+strings.Join(g.Context, "")+")")
		if g.Warning == "" {
			t.Errorf("%s has no warning that it ends everyone's sessions", g.Title)
		}
	}
	want := "end active sessions of role admin (allowed by group ops policy assume-admin)," +
		"end active sessions of role deploy-prod (allowed by inline policy deploy)," +
		"end active sessions of role deploy-stage (allowed by inline policy deploy)"
	if strings.Join(titles, ",") != want {
		t.Fatalf("rows\n%s\nwant\n%s", strings.Join(titles, "\n"), strings.ReplaceAll(want, ",", "\n"))
	}

	out, err := c.Revoke(context.Background(), rows[1])
	if err != nil || out != connectors.Revoked {
		t.Fatalf("revoke: %v, %v", out, err)
	}
	doc, ok := e.fake.RolePolicy(acctID, "deploy-prod", "AWSRevokeOlderSessions")
	if !ok || !strings.Contains(doc, `"DateLessThan":{"aws:TokenIssueTime":"2024-06-01T09:00:00Z"}`) || !strings.Contains(doc, `"Effect":"Deny"`) {
		t.Errorf("role policy %q, want the revoke-older-sessions deny dated now", doc)
	}
	if out, err := c.Revoke(context.Background(), rows[1]); err != nil || out != connectors.AlreadyGone {
		t.Errorf("second revoke: %v, %v; want already gone", out, err)
	}
	if _, ok := e.fake.RolePolicy(acctID, "unrelated", "AWSRevokeOlderSessions"); ok {
		t.Errorf("a role the user cannot assume was touched")
	}

	for _, g := range byKind(gs, KindPolicies) {
		_, err := c.Revoke(context.Background(), g)
		must(t, err)
	}
	again, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	if n := len(byKind(again, KindRoleSessions)); n != 0 {
		t.Errorf("%d role-session rows once the user is denied, want none", n)
	}
}

func TestTheBotsOwnRoleIsProtected(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	must(t, e.fake.AddAccount("111111111111"))
	must(t, e.fake.AddRole("111111111111", "offboard"))
	_, err := e.fake.AddUser("111111111111", fakeaws.User{Name: "dev", InlinePolicies: map[string]string{"p": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}})
	must(t, err)
	cs, err := New(context.Background(), Config{Accounts: []AccountConfig{{RoleARN: "arn:aws:iam::111111111111:role/offboard"}}}, e.fastOptions())
	must(t, err)
	gs, err := cs[0].Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	rows := byKind(gs, KindRoleSessions)
	if len(rows) != 1 || rows[0].Protected == "" {
		t.Errorf("rows %+v, want the bot's own role, protected", rows)
	}
}
