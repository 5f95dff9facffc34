package commands

import (
	"strings"
	"testing"
	"time"
)

func TestParseWhenInBerlin(t *testing.T) {
	base := testEnv(t)
	loc := base.Location
	withNow := func(s string) Env { e := base; e.Now = at(t, loc, s); return e }
	cases := []struct {
		name    string
		text    string
		env     Env
		wantUTC string // the instant, in UTC, to catch a wrong offset
		overdue bool
	}{
		{"a summer date at execute_at is CEST", "2024-07-01", base, "2024-07-01T07:00:00Z", false},
		{"a winter date at execute_at is CET", "2024-12-02", base, "2024-12-02T08:00:00Z", false},
		{"the last minute before the spring gap exists", "2024-03-31 01:59", base, "2024-03-31T00:59:00Z", true},
		{"the first minute after the spring gap exists", "2024-03-31 03:00", base, "2024-03-31T01:00:00Z", true},
		{"a time in the autumn overlap is its first occurrence, in summer time", "2024-10-27 02:30", base, "2024-10-27T00:30:00Z", false},
		{"the minute after the overlap is winter time", "2024-10-27 03:00", base, "2024-10-27T02:00:00Z", false},
		{"today before execute_at is not overdue", "today", withNow("2024-06-20 08:00"), "2024-06-20T07:00:00Z", false},
		{"today after execute_at is overdue", "today", withNow("2024-06-20 10:15"), "2024-06-20T07:00:00Z", true},
		{"today exactly at execute_at is not overdue", "today", withNow("2024-06-20 09:00"), "2024-06-20T07:00:00Z", false},
		{"today is the day in the zone, not in UTC", "today 12:00", Env{Now: time.Date(2024, 6, 20, 23, 30, 0, 0, time.UTC), Location: loc, ExecuteAt: 9 * time.Hour}, "2024-06-21T10:00:00Z", false},
		{"tomorrow into summer time takes the new offset", "tomorrow", withNow("2024-03-30 12:00"), "2024-03-31T07:00:00Z", false},
		{"tomorrow crosses the year", "Tomorrow at 10:00", withNow("2024-12-31 23:30"), "2025-01-01T09:00:00Z", false},
		{"a leap day exists in a leap year", "2024-02-29 12:00", base, "2024-02-29T11:00:00Z", true},
		{"now is the current instant", "now", base, "2024-06-20T08:15:00Z", false},
		{"a date in the past is overdue", "2024-06-01", base, "2024-06-01T07:00:00Z", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, overdue, err := ParseWhen(tc.text, tc.env)
			if err != nil {
				t.Fatalf("ParseWhen(%q): %v", tc.text, err)
			}
			if s := got.UTC().Format(time.RFC3339); s != tc.wantUTC {
				t.Errorf("ParseWhen(%q) = %s, want %s", tc.text, s, tc.wantUTC)
			}
			if overdue != tc.overdue {
				t.Errorf("overdue = %v, want %v", overdue, tc.overdue)
			}
			if got.Location() != loc {
				t.Errorf("location = %v, want %v", got.Location(), loc)
			}
		})
	}
}

func TestParseWhenRefuses(t *testing.T) {
	base := testEnv(t)
	gapExecute := base
	gapExecute.ExecuteAt = 2*time.Hour + 30*time.Minute
	cases := []struct {
		name    string
		text    string
		env     Env
		problem string
	}{
		{"a time in the spring gap", "2024-03-31 02:30", base, "“2024-03-31 02:30” does not exist in Europe/Berlin: that night the clocks jump from 02:00 to 03:00"},
		{"the first minute of the spring gap", "2024-03-31 02:00", base, "does not exist in Europe/Berlin"},
		{"a configured execute_at in the spring gap", "2024-03-31", gapExecute, "configured execute_at time"},
		{"an empty text", "  ", base, "No date given"},
		{"words after the date", "2024-07-01 14:30 extra", base, "Unexpected “extra” after the date"},
		{"a date that does not exist", "2024-02-30", base, "February 2024 has 29 days"},
		{"an execute_at outside the day", "2024-07-01", Env{Now: base.Now, Location: base.Location, ExecuteAt: 25 * time.Hour}, "execute_at setting is not a time of day"},
		{"now with at and a time", "now at 10:00", base, "“now” takes no time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := ParseWhen(tc.text, tc.env)
			if err == nil {
				t.Fatalf("ParseWhen(%q) = %v, want an error", tc.text, got)
			}
			if e := asError(t, err); !strings.Contains(e.Problem, tc.problem) {
				t.Errorf("Problem = %q, want it to contain %q", e.Problem, tc.problem)
			}
		})
	}
}

func TestGapsElsewhereAreFound(t *testing.T) {
	cases := []struct {
		name, zone, text, problem string
	}{
		// Lord Howe moves its clocks by 30 minutes, not an hour.
		{"a half-hour gap", "Australia/Lord_Howe", "2024-10-06 02:15", "from 02:00 to 02:30"},
		// Samoa skipped 30 December 2011 when it crossed the date line.
		{"a skipped day", "Pacific/Apia", "2011-12-30 12:00", "from 2011-12-30 00:00 to 2011-12-31 00:00"},
		{"a spring gap in New York", "America/New_York", "2024-03-10 02:30", "from 02:00 to 03:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatalf("load %s: %v", tc.zone, err)
			}
			env := Env{Now: time.Date(2024, 6, 20, 8, 0, 0, 0, time.UTC), Location: loc, ExecuteAt: 9 * time.Hour}
			got, _, err := ParseWhen(tc.text, env)
			if err == nil {
				t.Fatalf("ParseWhen(%q) in %s = %v, want an error", tc.text, tc.zone, got)
			}
			if e := asError(t, err); !strings.Contains(e.Problem, tc.problem) {
				t.Errorf("Problem = %q, want it to contain %q", e.Problem, tc.problem)
			}
		})
	}
}

func TestParseDateTimeReadsPickers(t *testing.T) {
	env := testEnv(t)
	loc := env.Location
	cases := []struct {
		name, date, clock string
		want              time.Time
		overdue           bool
		problem           string
	}{
		{name: "a date without a time is execute_at", date: "2024-07-01", want: at(t, loc, "2024-07-01 09:00")},
		{name: "a date and a time", date: "2024-07-01", clock: "14:30", want: at(t, loc, "2024-07-01 14:30")},
		{name: "a past date is overdue", date: "2024-06-19", clock: "23:59", want: at(t, loc, "2024-06-19 23:59"), overdue: true},
		{name: "a date that does not exist", date: "2024-02-30", problem: "February 2024 has 29 days"},
		{name: "today's word is not a picker value", date: "today", problem: "“today” is not a date"},
		{name: "a time without a leading zero", date: "2024-07-01", clock: "7:00", problem: "write 07:00"},
		{name: "a time in the gap", date: "2024-03-31", clock: "02:15", problem: "clocks jump"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, overdue, err := ParseDateTime(tc.date, tc.clock, env)
			if tc.problem != "" {
				if err == nil {
					t.Fatalf("ParseDateTime(%q, %q) = %v, want an error", tc.date, tc.clock, got)
				}
				if e := asError(t, err); !strings.Contains(e.Problem, tc.problem) {
					t.Errorf("Problem = %q, want it to contain %q", e.Problem, tc.problem)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDateTime(%q, %q): %v", tc.date, tc.clock, err)
			}
			if !got.Equal(tc.want) || overdue != tc.overdue {
				t.Errorf("ParseDateTime(%q, %q) = %v, %v; want %v, %v", tc.date, tc.clock, got, overdue, tc.want, tc.overdue)
			}
		})
	}
}

func TestFormatInstant(t *testing.T) {
	loc := berlin(t)
	cases := []struct {
		name string
		t    time.Time
		loc  *time.Location
		want string
	}{
		{"the confirmation's example", at(t, loc, "2024-07-01 09:00"), loc, "Mon 1 Jul 2024 09:00 Europe/Berlin"},
		{"an instant is shown in the zone asked for", time.Date(2024, 7, 1, 7, 0, 0, 0, time.UTC), loc, "Mon 1 Jul 2024 09:00 Europe/Berlin"},
		{"a nil zone is UTC", time.Date(2024, 12, 2, 8, 0, 0, 0, loc), nil, "Mon 2 Dec 2024 07:00 UTC"},
		{"the first of two 02:30s says CEST", time.Date(2024, 10, 27, 0, 30, 0, 0, time.UTC), loc, "Sun 27 Oct 2024 02:30 Europe/Berlin (CEST)"},
		{"the second of two 02:30s says CET", time.Date(2024, 10, 27, 1, 30, 0, 0, time.UTC), loc, "Sun 27 Oct 2024 02:30 Europe/Berlin (CET)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatInstant(tc.t, tc.loc); got != tc.want {
				t.Errorf("FormatInstant = %q, want %q", got, tc.want)
			}
		})
	}
}
