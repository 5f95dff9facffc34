package github

import (
	"context"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

func TestAppTokenIsMintedOnceAndRefreshedWhenTheClockPassesExpiry(t *testing.T) {
	clk := newClock()
	e := newAppEnv(t, clk)
	seedDev(e.fake)
	e.grants("dev")
	e.grants("dev")
	if n := e.fake.InstallationTokensIssued(); n != 1 {
		t.Fatalf("%d installation tokens minted for two reads, want 1 (cached)", n)
	}
	clk.Add(56 * time.Minute) // within five minutes of the hour's expiry
	e.grants("dev")
	if n := e.fake.InstallationTokensIssued(); n != 2 {
		t.Fatalf("%d tokens after moving the clock near expiry, want 2", n)
	}
	clk.Add(2 * time.Hour) // long past expiry
	e.grants("dev")
	if n := e.fake.InstallationTokensIssued(); n != 3 {
		t.Fatalf("%d tokens after moving the clock past expiry, want 3", n)
	}
	for _, c := range e.fake.Calls() {
		if c.Status == 401 {
			t.Errorf("%s got 401: an expired token was used", c.Route)
		}
	}
}

func TestAppWithTheWrongKeyIsRefusedByTheFake(t *testing.T) {
	clk := newClock()
	fake := newFake(t, fakegithub.Options{Now: clk.Now})
	real, err := fake.AddApp(org, map[string]string{"members": "write"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := fake.AddApp("elsewhere", nil)
	if err != nil {
		t.Fatal(err)
	}
	opts := fastOptions(fake)
	opts.Clock = clk.Now
	conn, err := New(Config{Org: org}, Credentials{AppID: real.ID, InstallationID: real.InstallationID, PrivateKey: other.PrivateKeyPEM}, opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Grants(context.Background(), connectors.Account{ID: "boss"})
	if connectors.KindOf(err) != connectors.KindPermission {
		t.Errorf("err = %v, want a permission error", err)
	}
	if n := fake.InstallationTokensIssued(); n != 0 {
		t.Errorf("%d tokens minted for a JWT signed with another app's key", n)
	}
	checks := conn.Check(context.Background())
	if checks[0].OK {
		t.Errorf("app check passed with the wrong key: %+v", checks[0])
	}
}

func TestAppJWTFromASkewedClockIsRefused(t *testing.T) {
	clk := newClock()
	e := newAppEnv(t, clk)
	skewed := &clock{t: clk.Now().Add(20 * time.Minute)} // the connector's clock runs ahead
	e.conn.app.clock = skewed.Now
	_, err := e.conn.Grants(context.Background(), connectors.Account{ID: "boss"})
	if connectors.KindOf(err) != connectors.KindPermission {
		t.Errorf("err = %v, want the fake to refuse a JWT issued in the future", err)
	}
}
