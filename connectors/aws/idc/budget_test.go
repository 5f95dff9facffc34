package idc

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

// budgetWorld seeds a person in 5 groups whose assignments, with two
// direct ones, reach 40 accounts through 4 permission sets.
func budgetWorld(t testing.TB, e *env) {
	t.Helper()
	dana, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana", Emails: []string{"dana@example.com"}})
	must(t, err)
	var org []fakeaws.OrgAccount
	for i := range 40 {
		org = append(org, fakeaws.OrgAccount{ID: fmt.Sprintf("2000000000%02d", i), Name: fmt.Sprintf("acct-%02d", i)})
	}
	must(t, e.fake.SetOrganization(mgmt, org))
	sets := []fakeaws.PermissionSet{e.permSet(t, "ReadOnlyAccess"), e.permSet(t, "PowerUserAccess"),
		e.permSet(t, "AdministratorAccess"), e.permSet(t, "Billing")}
	for g := range 5 {
		grp, err := e.fake.AddIdCGroup(fakeaws.IdCGroup{DisplayName: fmt.Sprintf("team-%d", g), Members: []string{dana.ID}})
		must(t, err)
		for i := range 8 {
			account := fmt.Sprintf("2000000000%02d", g*8+i)
			e.assign(t, account, sets[g%3], "GROUP", grp.ID)
		}
	}
	e.assign(t, "200000000000", sets[3], "USER", dana.ID)
	e.assign(t, "200000000039", sets[3], "USER", dana.ID)
}

// TestDiscoveryOfFiveGroupsAndFortyAccountsStaysWithinFiftyCalls is the
// call budget, read from the fake's log.
func TestDiscoveryOfFiveGroupsAndFortyAccountsStaysWithinFiftyCalls(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	budgetWorld(t, e)
	ic := e.connector(t, aws.IdentityCenterConfig{InstanceARN: e.instance, IdentityStoreID: e.storeID})
	e.fake.ResetCalls()
	rows, err := ic.Grants(context.Background(), idcAccount("dana"))
	must(t, err)
	if len(byKind(rows, KindGroupMembership)) != 5 || len(byKind(rows, KindAssignment)) != 2 {
		t.Fatalf("rows %d, want 5 groups and 2 direct assignments", len(rows))
	}
	accounts := map[string]bool{}
	for _, g := range byKind(rows, KindGroupMembership) {
		for _, it := range g.Items {
			accounts[it[len(it)-13:len(it)-1]] = true // "ReadOnlyAccess in acct-07 (200000000007)"
		}
	}
	if len(accounts) != 40 {
		t.Errorf("the groups' rows name %d accounts, want 40", len(accounts))
	}
	if n := e.idcCalls(); n > 50 {
		t.Errorf("discovery made %d Identity Center calls, want at most 50", n)
	}
	if n := e.fake.Count("organizations", ""); n != 3 {
		t.Errorf("%d Organizations calls for the account names, want 3 (41 accounts, 20 a page)", n)
	}
	t.Logf("discovery: %d Identity Center calls, %d Organizations calls for account names", e.idcCalls(), e.fake.Count("organizations", ""))
}

// BenchmarkDiscoveryAt50msPerCall prints the calls and the time one
// discovery takes when every call to the fake takes 50 ms (target: at
// most 50 calls and 2 s).
func BenchmarkDiscoveryAt50msPerCall(b *testing.B) {
	e := newEnv(b, fakeaws.Options{})
	budgetWorld(b, e)
	opts := e.options()
	opts.RequestsPerSecond = 0 // the connector's own pacing, as in production
	ic, err := New(context.Background(), aws.IdentityCenterConfig{Region: "eu-west-1", InstanceARN: e.instance, IdentityStoreID: e.storeID}, opts)
	must(b, err)
	e.fake.SetLatency(50 * time.Millisecond)
	var worst time.Duration
	calls := 0
	b.ResetTimer()
	for range b.N {
		ic.permSets, ic.accounts = map[string]permSetName{}, nil // every run reads names afresh
		e.fake.ResetCalls()
		start := time.Now()
		if _, err := ic.Grants(context.Background(), idcAccount("dana")); err != nil {
			b.Fatal(err)
		}
		worst = max(worst, time.Since(start))
		calls = max(calls, e.idcCalls()+e.fake.Count("organizations", ""))
	}
	b.ReportMetric(float64(calls), "calls/op")
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
	if calls > 50 || worst > 2*time.Second {
		b.Errorf("%d calls, %v: over the budget of 50 calls and 2 s", calls, worst)
	}
}
