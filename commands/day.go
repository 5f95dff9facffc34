package commands

import (
	"fmt"
	"strings"
	"time"
)

// civil is a calendar day with no zone attached yet.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil { return civil{t.Year(), t.Month(), t.Day()} }

func (c civil) addDays(n int) civil {
	return civilOf(time.Date(c.y, c.m, c.d+n, 0, 0, 0, 0, time.UTC))
}

func (c civil) String() string { return fmt.Sprintf("%04d-%02d-%02d", c.y, int(c.m), c.d) }

// Years outside this range are typos; a case scheduled for 3024 would
// wait forever and one for 1924 is not a departure anyone meant.
const minYear, maxYear = 2000, 2999

// parseISODate reads YYYY-MM-DD strictly: a date that does not exist is an
// error rather than the next valid one.
func parseISODate(s string) (civil, *Error) {
	y, m, d, ok := splitDate(s)
	if !ok || len(s) != 10 {
		if ok {
			return civil{}, fail(usageWhen, "%s is not written as YYYY-MM-DD; write %04d-%02d-%02d.", quote(s), y, m, d)
		}
		return civil{}, fail(usageWhen, "%s is not a date; write it as YYYY-MM-DD, e.g. 2024-07-01.", quote(s))
	}
	if y < minYear || y > maxYear {
		return civil{}, fail(usageWhen, "%s is not a plausible year; check the date %s.", quote(s[:4]), quote(s))
	}
	if m < 1 || m > 12 {
		return civil{}, fail(usageWhen, "%s does not exist: there is no month %02d.", quote(s), m)
	}
	if last := daysIn(time.Month(m), y); d < 1 || d > last {
		return civil{}, fail(usageWhen, "%s does not exist: %s %d has %d days.", quote(s), time.Month(m), y, last)
	}
	return civil{y, time.Month(m), d}, nil
}

// splitDate accepts the looser N{4}-N{1,2}-N{1,2} so that a near miss like
// 2024-7-1 can be answered with the right spelling.
func splitDate(s string) (y, m, d int, ok bool) {
	parts := strings.Split(s, "-")
	if len(parts) != 3 || len(parts[0]) != 4 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		if len(p) < 1 || (i > 0 && len(p) > 2) {
			return 0, 0, 0, false
		}
		for _, c := range []byte(p) {
			if c < '0' || c > '9' {
				return 0, 0, 0, false
			}
			n[i] = n[i]*10 + int(c-'0')
		}
	}
	return n[0], n[1], n[2], true
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// dateLike reports whether a word was probably meant as a date, so that a
// date without "on", or in another spelling, is refused instead of being
// read as a reason.
func dateLike(s string) bool {
	digits, seps := 0, 0
	for _, c := range []byte(s) {
		switch {
		case '0' <= c && c <= '9':
			digits++
		case c == '-' || c == '/' || c == '.':
			seps++
		default:
			return false
		}
	}
	return digits >= 3 && seps == 2
}
