package aws

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

// TestEveryAccountOfTheOrganizationIsEnteredAndOneRefusingTheRoleIsReported:
// 40 member accounts, the role missing in one of them.
func TestEveryAccountOfTheOrganizationIsEnteredAndOneRefusingTheRoleIsReported(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	var members []fakeaws.OrgAccount
	const refusing = "200000000017"
	for i := range 40 {
		id := fmt.Sprintf("2000000000%02d", i)
		members = append(members, fakeaws.OrgAccount{ID: id, Name: fmt.Sprintf("team-%02d", i)})
	}
	members = append(members, fakeaws.OrgAccount{ID: "299999999999", Name: "closing", Status: "SUSPENDED"})
	must(t, e.fake.SetOrganization(acctID, members))
	for _, m := range members[:40] {
		if m.ID != refusing {
			must(t, e.fake.AddRole(m.ID, "offboard"))
		}
		_, err := e.fake.AddUser(m.ID, fakeaws.User{Name: "dev", AccessKeys: []fakeaws.AccessKey{{}}})
		must(t, err)
	}
	cs, err := New(context.Background(), Config{Organization: &OrganizationConfig{RoleName: "offboard", ExternalID: "xid"}}, e.fastOptions())
	must(t, err)
	if len(cs) != 41 {
		t.Fatalf("got %d connectors, want the own account and 40 active members (not the suspended one)", len(cs))
	}
	if cs[0].Scope() != acctID || cs[0].roleARN != "" {
		t.Errorf("the management account is %s via %q, want %s with the base credentials", cs[0].Scope(), cs[0].roleARN, acctID)
	}
	var mu sync.Mutex
	entered, refused := 0, []string{}
	var wg sync.WaitGroup
	for _, c := range cs[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			gs, err := c.Grants(context.Background(), connectors.Account{ID: "dev"})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && len(byKind(gs, KindAccessKey)) == 1:
				entered++
			case connectors.KindOf(err) == connectors.KindPermission:
				refused = append(refused, c.Scope())
			default:
				t.Errorf("%s: %d grants, %v", c.Scope(), len(gs), err)
			}
		}()
	}
	wg.Wait()
	if entered != 39 || len(refused) != 1 || refused[0] != refusing {
		t.Errorf("entered %d, refused %v; want 39 and [%s]", entered, refused, refusing)
	}
	for _, call := range e.fake.Calls() {
		if call.Action == "AssumeRole" && call.Params.Get("ExternalId") != "xid" {
			t.Errorf("AssumeRole without the external ID: %v", call.Params)
		}
	}
	var orgChecks []string
	for _, ch := range cs[0].Check(context.Background()) {
		if strings.Contains(ch.Name, "organization") && ch.OK {
			orgChecks = append(orgChecks, ch.Name)
		}
	}
	if len(orgChecks) != 1 {
		t.Errorf("the management account's doctor checks %v, want one passing organization check", orgChecks)
	}
	for _, c := range cs {
		if c.Scope() != refusing {
			continue
		}
		var failed []string
		for _, ch := range c.Check(context.Background()) {
			if !ch.OK {
				failed = append(failed, ch.Name)
			}
		}
		if len(failed) != 1 || !strings.Contains(failed[0], "assume role") {
			t.Errorf("doctor for the refusing account failed %v, want the assume-role check", failed)
		}
	}
}

func TestTheSessionNameAndSourceIdentityCarryTheCaseAndMintedSecretsAreReported(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	must(t, e.fake.AddAccount("111111111111"))
	must(t, e.fake.AddRole("111111111111", "offboard"))
	_, err := e.fake.AddUser("111111111111", fakeaws.User{Name: "dev", AccessKeys: []fakeaws.AccessKey{{}}})
	must(t, err)
	var mu sync.Mutex
	var secrets []string
	opts := e.fastOptions()
	opts.Secret = func(s string) { mu.Lock(); secrets = append(secrets, s); mu.Unlock() }
	cs, err := New(context.Background(), Config{Accounts: []AccountConfig{{RoleARN: "arn:aws:iam::111111111111:role/offboard"}}}, opts)
	must(t, err)
	ctx := connectors.WithCase(context.Background(), "c42")
	gs, err := cs[0].Grants(ctx, connectors.Account{ID: "dev"})
	must(t, err)
	if _, err := cs[0].Revoke(ctx, byKind(gs, KindAccessKey)[0]); err != nil {
		t.Fatal(err)
	}
	_, err = cs[0].Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)
	var sessions []string
	for _, call := range e.fake.Calls() {
		if call.Action == "AssumeRole" {
			sessions = append(sessions, call.Params.Get("RoleSessionName")+"/"+call.Params.Get("SourceIdentity"))
		}
	}
	want := []string{"offboard-c42/offboard-c42", "offboard/offboard"}
	if strings.Join(sessions, " ") != strings.Join(want, " ") {
		t.Errorf("sessions %v, want %v (one per case, reused within it)", sessions, want)
	}
	if len(secrets) != 4 {
		t.Errorf("%d secrets reported, want a secret key and a session token per session", len(secrets))
	}
}

func TestListedAccountsKeepTheirNamesAndRolesBesideTheOrganizations(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	must(t, e.fake.SetOrganization(acctID, []fakeaws.OrgAccount{{ID: "200000000001", Name: "a"}, {ID: "200000000002", Name: "b"}}))
	cs, err := New(context.Background(), Config{
		Accounts:     []AccountConfig{{Name: "prod", RoleARN: "arn:aws:iam::200000000002:role/admin-offboard"}},
		Organization: &OrganizationConfig{RoleName: "offboard"}}, e.fastOptions())
	must(t, err)
	got := map[string]string{}
	for _, c := range cs {
		got[c.Scope()] = c.Name() + " " + c.roleARN
	}
	want := map[string]string{
		"200000000002": "prod arn:aws:iam::200000000002:role/admin-offboard",
		acctID:         "management ",
		"200000000001": "a arn:aws:iam::200000000001:role/offboard",
	}
	if len(got) != len(want) || len(cs) != 3 {
		t.Fatalf("connectors %v, want %v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q, want %q", id, got[id], w)
		}
	}
}
