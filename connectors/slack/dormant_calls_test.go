package slack

import (
	"fmt"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakeslack"
)

// The call budget of a 10,000-person scan (2,000 under -race), both ways:
// on Grid one admin.users.list call per 100 people; elsewhere one
// team.accessLogs call per 1000 entries in the window plus one users.list
// call per 200 people.
func TestDormancyScanCallsFor10000People(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 10,000 people")
	}
	people := 10000
	if raceEnabled {
		people = 2000
	}
	all := people + 5 // and the bot, dana, alex, sam and root
	for _, onGrid := range []bool{true, false} {
		t.Run(fmt.Sprintf("grid=%v", onGrid), func(t *testing.T) {
			srv := workspace(t, fakeslack.Options{Clock: func() time.Time { return scanNow },
				Admin: fakeslack.AdminOptions{Enterprise: onGrid}})
			for i := range people {
				id := fmt.Sprintf("U1%06d", i)
				last := scanNow.AddDate(0, 0, -(i % 180)) // half of them inside 90 days
				srv.AddUser(fakeslack.User{ID: id, Created: scanNow.AddDate(-2, 0, 0), LastActive: last})
				if !onGrid && i%180 < 90 {
					_ = srv.AddLogin(fakeslack.Login{User: id, Last: last})
				}
			}
			c := connector(srv, Config{AccessLogs: true}, Options{AdminToken: srv.AdminToken()})
			found, err := c.Dormant(t.Context(), scanNow, 90)
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, call := range srv.Calls() {
				counts[call.Method]++
			}
			t.Logf("grid=%v: %d dormant of %d people; calls %v", onGrid, len(found), people, counts)
			if onGrid && (counts["admin.users.list"] != (all+99)/100 || counts["team.accessLogs"] != 0) {
				t.Errorf("calls = %v, want %d pages of admin.users.list", counts, (all+99)/100)
			}
			// Half the people have an entry in the window: that many pages,
			// plus the one that reaches past it.
			if !onGrid && (counts["team.accessLogs"] > people/2/1000+1 || counts["users.list"] != (all+199)/200) {
				t.Errorf("calls = %v, want at most %d access-log pages and %d users.list pages",
					counts, people/2/1000+1, (all+199)/200)
			}
		})
	}
}
