package commands

import "strings"

// parseClock reads a 24-hour HH:MM strictly.
func parseClock(s string) (h, m int, err *Error) {
	if len(s) == 5 && s[2] == ':' && digits(s[:2]) && digits(s[3:]) {
		h, m = atoi(s[:2]), atoi(s[3:])
		if h <= 23 && m <= 59 {
			return h, m, nil
		}
	}
	if len(s) == 4 && digits(s) && atoi(s[:2]) <= 23 && atoi(s[2:]) <= 59 {
		return 0, 0, fail(usageWhen, "%s is not written as 24-hour HH:MM; write %s:%s.", quote(s), s[:2], s[2:])
	}
	hh, mm, found := strings.Cut(s, ":")
	if found && len(hh) >= 1 && len(hh) <= 2 && len(mm) >= 1 && len(mm) <= 2 && digits(hh) && digits(mm) &&
		atoi(hh) <= 23 && atoi(mm) <= 59 {
		return 0, 0, fail(usageWhen, "%s is not written as 24-hour HH:MM; write %02d:%02d.", quote(s), atoi(hh), atoi(mm))
	}
	return 0, 0, fail(usageWhen, "%s is not a time of day; write 24-hour HH:MM, e.g. 09:00 or 14:30.", quote(s))
}

// timeLike reports whether a word was probably meant as a time, so that a
// malformed one ("9:5", "2pm") is refused instead of being read as the
// start of the reason.
func timeLike(s string) bool {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	l := strings.ToLower(s)
	return strings.Contains(s, ":") || strings.HasSuffix(l, "am") || strings.HasSuffix(l, "pm")
}

// clockLike is timeLike plus four bare digits, which right after a date
// ("on 2024-07-01 1430") can only have meant a time. Elsewhere four digits
// are as likely a year or a count.
func clockLike(s string) bool {
	return timeLike(s) || len(s) == 4 && digits(s)
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func atoi(s string) int {
	n := 0
	for _, c := range []byte(s) {
		n = n*10 + int(c-'0')
	}
	return n
}
