package aws

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func seedTagged(t *testing.T, fake *fakeaws.Server, n int) {
	t.Helper()
	for i := range n {
		u := fakeaws.User{Name: fmt.Sprintf("user%04d", i)}
		if i%2 == 0 { // half the users carry an email tag
			u.Tags = map[string]string{"email": fmt.Sprintf("User%04d@Example.com", i)}
		}
		_, err := fake.AddUser(acctID, u)
		must(t, err)
	}
	_, err := fake.AddUser(acctID, fakeaws.User{Name: "dev-admin", Tags: map[string]string{"Email": "user0002@example.com"}})
	must(t, err)
}

func TestFindByEmailMatchesTheEmailTagAndCachesTheIndex(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedTagged(t, e.fake, 2500)
	now := t0
	opts := e.fastOptions()
	opts.Clock = func() time.Time { return now }
	cs, err := New(context.Background(), Config{}, opts)
	must(t, err)
	c := cs[0]
	e.fake.ResetCalls()

	got, err := c.FindByEmail(context.Background(), " user0002@EXAMPLE.com")
	must(t, err)
	if len(got) != 2 || got[0].ID != "dev-admin" || got[1].ID != "user0002" {
		t.Fatalf("got %+v, want dev-admin and user0002", got)
	}
	for _, a := range got {
		if a.System != connectors.AWS || a.Scope != acctID || a.LinkedBy != connectors.LinkEmail {
			t.Errorf("account %+v: want AWS, %s, linked by email", a, acctID)
		}
	}
	if n := pagesRead(e.fake.Calls()); n != 3 || len(e.fake.Calls()) != e.fake.Count("iam", "GetAccountAuthorizationDetails") {
		t.Errorf("%d pages read (%d calls), want 3 pages of 1000 users by authorization details", n, len(e.fake.Calls()))
	}

	before := len(e.fake.Calls())
	none, err := c.FindByEmail(context.Background(), "user0001@example.com")
	if err != nil || len(none) != 0 || len(e.fake.Calls()) != before {
		t.Errorf("untagged user: %v, %v after %d calls; want nothing from the cache", none, err, len(e.fake.Calls())-before)
	}
	now = now.Add(6 * time.Minute)
	_, err = c.FindByEmail(context.Background(), "user0002@example.com")
	must(t, err)
	if n := pagesRead(e.fake.Calls()[before:]); n != 3 {
		t.Errorf("%d pages read after the cache expired, want the index rebuilt (3)", n)
	}
}

func TestFindByEmailReadsTagsUserByUserWithoutAuthorizationDetails(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedTagged(t, e.fake, 200)
	e.fake.Deny(acctID, "iam:GetAccountAuthorizationDetails", true)
	c := e.connector(t, ModeDisable)
	e.fake.SetLatency(5 * time.Millisecond)
	e.fake.ResetCalls()

	var wg sync.WaitGroup
	results := make([][]connectors.Account, 3)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			results[i], err = c.FindByEmail(context.Background(), "user0002@example.com")
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, r := range results {
		if len(r) != 2 {
			t.Errorf("got %+v, want two users", r)
		}
	}
	if n := e.fake.Count("iam", "ListUserTags"); n != 201 {
		t.Errorf("%d ListUserTags calls for three concurrent lookups, want one build of 201", n)
	}
	if m := e.fake.MaxInFlight(); m > 10 || m < 2 {
		t.Errorf("at most %d calls in flight, want bounded parallelism (2..10)", m)
	}
}

// pagesRead counts the distinct pages the calls asked for. The SDK may send
// one page twice: it closes a request body early under load, the transport
// then drops the connection while the answer is read, and the SDK retries
// (aws/aws-sdk-go-v2#2737, retried since #2949). That is a call, not a page.
func pagesRead(calls []fakeaws.Call) int {
	pages := map[string]bool{}
	for _, c := range calls {
		pages[c.Action+"?"+c.Params.Get("Marker")] = true
	}
	return len(pages)
}
