package bot

import (
	"context"
	"fmt"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// replyTo says where to answer the person who asked: a slash command's
// response_url, or an ephemeral message in a channel.
type replyTo struct {
	ResponseURL string
	Channel     string
	User        string
}

// refusalKind reads back the kind a denied or refused event recorded.
func refusalKind(words string) flows.RefusalKind {
	for k := flows.NotRequester; k <= flows.ConnectorOff; k++ {
		if k.String() == words {
			return k
		}
	}
	return 0
}

// refusalWords says why flows refused a click on a row, for the clicker
// and the thread.
func refusalWords(k flows.RefusalKind, verb string) string {
	switch k {
	case flows.IsTarget:
		return "you are the person being offboarded in this case, so you cannot act on it"
	case flows.NotApprover:
		return "only approvers can " + verb + " actions"
	case flows.TwoPerson:
		return "you requested this offboarding; another approver must approve it (two-person rule)"
	case flows.AlreadyApproved:
		return "you have already approved this action; it needs another approver"
	case flows.UnknownAction:
		return "that action does not belong to this case; nothing was done"
	case flows.AlreadyDecided:
		return "that action is no longer waiting for that (it was decided or the case is closed); nothing was done"
	case flows.ReasonRequired:
		return "a reason is required to hold an action"
	case flows.NoteRequired:
		return "a note is required to mark an action done"
	}
	return k.String()
}

// refusalText is the whole answer to a refused request.
func refusalText(r *flows.Refusal) string {
	who := func(what string) string {
		switch r.Kind {
		case flows.NotApprover:
			return "Only approvers may " + what + "."
		case flows.IsTarget:
			return "You cannot " + what + " yourself."
		}
		return ""
	}
	switch r.Verb {
	case "request":
		if r.Kind == flows.NotRequester {
			return "Only requesters may ask for an offboarding. Ask someone in the requesters group, or an admin to add you."
		}
	case "cancel":
		switch r.Kind {
		case flows.IsTarget:
			return "You cannot cancel your own offboarding."
		case flows.NotYours:
			return "Only the requester of this offboarding or an approver may cancel it."
		case flows.NoCase:
			if r.Case.ID != 0 {
				return "That offboarding has just finished or been cancelled; nothing to cancel."
			}
			return fmt.Sprintf("There is no scheduled or open offboarding for %s; nothing to cancel.", mention(r.Detail))
		}
	case "scan":
		if w := who("start a dormancy scan"); w != "" {
			return w
		}
	case "start offboarding":
		if r.Kind == flows.IsTarget {
			return "You cannot start your own offboarding."
		}
		if w := who("start an offboarding from the dormancy report"); w != "" {
			return w
		}
	case "snooze":
		if r.Kind == flows.IsTarget {
			return "You cannot snooze your own dormant account."
		}
		if w := who("snooze dormant accounts"); w != "" {
			return w
		}
	case "link":
		if r.Kind == flows.IsTarget {
			return "You cannot link accounts to yourself."
		}
		if w := who("link accounts"); w != "" {
			return w
		}
	case "confirm the link":
		switch r.Kind {
		case flows.TwoPerson:
			return ":no_entry: You asked for this move; another approver must confirm it."
		case flows.IsTarget:
			return ":no_entry: The account moves to or from you, so you cannot confirm it."
		case flows.AlreadyActedOn:
			return "That move was already confirmed."
		case flows.NotApprover:
			return "Only approvers may confirm a move of a link."
		}
	}
	switch r.Kind {
	case flows.ScanRunning:
		return "A dormancy scan is already running; its report will be posted when it ends."
	case flows.AlreadyActedOn:
		return "Someone already acted on that row of the report; nothing was done."
	case flows.UnknownAction:
		if r.Verb == "snooze" || r.Verb == "start offboarding" {
			return "That report row does not exist; nothing was done."
		}
	case flows.ConnectorOff:
		if r.Detail == string(connectors.IdentityCenter) {
			return "The Identity Center connector is off, so there is nothing to link an Identity Center user to."
		}
		return "The AWS connector is off, so there is nothing to link an IAM user to."
	case flows.UnknownAWSAccount:
		return fmt.Sprintf("No AWS account %q is configured; nothing was linked.", r.Detail)
	case flows.ChecklistChanged:
		return ":no_entry: The checklist changed since it was shown: review the new rows. Nothing was approved."
	case flows.ReasonRequired:
		return "A reason is required to hold an action."
	case flows.NoteRequired:
		return "A note is required to mark an action done."
	}
	return ":no_entry: " + refusalWords(r.Kind, r.Verb)
}

// answer tells the person who asked what came of it when flows refused;
// a refusal is an answer, not a failure, so it returns nil. Other errors
// are returned to be retried.
func (b *Bot) answer(ctx context.Context, to replyTo, err error) error {
	r, ok := flows.Refused(err)
	if !ok {
		return err
	}
	if r.Kind == flows.Duplicate {
		return b.tell(ctx, to, b.render.duplicateText(ctx, b.db.Reader(), r.Case))
	}
	return b.tell(ctx, to, refusalText(r))
}

// tell answers the person privately, through the outbox.
func (b *Bot) tell(ctx context.Context, to replyTo, text string) error {
	out := newBatch(b.db.Reader(), b.now())
	if err := b.render.reply(ctx, out, to, text); err != nil {
		return err
	}
	return b.db.Write(ctx, func(tx *storage.Tx) error { return out.flush(ctx, tx) })
}
