package commands

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// FuzzParseWhen checks dates in zones with unusual transitions, against an
// oracle that knows nothing of zone bounds: a typed date and time must come
// back as that wall clock, and no earlier instant in the three hours before
// may show it (the first occurrence wins, a gap is refused).
func FuzzParseWhen(f *testing.F) {
	zones := []string{"Europe/Berlin", "Australia/Lord_Howe", "Pacific/Apia", "America/New_York", "UTC"}
	locs := make([]*time.Location, len(zones))
	for i, z := range zones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			f.Fatalf("load %s: %v", z, err)
		}
		locs[i] = loc
	}
	f.Add("2024-03-31 02:30", int64(1718871300), uint8(0))
	f.Add("2024-10-27 02:30", int64(1718871300), uint8(0))
	f.Add("2024-10-06 02:15", int64(1718871300), uint8(1))
	f.Add("2024-04-07 01:45", int64(1718871300), uint8(1))
	f.Add("2011-12-30", int64(1325000000), uint8(2))
	f.Add("tomorrow at 02:30", int64(1710021600), uint8(3))
	f.Add("today", int64(0), uint8(4))
	f.Fuzz(func(t *testing.T, text string, now int64, zone uint8) {
		loc := locs[int(zone)%len(locs)]
		env := Env{Now: time.Unix(now%(1<<40), 0).In(loc), Location: loc, ExecuteAt: 9 * time.Hour}
		got, overdue, err := ParseWhen(text, env)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Problem == "" || e.Usage == "" || strings.ContainsAny(e.Problem+e.Usage, "&<>") {
				t.Fatalf("ParseWhen(%q) error %#v breaks the contract", text, err)
			}
			return
		}
		if overdue != got.Before(env.Now) {
			t.Fatalf("ParseWhen(%q) = %v, overdue %v, with now %v", text, got, overdue, env.Now)
		}
		_ = FormatInstant(got, loc)
		var y, mo, d, h, mi int
		n, _ := fmt.Sscanf(text, "%4d-%2d-%2d %2d:%2d", &y, &mo, &d, &h, &mi)
		if n != 5 || fmt.Sprintf("%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi) != text {
			return
		}
		wall := got.In(loc).Format("2006-01-02 15:04")
		if wall != text {
			t.Fatalf("ParseWhen(%q) in %v = %s, which the clocks show as %s", text, loc, got, wall)
		}
		for d := 15 * time.Minute; d <= 3*time.Hour; d += 15 * time.Minute {
			if got.Add(-d).In(loc).Format("2006-01-02 15:04") == text {
				t.Fatalf("ParseWhen(%q) in %v = %s, but %s earlier shows the same time", text, loc, got, d)
			}
		}
	})
}
