package commands

import (
	"strings"
	"testing"
)

func TestParseRefusesBadInput(t *testing.T) {
	env := testEnv(t)
	const (
		request = "/offboard @user [on YYYY-MM-DD"
		dates   = "Dates after `on`"
		link    = "/offboard link @user"
		cancel  = "/offboard cancel @user"
		status  = "/offboard status [@user]"
	)
	cases := []struct {
		name    string
		text    string
		problem string // part of the Problem
		usage   string // part of the Usage
	}{
		{"a bare name is neither a command nor a mention", "dana on 2024-07-01", "“dana” is not a command or a mention", "/offboard scan"},
		{"a name Slack could not resolve is refused", "@dana on 2024-07-01", "Slack did not recognise “@dana”", request},
		{"a month that does not exist is refused", "<@U1> on 2024-13-45", "there is no month 13", dates},
		{"a day that does not exist is refused", "<@U1> on 2024-04-31", "April 2024 has 30 days", dates},
		{"29 February outside a leap year is refused", "<@U1> on 2023-02-29", "February 2023 has 28 days", dates},
		{"on followed by words is refused", "<@U1> on next week", "“next” is not a date", dates},
		{"on at the end is refused", "<@U1> on", "“on” needs a date", dates},
		{"an hour past 23 is refused", "<@U1> on 2024-07-01 25:00", "“25:00” is not a time of day", dates},
		{"a time without leading zeros is answered with the right spelling", "<@U1> on 2024-07-01 9:5", "write 09:05", dates},
		{"a twelve-hour time is refused", "<@U1> on tomorrow 2pm", "“2pm” is not a time", dates},
		{"four bare digits after a date are answered with the right spelling", "<@U1> on 2024-07-01 1430 contract ended", "write 14:30", dates},
		{"a bad time after at is refused", "<@U1> on 2024-07-01 at 24:00", "“24:00” is not a time", dates},
		{"slashes in a date are refused", "<@U1> on 2024/07/01", "write it as YYYY-MM-DD", dates},
		{"a date without leading zeros is answered with the right spelling", "<@U1> on 2024-7-1", "write 2024-07-01", dates},
		{"an implausible year is refused", "<@U1> on 1924-07-01", "not a plausible year", dates},
		{"now with a time is refused", "<@U1> on now 14:00", "“now” takes no time", dates},
		{"a date without on is refused", "<@U1> 2024-07-01 contract ended", "Put “on” before the date: “on 2024-07-01”", dates},
		{"tomorrow without on is refused", "<@U1> tomorrow", "Put “on” before the date", dates},
		{"a time without a date is refused", "<@U1> 14:30", "A time needs a date", dates},
		{"a date hidden in an undated reason is refused", "<@U1> contract ends on 2024-07-01", "would start now", dates},
		{"a local time in the spring DST gap is refused", "<@U1> on 2024-03-31 02:30", "clocks jump from 02:00 to 03:00", dates},
		{"text over 1,000 characters is refused", "<@U1> " + strings.Repeat("x", 995), "1001 characters long; the limit is 1000", request},
		{"a channel instead of a person is refused", "<#C123|general> on 2024-07-01", "“#general” is a channel", request},
		{"@here instead of a person is refused", "<!here>", "“@here” would notify many people", request},
		{"@channel with a label is refused", "<!channel|channel> bye", "“@channel” would notify", request},
		{"a user group instead of a person is refused", "<!subteam^S123|@team>", "“@team” is a user group", request},
		{"a mention that is not a user ID is refused", "<@dana>", "“@dana” is not a Slack user", request},
		{"a bot-style B id is not a user", "<@B123|bot>", "“@bot” is not a Slack user", request},
		{"a link instead of a person is refused", "<https://example.com> on today", "is a link, not a person", request},
		{"text glued to the mention is refused", "<@U1|dana>x", "Put a space after the mention", request},
		{"a second person in the reason is refused", "<@U1> handover to <@U2|bob>", "mentions “@bob” too", request},
		{"the same person again in the reason is refused", "<@U1|dana> <@U1|dana> again", "mentions “@dana” again", request},
		{"@here in the reason is refused", "<@U1> leaving <!here>", "In the reason: “@here” would notify", request},
		{"a channel in the reason is refused", "<@U1> see <#C1|ops>", "In the reason: “#ops” is a channel", request},
		{"a user group in the reason is refused", "<@U1> ask <!subteam^S1|@security>", "“@security” is a user group", request},
		{"a name Slack could not resolve in the reason is refused", "<@U1> handover to (@bob)", "names “@bob”, which Slack did not turn into a mention", request},
		{"a plain @channel in the reason is refused", "<@U1> ping @Channel!", "“@Channel”, which would notify", request},
		{"invalid UTF-8 is refused", "<@U1> \xff", "not valid UTF-8", "/offboard"},
		{"a control character is refused", "<@U1> a\x00b", "control character (U+0000)", "/offboard"},
		{"link without anything is refused", "link", "needs a person", link},
		{"link without targets is refused", "link <@U1|dana>", "Say which accounts to link", link},
		{"link with an unresolved name is refused", "link @dana github:dana", "Slack did not recognise “@dana”", link},
		{"a login starting with a hyphen is refused", "link <@U1> github:-dana", "“-dana” is not a GitHub login", link},
		{"a login ending with a hyphen is refused", "link <@U1> github:dana-", "“dana-” is not a GitHub login", link},
		{"a login with two hyphens in a row is refused", "link <@U1> github:da--na", "“da--na” is not a GitHub login", link},
		{"a login of 40 characters is refused", "link <@U1> github:" + strings.Repeat("a", 40), "is not a GitHub login", link},
		{"a login with an underscore is refused", "link <@U1> github:dana_gh", "is not a GitHub login", link},
		{"a duplicated github: is refused", "link <@U1> github:dana github:other", "“github:” is given twice", link},
		{"a duplicated aws: is refused", "link <@U1> aws:a aws:b@prod", "“aws:” is given twice", link},
		{"an empty github: is refused", "link <@U1> github:", "“github:” needs a name", link},
		{"an IAM name with a slash is refused", "link <@U1> aws:a/b", "“a/b” is not an IAM user name", link},
		{"an IAM name of 65 characters is refused", "link <@U1> aws:" + strings.Repeat("a", 65), "is not an IAM user name", link},
		{"an account with no user before it is refused", "link <@U1> aws:@prod", "names no user before the @", link},
		{"a word that is no account is refused", "link <@U1> aws:dana smith", "“smith” is not an account", link},
		{"a mention as an account is refused", "link <@U1> github:<@U2|bob>", "“@bob” is not an account name", link},
		{"cancel without a person is refused", "cancel", "needs the person", cancel},
		{"cancel of an unresolved name is refused", "cancel @dana", "Slack did not recognise", cancel},
		{"cancel with extra words is refused", "cancel <@U1> please", "remove “please”", cancel},
		{"status of two people is refused", "status <@U1> <@U2>", "at most one person", status},
		{"status of a channel is refused", "status <#C1|ops>", "is a channel", status},
		{"list with an argument is refused", "list all", "“list” takes nothing after it; remove “all”", "/offboard list"},
		{"scan with an argument is refused", "scan now", "“scan” takes nothing", "/offboard scan"},
		{"a problem quoting markup shows it inert", "&lt;!here&gt;", "“‹!here›” is not a mention", request},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.text, env)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want an error", tc.text, c)
			}
			e := asError(t, err)
			if !strings.Contains(e.Problem, tc.problem) {
				t.Errorf("Problem = %q, want it to contain %q", e.Problem, tc.problem)
			}
			if !strings.Contains(e.Usage, tc.usage) {
				t.Errorf("Usage = %q, want it to contain %q", e.Usage, tc.usage)
			}
		})
	}
}
