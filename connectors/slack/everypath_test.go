package slack

import (
	"testing"

	"github.com/offboard/offboard/connectors"
)

// A person with every Slack path: a shared group, a group they alone are
// in, sessions on Grid, and the account. Each becomes a row, approving each
// takes it away, and a new discovery finds nothing left.
func TestEverySlackPathBecomesARowAndGoes(t *testing.T) {
	srv := grid(t)
	c := connector(srv, Config{UserGroups: true, SCIM: true, Sessions: true}, withAdmin(srv))
	grants, err := c.Grants(t.Context(), acct(dana))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, g := range grants {
		kinds = append(kinds, g.Kind+" "+g.Ref)
		if g.Protected != "" || g.Manual != "" {
			t.Errorf("%s is not approvable: %+v", g.Kind, g)
		}
		if out, err := c.Revoke(t.Context(), g); err != nil || out != connectors.Revoked {
			t.Errorf("revoke %s %s = %v, %v", g.Kind, g.Ref, out, err)
		}
	}
	want := []string{"usergroup S0SEC", "usergroup_disable S0SOLO", "sessions U0DANA", "account U0DANA"}
	if len(kinds) != len(want) {
		t.Fatalf("rows = %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Errorf("row %d = %s, want %s", i, kinds[i], want[i])
		}
	}
	if g, _ := srv.UserGroup("S0SEC"); len(g.Members) != 1 || g.Members[0] != alex {
		t.Errorf("@security = %v", g.Members)
	}
	if g, _ := srv.UserGroup("S0SOLO"); !g.Disabled {
		t.Error("@solo is not disabled")
	}
	if srv.SessionResets(dana) != 1 {
		t.Error("sessions were not reset")
	}
	if u, _ := srv.User(dana); !u.Deleted {
		t.Error("the account is active")
	}
	if left, err := c.Grants(t.Context(), acct(dana)); err != nil || len(left) != 0 {
		t.Errorf("after revoking all: %+v, %v", left, err)
	}
}
