package aws

import (
	"context"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestTwoAccountsThroughAssumeRoleFromOneFake(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	accounts := map[string]string{"prod": "111111111111", "staging": "222222222222"}
	keys := map[string]string{}
	for _, id := range accounts {
		must(t, e.fake.AddAccount(id))
		must(t, e.fake.AddRole(id, "offboard"))
		u, err := e.fake.AddUser(id, fakeaws.User{Name: "dev", AccessKeys: []fakeaws.AccessKey{{}}})
		must(t, err)
		keys[id] = u.AccessKeys[0].ID
	}
	cs, err := New(context.Background(), Config{Accounts: []AccountConfig{
		{Name: "prod", RoleARN: "arn:aws:iam::111111111111:role/offboard"},
		{Name: "staging", RoleARN: "arn:aws:iam::222222222222:role/offboard"},
	}}, e.fastOptions())
	must(t, err)
	if e.fake.Count("sts", "AssumeRole") != 0 {
		t.Errorf("New assumed roles eagerly")
	}
	for _, c := range cs {
		id := accounts[c.Name()]
		if c.Scope() != id {
			t.Fatalf("%s: scope %s, want %s", c.Name(), c.Scope(), id)
		}
		gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
		must(t, err)
		key := byKind(gs, KindAccessKey)
		if len(key) != 1 || !strings.HasSuffix(key[0].Ref, keys[id]) || key[0].Account.Scope != id {
			t.Fatalf("%s: access key grants %+v, want the key %s of account %s", c.Name(), key, keys[id], id)
		}
		if _, err := c.Revoke(context.Background(), key[0]); err != nil {
			t.Fatal(err)
		}
	}
	for name, id := range accounts {
		u, _ := e.fake.User(id, "dev")
		if u.AccessKeys[0].Status != fakeaws.StatusInactive {
			t.Errorf("%s: key %s, want inactive", name, u.AccessKeys[0].Status)
		}
	}
	if n := e.fake.Count("sts", "AssumeRole"); n != 2 {
		t.Errorf("%d AssumeRole calls, want one per account (credentials cached)", n)
	}
	for _, call := range e.fake.Calls() {
		if call.Service == "iam" && call.AccessKeyID == "AKIDBASE" {
			t.Errorf("IAM %s signed with the base credentials, not the role's", call.Action)
		}
	}
}

func TestTheCredentialsOwnAccountIsFoundWithGetCallerIdentity(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	cs, err := New(context.Background(), Config{}, e.fastOptions())
	must(t, err)
	if len(cs) != 1 || cs[0].Scope() != acctID || cs[0].Name() != acctID || cs[0].Mode() != ModeDisable {
		t.Fatalf("got %d connectors, scope %s, name %s, mode %s", len(cs), cs[0].Scope(), cs[0].Name(), cs[0].Mode())
	}
	if cs[0].principal != "arn:aws:iam::123456789012:user/offboard" {
		t.Errorf("principal %s, want the base user", cs[0].principal)
	}
}

func TestAnInvalidConfigIsRefusedBeforeAnyCall(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	_, err := New(context.Background(), Config{Mode: "nuke"}, e.fastOptions())
	if connectors.KindOf(err) != connectors.KindConfig || e.fake.Count("", "") != 0 {
		t.Errorf("got %v after %d calls, want a config error and no call", err, e.fake.Count("", ""))
	}
}
