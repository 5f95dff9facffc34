package slack

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

func TestAdminOnlyGroupsBecomeOneManualTask(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	srv.SetUserGroupsAdminOnly(true)
	c := connector(srv, Config{UserGroups: true}, Options{})
	_, err := c.Revoke(t.Context(), groupOf("S0SEC"))
	if !errors.Is(err, ErrAdminOnlyGroups) || connectors.KindOf(err) != connectors.KindPermission || connectors.IsRetryable(err) {
		t.Fatalf("removal = %v, want ErrAdminOnlyGroups, not retried", err)
	}
	if g, _ := srv.UserGroup("S0SEC"); !slices.Equal(g.Members, []string{alex, dana}) {
		t.Errorf("members = %v, want unchanged", g.Members)
	}
	grants, err := c.Grants(t.Context(), acct(dana))
	if err != nil || len(grants) != 1 {
		t.Fatalf("grants = %+v, %v; want one by-hand task", grants, err)
	}
	g := grants[0]
	if g.Kind != KindUserGroupManual || g.Ref != "S0SEC,S0SOLO" ||
		!slices.Equal(g.Items, []string{"remove from @security", "disable @solo (last member)"}) ||
		!strings.Contains(g.Manual, "remove from @security; disable @solo (last member) for dana") {
		t.Errorf("task = %+v", g)
	}
	updates := len(srv.CallsTo("usergroups.users.update"))
	if _, err := c.Revoke(t.Context(), g); connectors.KindOf(err) != connectors.KindDecision {
		t.Errorf("revoking a by-hand task: %v, want a refusal", err)
	}
	if n := len(srv.CallsTo("usergroups.users.update")); n != updates {
		t.Errorf("a by-hand task reached Slack (%d updates, want %d)", n, updates)
	}
}

func TestDoctorProbeFindsAdminOnlyGroups(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	srv.SetUserGroupsAdminOnly(true)
	c := connector(srv, Config{UserGroups: true}, Options{})
	chk := findCheck(t, c.Check(t.Context()), "slack user groups")
	if !strings.HasPrefix(chk.Detail, "only workspace admins may edit user groups, so group rows become by-hand tasks") {
		t.Errorf("check = %+v", chk)
	}
	// The probe is learned: discovery offers the by-hand task at once.
	if grants, _ := c.Grants(t.Context(), acct(dana)); len(grants) != 1 || grants[0].Kind != KindUserGroupManual {
		t.Errorf("grants after the probe = %+v", grants)
	}
}

func TestDoctorProbeReSavesMembersUnchanged(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	before := srv.UserGroups()
	c := connector(srv, Config{UserGroups: true}, Options{})
	chk := findCheck(t, c.Check(t.Context()), "slack user groups")
	if !chk.OK || chk.Detail != "the bot may edit user groups (re-saved @solo's unchanged members)" {
		t.Errorf("check = %+v", chk)
	}
	updates := srv.CallsTo("usergroups.users.update")
	if len(updates) != 1 || updates[0].Params["usergroup"] != "S0SOLO" || updates[0].Params["users"] != dana {
		t.Errorf("updates = %+v, want one re-save of S0SOLO with its one member", updates)
	}
	for i, g := range srv.UserGroups() {
		if !slices.Equal(g.Members, before[i].Members) || g.Disabled {
			t.Errorf("group %s changed: %+v, was %+v", g.ID, g, before[i])
		}
	}
}

func TestLastMemberGroupIsDisabled(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true}, Options{})
	grants, err := c.Grants(t.Context(), acct(dana))
	if err != nil || len(grants) != 2 || grants[1].Kind != KindUserGroupDisable {
		t.Fatalf("grants = %+v, %v", grants, err)
	}
	out, err := c.Revoke(t.Context(), grants[1])
	if err != nil || out != connectors.Revoked {
		t.Fatalf("disable = %v, %v", out, err)
	}
	if g, _ := srv.UserGroup("S0SOLO"); !g.Disabled || !slices.Equal(g.Members, []string{dana}) {
		t.Errorf("group = %+v, want disabled", g)
	}
	if out, err := c.Revoke(t.Context(), grants[1]); err != nil || out != connectors.AlreadyGone {
		t.Errorf("second disable = %v, %v; want already gone", out, err)
	}
	if n := len(srv.CallsTo("usergroups.disable")); n != 1 {
		t.Errorf("usergroups.disable called %d times, want 1", n)
	}
}

func TestDisableRefusedOnceOthersJoin(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true}, Options{})
	grants, _ := c.Grants(t.Context(), acct(dana))
	_ = srv.SetUserGroupMembers("S0SOLO", []string{dana, sam})
	_, err := c.Revoke(t.Context(), grants[1])
	if !errors.Is(err, ErrNotLastMember) || connectors.KindOf(err) != connectors.KindDecision {
		t.Errorf("disable = %v, want ErrNotLastMember", err)
	}
	if g, _ := srv.UserGroup("S0SOLO"); g.Disabled {
		t.Error("the group was disabled under sam")
	}
}

func TestDisableWhereOnlyAdminsMay(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true}, Options{})
	grants, _ := c.Grants(t.Context(), acct(dana))
	srv.SetUserGroupsAdminOnly(true)
	if _, err := c.Revoke(t.Context(), grants[1]); !errors.Is(err, ErrAdminOnlyGroups) {
		t.Errorf("disable = %v, want ErrAdminOnlyGroups", err)
	}
	if g, _ := srv.UserGroup("S0SOLO"); g.Disabled {
		t.Error("disabled despite the refusal")
	}
}

func findCheck(t *testing.T, checks []connectors.Check, name string) connectors.Check {
	t.Helper()
	for _, c := range checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", name, checks)
	return connectors.Check{}
}
