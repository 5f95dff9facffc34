package idc

import (
	"context"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestAnExternalIdPAddsTheManualDeprovisionRowAndWarnsOnWhatItsSyncRestores(t *testing.T) {
	for _, tc := range []struct {
		name   string
		user   fakeaws.IdCUser
		config bool
	}{
		{"a user the IdP provisioned (external IDs)", fakeaws.IdCUser{UserName: "dana",
			ExternalIDs: []fakeaws.ExternalID{{Issuer: "https://scim.okta.example", ID: "00u1"}}}, false},
		{"an instance configured as external", fakeaws.IdCUser{UserName: "dana"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, fakeaws.Options{})
			dana, err := e.fake.AddIdCUser(tc.user)
			must(t, err)
			_, err = e.fake.AddIdCGroup(fakeaws.IdCGroup{DisplayName: "developers", Members: []string{dana.ID}})
			must(t, err)
			ic := e.connector(t, aws.IdentityCenterConfig{ExternalIdP: tc.config})
			rows, err := ic.Grants(context.Background(), idcAccount("dana"))
			must(t, err)
			idp := byKind(rows, KindIdPDeprovision)
			if len(idp) != 1 || idp[0].Manual == "" {
				t.Fatalf("rows %+v, want one manual deprovision-in-the-IdP row", rows)
			}
			if len(byKind(rows, KindUser)) != 0 {
				t.Errorf("a disable-user row as well: the IdP owns the user")
			}
			if m := byKind(rows, KindGroupMembership); len(m) != 1 || m[0].Warning == "" {
				t.Errorf("membership row %+v, want a warning that the sync restores it", m)
			}
			if _, err := ic.Revoke(context.Background(), idp[0]); connectors.KindOf(err) != connectors.KindConfig {
				t.Errorf("revoking the manual row: %v, want a refusal", err)
			}
		})
	}
}

func TestAPersonIsFoundByEmailAndAnUnknownOneHasNoRows(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	_, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana.s", Emails: []string{"dana@example.com"}})
	must(t, err)
	ic := e.connector(t, aws.IdentityCenterConfig{})
	accts, err := ic.FindByEmail(context.Background(), "Dana@Example.com")
	must(t, err)
	if len(accts) != 1 || accts[0].ID != "dana.s" || accts[0].LinkedBy != connectors.LinkEmail || accts[0].Scope != e.storeID {
		t.Errorf("found %+v, want dana.s linked by email in %s", accts, e.storeID)
	}
	rows, err := ic.Grants(context.Background(), idcAccount("dana@example.com"))
	must(t, err)
	if len(byKind(rows, KindUser)) != 1 {
		t.Errorf("an account named by email: rows %+v, want the user's", rows)
	}
	rows, err = ic.Grants(context.Background(), idcAccount("nobody"))
	if err != nil || len(rows) != 0 {
		t.Errorf("unknown user: %v, %v; want no rows", rows, err)
	}
	if rows, _ := ic.Grants(context.Background(), connectors.Account{System: connectors.AWS, ID: "dana.s"}); len(rows) != 0 {
		t.Errorf("an IAM account got Identity Center rows")
	}
}

func TestDiscoveryRidesOutThrottlingAndADeniedReadIsAPermissionError(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	dana, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana"})
	must(t, err)
	e.assign(t, "111111111111", e.permSet(t, "ReadOnlyAccess"), "USER", dana.ID)
	ic := e.connector(t, aws.IdentityCenterConfig{})
	e.fake.ThrottleJSON("identitystore", 3)
	e.fake.ThrottleJSON("sso", 3)
	rows, err := ic.Grants(context.Background(), idcAccount("dana"))
	if err != nil || len(byKind(rows, KindAssignment)) != 1 {
		t.Fatalf("throttled discovery: %v, %d rows", err, len(rows))
	}
	e.fake.Deny(mgmt, "sso:ListAccountAssignmentsForPrincipal", true)
	_, err = ic.Grants(context.Background(), idcAccount("dana"))
	if connectors.KindOf(err) != connectors.KindPermission {
		t.Errorf("denied: %v, want a permission error", err)
	}
}

func TestTheUserWhoseSessionTheBotRunsWithIsProtected(t *testing.T) {
	if got := ssoSessionUser("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/dana"); got != "dana" {
		t.Errorf("session user %q, want dana", got)
	}
	if got := ssoSessionUser("arn:aws:iam::123456789012:user/offboard"); got != "" {
		t.Errorf("an IAM user read as a session user %q", got)
	}
	e := newEnv(t, fakeaws.Options{})
	dana, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana"})
	must(t, err)
	e.assign(t, "111111111111", e.permSet(t, "AdministratorAccess"), "USER", dana.ID)
	ic := e.connector(t, aws.IdentityCenterConfig{})
	ic.selfUser = "dana"
	rows, err := ic.Grants(context.Background(), idcAccount("dana"))
	must(t, err)
	for _, g := range rows {
		if g.Protected == "" {
			t.Errorf("%s row of the bot's own user is not protected", g.Kind)
		}
	}
}

func TestWithoutGetUserIdTheUserIsFoundWithListUsers(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	dana, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana"})
	must(t, err)
	e.assign(t, "111111111111", e.permSet(t, "ReadOnlyAccess"), "USER", dana.ID)
	ic := e.connector(t, aws.IdentityCenterConfig{})
	e.fake.Deny(mgmt, "identitystore:GetUserId", true)
	rows, err := ic.Grants(context.Background(), idcAccount("dana"))
	if err != nil || len(byKind(rows, KindAssignment)) != 1 {
		t.Errorf("got %d rows, %v; want the user found through ListUsers", len(rows), err)
	}
	if e.fake.Count("identitystore", "ListUsers") != 1 {
		t.Errorf("ListUsers was not used")
	}
}
