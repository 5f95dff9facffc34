package commands

import (
	"strings"
	"unicode"
)

// parseRequest reads "@user [on <date> [HH:MM]] [reason…]". text is the
// trimmed command text that toks were cut from.
func parseRequest(text string, toks []token, env Env) (Command, error) {
	first := toks[0]
	if !strings.HasPrefix(first.raw, "<") && !strings.HasPrefix(first.raw, "@") && !strings.HasPrefix(first.raw, "&lt;") {
		return nil, fail(usageAll, "%s is not a command or a mention of a person.", quote(unescape(first.raw)))
	}
	id, err := target(first, usageRequest)
	if err != nil {
		return nil, err
	}
	r := Request{Target: id, At: env.Now.In(env.location())}
	i, now := 1, false
	if i < len(toks) && toks[i].is("on") {
		if i+1 == len(toks) {
			return nil, fail(usageDated, "“on” needs a date after it.")
		}
		at, n, err := when(toks[i+1:], env)
		if err != nil {
			err.Usage = usageDated
			return nil, err
		}
		r.At, r.DateGiven, now = at, true, toks[i+1].is("now")
		i += 1 + n
	}
	if i < len(toks) {
		reason, err := parseReason(text[toks[i].start:], id)
		if err != nil {
			return nil, err
		}
		if err := reasonStart(strings.FieldsFunc(reason, unicode.IsSpace), r.DateGiven, now); err != nil {
			return nil, err
		}
		r.Reason = reason
	}
	r.Overdue = r.At.Before(env.Now)
	r.Due = !r.At.After(env.Now)
	return r, nil
}

// reasonStart refuses a reason that was probably meant as a date. The
// words are the reason as it reads once decoded, so the checks judge what
// a reader of the request will see.
func reasonStart(words []string, dated, now bool) *Error {
	if len(words) == 0 {
		return nil
	}
	w := words[0]
	switch {
	case now && (clockLike(w) || foldEq(w, "at") && len(words) > 1 && clockLike(words[1])):
		return fail(usageDated, "“now” takes no time; write a date and a time, e.g. “on today 14:30”.")
	case dated:
		return nil
	case foldEq(w, "on"):
		return fail(usageDated, "“on” needs a date after it.")
	case dateLike(w) || foldEq(w, "today") || foldEq(w, "tomorrow") || foldEq(w, "now"):
		return fail(usageDated, "Put “on” before the date: %s.", quote("on "+w))
	case timeLike(w):
		return fail(usageDated, "A time needs a date and “on” before it, e.g. %s.", quote("on today "+w))
	}
	// An undated request starts at once; "@dana contract ends on
	// 2024-07-01" almost certainly did not mean that.
	for j := 0; j+1 < len(words); j++ {
		if d := words[j+1]; foldEq(words[j], "on") && (dateLike(d) || foldEq(d, "today") || foldEq(d, "tomorrow")) {
			return fail(usageDated, "The reason holds a date (%s), but the request has none and would start now. Put the date right after the person, or write “on now” before the reason.",
				quote("on "+d))
		}
	}
	return nil
}
