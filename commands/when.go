package commands

import (
	"time"
)

// ParseWhen reads a date expression as it follows "on": "YYYY-MM-DD",
// "YYYY-MM-DD HH:MM", "today", "tomorrow" (each optionally with HH:MM or
// "at HH:MM"), or "now". A day without a time means Env.ExecuteAt that
// day in Env.Location. It returns the instant and whether it lies before
// Env.Now (overdue). Errors are *Error.
func ParseWhen(s string, env Env) (time.Time, bool, error) {
	if err := env.check(); err != nil {
		return time.Time{}, false, err
	}
	toks := tokenize(s)
	if len(toks) == 0 {
		return time.Time{}, false, fail(usageWhen, "No date given.")
	}
	at, n, err := when(toks, env)
	if err != nil {
		return time.Time{}, false, err
	}
	if n < len(toks) {
		return time.Time{}, false, fail(usageWhen, "Unexpected %s after the date.", quote(unescape(toks[n].raw)))
	}
	return at, at.Before(env.Now), nil
}

// ParseDateTime reads the values of a date picker ("YYYY-MM-DD") and an
// optional time picker ("HH:MM", "" for Env.ExecuteAt) into an instant in
// Env.Location, with the same rules as ParseWhen. The modal and the Hold
// "until" date use it.
func ParseDateTime(date, clock string, env Env) (time.Time, bool, error) {
	if err := env.check(); err != nil {
		return time.Time{}, false, err
	}
	c, err := parseISODate(date)
	if err != nil {
		return time.Time{}, false, err
	}
	h, m, s := executeAt(env)
	if clock != "" {
		if h, m, err = parseClock(clock); err != nil {
			return time.Time{}, false, err
		}
		s = 0
	}
	at, err := place(c, h, m, s, env.location())
	if err != nil {
		return time.Time{}, false, err
	}
	return at, at.Before(env.Now), nil
}

// when reads a date expression from the start of toks and returns the
// instant and how many tokens it used. It stops at the first token that is
// not part of the date, which in a request is the start of the reason.
func when(toks []token, env Env) (time.Time, int, *Error) {
	loc := env.location()
	first := toks[0]
	var c civil
	switch {
	case first.is("now"):
		if len(toks) > 1 && (clockLike(toks[1].raw) || toks[1].is("at") && len(toks) > 2 && clockLike(toks[2].raw)) {
			return time.Time{}, 0, fail(usageWhen, "“now” takes no time; write a date and a time, e.g. today 14:30.")
		}
		return env.Now.In(loc), 1, nil
	case first.is("today"):
		c = civilOf(env.Now.In(loc))
	case first.is("tomorrow"):
		c = civilOf(env.Now.In(loc)).addDays(1)
	case dateLike(first.raw):
		var err *Error
		if c, err = parseISODate(first.raw); err != nil {
			return time.Time{}, 0, err
		}
	default:
		return time.Time{}, 0, fail(usageWhen, "%s is not a date.", quote(unescape(first.raw)))
	}
	n := 1
	h, m, s := executeAt(env)
	clock := -1
	switch {
	case len(toks) > 1 && clockLike(toks[1].raw):
		clock = 1
	case len(toks) > 2 && toks[1].is("at") && clockLike(toks[2].raw):
		clock = 2
	}
	if clock > 0 {
		var err *Error
		if h, m, err = parseClock(toks[clock].raw); err != nil {
			return time.Time{}, 0, err
		}
		s, n = 0, clock+1
	}
	at, err := place(c, h, m, s, loc)
	if err != nil {
		if clock < 0 {
			err.Problem += " (That is the configured execute_at time; give a time after the date.)"
		}
		return time.Time{}, 0, err
	}
	return at, n, nil
}

func executeAt(env Env) (h, m, s int) {
	d := env.ExecuteAt
	return int(d / time.Hour), int(d % time.Hour / time.Minute), int(d % time.Minute / time.Second)
}
