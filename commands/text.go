package commands

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// usageText is the right form of any free-text field.
const usageText = "Plain text: letters, digits, punctuation, emoji, spaces and line breaks, without invisible formatting characters."

// CheckText checks a free-text field a person filled in outside a slash
// command (a Hold reason, a Mark done note, the request form's reason)
// and returns an *Error, or nil. It refuses invalid UTF-8, control
// characters other than tab and line breaks, and invisible format
// characters (Unicode category Cf: bidi overrides and isolates, zero-width
// characters, the byte-order mark, tags), which can make a text shown to
// an approver read differently from what it says. field names the field in
// the answer, as the person sees it ("Hold reason").
func CheckText(field, s string) error {
	if !utf8.ValidString(s) {
		return fail(usageText, "The %s is not valid UTF-8; type it again.", field)
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) {
			return fail(usageText, "The %s holds an invisible control character (U+%04X); type it again without it.", field, r)
		}
		if unicode.Is(unicode.Cf, r) {
			return invisible("The "+field, r, usageText)
		}
	}
	return nil
}

// firstInvisible finds the first invisible format character of a slash
// command's text, outside user mentions: the label of <@U123|name> is the
// person's profile name as Slack wrote it, not something the requester
// typed, and it is not kept.
func firstInvisible(s string) (rune, bool) {
	for i := 0; i < len(s); {
		if s[i] == '<' && i+1 < len(s) && s[i+1] == '@' {
			if j := entityEnd(s, i); j > 0 {
				i = j
				continue
			}
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.Is(unicode.Cf, r) {
			return r, true
		}
		i += n
	}
	return 0, false
}

// invisible is the refusal of an invisible format character, naming it.
func invisible(where string, r rune, usage string) *Error {
	name := fmt.Sprintf("U+%04X", r)
	if n, ok := formatNames[r]; ok {
		name += " " + n
	}
	return fail(usage, "%s holds an invisible formatting character, %s, which can make the text display differently from what it says. Type it again without it.", where, name)
}

// formatNames names the format characters most often used to disguise
// text; others are named by code point alone.
var formatNames = map[rune]string{
	0x00AD: "(soft hyphen)",
	0x061C: "(Arabic letter mark)",
	0x180E: "(Mongolian vowel separator)",
	0x200B: "(zero width space)",
	0x200C: "(zero width non-joiner)",
	0x200D: "(zero width joiner)",
	0x200E: "(left-to-right mark)",
	0x200F: "(right-to-left mark)",
	0x202A: "(left-to-right embedding)",
	0x202B: "(right-to-left embedding)",
	0x202C: "(pop directional formatting)",
	0x202D: "(left-to-right override)",
	0x202E: "(right-to-left override)",
	0x2060: "(word joiner)",
	0x2066: "(left-to-right isolate)",
	0x2067: "(right-to-left isolate)",
	0x2068: "(first strong isolate)",
	0x2069: "(pop directional isolate)",
	0xFEFF: "(zero width no-break space, byte order mark)",
}
