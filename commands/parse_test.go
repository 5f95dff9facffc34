package commands

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseReadsEveryForm(t *testing.T) {
	env := testEnv(t)
	cases := []struct {
		name string
		text string
		want Command
	}{
		{"an empty text opens the modal", "", OpenModal{}},
		{"a text of only spaces, tabs and newlines opens the modal", "  \t\n \u00a0", OpenModal{}},
		{"help gives the help", "help", Help{}},
		{"help ignores what follows it", "HELP me with <@U1|dana> <!here>", Help{}},
		{"status alone asks about my cases", "status", Status{}},
		{"status with a mention asks about that person", "status <@U1ABC|dana>", Status{Target: "U1ABC"}},
		{"status accepts an Enterprise Grid W id without a name", "Status  <@W0ABC123>", Status{Target: "W0ABC123"}},
		{"list is a keyword in any case", " LiSt ", List{}},
		{"scan is a keyword", "scan", Scan{}},
		{"cancel names one person", "cancel <@U1|dana>", Cancel{Target: "U1"}},
		{"cancel tolerates newlines between words", "cancel\n\t<@U1>", Cancel{Target: "U1"}},
		{"link with a GitHub login", "link <@U1|dana> github:dana-gh", Link{Target: "U1", GitHub: "dana-gh"}},
		{"link with an AWS user in the default account", "link <@U1> aws:dana", Link{Target: "U1", AWSUser: "dana"}},
		{"link with an AWS user in a named account and GitHub", "link <@U1> aws:dana@prod GitHub:d", Link{Target: "U1", GitHub: "d", AWSUser: "dana", AWSAccount: "prod"}},
		{"link with a twelve-digit account", "link <@U1> aws:dana@123456789012", Link{Target: "U1", AWSUser: "dana", AWSAccount: "123456789012"}},
		{"link keeps an e-mail-like IAM name whole", "link <@U1> aws:dana@acme.com", Link{Target: "U1", AWSUser: "dana@acme.com"}},
		{"link splits at the last @ only", "link <@U1> aws:ops@acme.com@staging", Link{Target: "U1", AWSUser: "ops@acme.com", AWSAccount: "staging"}},
		{"link keeps a short digit suffix as part of the name", "link <@U1> aws:x@12345", Link{Target: "U1", AWSUser: "x@12345"}},
		{"link reads an IAM name Slack turned into a mailto link", "link <@U1> AWS:<mailto:dana@acme.com|dana@acme.com>@prod", Link{Target: "U1", AWSUser: "dana@acme.com", AWSAccount: "prod"}},
		{"link accepts a 39-character login", "link <@U1> github:" + strings.Repeat("a", 39), Link{Target: "U1", GitHub: strings.Repeat("a", 39)}},
		{"link accepts single hyphens inside a login", "link <@U1> github:a-b-c", Link{Target: "U1", GitHub: "a-b-c"}},
		{"a request is a mention and nothing else", "<@U1|dana>", Request{Target: "U1", At: env.Now, Due: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.text, env)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.text, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Parse(%q) = %#v, want %#v", tc.text, got, tc.want)
			}
		})
	}
}

func TestUsageListsEveryFormWithAnExample(t *testing.T) {
	u := Usage()
	for _, want := range []string{"/offboard @user", "on YYYY-MM-DD", "e.g. `/offboard @dana on 2024-07-01", "`/offboard`", "status", "list", "cancel @user", "scan", "link @user", "github:login", "aws:user[@account]", "help", "today", "tomorrow", "now"} {
		if !strings.Contains(u, want) {
			t.Errorf("Usage() lacks %q:\n%s", want, u)
		}
	}
	if strings.ContainsAny(u, "&<>") {
		t.Errorf("Usage() holds &, < or >, which Slack would read as markup:\n%s", u)
	}
}
