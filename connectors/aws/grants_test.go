package aws

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestGrantsFindEveryKindWithItsContext(t *testing.T) {
	for _, tc := range []struct {
		mode  string
		kinds []string
	}{
		{ModeDisable, []string{"access_key", "access_key", "console_password", "policies", "service_credential", "signing_cert", "ssh_key"}},
		{ModeDelete, []string{"access_key", "access_key", "console_password", "mfa_device", "service_credential", "signing_cert", "ssh_key", "user"}},
	} {
		t.Run("in "+tc.mode+" mode", func(t *testing.T) {
			e := newEnv(t, fakeaws.Options{})
			u := seedEverything(t, e.fake, acctID, "dev")
			c := e.connector(t, tc.mode)
			acct := connectors.Account{System: connectors.AWS, ID: "dev", LinkedBy: connectors.LinkEmail}
			gs, err := c.Grants(context.Background(), acct)
			must(t, err)
			if got := kinds(gs); !slices.Equal(got, tc.kinds) {
				t.Fatalf("kinds %v, want %v", got, tc.kinds)
			}
			for _, g := range gs {
				if g.Account.Scope != acctID || g.Account.LinkedBy != connectors.LinkEmail || g.Account.ID != "dev" {
					t.Errorf("%s: account %+v, want dev in %s linked by email", g.Kind, g.Account, acctID)
				}
				if !strings.HasPrefix(g.Ref, tc.mode+"/") {
					t.Errorf("%s: ref %q does not record mode %s", g.Kind, g.Ref, tc.mode)
				}
			}

			keys := byKind(gs, KindAccessKey)
			used, unused := keys[0], keys[1]
			if used.Ref != tc.mode+"/"+u.AccessKeys[0].ID {
				used, unused = unused, used
			}
			id := u.AccessKeys[0].ID
			if want := "access key " + id[:4] + "…" + id[len(id)-4:]; used.Title != want {
				t.Errorf("title %q, want %q", used.Title, want)
			}
			if used.LastActive == nil || !used.LastActive.Equal(t0.Add(-72*time.Hour)) {
				t.Errorf("last active %v, want three days before t0", used.LastActive)
			}
			if !slices.Contains(used.Context, "active") || !slices.Contains(used.Context, "s3") {
				t.Errorf("context %v, want status and service", used.Context)
			}
			if unused.LastActive != nil || !slices.Contains(unused.Context, "never used") {
				t.Errorf("unused key: last active %v context %v, want none and never used", unused.LastActive, unused.Context)
			}

			pw := byKind(gs, KindConsolePassword)[0]
			if pw.LastActive == nil || !pw.LastActive.Equal(t0.Add(-24*time.Hour)) || !slices.Contains(pw.Context, "MFA on") {
				t.Errorf("console password: last active %v context %v", pw.LastActive, pw.Context)
			}
			if sc := byKind(gs, KindServiceCredential)[0]; sc.Title != "service credential for codecommit" {
				t.Errorf("service credential title %q", sc.Title)
			}

			final := KindPolicies
			if tc.mode == ModeDelete {
				final = KindUser
			}
			fg := byKind(gs, final)[0]
			ctx := strings.Join(fg.Context, "; ")
			for _, want := range []string{"groups: developers, oncall", "policies: ReadOnlyAccess", "inline: s3-scratch"} {
				if !strings.Contains(ctx, want) {
					t.Errorf("%s context %q lacks %q", final, ctx, want)
				}
			}
			if fg.LastActive == nil || !fg.LastActive.Equal(t0.Add(-24*time.Hour)) {
				t.Errorf("%s last active %v, want the latest sign-in", final, fg.LastActive)
			}
		})
	}
}

func TestAUserThatDoesNotExistHasNoGrants(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	c := e.connector(t, ModeDisable)
	gs, err := c.Grants(context.Background(), connectors.Account{System: connectors.AWS, ID: "ghost"})
	if err != nil || len(gs) != 0 {
		t.Errorf("got %v, %v; want no grants and no error", gs, err)
	}
}

func TestAnAccountOfAnotherAWSAccountIsNotLookedUp(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDisable)
	e.fake.ResetCalls()
	gs, err := c.Grants(context.Background(), connectors.Account{System: connectors.AWS, Scope: "999999999999", ID: "dev"})
	if err != nil || len(gs) != 0 || e.fake.Count("", "") != 0 {
		t.Errorf("got %d grants, %v, %d calls; want none", len(gs), err, e.fake.Count("", ""))
	}
}

func TestDisableModeSkipsCredentialsAlreadyInactive(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	_, err := e.fake.AddUser(acctID, fakeaws.User{Name: "dev",
		AccessKeys: []fakeaws.AccessKey{{}, {Status: fakeaws.StatusInactive}},
		SSHKeys:    []fakeaws.SSHKey{{Status: fakeaws.StatusInactive}},
	})
	must(t, err)
	c := e.connector(t, ModeDisable)
	gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	if got := kinds(gs); !slices.Equal(got, []string{"access_key", "policies"}) {
		t.Errorf("kinds %v, want the active key and the policies", got)
	}
}

func TestTheBotsOwnIAMUserIsProtected(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "offboard") // the base credentials' user
	c := e.connector(t, ModeDisable)
	gs, err := c.Grants(context.Background(), connectors.Account{ID: "offboard"})
	must(t, err)
	if len(gs) == 0 {
		t.Fatal("no grants")
	}
	for _, g := range gs {
		if g.Protected == "" {
			t.Errorf("%s of the bot's own user is not protected", g.Kind)
		}
	}
	seedEverything(t, e.fake, acctID, "dev")
	gs, err = c.Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	for _, g := range gs {
		if g.Protected != "" {
			t.Errorf("%s of another user is protected", g.Kind)
		}
	}
}

func TestDiscoveryGivesUpAtTheConnectorsDeadline(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	opts := e.fastOptions()
	opts.Timeout = 100 * time.Millisecond
	cs, err := New(context.Background(), Config{}, opts)
	must(t, err)
	gate := e.fake.Hold("ListAccessKeys")
	defer gate.Release()
	_, err = cs[0].Grants(context.Background(), connectors.Account{ID: "dev"}) // no deadline of its own
	if !connectors.IsRetryable(err) {
		t.Errorf("got %v, want a retryable error once the deadline passed", err)
	}
	select {
	case <-gate.Arrived():
	default:
		t.Errorf("the held call never arrived")
	}
}
