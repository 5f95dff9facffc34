package github

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

// cancelInvite seeds an invitation and returns a grant for it, so that a
// test can watch one REST call (DELETE) go through the connector's rules.
func cancelInvite(e *env) connectors.Grant {
	id := e.fake.AddInvitation(org, fakegithub.Invitation{Login: "newbie"})
	return connectors.Grant{Account: connectors.Account{System: connectors.GitHub, Scope: org, ID: "newbie"}, Kind: KindInvitation, Ref: itoa(id)}
}

func TestPrimaryRateLimitIsWaitedOutNotHammered(t *testing.T) {
	t.Parallel()
	for _, status := range []int{403, 429} {
		t.Run(httpName(status), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			g := cancelInvite(e)
			e.fake.PrimaryLimit("core", 2*time.Second, status)
			start := time.Now()
			if out := e.revoke(g); out != connectors.Revoked {
				t.Fatalf("revoke = %v, want revoked after the wait", out)
			}
			took := time.Since(start)
			calls := e.fake.CallCount(fakegithub.RouteCancelInvitation)
			t.Logf("status %d: revoked after %v with %d calls", status, took.Round(time.Millisecond), calls)
			if calls != 2 {
				t.Errorf("%d calls to the limited route, want 2 (one refused, one after the reset)", calls)
			}
			if took < time.Second {
				t.Errorf("took %v; the reset was ~2 s ahead, so the connector did not wait", took)
			}
			if len(e.fake.Invitations(org)) != 0 {
				t.Error("the invitation is still there")
			}
		})
	}
}

func TestPrimaryRateLimitBeyondTheBoundIsRetryableWithRetryAfter(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxRateWait = 500 * time.Millisecond })
	g := cancelInvite(e)
	e.fake.PrimaryLimit("core", 30*time.Second, 0)
	start := time.Now()
	_, err := e.conn.Revoke(context.Background(), g)
	var ce *connectors.Error
	if !errors.As(err, &ce) || ce.Kind != connectors.KindRetryable || ce.RetryAfter < 25*time.Second {
		t.Fatalf("err = %#v, want retryable with RetryAfter ≈ 30s", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("gave up after %v; it should not sleep when the wait is beyond its bound", d)
	}
	if n := e.fake.CallCount(fakegithub.RouteCancelInvitation); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
	if len(e.fake.Invitations(org)) != 1 {
		t.Error("the invitation went away though every call was refused")
	}
}

func TestSecondaryLimitHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	for _, status := range []int{403, 429} {
		t.Run(httpName(status), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			g := cancelInvite(e)
			e.fake.SecondaryLimit("", 2*time.Second, status)
			start := time.Now()
			if out := e.revoke(g); out != connectors.Revoked {
				t.Fatalf("revoke = %v", out)
			}
			took := time.Since(start)
			calls := e.fake.CallCount(fakegithub.RouteCancelInvitation)
			t.Logf("status %d: revoked after %v with %d calls", status, took.Round(time.Millisecond), calls)
			if calls != 2 || took < 1500*time.Millisecond {
				t.Errorf("%d calls in %v, want 2 calls and a wait of the 2 s retry-after", calls, took)
			}
		})
	}
}

func TestAnExhaustedWindowPausesOtherCallsWithoutSpendingRequests(t *testing.T) {
	fake := newFake(t, fakegithub.Options{CoreLimit: 3})
	conn, err := New(Config{Org: org}, Credentials{Token: "tok-boss"}, fastOptions(fake))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, fake: fake, conn: conn}
	var gs []connectors.Grant
	for range 4 {
		gs = append(gs, cancelInvite(e))
	}
	// The third call spends the window; the fourth must wait for the hour
	// to roll over, so with a short bound it gives up without a call.
	conn.opts.MaxRateWait = 100 * time.Millisecond
	for _, g := range gs[:3] {
		e.revoke(g)
	}
	_, err = conn.Revoke(context.Background(), gs[3])
	if connectors.KindOf(err) != connectors.KindRetryable || connectors.RetryAfterOf(err) < 30*time.Minute {
		t.Fatalf("err = %v, want retryable with RetryAfter near an hour", err)
	}
	if n := fake.CallCount(fakegithub.RouteCancelInvitation); n != 3 {
		t.Errorf("%d calls reached GitHub, want 3: the fourth should have been held back", n)
	}
}

func TestServerErrorsAreRetriedThenReportedRetryable(t *testing.T) {
	e := newEnv(t)
	g := cancelInvite(e)
	e.fake.FailNext(fakegithub.RouteCancelInvitation, 1, 502)
	if out := e.revoke(g); out != connectors.Revoked {
		t.Fatalf("revoke = %v", out)
	}
	if n := e.fake.CallCount(fakegithub.RouteCancelInvitation); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}

	g = cancelInvite(e)
	e.fake.ResetCalls()
	e.fake.FailNext(fakegithub.RouteCancelInvitation, 10, 503)
	_, err := e.conn.Revoke(context.Background(), g)
	if connectors.KindOf(err) != connectors.KindRetryable {
		t.Errorf("err = %v, want retryable", err)
	}
	if n := e.fake.CallCount(fakegithub.RouteCancelInvitation); n != 1+e.conn.opts.Retries {
		t.Errorf("%d calls, want %d", n, 1+e.conn.opts.Retries)
	}
}

func TestErrorKinds(t *testing.T) {
	t.Run("a wrong token is a permission error", func(t *testing.T) {
		fake := newFake(t, fakegithub.Options{})
		conn, _ := New(Config{Org: org}, Credentials{Token: "wrong"}, fastOptions(fake))
		_, err := conn.Grants(context.Background(), connectors.Account{ID: "boss"})
		if connectors.KindOf(err) != connectors.KindPermission {
			t.Errorf("err = %v, want permission", err)
		}
	})
	t.Run("a member who is not an owner gets a permission error", func(t *testing.T) {
		fake := newFake(t, fakegithub.Options{})
		fake.AddMember(org, fakegithub.Member{Login: "pleb"})
		fake.AddToken("tok-pleb", "pleb")
		conn, _ := New(Config{Org: org}, Credentials{Token: "tok-pleb"}, fastOptions(fake))
		_, err := conn.Grants(context.Background(), connectors.Account{ID: "boss"})
		if connectors.KindOf(err) != connectors.KindPermission {
			t.Errorf("err = %v, want permission", err)
		}
	})
	t.Run("an unknown org is a config error", func(t *testing.T) {
		fake := newFake(t, fakegithub.Options{})
		conn, _ := New(Config{Org: "nope"}, Credentials{Token: "tok-boss"}, fastOptions(fake))
		if _, err := conn.Dormant(context.Background(), time.Now(), 90); connectors.KindOf(err) != connectors.KindConfig {
			t.Errorf("Dormant err = %v, want config", err)
		}
		if _, err := conn.Grants(context.Background(), connectors.Account{ID: "boss"}); connectors.KindOf(err) != connectors.KindConfig {
			t.Errorf("Grants err = %v, want config", err)
		}
	})
	t.Run("errors never carry the token", func(t *testing.T) {
		fake := newFake(t, fakegithub.Options{})
		conn, _ := New(Config{Org: org}, Credentials{Token: "ghp_SECRET123"}, fastOptions(fake))
		_, err := conn.Grants(context.Background(), connectors.Account{ID: "boss"})
		if err == nil || strings.Contains(err.Error(), "SECRET123") {
			t.Errorf("err = %v", err)
		}
	})
}

func httpName(status int) string {
	if status == 429 {
		return "429 too many requests"
	}
	return "403 forbidden"
}

func TestGraphQLPrimaryLimitIsWaitedOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.fake.AddMember(org, fakegithub.Member{Login: "sleeper"})
	e.fake.PrimaryLimit("graphql", time.Second, 0)
	start := time.Now()
	got, err := e.conn.Dormant(context.Background(), time.Now(), 90)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 { // boss and sleeper have no contributions
		t.Errorf("dormant = %+v", got)
	}
	refused := 0
	for _, c := range e.fake.Calls() {
		if c.Route == fakegithub.RouteGraphQL && c.Status == 403 {
			refused++
		}
	}
	t.Logf("scan finished after %v; %d GraphQL calls refused", time.Since(start).Round(time.Millisecond), refused)
	if refused != 1 {
		t.Errorf("%d GraphQL calls refused, want 1: the rest should have waited for the reset", refused)
	}
}

func TestACancelledCallReturnsRetryableAndChangesNothing(t *testing.T) {
	e := newEnv(t)
	seedDev(e.fake)
	g := e.grant("dev", KindMembership)
	h := e.fake.HoldCalls(fakegithub.RouteRemoveMember)
	defer h.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := e.conn.Revoke(ctx, g)
	if connectors.KindOf(err) != connectors.KindRetryable {
		t.Errorf("err = %v, want retryable", err)
	}
	if !e.fake.IsMember(org, "dev") {
		t.Error("dev is gone though the call was held and abandoned")
	}
}
