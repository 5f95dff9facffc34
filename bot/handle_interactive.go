package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/flows"
)

// onInteraction handles button clicks and form submissions.
func (b *Bot) onInteraction(ctx context.Context, cb slack.InteractionCallback, _ time.Time) error {
	actor, err := b.roles.Actor(ctx, cb.User.ID)
	reply := replyTo{Channel: cb.Channel.ID, User: cb.User.ID}
	if cb.Channel.ID == "" {
		reply.Channel = cb.Container.ChannelID
	}
	if err != nil {
		b.log.Warn().Err(err).Str("user", cb.User.ID).Msg("could not resolve roles")
		return b.tell(ctx, reply, ":warning: I could not check your permissions with Slack just now, so nothing was done. Please try again in a minute.")
	}
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		return b.onViewSubmission(ctx, actor, cb)
	case slack.InteractionTypeBlockActions:
		for _, a := range cb.ActionCallback.BlockActions {
			if err := b.onClick(ctx, actor, cb, a, reply); err != nil {
				return err
			}
		}
	}
	return nil
}

// ref is what a button's value names: a case and action, or a finding.
type ref struct {
	caseID, actionID, findingID int64
	// rows is how many rows the clicked checklist showed (Approve all).
	rows int64
	// linkID names a move of a link waiting for confirmation.
	linkID int64
}

// parseRef reads "c12:a45", "c12:v8" or "f7". The value is only a pointer:
// flows checks it against the database.
func parseRef(v string) (ref, bool) {
	var r ref
	for _, part := range strings.Split(v, ":") {
		if len(part) < 2 || strings.Trim(part[1:], "0123456789") != "" {
			return r, false
		}
		n, err := strconv.ParseInt(part[1:], 10, 64)
		if err != nil || n <= 0 {
			return r, false
		}
		switch part[0] {
		case 'c':
			r.caseID = n
		case 'a':
			r.actionID = n
		case 'f':
			r.findingID = n
		case 'v':
			r.rows = n
		case 'l':
			r.linkID = n
		default:
			return r, false
		}
	}
	return r, true
}

// onClick handles one button.
func (b *Bot) onClick(ctx context.Context, actor flows.Actor, cb slack.InteractionCallback, a *slack.BlockAction, reply replyTo) error {
	r, ok := parseRef(a.Value)
	if !ok {
		b.log.Warn().Str("action_id", a.ActionID).Msg("click with an unreadable value ignored")
		return b.tell(ctx, reply, ":warning: That button is not one I know; nothing was done.")
	}
	switch a.ActionID {
	case actApprove:
		return b.answer(ctx, reply, b.flows.Approve(ctx, actor, r.caseID, r.actionID))
	case actApproveAll:
		return b.answer(ctx, reply, b.flows.ApproveAll(ctx, actor, r.caseID, int(r.rows)))
	case actRetry:
		return b.answer(ctx, reply, b.flows.Retry(ctx, actor, r.caseID, r.actionID))
	case actHold, actMarkDone:
		verb := flows.VerbHold
		callback := viewHold
		if a.ActionID == actMarkDone {
			verb, callback = flows.VerbMarkDone, viewMarkDone
		}
		act, err := b.flows.Authorize(ctx, actor, r.caseID, r.actionID, verb)
		if err != nil {
			return b.answer(ctx, reply, err)
		}
		title := fmt.Sprintf("*%s*", describe(decodeGrant(act), b.now()))
		return b.openReasonModal(ctx, cb.TriggerID, callback, viewMeta{Channel: reply.Channel, Case: r.caseID, Action: r.actionID}, title, reply)
	case actApproveLink:
		return b.answer(ctx, reply, b.flows.ConfirmLink(ctx, actor, r.linkID))
	case actStart:
		return b.answer(ctx, reply, b.flows.StartFromDormant(ctx, actor, r.findingID))
	case actSnooze:
		return b.answer(ctx, reply, b.flows.Snooze(ctx, actor, r.findingID))
	}
	return nil
}
