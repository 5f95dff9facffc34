package slack

import (
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

func groupOf(id string) connectors.Grant {
	return connectors.Grant{Account: acct(dana), Kind: KindUserGroup, Ref: id}
}

func TestRevokeUserGroupThenAlreadyGone(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true}, Options{})
	out, err := c.Revoke(t.Context(), groupOf("S0SEC"))
	if err != nil || out != connectors.Revoked {
		t.Fatalf("revoke = %v, %v", out, err)
	}
	if g, _ := srv.UserGroup("S0SEC"); !slices.Equal(g.Members, []string{alex}) {
		t.Errorf("members = %v, want alex only", g.Members)
	}
	out, err = c.Revoke(t.Context(), groupOf("S0SEC"))
	if err != nil || out != connectors.AlreadyGone {
		t.Errorf("second revoke = %v, %v; want already gone", out, err)
	}
	if n := len(srv.CallsTo("usergroups.users.update")); n != 1 {
		t.Errorf("usergroups.users.update called %d times, want 1", n)
	}
	if out, err := c.Revoke(t.Context(), groupOf("S0GONE")); err != nil || out != connectors.AlreadyGone {
		t.Errorf("revoke from a deleted group = %v, %v; want already gone", out, err)
	}
}

// A removal approved while others were in the group, once they have left.
func TestRevokeLastMemberIsRefused(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{UserGroups: true}, Options{})
	_, err := c.Revoke(t.Context(), groupOf("S0SOLO"))
	if !errors.Is(err, ErrLastMember) || connectors.KindOf(err) != connectors.KindDecision || connectors.IsRetryable(err) {
		t.Fatalf("err = %v, want ErrLastMember, not retryable", err)
	}
	if g, _ := srv.UserGroup("S0SOLO"); !slices.Equal(g.Members, []string{dana}) {
		t.Errorf("members = %v, want unchanged", g.Members)
	}
	if n := len(srv.CallsTo("usergroups.users.update")); n != 0 {
		t.Errorf("an update was sent %d times; the connector must not ask Slack to empty a group", n)
	}
}

func TestSCIMDeactivate(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	c := connector(srv, Config{SCIM: true}, Options{})
	g := connectors.Grant{Account: acct(dana), Kind: KindAccount, Ref: dana}
	out, err := c.Revoke(t.Context(), g)
	if err != nil || out != connectors.Revoked {
		t.Fatalf("deactivate = %v, %v", out, err)
	}
	if u, _ := srv.User(dana); !u.Deleted {
		t.Error("the account is still active")
	}
	out, err = c.Revoke(t.Context(), g)
	if err != nil || out != connectors.AlreadyGone {
		t.Errorf("second deactivate = %v, %v; want already gone", out, err)
	}
	if n := len(srv.CallsTo("scim.DELETE Users/" + dana)); n != 1 {
		t.Errorf("DELETE sent %d times, want 1", n)
	}
	out, err = c.Revoke(t.Context(), connectors.Grant{Kind: KindAccount, Ref: "U0NOBODY"})
	if err != nil || out != connectors.AlreadyGone {
		t.Errorf("deactivate of nobody = %v, %v; want already gone", out, err)
	}
}

func TestSCIMErrors(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	g := connectors.Grant{Kind: KindAccount, Ref: dana}
	api := connector(srv, Config{SCIM: true}, Options{}).api
	noToken := New(Config{SCIM: true}, api, SCIMOptions{BaseURL: srv.SCIMURL()}, Options{Limits: fast()})
	if _, err := noToken.Revoke(t.Context(), g); connectors.KindOf(err) != connectors.KindConfig {
		t.Errorf("no token: %v, want a config error", err)
	}
	wrong := New(Config{SCIM: true}, api, SCIMOptions{Token: "xoxp-wrong", BaseURL: srv.SCIMURL()}, Options{Limits: fast()})
	if _, err := wrong.Revoke(t.Context(), g); connectors.KindOf(err) != connectors.KindPermission {
		t.Errorf("wrong token: %v, want a permission error", err)
	}
	srv.FailNext("scim", http.StatusServiceUnavailable, 1)
	if _, err := connector(srv, Config{SCIM: true}, Options{}).Revoke(t.Context(), g); !connectors.IsRetryable(err) {
		t.Errorf("503: %v, want retryable", err)
	}
	if u, _ := srv.User(dana); u.Deleted {
		t.Error("deactivated despite the failure")
	}
}

func TestSCIMRateLimitIsHonoured(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	g := connectors.Grant{Kind: KindAccount, Ref: dana}
	srv.RateLimit("scim", 30*time.Second, 1)
	_, err := connector(srv, Config{SCIM: true}, Options{MaxWait: -1}).Revoke(t.Context(), g)
	if !connectors.IsRetryable(err) || connectors.RetryAfterOf(err) != 30*time.Second {
		t.Errorf("err = %v, want retryable after 30s", err)
	}
	srv.RateLimit("scim", time.Second, 1)
	start := time.Now()
	out, err := connector(srv, Config{SCIM: true}, Options{MaxWait: 2 * time.Second}).Revoke(t.Context(), g)
	if err != nil || out != connectors.Revoked || time.Since(start) < time.Second {
		t.Errorf("after a 1 s wait: %v, %v in %v; want revoked after waiting", out, err, time.Since(start))
	}
}

func TestUnknownGrantKind(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	_, err := connector(srv, Config{UserGroups: true}, Options{}).Revoke(t.Context(), connectors.Grant{Kind: "channel"})
	if connectors.KindOf(err) != connectors.KindConfig {
		t.Errorf("err = %v, want a config error", err)
	}
}

func TestConcurrentRemovalsFromOneGroupKeepEachOther(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	srv.AddUser(fakeslack.User{ID: "U0KIM", Name: "kim"})
	srv.AddUserGroup(fakeslack.UserGroup{ID: "S0BIG", Handle: "big", Members: []string{dana, alex, sam, "U0KIM"}})
	srv.AddLatency("usergroups.users.update", 30*time.Millisecond) // all reads land before any write
	c := connector(srv, Config{UserGroups: true}, Options{})
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for _, u := range []string{dana, alex, sam} {
		wg.Go(func() {
			_, err := c.Revoke(t.Context(), connectors.Grant{Account: acct(u), Kind: KindUserGroup, Ref: "S0BIG"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if g, _ := srv.UserGroup("S0BIG"); !slices.Equal(g.Members, []string{"U0KIM"}) {
		t.Errorf("members = %v, want only kim: a concurrent removal put someone back", g.Members)
	}
}
