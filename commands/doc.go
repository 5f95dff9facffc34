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
// Usage shows the right form. Neither contains "&", "<" or ">", so both are
// safe to send as mrkdwn whether or not the caller escapes them again.
package commands
