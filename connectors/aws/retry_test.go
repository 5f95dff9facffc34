package aws

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestThrottlingOnTheNextCallsIsRetriedAndSucceeds(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDisable)
	acct := connectors.Account{ID: "dev"}

	e.fake.ResetCalls()
	calm, err := c.Grants(context.Background(), acct)
	must(t, err)
	plain := e.fake.Count("iam", "")

	e.fake.ResetCalls()
	e.fake.Throttle(4)
	stormy, err := c.Grants(context.Background(), acct)
	must(t, err)
	if len(stormy) != len(calm) {
		t.Errorf("%d grants under throttling, want %d", len(stormy), len(calm))
	}
	throttled := 0
	for _, call := range e.fake.Calls() {
		if call.Code == "Throttling" && call.Status == http.StatusBadRequest {
			throttled++
		}
	}
	if got := e.fake.Count("iam", ""); throttled != 4 || got != plain+4 {
		t.Errorf("%d calls with %d throttled, want %d plus the 4 throttled", got, throttled, plain)
	}
}

func TestThrottlingThatOutlastsTheRetriesIsRetryable(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	opts := e.fastOptions()
	opts.MaxAttempts = 3
	cs, err := New(context.Background(), Config{}, opts)
	must(t, err)
	e.fake.ResetCalls()
	e.fake.AddFault(fakeaws.Fault{Action: "DeleteLoginProfile", Status: 400, Code: "Throttling", Message: "Rate exceeded", Times: 100})
	_, err = cs[0].Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindConsolePassword, Ref: "disable/"})
	if !connectors.IsRetryable(err) || connectors.KindOf(err) != connectors.KindRetryable {
		t.Errorf("got %v (kind %v), want a retryable error", err, connectors.KindOf(err))
	}
	if n := e.fake.Count("iam", "DeleteLoginProfile"); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
}

func TestServerFailuresAreRetried(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDisable)
	e.fake.FailNext(2)
	out, err := c.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindConsolePassword, Ref: "disable/"})
	if err != nil || out != connectors.Revoked {
		t.Errorf("got %v, %v; want revoked after two 500s", out, err)
	}
}

func TestAccessDeniedIsAPermissionError(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	u := seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDisable)
	e.fake.Deny(acctID, "iam:UpdateAccessKey", true)
	e.fake.ResetCalls()
	_, err := c.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindAccessKey, Ref: "disable/" + u.AccessKeys[0].ID})
	if connectors.KindOf(err) != connectors.KindPermission || connectors.IsRetryable(err) {
		t.Errorf("got %v, want a permission error that is not retried", err)
	}
	if n := e.fake.Count("iam", "UpdateAccessKey"); n != 1 {
		t.Errorf("%d UpdateAccessKey calls, want 1 (access denied is not retried)", n)
	}
}

// TestTheDenyNeedsNoManagedPolicySlot: a user with all ten managed
// policies still gets the deny, as an inline policy.
func TestTheDenyNeedsNoManagedPolicySlot(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	var pols []string
	for _, p := range []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"} {
		pols = append(pols, "arn:aws:iam::aws:policy/"+p)
	}
	_, err := e.fake.AddUser(acctID, fakeaws.User{Name: "dev", AttachedPolicies: pols})
	must(t, err)
	c := e.connector(t, ModeDisable)
	out, err := c.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindPolicies, Ref: "disable/"})
	u, _ := e.fake.User(acctID, "dev")
	if err != nil || out != connectors.Revoked || u.InlinePolicies["offboard-deny-all"] == "" || e.fake.Count("iam", "AttachUserPolicy") != 0 {
		t.Errorf("got %v, %v, inline %v; want the inline deny and no AttachUserPolicy", out, err, u.InlinePolicies)
	}
}

func TestAnInlineQuotaFullNeedsAPerson(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("b", 1950) + `"}]}`
	_, err := e.fake.AddUser(acctID, fakeaws.User{Name: "dev", InlinePolicies: map[string]string{"big": big}})
	must(t, err)
	c := e.connector(t, ModeDisable)
	_, err = c.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindPolicies, Ref: "disable/"})
	if connectors.KindOf(err) != connectors.KindConfig || connectors.IsRetryable(err) {
		t.Errorf("got %v, want a configuration error that is not retried", err)
	}
}

func TestAUserWithAWSDenyAllAttachedAlreadyHasTheDeny(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	_, err := e.fake.AddUser(acctID, fakeaws.User{Name: "dev", AttachedPolicies: []string{fakeaws.DenyAllARN}})
	must(t, err)
	c := e.connector(t, ModeDisable)
	out, err := c.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindPolicies, Ref: "disable/"})
	if err != nil || out != connectors.AlreadyGone {
		t.Errorf("got %v, %v; want already gone", out, err)
	}
}

func TestConcurrentModificationIsRetried(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	c := e.connector(t, ModeDelete)
	e.fake.AddFault(fakeaws.Fault{Action: "DeleteUser", Times: 1, Status: 409, Code: "ConcurrentModification",
		Message: "The request was rejected because multiple requests to change this object were submitted simultaneously."})
	out, err := c.Revoke(context.Background(), connectors.Grant{Account: connectors.Account{ID: "dev"}, Kind: KindUser, Ref: "delete/"})
	if err != nil || out != connectors.Revoked {
		t.Errorf("got %v, %v; want revoked after one ConcurrentModification", out, err)
	}
	if n := e.fake.Count("iam", "DeleteUser"); n != 2 {
		t.Errorf("%d DeleteUser calls, want 2", n)
	}
}
