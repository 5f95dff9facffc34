package slack

import (
	"reflect"
	"slices"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

func TestGrantsListsGroupsAndAccount(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true, SCIM: true}, Options{})
	grants, err := c.Grants(t.Context(), acct(dana))
	if err != nil {
		t.Fatal(err)
	}
	if len(grants) != 3 {
		t.Fatalf("grants = %+v, want 2 groups and the account", grants)
	}
	sec, solo, account := grants[0], grants[1], grants[2]
	if sec.Kind != KindUserGroup || sec.Ref != "S0SEC" || sec.Title != "user group @security" ||
		!slices.Equal(sec.Context, []string{"Security team", "2 members"}) {
		t.Errorf("security grant = %+v", sec)
	}
	if solo.Ref != "S0SOLO" || solo.Kind != KindUserGroupDisable || solo.Title != "disable user group @solo" ||
		!slices.Contains(solo.Context, "last member: Slack cannot empty a group") || solo.Warning == "" {
		t.Errorf("solo grant = %+v", solo)
	}
	if account.Kind != KindAccount || account.Ref != dana || account.Title != "Slack account (SCIM deactivate)" ||
		!slices.Equal(account.Context, []string{"admin", "dana@example.com"}) {
		t.Errorf("account grant = %+v", account)
	}
	want := connectors.Account{System: connectors.Slack, Scope: "T0FAKE", ID: dana, LinkedBy: connectors.LinkConfig}
	for _, g := range grants {
		if !reflect.DeepEqual(g.Account, want) { // Account holds a slice (Emails): no ==
			t.Errorf("grant account = %+v, want %+v", g.Account, want)
		}
	}
	if n := len(srv.CallsTo("usergroups.list")); n != 1 {
		t.Errorf("usergroups.list called %d times, want once for all memberships", n)
	}
	if c.Scope() != "T0FAKE" {
		t.Errorf("scope = %q", c.Scope())
	}
}

func TestGrantsFollowTheConfig(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	groupsOnly, err := connector(srv, Config{UserGroups: true}, Options{}).Grants(t.Context(), acct(dana))
	if err != nil || len(groupsOnly) != 2 {
		t.Errorf("usergroups only: %+v, %v", groupsOnly, err)
	}
	scimOnly, err := connector(srv, Config{SCIM: true}, Options{}).Grants(t.Context(), acct(dana))
	if err != nil || len(scimOnly) != 1 || scimOnly[0].Kind != KindAccount {
		t.Errorf("scim only: %+v, %v", scimOnly, err)
	}
}

func TestGrantsOfUnknownOrDeactivatedUser(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true, SCIM: true}, Options{})
	if g, err := c.Grants(t.Context(), acct("U0NOBODY")); err != nil || g != nil {
		t.Errorf("unknown user: %+v, %v; want no grants and no error", g, err)
	}
	_ = srv.SetDeleted(dana, true)
	g, err := c.Grants(t.Context(), acct(dana))
	if err != nil || len(g) != 2 || g[0].Kind != KindUserGroup || g[1].Kind != KindUserGroupDisable {
		t.Errorf("deactivated user: %+v, %v; want the groups but not the account", g, err)
	}
}

func TestGrantsOfAnotherSystemIsAConfigError(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	_, err := connector(srv, Config{UserGroups: true}, Options{}).Grants(t.Context(), connectors.Account{System: connectors.GitHub, ID: "dev"})
	if connectors.KindOf(err) != connectors.KindConfig {
		t.Errorf("err = %v, want a config error", err)
	}
}

func TestFindByEmail(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true}, Options{})
	got, err := c.FindByEmail(t.Context(), "dana@example.com")
	want := connectors.Account{System: connectors.Slack, Scope: "T0FAKE", ID: dana, LinkedBy: connectors.LinkEmail}
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("found %+v, %v; want %+v", got, err, want)
	}
	if got, err := c.FindByEmail(t.Context(), "nobody@example.com"); err != nil || got != nil {
		t.Errorf("unknown email: %+v, %v; want nothing and no error", got, err)
	}
}
