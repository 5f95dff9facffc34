package github

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

func scan(t *testing.T, e *env) map[string]connectors.Dormant {
	t.Helper()
	got, err := e.conn.Dormant(context.Background(), time.Now(), 90)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]connectors.Dormant{}
	for _, d := range got {
		out[d.Account.ID] = d
	}
	return out
}

func TestCommentsInTheOrgAreActivityAndElsewhereAreNot(t *testing.T) {
	e := newEnv(t)
	e.fake.AddContribution(org, "boss", days(1), 1)
	e.fake.AddMember(org, fakegithub.Member{Login: "reviewer"})
	e.fake.AddComment(org, "api", "reviewer", days(5))
	e.fake.AddMember(org, fakegithub.Member{Login: "old-reviewer"})
	e.fake.AddComment(org, "api", "old-reviewer", days(120))
	e.fake.AddMember(org, fakegithub.Member{Login: "elsewhere"})
	e.fake.AddComment("other-org", "lib", "elsewhere", days(3))
	e.fake.AddMember(org, fakegithub.Member{Login: "chatty"})
	e.fake.AddComment(org, "api", "chatty", days(60))
	for i := range recentComments {
		e.fake.AddComment("other-org", "lib", "chatty", days(10).Add(time.Duration(i)*time.Minute))
	}
	got := scan(t, e)
	if _, ok := got["reviewer"]; ok {
		t.Error("a member who commented in the org 5 days ago is reported")
	}
	for _, l := range []string{"old-reviewer", "elsewhere"} {
		if d, ok := got[l]; !ok || d.Check != "" {
			t.Errorf("%s = %+v, want dormant", l, d)
		}
	}
	if d := got["chatty"]; !strings.Contains(d.Check, "check by hand") {
		t.Errorf("chatty = %+v, want a check: 20 newer comments elsewhere hide the org comment", d)
	}
}

func TestOwnersAreCheckedByHandNotDormant(t *testing.T) {
	e := newEnv(t)
	e.fake.AddMember(org, fakegithub.Member{Login: "idle-owner", Role: "admin"})
	got := scan(t, e)
	for _, l := range []string{"boss", "idle-owner"} {
		if d := got[l]; !strings.HasPrefix(d.Check, "org owner") {
			t.Errorf("%s = %+v, want \"org owner: check by hand\"", l, d)
		}
	}
}

// A batch that times out is split (50 → 25 → … → 1) until the one member
// whose data GitHub cannot read is alone; that member is "activity could
// not be read" and everyone else is judged.
func TestAFailingBatchIsSplitAndOneMemberNeverFailsTheScan(t *testing.T) {
	e := newEnv(t) // the transport retries a failed call twice
	e.fake.AddContribution(org, "boss", days(1), 1)
	want := seedOrg(e.fake, 120)
	e.fake.TimeOutQueriesAbout("m0042")
	got := scan(t, e)
	if d := got["m0042"]; !strings.Contains(d.Check, "could not be read") {
		t.Errorf("m0042 = %+v, want activity could not be read", d)
	}
	for _, l := range want {
		if d, ok := got[l]; !ok || d.Check != "" {
			t.Errorf("%s = %+v, want dormant", l, d)
		}
	}
	if len(got) != len(want)+1 { // + m0042
		t.Errorf("%d findings, want %d", len(got), len(want)+1)
	}
	// The org's node ID; 3 batches, the failing one sent 3 times (the
	// transport's retries); then at most 6 halvings (50 → 25 → … → 1),
	// each a failing half sent once and its good sibling; and the lone
	// member's query twice more. Halves resent by the transport would
	// cost more.
	if n, most := e.fake.CallCount(fakegithub.RouteGraphQL), 1+3+2+6*2+2; n > most {
		t.Errorf("%d GraphQL calls, want at most %d", n, most)
	}
	notes := strings.Join(e.conn.ScanNotes(), "\n")
	if !strings.Contains(notes, "1 member could not be read") {
		t.Errorf("notes = %s, want the unread member counted", notes)
	}
}

func TestAPermissionErrorFailsTheScanInsteadOfSplitting(t *testing.T) {
	e := newEnv(t)
	seedOrg(e.fake, 120)
	if _, err := e.conn.orgInfo(context.Background()); err != nil { // warm, before the failures
		t.Fatal(err)
	}
	e.fake.FailNext(fakegithub.RouteGraphQL, 1000, 403)
	e.fake.ResetCalls()
	_, err := e.conn.Dormant(context.Background(), time.Now(), 90)
	if connectors.KindOf(err) != connectors.KindPermission {
		t.Errorf("err = %v, want a permission error", err)
	}
	if n := e.fake.CallCount(fakegithub.RouteGraphQL); n > 3 {
		t.Errorf("%d GraphQL calls: a permission error was split and retried", n)
	}
}

func TestScanNotesSayWhatIsInvisible(t *testing.T) {
	token := strings.Join(newEnv(t).conn.ScanNotes(), "\n")
	if !strings.Contains(token, "private contribution counts") || !strings.Contains(token, fmt.Sprintf("newest %d comments", recentComments)) {
		t.Errorf("token notes = %s", token)
	}
	if strings.Contains(token, "App credentials only") {
		t.Errorf("token notes speak of an App: %s", token)
	}
	app := strings.Join(newAppEnv(t, newClock()).conn.ScanNotes(), "\n")
	if !strings.Contains(app, "App credentials only") {
		t.Errorf("App notes = %s, want the App's blind spot named", app)
	}
}
