package commands

import (
	"strings"
	"testing"
	"time"
)

func TestParseReadsRequests(t *testing.T) {
	env := testEnv(t)
	loc := env.Location
	long := strings.Repeat("x", 1000-len("<@U1> "))
	cases := []struct {
		name string
		text string
		want Request
	}{
		{"no date means now", "<@U1|dana>",
			Request{Target: "U1", At: env.Now, Due: true}},
		{"the rest of the text is the reason", "<@U1|dana> contract ended",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "contract ended"}},
		{"a date alone means execute_at that day", "<@U1> on 2024-07-01",
			Request{Target: "U1", At: at(t, loc, "2024-07-01 09:00"), DateGiven: true}},
		{"a date and a time and a reason", "<@U1> on 2024-07-01 14:30 contract ended",
			Request{Target: "U1", At: at(t, loc, "2024-07-01 14:30"), DateGiven: true, Reason: "contract ended"}},
		{"at before a time is accepted", "<@U1> on 2024-07-01 at 14:30 moving on",
			Request{Target: "U1", At: at(t, loc, "2024-07-01 14:30"), DateGiven: true, Reason: "moving on"}},
		{"at before something that is not a time starts the reason", "<@U1> on 2024-07-01 at the end of the contract",
			Request{Target: "U1", At: at(t, loc, "2024-07-01 09:00"), DateGiven: true, Reason: "at the end of the contract"}},
		{"keywords ignore case", "<@U1> ON Tomorrow",
			Request{Target: "U1", At: at(t, loc, "2024-06-21 09:00"), DateGiven: true}},
		{"tomorrow takes a time", "<@U1> on tomorrow 07:00",
			Request{Target: "U1", At: at(t, loc, "2024-06-21 07:00"), DateGiven: true}},
		{"today after execute_at is overdue and due", "<@U1> on today",
			Request{Target: "U1", At: at(t, loc, "2024-06-20 09:00"), DateGiven: true, Due: true, Overdue: true}},
		{"today at a later time is neither", "<@U1> on today 18:00",
			Request{Target: "U1", At: at(t, loc, "2024-06-20 18:00"), DateGiven: true}},
		{"now is the current instant, due but not overdue", "<@U1> on now leaving today",
			Request{Target: "U1", At: env.Now, DateGiven: true, Due: true, Reason: "leaving today"}},
		{"a past date is overdue and keeps the typed instant", "<@U1> on 2024-01-15 left in January",
			Request{Target: "U1", At: at(t, loc, "2024-01-15 09:00"), DateGiven: true, Due: true, Overdue: true, Reason: "left in January"}},
		{"a colon after the mention is tolerated", "<@U1|dana>: contract ended",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "contract ended"}},
		{"spaces, tabs and newlines between words are tolerated; the reason keeps its own", "  <@U1>\t\ton\n2024-07-01   reason  with\nlines  ",
			Request{Target: "U1", At: at(t, loc, "2024-07-01 09:00"), DateGiven: true, Reason: "reason  with\nlines"}},
		{"a no-break space after a picked mention separates words", "<@U1|dana>\u00a0on\u00a02024-07-01",
			Request{Target: "U1", At: at(t, loc, "2024-07-01 09:00"), DateGiven: true}},
		{"Slack's escapes in the reason are decoded once", "<@U1> R&amp;D &lt;team&gt; &amp;lt;",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "R&D <team> &lt;"}},
		{"a typed mention that Slack escaped stays plain text", "<@U1> not &lt;@U2&gt;",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "not <@U2>"}},
		{"a link in the reason reads as its address", "<@U1> see <https://jira.example.com/browse/OFF-1>",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "see https://jira.example.com/browse/OFF-1"}},
		{"a link whose label is its address reads as the label", "<@U1> see <https://jira.example.com|jira.example.com>",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "see jira.example.com"}},
		{"a link whose label hides its address shows both", "<@U1> see <https://evil.example/x|OFF-1>",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "see OFF-1 (https://evil.example/x)"}},
		{"an e-mail address in the reason reads as typed", "<@U1> ask <mailto:hr@acme.com|hr@acme.com>",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "ask hr@acme.com"}},
		{"a date later in a dated reason is fine", "<@U1> on 2024-07-01 signed on 2023-01-01",
			Request{Target: "U1", At: at(t, loc, "2024-07-01 09:00"), DateGiven: true, Reason: "signed on 2023-01-01"}},
		{"an e-mail-style @ inside a word is not a mention", "<@U1> meet me @ 10 or write a@b",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "meet me @ 10 or write a@b"}},
		{"four digits in an undated reason are not a time", "<@U1> 2024 was the last year",
			Request{Target: "U1", At: env.Now, Due: true, Reason: "2024 was the last year"}},
		{"four digits after an explicit time are the reason", "<@U1> on 2024-07-01 14:30 1430 hours",
			Request{Target: "U1", At: at(t, loc, "2024-07-01 14:30"), DateGiven: true, Reason: "1430 hours"}},
		{"a text of exactly 1,000 characters is accepted", "<@U1> " + long,
			Request{Target: "U1", At: env.Now, Due: true, Reason: long}},
		{"the limit counts characters, not bytes", "<@U1> " + strings.Repeat("é", 1000-len("<@U1> ")),
			Request{Target: "U1", At: env.Now, Due: true, Reason: strings.Repeat("é", 1000-len("<@U1> "))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.text, env)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.text, err)
			}
			got, ok := c.(Request)
			if !ok {
				t.Fatalf("Parse(%q) = %#v, want a Request", tc.text, c)
			}
			if !got.At.Equal(tc.want.At) || got.At.Location() != loc {
				t.Errorf("At = %v, want %v in %v", got.At, tc.want.At, loc)
			}
			got.At, tc.want.At = time.Time{}, time.Time{}
			if got != tc.want {
				t.Errorf("Parse(%q) =\n %#v\nwant\n %#v", tc.text, got, tc.want)
			}
		})
	}
}

func TestLengthCountsEscapesAsOneCharacter(t *testing.T) {
	env := testEnv(t)
	reason := strings.Repeat("&amp;", 1000-len("<@U1> "))
	c, err := Parse("<@U1> "+reason, env)
	if err != nil {
		t.Fatalf("a 1,000-character text with ampersands is refused: %v", err)
	}
	if got := c.(Request).Reason; got != strings.Repeat("&", 1000-len("<@U1> ")) {
		t.Errorf("Reason = %q, want only ampersands", got)
	}
	_, err = Parse("<@U1> "+reason+"&gt;", env)
	if e := asError(t, err); !strings.Contains(e.Problem, "1001 characters") {
		t.Errorf("Problem = %q, want it to count 1001 characters", e.Problem)
	}
}
