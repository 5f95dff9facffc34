package commands

import "strings"

// The right form of each command, shown under a Problem. They are mrkdwn
// and, like Problems, hold no "&", "<" or ">".
const (
	usageRequest = "`/offboard @user [on YYYY-MM-DD [HH:MM]] [reason…]`, e.g. `/offboard @dana on 2024-07-01 contract ended`"
	usageWhen    = "Dates after `on`: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` (24-hour), `today`, `tomorrow` (each may take `HH:MM`), or `now`. A date without a time means the configured time of day."
	usageModal   = "`/offboard` with nothing after it opens a form"
	usageHelp    = "`/offboard help`"
	usageStatus  = "`/offboard status [@user]`, e.g. `/offboard status @dana`"
	usageList    = "`/offboard list`"
	usageCancel  = "`/offboard cancel @user`, e.g. `/offboard cancel @dana`"
	usageScan    = "`/offboard scan`"
	usageLink    = "`/offboard link @user [github:login] [aws:user[@account]] [idc:user]`, e.g. `/offboard link @dana github:dana-gh aws:dana@123456789012`"
)

// usageDated is the request form with the date forms under it.
const usageDated = usageRequest + "\n" + usageWhen

// usageAll lists every form, for a text whose first word is no command.
const usageAll = usageRequest + "\n" + usageModal + "\n" + usageHelp + "\n" + usageStatus + "\n" +
	usageList + "\n" + usageCancel + "\n" + usageScan + "\n" + usageLink

// Usage is the help text for /offboard help: every form with an example,
// in mrkdwn.
func Usage() string {
	return strings.Join([]string{
		"*/offboard* takes a departing person's access away, one approved step at a time.",
		"• " + usageRequest + ": ask to offboard someone. Without `on` it starts now; a past date starts now and is marked overdue.",
		"• " + usageWhen,
		"• " + usageModal + ".",
		"• " + usageStatus + ": where a case stands; without a person, your own requests.",
		"• " + usageList + ": open and scheduled cases.",
		"• " + usageCancel + ": cancel a scheduled or open case.",
		"• " + usageScan + ": look for dormant accounts now (approvers).",
		"• " + usageLink + ": link accounts to a person by hand (approvers).",
		"• " + usageHelp + ": this text.",
	}, "\n")
}
