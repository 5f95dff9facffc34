package commands

import (
	"errors"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzParse checks what must hold for any text Slack could send: no
// panic; a refusal is an *Error with a Problem and a Usage and no markup;
// the same text gives the same result; and a success says something that,
// written back as the canonical command, parses to the same thing.
func FuzzParse(f *testing.F) {
	env := testEnv(f)
	o := newOracle()
	for _, s := range []string{"", "help", "<@U1|dana> on 2024-07-01 14:30 contract ended", "link <@U1> aws:dana@prod github:dana-gh",
		"<@U1|\u202edana> leaves", "<@U1> on 2024-07-01 \u2066approved\u2069"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c, err := Parse(text, env)
		again, errAgain := Parse(text, env)
		if !reflect.DeepEqual(c, again) || !reflect.DeepEqual(err, errAgain) {
			t.Fatalf("Parse(%q) is not deterministic: %#v, %v then %#v, %v", text, c, err, again, errAgain)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %v is a %T, not *Error", text, err, err)
			}
			if e.Problem == "" || e.Usage == "" || strings.ContainsAny(e.Problem+e.Usage, "&<>") {
				t.Fatalf("Parse(%q) error breaks the contract: Problem %q Usage %q", text, e.Problem, e.Usage)
			}
			if c != nil {
				t.Fatalf("Parse(%q) returned both %#v and %v", text, c, err)
			}
			return
		}
		if r, ok := invisibleOutsideMentions(text); ok {
			t.Fatalf("Parse(%q) = %#v; it holds the invisible U+%04X and must be refused", text, c, r)
		}
		checkCommand(t, o, text, c, env)
		canon := canonical(t, c, env)
		if utf8.RuneCountInString(unescape(canon)) > maxRunes {
			return // spelling the date out can push a text at the limit over it
		}
		back, err := Parse(canon, env)
		if err != nil {
			t.Fatalf("Parse(%q) = %#v, but its canonical form %q is refused: %v", text, c, canon, err)
		}
		if !sameCommand(c, back) {
			t.Fatalf("Parse(%q) = %#v, but its canonical form %q gives %#v", text, c, canon, back)
		}
	})
}

// invisibleOutsideMentions is the rule written again from its statement:
// a character of category Cf anywhere but inside a user mention's entity.
func invisibleOutsideMentions(text string) (rune, bool) {
	for _, r := range regexp.MustCompile(`<@[^<>]*>`).ReplaceAllString(text, "") {
		if unicode.In(r, unicode.Cf) {
			return r, true
		}
	}
	return 0, false
}

// oracle finds, independently of the parser, the entities Slack sends for
// one person and for many people at once.
type oracle struct{ user, crowd *regexp.Regexp }

func newOracle() oracle {
	return oracle{
		user:  regexp.MustCompile(`<@[UW][A-Z0-9]{1,31}(\|[^<>]*)?>`),
		crowd: regexp.MustCompile(`<[#!][^<>]*>`),
	}
}

func checkCommand(t *testing.T, o oracle, text string, c Command, env Env) {
	t.Helper()
	mentions := len(o.user.FindAllString(text, -1))
	wantMentions := 1
	switch c := c.(type) {
	case Help:
		return // help ignores what follows it
	case OpenModal:
		if strings.TrimFunc(text, unicode.IsSpace) != "" {
			t.Fatalf("Parse(%q) opens the modal for a text that is not empty", text)
		}
		return
	case List, Scan:
		wantMentions = 0
	case Status:
		if c.Target == "" {
			wantMentions = 0
		} else if !validUserID(c.Target) {
			t.Fatalf("Parse(%q) gives status of %q, not a user ID", text, c.Target)
		}
	case Cancel:
		if !validUserID(c.Target) {
			t.Fatalf("Parse(%q) cancels %q, not a user ID", text, c.Target)
		}
	case Link:
		checkLink(t, text, c, env)
	case Request:
		checkRequest(t, text, c, env)
	default:
		t.Fatalf("Parse(%q) gives an unknown command %#v", text, c)
	}
	if mentions != wantMentions {
		t.Fatalf("Parse(%q) = %#v from a text with %d user mentions, want %d", text, c, mentions, wantMentions)
	}
	if o.crowd.MatchString(text) {
		t.Fatalf("Parse(%q) = %#v although the text mentions a channel, @here or a group", text, c)
	}
}

func checkRequest(t *testing.T, text string, r Request, env Env) {
	t.Helper()
	switch {
	case !validUserID(r.Target):
		t.Fatalf("Parse(%q): Target %q is not a user ID", text, r.Target)
	case !utf8.ValidString(r.Reason) || utf8.RuneCountInString(r.Reason) > maxRunes:
		t.Fatalf("Parse(%q): Reason %q is not valid UTF-8 of at most %d runes", text, r.Reason, maxRunes)
	case strings.TrimFunc(r.Reason, unicode.IsSpace) != r.Reason:
		t.Fatalf("Parse(%q): Reason %q is not trimmed", text, r.Reason)
	case namesSomeone(r.Reason) != nil:
		t.Fatalf("Parse(%q): Reason %q names someone", text, r.Reason)
	case r.Overdue != r.At.Before(env.Now) || r.Due != !r.At.After(env.Now):
		t.Fatalf("Parse(%q): At %v, Due %v, Overdue %v disagree with Now %v", text, r.At, r.Due, r.Overdue, env.Now)
	case !r.DateGiven && !r.At.Equal(env.Now):
		t.Fatalf("Parse(%q): no date given but At %v is not Now", text, r.At)
	case r.At.Location() != env.Location:
		t.Fatalf("Parse(%q): At %v is not in %v", text, r.At, env.Location)
	}
}

func checkLink(t *testing.T, text string, l Link, env Env) {
	t.Helper()
	switch {
	case !validUserID(l.Target):
		t.Fatalf("Parse(%q): link Target %q is not a user ID", text, l.Target)
	case l.GitHub == "" && l.AWSUser == "":
		t.Fatalf("Parse(%q): link with no account", text)
	case l.GitHub != "" && !validLogin(l.GitHub):
		t.Fatalf("Parse(%q): GitHub login %q is invalid", text, l.GitHub)
	case l.AWSUser != "" && !validIAMUser(l.AWSUser):
		t.Fatalf("Parse(%q): IAM user %q is invalid", text, l.AWSUser)
	case l.AWSAccount != "" && (l.AWSUser == "" || !(len(l.AWSAccount) == 12 && digits(l.AWSAccount)) && !slices.Contains(env.AWSAccounts, l.AWSAccount)):
		t.Fatalf("Parse(%q): AWS account %q is neither twelve digits nor configured", text, l.AWSAccount)
	}
}

// canonical writes a command back the way a person would type it for
// Slack, escaping the reason as Slack does.
func canonical(t *testing.T, c Command, env Env) string {
	t.Helper()
	switch c := c.(type) {
	case OpenModal:
		return ""
	case Help:
		return "help"
	case List:
		return "list"
	case Scan:
		return "scan"
	case Status:
		if c.Target == "" {
			return "status"
		}
		return "status <@" + c.Target + ">"
	case Cancel:
		return "cancel <@" + c.Target + ">"
	case Link:
		s := "link <@" + c.Target + ">"
		if c.GitHub != "" {
			s += " github:" + c.GitHub
		}
		if c.AWSUser != "" {
			s += " aws:" + c.AWSUser
		}
		if c.AWSAccount != "" {
			s += "@" + c.AWSAccount
		}
		return s
	case Request:
		s := "<@" + c.Target + ">"
		switch {
		case !c.DateGiven:
		case c.At.Equal(env.Now):
			s += " on now"
		case c.At.Second() != 0 || c.At.Nanosecond() != 0:
			t.Fatalf("request At %v is not a whole minute", c.At)
		default:
			s += " on " + c.At.Format("2006-01-02 15:04")
		}
		if c.Reason != "" {
			s += " " + strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(c.Reason)
		}
		return s
	}
	t.Fatalf("no canonical form for %#v", c)
	return ""
}

func sameCommand(a, b Command) bool {
	ra, ok := a.(Request)
	rb, ok2 := b.(Request)
	if !ok || !ok2 {
		return reflect.DeepEqual(a, b)
	}
	if !ra.At.Equal(rb.At) {
		return false
	}
	ra.At = rb.At
	return ra == rb
}
