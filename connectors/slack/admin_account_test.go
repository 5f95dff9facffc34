package slack

import (
	"errors"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

// grid is a workspace on Enterprise Grid whose admin token is root's.
func grid(t *testing.T) *fakeslack.Server {
	return workspace(t, fakeslack.Options{Admin: fakeslack.AdminOptions{Enterprise: true}})
}

func withAdmin(srv *fakeslack.Server) Options { return Options{AdminToken: srv.AdminToken()} }

func TestSessionsRowEndsEverySession(t *testing.T) {
	srv := grid(t)
	c := connector(srv, Config{Sessions: true}, withAdmin(srv))
	grants, err := c.Grants(t.Context(), acct(dana))
	if err != nil || len(grants) != 1 {
		t.Fatalf("grants = %+v, %v", grants, err)
	}
	g := grants[0]
	if g.Kind != KindSessions || g.Ref != dana || g.Title != "end Slack sessions" || g.Manual != "" || g.Protected != "" {
		t.Errorf("row = %+v", g)
	}
	if out, err := c.Revoke(t.Context(), g); err != nil || out != connectors.Revoked {
		t.Fatalf("reset = %v, %v", out, err)
	}
	if n := srv.SessionResets(dana); n != 1 {
		t.Errorf("sessions reset %d times, want 1", n)
	}
	calls := srv.CallsTo("admin.users.session.reset")
	if len(calls) != 1 || calls[0].TokenIn != "header" || calls[0].Params["user_id"] != dana {
		t.Errorf("calls = %+v", calls)
	}
	gone := connectors.Grant{Account: acct("U0NOBODY"), Kind: KindSessions, Ref: "U0NOBODY"}
	if out, err := c.Revoke(t.Context(), gone); err != nil || out != connectors.AlreadyGone {
		t.Errorf("reset of nobody = %v, %v; want already gone", out, err)
	}
}

func TestSessionsNeedGridAndToken(t *testing.T) {
	notGrid := workspace(t, fakeslack.Options{})
	c := connector(notGrid, Config{Sessions: true}, withAdmin(notGrid))
	if grants, err := c.Grants(t.Context(), acct(dana)); err != nil || len(grants) != 0 {
		t.Errorf("off Grid: %+v, %v; want no row", grants, err)
	}
	chk := findCheck(t, c.Check(t.Context()), "slack admin token")
	if chk.OK || !strings.Contains(chk.Detail, "only on Enterprise Grid") {
		t.Errorf("check off Grid = %+v", chk)
	}
	noToken := connector(grid(t), Config{Sessions: true}, Options{})
	if chk := findCheck(t, noToken.Check(t.Context()), "slack admin token"); chk.OK || !strings.Contains(chk.Detail, "SLACK_ADMIN_TOKEN") {
		t.Errorf("check without a token = %+v", chk)
	}
	if _, err := noToken.Revoke(t.Context(), connectors.Grant{Kind: KindSessions, Ref: dana}); connectors.KindOf(err) != connectors.KindConfig {
		t.Errorf("reset without a token: %v, want a config error", err)
	}
	srv := grid(t)
	if chk := findCheck(t, connector(srv, Config{Sessions: true}, withAdmin(srv)).Check(t.Context()), "slack admin token"); !chk.OK {
		t.Errorf("check on Grid = %+v", chk)
	}
}

func TestPrimaryOwnerSessionsAreByHand(t *testing.T) {
	srv := grid(t)
	srv.AddUser(fakeslack.User{ID: "U0BOSS", Name: "boss", IsPrimaryOwner: true})
	c := connector(srv, Config{Sessions: true}, withAdmin(srv))
	grants, err := c.Grants(t.Context(), acct("U0BOSS"))
	if err != nil || len(grants) != 1 || !strings.Contains(grants[0].Manual, "Only the primary owner") {
		t.Fatalf("grants = %+v, %v", grants, err)
	}
	// Were it approved anyway, Slack's refusal is a decision, not a retry.
	raw := connectors.Grant{Kind: KindSessions, Ref: "U0BOSS"}
	if _, err := c.Revoke(t.Context(), raw); connectors.KindOf(err) != connectors.KindDecision {
		t.Errorf("reset of the primary owner: %v, want a decision", err)
	}
	if n := srv.SessionResets("U0BOSS"); n != 0 {
		t.Errorf("reset %d times", n)
	}
}

func TestSCIMCannotReachAboveItsTokenOwner(t *testing.T) {
	srv := workspace(t, fakeslack.Options{Admin: fakeslack.AdminOptions{SCIMUserID: dana}}) // dana is an admin
	srv.AddUser(fakeslack.User{ID: "U0BOSS", Name: "boss", IsPrimaryOwner: true})
	c := connector(srv, Config{SCIM: true}, Options{})
	account := func(id string) connectors.Grant {
		t.Helper()
		grants, err := c.Grants(t.Context(), acct(id))
		if err != nil || len(grants) != 1 {
			t.Fatalf("grants of %s = %+v, %v", id, grants, err)
		}
		return grants[0]
	}
	if g := account(root); !strings.Contains(g.Manual, "cannot deactivate this owner") || g.Protected != "" {
		t.Errorf("owner row = %+v", g)
	}
	if g := account("U0BOSS"); !strings.Contains(g.Manual, "transfer primary ownership") {
		t.Errorf("primary owner row = %+v", g)
	}
	if g := account(dana); !strings.Contains(g.Protected, "SLACK_SCIM_TOKEN") {
		t.Errorf("the token owner's row = %+v", g)
	}
	if g := account(sam); g.Manual != "" || g.Protected != "" {
		t.Errorf("member row = %+v", g)
	}
	// Approved anyway (say, from an older discovery): SCIM's 403 is a decision.
	_, err := c.Revoke(t.Context(), connectors.Grant{Kind: KindAccount, Ref: root})
	if !errors.Is(err, ErrSCIMRefused) || connectors.KindOf(err) != connectors.KindDecision {
		t.Errorf("deactivating an owner: %v, want ErrSCIMRefused", err)
	}
	if u, _ := srv.User(root); u.Deleted {
		t.Error("the owner was deactivated")
	}
	chk := findCheck(t, c.Check(t.Context()), "slack scim limits")
	if !chk.OK || !strings.Contains(chk.Detail, "U0DANA's (admin)") || !strings.Contains(chk.Detail, "cannot deactivate owners") {
		t.Errorf("check = %+v", chk)
	}
}

func TestBotUserIsNeverRevoked(t *testing.T) {
	srv := grid(t)
	c := connector(srv, Config{UserGroups: true, SCIM: true, Sessions: true}, withAdmin(srv))
	grants, err := c.Grants(t.Context(), acct(srv.BotUserID()))
	if err != nil || len(grants) != 1 || grants[0].Kind != KindAccount || grants[0].Protected != "offboard's own Slack bot user" {
		t.Fatalf("grants = %+v, %v; want the account, protected", grants, err)
	}
	if _, err := c.Revoke(t.Context(), grants[0]); connectors.KindOf(err) != connectors.KindDecision {
		t.Errorf("revoke = %v, want a refusal", err)
	}
	if n := len(srv.CallsTo("scim.DELETE Users/" + srv.BotUserID())); n != 0 {
		t.Errorf("SCIM DELETE sent %d times", n)
	}
	if u, _ := srv.User(srv.BotUserID()); u.Deleted {
		t.Error("the bot user was deactivated")
	}
}
