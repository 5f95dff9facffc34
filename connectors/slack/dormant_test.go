package slack

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

var scanNow = time.Date(2026, 6, 1, 3, 0, 0, 0, time.UTC)

func ids(ds []connectors.Dormant) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Account.ID)
	}
	slices.Sort(out)
	return out
}

func TestDormantFromAccessLogs(t *testing.T) {
	srv := workspace(t, fakeslack.Options{Clock: func() time.Time { return scanNow }})
	day := 24 * time.Hour
	_ = srv.AddLogin(fakeslack.Login{User: dana, Last: scanNow.Add(-2 * day)})
	_ = srv.AddLogin(fakeslack.Login{User: root, Last: scanNow.Add(-89 * day)})
	_ = srv.AddLogin(fakeslack.Login{User: root, Last: scanNow.Add(2 * day)}) // after the scan's now: ignored
	for i := range 5 {
		_ = srv.AddLogin(fakeslack.Login{User: alex, Last: scanNow.Add(-time.Duration(100+i) * day)})
	}
	c := connector(srv, Config{AccessLogs: true}, Options{AdminToken: srv.AdminToken(), AccessLogPage: 1})
	found, err := c.Dormant(t.Context(), scanNow, 90)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(found); !slices.Equal(got, []string{alex, sam}) {
		t.Errorf("dormant = %v, want alex (last access 100 days ago) and sam (none)", got)
	}
	if d := found[0]; d.Email == "" || d.Why != "no Slack access in 90 days (access logs)" || d.Account.Scope != "T0FAKE" {
		t.Errorf("finding = %+v", d)
	}
	calls := srv.CallsTo("team.accessLogs")
	// dana, root, then the first of alex's old entries ends the scan.
	if len(calls) != 3 {
		t.Errorf("team.accessLogs called %d times, want 3: it must stop at the cutoff", len(calls))
	}
	if calls[0].Params["before"] != strconv.FormatInt(scanNow.Unix(), 10) {
		t.Errorf("first call = %+v, want before = the scan's now", calls[0].Params)
	}
	if notes := c.ScanNotes(); len(notes) != 1 || !strings.Contains(notes[0], "team.accessLogs") {
		t.Errorf("notes = %v", notes)
	}
}

func TestAccessLogsPastPage100MoveBefore(t *testing.T) {
	srv := workspace(t, fakeslack.Options{Clock: func() time.Time { return scanNow }})
	var want []string
	for i := range 150 {
		id := fmt.Sprintf("U0P%03d", i)
		srv.AddUser(fakeslack.User{ID: id})
		_ = srv.AddLogin(fakeslack.Login{User: id, Last: scanNow.Add(-time.Duration(i) * time.Minute)})
		want = append(want, id)
	}
	c := connector(srv, Config{AccessLogs: true}, Options{AdminToken: srv.AdminToken(), AccessLogPage: 1})
	found, err := c.Dormant(t.Context(), scanNow, 90)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range found {
		if slices.Contains(want, d.Account.ID) {
			t.Errorf("%s is active %s but was reported dormant", d.Account.ID, d.Why)
		}
	}
	var restarts int
	for _, call := range srv.CallsTo("team.accessLogs") {
		if call.Params["cursor"] == "" {
			restarts++
		}
	}
	if restarts != 2 {
		t.Errorf("%d first pages, want 2: one more with an earlier before after 100 pages", restarts)
	}
}

func TestDormantOnGrid(t *testing.T) {
	srv := workspace(t, fakeslack.Options{Admin: fakeslack.AdminOptions{Enterprise: true}})
	old := scanNow.AddDate(-1, 0, 0)
	srv.AddUser(fakeslack.User{ID: dana, Name: "dana", Email: "dana@example.com", Created: old, LastActive: scanNow.AddDate(0, 0, -3)})
	srv.AddUser(fakeslack.User{ID: alex, Name: "alex", Email: "alex@example.com", Created: old, LastActive: scanNow.AddDate(0, 0, -120)})
	srv.AddUser(fakeslack.User{ID: sam, Name: "sam", Created: scanNow.AddDate(0, 0, -10)}) // new, never active
	srv.AddUser(fakeslack.User{ID: "U0KIM", Name: "kim", Created: old})                    // never active
	srv.AddUser(fakeslack.User{ID: "U0LEFT", Name: "left", Created: old, Deleted: true})
	srv.AddUser(fakeslack.User{ID: root, Name: "root", IsOwner: true, Created: old, LastActive: scanNow})
	c := connector(srv, Config{AccessLogs: true}, Options{AdminToken: srv.AdminToken()})
	found, err := c.Dormant(t.Context(), scanNow, 90)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(found); !slices.Equal(got, []string{alex, "U0KIM"}) {
		t.Fatalf("dormant = %v, want alex and kim", got)
	}
	i := slices.IndexFunc(found, func(d connectors.Dormant) bool { return d.Account.ID == alex })
	if d := found[i]; d.LastActivity == nil || !d.LastActivity.Equal(scanNow.AddDate(0, 0, -120)) || d.Email != "alex@example.com" ||
		d.Why != "no Slack activity in 90 days" {
		t.Errorf("alex = %+v", d)
	}
	if n := len(srv.CallsTo("team.accessLogs")); n != 0 {
		t.Errorf("access logs read %d times on Grid", n)
	}
	if notes := c.ScanNotes(); len(notes) != 0 {
		t.Errorf("notes on Grid = %v", notes)
	}
}

func TestSlackNotScannedWithoutASignal(t *testing.T) {
	srv := workspace(t, fakeslack.Options{})
	for _, tc := range []struct {
		name string
		cfg  Config
		opts Options
		note string
	}{
		{"access_logs off", Config{UserGroups: true}, Options{AdminToken: srv.AdminToken()}, "set slack_connector.access_logs and SLACK_ADMIN_TOKEN"},
		{"no admin token", Config{AccessLogs: true}, Options{}, "SLACK_ADMIN_TOKEN is not set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := connector(srv, tc.cfg, tc.opts)
			found, err := c.Dormant(t.Context(), scanNow, 90)
			if err != nil || found != nil {
				t.Errorf("dormant = %+v, %v; want nothing", found, err)
			}
			if notes := c.ScanNotes(); len(notes) != 1 || !strings.Contains(notes[0], tc.note) {
				t.Errorf("notes = %v, want %q", notes, tc.note)
			}
		})
	}
	if n := len(srv.Calls()); n != 0 {
		t.Errorf("%d calls made without a signal", n)
	}
	free := workspace(t, fakeslack.Options{Admin: fakeslack.AdminOptions{FreePlan: true}})
	_, err := connector(free, Config{AccessLogs: true}, Options{AdminToken: free.AdminToken()}).Dormant(t.Context(), scanNow, 90)
	if connectors.KindOf(err) != connectors.KindPermission {
		t.Errorf("free plan: %v, want a permission error (paid_only)", err)
	}
}

func TestDoctorChecksTheDormancySignal(t *testing.T) {
	for _, tc := range []struct {
		name  string
		admin fakeslack.AdminOptions
		ok    bool
		want  string
	}{
		{"paid plan", fakeslack.AdminOptions{}, true, "U0ADMIN's (owner): dormancy from team.accessLogs"},
		{"Enterprise Grid", fakeslack.AdminOptions{Enterprise: true}, true, "U0ADMIN's (owner): dormancy from admin.users.list"},
		{"free plan", fakeslack.AdminOptions{FreePlan: true}, false, "paid_only"},
		{"no admin scope", fakeslack.AdminOptions{Scopes: []string{"admin.users:read"}}, false, "missing admin (team.accessLogs)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := workspace(t, fakeslack.Options{Admin: tc.admin})
			c := connector(srv, Config{AccessLogs: true}, Options{AdminToken: srv.AdminToken()})
			chk := findCheck(t, c.Check(t.Context()), "slack admin token")
			if chk.OK != tc.ok || !strings.Contains(chk.Detail, tc.want) {
				t.Errorf("check = %+v, want ok=%v and %q", chk, tc.ok, tc.want)
			}
			if strings.Contains(chk.Detail, srv.AdminToken()) {
				t.Error("the check shows the token")
			}
		})
	}
}
