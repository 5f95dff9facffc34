package aws

import (
	"context"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func checkByName(checks []connectors.Check, suffix string) (connectors.Check, bool) {
	for _, c := range checks {
		if strings.HasSuffix(c.Name, suffix) {
			return c, true
		}
	}
	return connectors.Check{}, false
}

func TestCheckPassesWithEnoughPermissions(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	must(t, e.fake.AddAccount("111111111111"))
	must(t, e.fake.AddRole("111111111111", "offboard"))
	cs, err := New(context.Background(), Config{Accounts: []AccountConfig{{Name: "prod", RoleARN: "arn:aws:iam::111111111111:role/offboard"}}}, e.fastOptions())
	must(t, err)
	checks := cs[0].Check(context.Background())
	if len(checks) != 5 {
		t.Fatalf("got %d checks %+v, want credentials, role, source identity, read, permissions", len(checks), checks)
	}
	for _, c := range checks {
		if !c.OK || !strings.HasPrefix(c.Name, "aws prod: ") {
			t.Errorf("check %+v, want OK and named after the account", c)
		}
	}
	var simulated string
	for _, call := range e.fake.Calls() {
		if call.Action == "SimulatePrincipalPolicy" {
			simulated = call.Params.Get("PolicySourceArn")
		}
	}
	if simulated != "arn:aws:iam::111111111111:role/offboard" {
		t.Errorf("simulated %q, want the role", simulated)
	}
}

func TestCheckNamesTheActionsTheModeNeedsButLacks(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	e.fake.Deny(acctID, "iam:DeleteUser", true)
	e.fake.Deny(acctID, "iam:GetAccountAuthorizationDetails", true)
	c := e.connector(t, ModeDelete)
	perm, ok := checkByName(c.Check(context.Background()), "permissions for mode delete")
	if !ok || perm.OK || !strings.Contains(perm.Detail, "iam:DeleteUser") || strings.Contains(perm.Detail, "GetAccountAuthorizationDetails") {
		t.Errorf("check %+v, want a failure naming iam:DeleteUser only", perm)
	}
	disabling := e.connector(t, ModeDisable)
	perm, _ = checkByName(disabling.Check(context.Background()), "permissions for mode disable")
	if !perm.OK || !strings.Contains(perm.Detail, "user by user") {
		t.Errorf("disable mode check %+v, want OK with a note on the slower email lookup", perm)
	}
}

func TestCheckSaysNotVerifiedWhenItCannotSimulate(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	e.fake.Deny(acctID, "iam:SimulatePrincipalPolicy", true)
	c := e.connector(t, ModeDisable)
	perm, _ := checkByName(c.Check(context.Background()), "permissions for mode disable")
	if !perm.OK || !strings.HasPrefix(perm.Detail, "not verified") {
		t.Errorf("check %+v, want OK and not verified", perm)
	}
}

func TestCheckFailsWhenTheRoleCannotBeAssumed(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	must(t, e.fake.AddAccount("111111111111")) // no role in it
	cs, err := New(context.Background(), Config{Accounts: []AccountConfig{{RoleARN: "arn:aws:iam::111111111111:role/offboard"}}}, e.fastOptions())
	must(t, err)
	checks := cs[0].Check(context.Background())
	last := checks[len(checks)-1]
	if len(checks) != 2 || last.OK || !strings.Contains(last.Name, "assume role") {
		t.Errorf("checks %+v, want the credentials OK and assume role failing last", checks)
	}
	for _, c := range checks {
		if strings.Contains(c.Detail, "base-secret") {
			t.Errorf("a check shows the secret key: %s", c.Detail)
		}
	}
}
