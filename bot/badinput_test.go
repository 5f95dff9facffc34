package bot_test

import (
	"strings"
	"testing"
	"time"
)

// TestBadInputIsAnsweredClearlyAndChangesNothing types the product's bad
// inputs as a requester and an approver would.
func TestBadInputIsAnsweredClearlyAndChangesNothing(t *testing.T) {
	w := newWorld(t, worldOptions{})
	long := "@dana " + strings.Repeat("x", 1001)
	cases := []struct {
		name, typed, want string
	}{
		{"an unknown user name without a mention", "@nobody-here on 2024-07-01", "@nobody-here"},
		{"a plain name without @", "dana on 2024-07-01", "dana"},
		{"a month that does not exist", "@dana on 2024-13-45", "2024-13-45"},
		{"a day that does not exist", "@dana on 2023-02-29", "2023-02-29"},
		{"on followed by a word", "@dana on leave", "leave"},
		{"on followed by nothing", "@dana on", "on"},
		{"a time that does not exist", "@dana on 2024-07-01 25:00", "25:00"},
		{"a time without leading zero", "@dana on 2024-07-01 9:5", "9:5"},
		{"a date in another format", "@dana on 01/07/2024", "01/07/2024"},
		{"text over 1,000 characters", long, "1000"},
		{"a channel instead of a person", "#general on 2024-07-01", "#general"},
		{"@here", "@here on 2024-07-01", "@here"},
		{"@channel", "@channel", "@channel"},
		{"@everyone", "@everyone contract ended", "@everyone"},
		{"a user group", "@security on 2024-07-01", "@security"},
		{"a second person", "@dana @mona on 2024-07-01", "one person"},
		{"a second person in the reason", "@dana on 2024-07-01 with @mona", "one person"},
		{"a channel in the reason", "@dana contract ended see #general", "#general"},
		{"@here in the reason", "@dana ended @here", "@here"},
		{"cancel without a person", "cancel", "cancel"},
		{"cancel with a name only", "cancel dana", "dana"},
		{"status with two people", "status @dana @mona", "status"},
		{"link without accounts", "link @dana", "github:"},
		{"link with a bad login", "link @dana github:-bad-", "-bad-"},
		{"link with github twice", "link @dana github:a github:b", "github:"},
		{"an unknown subcommand", "frobnicate @dana", "frobnicate"},
		{"list with arguments", "list everything", "list"},
		{"a date in the reason without on", "@dana 2024-07-01 contract ended", "on"},
	}
	if len(cases) < 25 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(w.slack.Ephemerals(manager))
			w.slash(manager, "/offboard "+tc.typed)
			eps := w.slack.Ephemerals(manager)
			if len(eps) != before+1 {
				t.Fatalf("%d answers; want exactly one", len(eps)-before)
			}
			got := eps[len(eps)-1].AllText()
			if !strings.Contains(got, ":warning:") || !strings.Contains(got, "/offboard @user") && !strings.Contains(got, "/offboard ") {
				t.Errorf("answer = %q; want a warning and the right form", got)
			}
			if !strings.Contains(strings.ToLower(got), strings.ToLower(tc.want)) {
				t.Errorf("answer = %q; want it to mention %q", got, tc.want)
			}
		})
	}
	if n := len(w.cases()); n != 0 {
		t.Errorf("bad input created %d cases", n)
	}
	if n := len(w.slack.Messages(channel)); n != 0 {
		t.Errorf("bad input posted %d messages in the approvals channel", n)
	}
}

func TestABotOrADeletedUnknownPersonIsRefused(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slash(manager, "/offboard @deploybot on 2024-07-01")
	if got := w.lastEphemeral(manager); !strings.Contains(got, "is a bot") {
		t.Errorf("a bot: %q", got)
	}
	if _, err := w.slack.SlashWait(manager, channel, "<@U0GHOST|ghost> on 2024-07-01", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	w.settle()
	if got := w.lastEphemeral(manager); !strings.Contains(got, "cannot find") {
		t.Errorf("an unknown user ID: %q", got)
	}
	if n := len(w.cases()); n != 0 {
		t.Errorf("%d cases; want none", n)
	}
}

func TestAReasonCannotPingOrForgeALink(t *testing.T) {
	w := newWorld(t, worldOptions{})
	// Typed literally: Slack escapes it, the parser decodes it, the
	// renderer must escape it again.
	w.slash(manager, "/offboard @dana contract ended <!channel> <https://evil.example|click> & more")
	parents := w.topLevel("Offboarding #1")
	if len(parents) != 1 {
		t.Fatalf("%d parents", len(parents))
	}
	raw := parents[0].AllText()
	for _, bad := range []string{"<!channel>", "<https://evil.example|click>"} {
		if strings.Contains(raw, bad) {
			t.Errorf("the parent message carries %q unescaped: %s", bad, raw)
		}
	}
	if !strings.Contains(raw, "&lt;!channel&gt;") || !strings.Contains(raw, "&lt;https://evil.example|click&gt;") || !strings.Contains(raw, "&amp; more") {
		t.Errorf("the reason is not shown escaped: %s", raw)
	}
}
