// Package commands turns the text of an /offboard slash command into a typed
// command, and dates typed by a person into instants.
//
// It is pure: no I/O, no Slack client, no clock reads. The text comes in
// exactly as Slack delivers it with should_escape on (mentions as
// <@U123|name>, "&", "<" and ">" as entities), and the current instant,
// time zone and execute_at time come in through Env. The package must not
// know about storage, Slack messages or the offboarding lifecycle; the bot
// decides who may run a command and what it does.
//
// Every refusal is an *Error whose Problem says what was wrong and whose
// Usage shows the right form. Neither contains "&", "<" or ">" (quoted
// input has lookalikes instead), so both are safe to send as mrkdwn
// whether or not the caller escapes them again.
//
// Where the product's contract is silent, the grammar is strict rather than clever:
//   - Keywords (help, status, on, today, at, github: …) ignore ASCII case
//     only. Words are separated by any Unicode space, so the no-break space
//     some clients put after a picked mention works.
//   - "on <date> at HH:MM" is accepted as well as "on <date> HH:MM"; "at"
//     followed by anything that does not look like a time starts the
//     reason. A word after the date that looks like a time but is malformed
//     ("9:5", "2pm", "25:00", "1430") is an error, never the start of the
//     reason.
//   - A date or time without "on" at the start of the reason, and "on
//     <date>" later in the reason of an undated request, are errors: such a
//     request would start now, which its author did not mean.
//   - Years outside 2000–2999 are refused as typos. Any past date is
//     accepted and reported as overdue.
//   - A wall time in a DST gap is an error that says where the clocks
//     jump; one that occurs twice (autumn) is the first occurrence, the
//     earlier instant. FormatInstant then adds the zone abbreviation.
//   - The reason names no one: another (or the same) user mention, a
//     channel, @here/@channel/@everyone, a user group, or a plain "@name"
//     Slack could not resolve is an error. Links are kept as their text.
//     The reason is returned decoded (plain text); the renderer escapes it.
//   - The 1,000-character limit counts runes of the trimmed text with
//     &amp;, &lt; and &gt; counted as one. Invalid UTF-8 and control
//     characters other than spaces are refused, and so are invisible
//     format characters (category Cf: bidi controls, zero-width
//     characters, the BOM) outside user mentions, naming the code point.
//     CheckText applies the same rule to the bot's form fields.
//   - cancel, list and scan take nothing more; status takes at most one
//     person; help ignores what follows it.
package commands
