package aws

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

// revokedState says, for one grant, whether the fake's user shows it
// revoked; ref is the grant's ID without the mode.
type revokedState func(u fakeaws.User, exists bool, ref string) bool

func status[T any](items []T, id func(T) string, st func(T) string, ref string) (string, bool) {
	i := slices.IndexFunc(items, func(x T) bool { return id(x) == ref })
	if i < 0 {
		return "", false
	}
	return st(items[i]), true
}

func keyStatus(u fakeaws.User, ref string) (string, bool) {
	return status(u.AccessKeys, func(k fakeaws.AccessKey) string { return k.ID }, func(k fakeaws.AccessKey) string { return k.Status }, ref)
}

func sshStatus(u fakeaws.User, ref string) (string, bool) {
	return status(u.SSHKeys, func(k fakeaws.SSHKey) string { return k.ID }, func(k fakeaws.SSHKey) string { return k.Status }, ref)
}

func certStatus(u fakeaws.User, ref string) (string, bool) {
	return status(u.SigningCerts, func(c fakeaws.SigningCert) string { return c.ID }, func(c fakeaws.SigningCert) string { return c.Status }, ref)
}

func credStatus(u fakeaws.User, ref string) (string, bool) {
	return status(u.ServiceCreds, func(c fakeaws.ServiceCred) string { return c.ID }, func(c fakeaws.ServiceCred) string { return c.Status }, ref)
}

// inactive is revoked in disable mode; gone is revoked in delete mode.
func inactive(get func(fakeaws.User, string) (string, bool)) revokedState {
	return func(u fakeaws.User, _ bool, ref string) bool {
		st, ok := get(u, ref)
		return ok && st == fakeaws.StatusInactive
	}
}

func gone(get func(fakeaws.User, string) (string, bool)) revokedState {
	return func(u fakeaws.User, _ bool, ref string) bool {
		_, ok := get(u, ref)
		return !ok
	}
}

func TestEachGrantIsRevokedThenAlreadyGone(t *testing.T) {
	noPassword := func(u fakeaws.User, _ bool, _ string) bool { return u.LoginProfile == nil }
	checks := map[string]map[string]revokedState{
		ModeDisable: {
			KindConsolePassword:   noPassword,
			KindAccessKey:         inactive(keyStatus),
			KindSSHKey:            inactive(sshStatus),
			KindSigningCert:       inactive(certStatus),
			KindServiceCredential: inactive(credStatus),
			KindPolicies: func(u fakeaws.User, _ bool, _ string) bool {
				return strings.Contains(u.InlinePolicies["offboard-deny-all"], `"Effect":"Deny","Action":"*","Resource":"*"`)
			},
		},
		ModeDelete: {
			KindConsolePassword:   noPassword,
			KindAccessKey:         gone(keyStatus),
			KindSSHKey:            gone(sshStatus),
			KindSigningCert:       gone(certStatus),
			KindServiceCredential: gone(credStatus),
			KindMFADevice: func(u fakeaws.User, _ bool, ref string) bool {
				return !slices.ContainsFunc(u.MFADevices, func(d fakeaws.MFADevice) bool { return d.Serial == ref })
			},
			KindUser: func(_ fakeaws.User, exists bool, _ string) bool { return !exists },
		},
	}
	for _, mode := range []string{ModeDisable, ModeDelete} {
		e := newEnv(t, fakeaws.Options{})
		seedEverything(t, e.fake, acctID, "dev")
		c := e.connector(t, mode)
		gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
		must(t, err)
		for _, g := range gs {
			t.Run(mode+" mode revokes "+g.Title, func(t *testing.T) {
				isRevoked := checks[mode][g.Kind]
				if isRevoked == nil {
					t.Fatalf("no check for kind %s", g.Kind)
				}
				_, ref := c.parseRef(g.Ref)
				u, exists := e.fake.User(acctID, "dev")
				if isRevoked(u, exists, ref) {
					t.Fatalf("already revoked before Revoke")
				}
				out, err := c.Revoke(context.Background(), g)
				if err != nil || out != connectors.Revoked {
					t.Fatalf("first revoke: %v, %v; want revoked", out, err)
				}
				u, exists = e.fake.User(acctID, "dev")
				if !isRevoked(u, exists, ref) {
					t.Errorf("fake state %+v does not show %s revoked", u, g.Kind)
				}
				out, err = c.Revoke(context.Background(), g)
				if err != nil || out != connectors.AlreadyGone {
					t.Errorf("second revoke: %v, %v; want already gone", out, err)
				}
			})
		}
		if cs := codes(e.fake); slices.ContainsFunc(cs, func(s string) bool { return s == "DeleteUser:DeleteConflict" }) {
			t.Errorf("%s mode: fake saw %v", mode, cs)
		}
	}
}

func TestDisableModeLeavesTheUserWithNothingUsable(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDisable)
	acct := connectors.Account{ID: "dev"}
	gs, err := c.Grants(context.Background(), acct)
	must(t, err)
	for _, g := range gs {
		if _, err := c.Revoke(context.Background(), g); err != nil {
			t.Fatalf("revoke %s: %v", g.Title, err)
		}
	}
	u, ok := e.fake.User(acctID, "dev")
	if !ok {
		t.Fatal("disable mode deleted the user")
	}
	if u.LoginProfile != nil {
		t.Error("login profile still there")
	}
	for _, k := range u.AccessKeys {
		if k.Status != fakeaws.StatusInactive {
			t.Errorf("access key %s is %s", k.ID, k.Status)
		}
	}
	if u.SSHKeys[0].Status != fakeaws.StatusInactive || u.SigningCerts[0].Status != fakeaws.StatusInactive || u.ServiceCreds[0].Status != fakeaws.StatusInactive {
		t.Errorf("ssh %s, cert %s, service credential %s; want all inactive", u.SSHKeys[0].Status, u.SigningCerts[0].Status, u.ServiceCreds[0].Status)
	}
	if _, ok := u.InlinePolicies["offboard-deny-all"]; !ok {
		t.Errorf("inline policies %v, want offboard-deny-all", u.InlinePolicies)
	}
	if len(u.Groups) != 2 || len(u.AttachedPolicies) != 1 || len(u.InlinePolicies) != 2 {
		t.Errorf("disable mode changed groups %v or policies %v %v beyond the deny", u.Groups, u.AttachedPolicies, u.InlinePolicies)
	}
	again, err := c.Grants(context.Background(), acct)
	must(t, err)
	if len(again) != 0 {
		t.Errorf("after disabling, grants %v, want none", kinds(again))
	}
}

func TestDeleteModeUserGrantRemovesEverythingOnItsOwn(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	u := seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDelete)
	gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	out, err := c.Revoke(context.Background(), byKind(gs, KindUser)[0])
	if err != nil || out != connectors.Revoked {
		t.Fatalf("revoke user: %v, %v", out, err)
	}
	if _, ok := e.fake.User(acctID, "dev"); ok {
		t.Error("user still exists")
	}
	if cs := codes(e.fake); len(cs) != 0 {
		t.Errorf("fake answered errors %v, want none (no DeleteConflict)", cs)
	}
	deleted := 0
	for _, call := range e.fake.Calls() {
		if call.Action == "DeleteVirtualMFADevice" && call.Params.Get("SerialNumber") == u.MFADevices[0].Serial {
			deleted++
		}
	}
	if deleted != 1 {
		t.Errorf("virtual MFA device deleted %d times, want once", deleted)
	}
	// The other grants of the checklist now find nothing to do.
	for _, g := range gs {
		out, err := c.Revoke(context.Background(), g)
		if err != nil || out != connectors.AlreadyGone {
			t.Errorf("%s after the user is gone: %v, %v; want already gone", g.Title, out, err)
		}
	}
}

func TestARevocationKeepsTheModeItWasApprovedIn(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	u := seedEverything(t, e.fake, acctID, "dev")
	disabling := e.connector(t, ModeDisable)
	gs, err := disabling.Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	deleting := e.connector(t, ModeDelete) // the configuration changed since
	key := byKind(gs, KindAccessKey)[0]
	if _, err := deleting.Revoke(context.Background(), key); err != nil {
		t.Fatal(err)
	}
	after, _ := e.fake.User(acctID, "dev")
	if len(after.AccessKeys) != len(u.AccessKeys) {
		t.Errorf("a key approved for deactivation was deleted")
	}
}

func TestAGrantOfAnotherAccountIsRefused(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	c := e.connector(t, ModeDisable)
	_, err := c.Revoke(context.Background(), connectors.Grant{
		Account: connectors.Account{System: connectors.AWS, Scope: "999999999999", ID: "dev"}, Kind: KindConsolePassword})
	if connectors.KindOf(err) != connectors.KindConfig {
		t.Errorf("got %v, want a config error", err)
	}
}

func TestAKeyAddedDuringDeletionIsSweptUpToo(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDelete)
	gate := e.fake.Hold("DeleteUser")
	type result struct {
		out connectors.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := c.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindUser, Ref: "delete/"})
		done <- result{out, err}
	}()
	<-gate.Arrived()
	_, err := e.fake.AddAccessKey(acctID, "dev", fakeaws.AccessKey{})
	must(t, err)
	gate.Release()
	r := <-done
	if r.err != nil || r.out != connectors.Revoked {
		t.Fatalf("got %v, %v; want revoked", r.out, r.err)
	}
	if _, ok := e.fake.User(acctID, "dev"); ok {
		t.Error("user still exists")
	}
	conflicts := 0
	for _, c := range codes(e.fake) {
		if c == "DeleteUser:DeleteConflict" {
			conflicts++
		}
	}
	if conflicts != 1 || e.fake.Count("iam", "DeleteUser") != 2 {
		t.Errorf("errors %v, want one DeleteConflict, then a second sweep and DeleteUser", codes(e.fake))
	}
}

func TestASecurityKeyIsDeactivatedButNeverDeletedAsAVirtualDevice(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	u2f := "arn:aws:iam::123456789012:u2f/user/dev/fido-ABCDEFGHIJKLMNOP"
	_, err := e.fake.AddUser(acctID, fakeaws.User{Name: "dev", MFADevices: []fakeaws.MFADevice{{Serial: u2f}, {}}})
	must(t, err)
	c := e.connector(t, ModeDelete)
	gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	for _, g := range byKind(gs, KindMFADevice) {
		if _, err := c.Revoke(context.Background(), g); err != nil {
			t.Fatalf("%s: %v", g.Title, err)
		}
	}
	if _, err := c.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindUser, Ref: "delete/"}); err != nil {
		t.Fatal(err)
	}
	deleted := 0
	for _, call := range e.fake.Calls() {
		if call.Action == "DeleteVirtualMFADevice" {
			if call.Params.Get("SerialNumber") == u2f {
				t.Errorf("DeleteVirtualMFADevice called for the security key")
			}
			deleted++
		}
	}
	if deleted != 1 || e.fake.Count("iam", "DeactivateMFADevice") != 2 {
		t.Errorf("%d virtual deletions, %d deactivations; want 1 and 2", deleted, e.fake.Count("iam", "DeactivateMFADevice"))
	}
	if _, ok := e.fake.User(acctID, "dev"); ok {
		t.Errorf("the user is still there")
	}
}
