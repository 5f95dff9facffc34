package commands

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestInvisibleFormatCharactersAreRefusedNamingTheCodePoint(t *testing.T) {
	env := testEnv(t)
	cases := []struct {
		name, text, wantCode, wantUsage string
	}{
		{"a right-to-left override in a reason", "<@U1> contract ended \u202edesrever", "U+202E (right-to-left override)", usageRequest},
		{"an isolate in a dated reason", "<@U1> on 2024-07-01 \u2066ok\u2069", "U+2066", usageWhen},
		{"a zero width space inside a date", "<@U1> on 2024-07-01\u200b", "U+200B (zero width space)", usageRequest},
		{"a byte order mark at the start", "\ufeff<@U1> leaving", "U+FEFF", usageRequest},
		{"an Arabic letter mark", "<@U1> \u061cbye", "U+061C (Arabic letter mark)", usageRequest},
		{"a left-to-right mark in a link command", "link <@U1> github:dana\u200e", "U+200E", usageLink},
		{"a tag character in cancel", "cancel <@U1>\U000E0041", "U+E0041", usageCancel},
		{"a mark inside a link label that would become the reason", "<@U1> see <https://x.example|\u202bnotes>", "U+202B", usageRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.text, env)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse = %#v, %v; want a refusal", c, err)
			}
			if !strings.Contains(e.Problem, tc.wantCode) || !strings.Contains(e.Problem, "invisible") || !strings.Contains(e.Usage, tc.wantUsage) {
				t.Errorf("refusal = %q / %q; want it to name %s and show %q", e.Problem, e.Usage, tc.wantCode, tc.wantUsage)
			}
			if strings.ContainsAny(e.Problem+e.Usage, "&<>") {
				t.Errorf("refusal holds markup: %q", e.Problem)
			}
		})
	}
	// A profile name with such characters is Slack's, not the requester's.
	if c, err := Parse("<@U1|\u202edana> contract ended", env); err != nil {
		t.Errorf("a mention label with a bidi control: %v; want it accepted (the label is not kept)", err)
	} else if r := c.(Request); r.Reason != "contract ended" {
		t.Errorf("reason = %q", r.Reason)
	}
	// Visible text of any script, emoji and ordinary punctuation pass.
	if _, err := Parse("<@U1> Vertrag endet — عقد ينتهي — 契約終了 🎉", env); err != nil {
		t.Errorf("visible multilingual text refused: %v", err)
	}
}

func TestCheckTextGuardsFormFields(t *testing.T) {
	cases := []struct {
		name, text string
		ok         bool
		want       string
	}{
		{"plain text with line breaks and a tab", "Waiting for legal.\nBack on Monday\tthanks", true, ""},
		{"emoji and other scripts", "Laptop collected ✅ — ноутбук получен", true, ""},
		{"a right-to-left override", "done \u202e", false, "U+202E"},
		{"a pop directional isolate", "x\u2069", false, "U+2069"},
		{"a zero width joiner", "a\u200db", false, "U+200D"},
		{"a byte order mark", "\ufeffnote", false, "U+FEFF"},
		{"a soft hyphen", "re\u00advoke", false, "U+00AD"},
		{"a control character", "bell\a", false, "U+0007"},
		{"invalid UTF-8", "bad \xff", false, "UTF-8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckText("Hold reason", tc.text)
			if tc.ok {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Problem, tc.want) || !strings.Contains(e.Problem, "Hold reason") || e.Usage == "" {
				t.Errorf("CheckText = %v; want an *Error naming the field and %s", err, tc.want)
			}
		})
	}
}

// FuzzCheckText checks CheckText against its rule written again: refused
// exactly when the text is not UTF-8, or holds a control character other
// than tab and line breaks, or a character of category Cf; a refusal has a
// Problem without markup and a Usage.
func FuzzCheckText(f *testing.F) {
	for _, s := range []string{"", "ok", "a\u202eb", "\u2066x\u2069", "\u200b", "\ufeff", "line\nbreak", "\x00", "\xff", "👨\u200d👩", "\U000E0001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckText("note", s)
		bad := !utf8.ValidString(s)
		for _, r := range s {
			if unicode.In(r, unicode.Cf) || (unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r') {
				bad = true
			}
		}
		if bad != (err != nil) {
			t.Fatalf("CheckText(%q) = %v; want refused=%v", s, err, bad)
		}
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.Usage == "" || strings.ContainsAny(e.Problem, "&<>")) {
			t.Fatalf("CheckText(%q) refusal breaks the contract: %#v", s, err)
		}
	})
}
