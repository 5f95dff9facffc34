package commands

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the host's zoneinfo
)

// berlin is the zone of the tests: it has DST, and its gaps and overlaps
// are well known.
func berlin(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("load Europe/Berlin: %v", err)
	}
	return loc
}

// testEnv is Thursday 20 June 2024, 10:15 in Berlin, execute_at 09:00.
func testEnv(t testing.TB) Env {
	loc := berlin(t)
	return Env{
		Now:         time.Date(2024, 6, 20, 10, 15, 0, 0, loc),
		Location:    loc,
		ExecuteAt:   9 * time.Hour,
		AWSAccounts: []string{"prod", "staging"},
	}
}

func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatalf("bad test time %q: %v", s, err)
	}
	return v
}

// asError checks the contract every refusal keeps and returns it.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *Error", err, err)
	}
	if e.Problem == "" || e.Usage == "" {
		t.Fatalf("error has empty Problem %q or Usage %q", e.Problem, e.Usage)
	}
	if strings.ContainsAny(e.Problem+e.Usage, "&<>") {
		t.Fatalf("error text holds &, < or >: Problem %q Usage %q", e.Problem, e.Usage)
	}
	return e
}
