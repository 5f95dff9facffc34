package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/commands"
	"github.com/offboard/offboard/flows"
)

// Modal callback IDs.
const (
	viewRequest  = "offboard_request"
	viewHold     = "offboard_hold"
	viewMarkDone = "offboard_mark_done"
)

// viewMeta is carried in a modal's private_metadata: what the modal is
// about and where to answer.
type viewMeta struct {
	ResponseURL string `json:"response_url,omitempty"`
	Channel     string `json:"channel,omitempty"`
	Case        int64  `json:"case,omitempty"`
	Action      int64  `json:"action,omitempty"`
}

func (m viewMeta) encode() string { b, _ := json.Marshal(m); return string(b) }

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func input(blockID, label string, el slack.BlockElement, optional bool, hint string) *slack.InputBlock {
	b := slack.NewInputBlock(blockID, plain(label), nil, el)
	b.Optional = optional
	if hint != "" {
		b.Hint = plain(hint)
	}
	return b
}

// openRequestModal answers /offboard with no argument with the request form.
func (b *Bot) openRequestModal(ctx context.Context, actor flows.Actor, cmd slack.SlashCommand, reply replyTo) error {
	if !actor.Requester {
		return b.answer(ctx, reply, b.flows.RefuseRequest(ctx, actor))
	}
	fc := b.flows.Config()
	reason := slack.NewPlainTextInputBlockElement(plain("contract ended"), "reason")
	reason.Multiline = true
	reason.MaxLength = 1000
	view := slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: viewRequest,
		Title: plain("Offboard someone"), Submit: plain("Request"), Close: plain("Cancel"),
		PrivateMetadata: viewMeta{ResponseURL: cmd.ResponseURL, Channel: cmd.ChannelID}.encode(),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			input("target", "Person to offboard", slack.NewOptionsSelectBlockElement(slack.OptTypeUser, plain("Choose a person"), "user"), false, ""),
			input("date", "Effective date", slack.NewDatePickerBlockElement("date"), true, "Leave empty to start now. A date in the past starts now, marked overdue."),
			input("time", "Time of day", slack.NewTimePickerBlockElement("time"), true,
				fmt.Sprintf("Default %s, in %s.", fc.ExecuteAt, fc.Location())),
			input("reason", "Reason", reason, true, "Shown to approvers and kept in the audit log."),
		}},
	}
	if _, err := b.api.OpenViewContext(ctx, cmd.TriggerID, view); err != nil {
		return b.viewOpenFailed(ctx, err, reply, "Type `/offboard @user on YYYY-MM-DD reason` instead, or `/offboard` again for the form.")
	}
	return nil
}

// viewOpenFailed tells the person a form could not be opened (usually
// because its trigger expired after a delay or restart).
func (b *Bot) viewOpenFailed(ctx context.Context, err error, reply replyTo, instead string) error {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && (se.Err == "expired_trigger_id" || se.Err == "invalid_trigger_id" || se.Err == "exchanged_trigger_id") {
		return b.tell(ctx, reply, ":hourglass: The form could not be opened in time. "+instead)
	}
	return err
}

// openReasonModal asks for a Hold's reason and until-date, or a Mark done note.
func (b *Bot) openReasonModal(ctx context.Context, trigger, callback string, meta viewMeta, title string, reply replyTo) error {
	note := slack.NewPlainTextInputBlockElement(nil, "text")
	note.Multiline = true
	note.MaxLength = 1000
	var blocks []slack.Block
	submit := "Hold"
	if callback == viewHold {
		blocks = []slack.Block{
			section("", clip(title, 2900)),
			input("reason", "Why hold it?", note, false, "Required. Shown in the thread and the audit log."),
			input("until", "Hold until", slack.NewDatePickerBlockElement("date"), true, "Optional. On that date the action comes back for a decision."),
			input("until_time", "Time", slack.NewTimePickerBlockElement("time"), true, ""),
		}
	} else {
		submit = "Mark done"
		blocks = []slack.Block{
			section("", clip(title, 2900)),
			input("note", "What was done, by whom?", note, false, "Required. Kept in the thread and the audit log."),
		}
	}
	view := slack.ModalViewRequest{
		Type: slack.VTModal, CallbackID: callback, Title: plain(map[string]string{viewHold: "Hold action", viewMarkDone: "Mark done"}[callback]),
		Submit: plain(submit), Close: plain("Cancel"), PrivateMetadata: meta.encode(), Blocks: slack.Blocks{BlockSet: blocks},
	}
	if _, err := b.api.OpenViewContext(ctx, trigger, view); err != nil {
		return b.viewOpenFailed(ctx, err, reply, "Click the button again.")
	}
	return nil
}

func value(cb slack.InteractionCallback, block, action string) slack.BlockAction {
	if cb.View.State == nil {
		return slack.BlockAction{}
	}
	if v, ok := cb.View.State.Values[block][action]; ok {
		return v
	}
	return slack.BlockAction{}
}

// validateView checks a submitted form before it is acknowledged; it
// returns Slack's "errors" response, or nil when the form is fine.
func (b *Bot) validateView(cb slack.InteractionCallback) *slack.ViewSubmissionResponse {
	errs := map[string]string{}
	switch cb.View.CallbackID {
	case viewRequest:
		if value(cb, "target", "user").SelectedUser == "" {
			errs["target"] = "Choose the person to offboard."
		}
		date, clock := value(cb, "date", "date").SelectedDate, value(cb, "time", "time").SelectedTime
		if date == "" && clock != "" {
			errs["date"] = "Choose a date for that time, or clear the time to start now."
		} else if date != "" {
			if _, _, err := commands.ParseDateTime(date, clock, b.commandEnv()); err != nil {
				errs["date"] = formError(err)
			}
		}
		if utf8.RuneCountInString(value(cb, "reason", "reason").Value) > 1000 {
			errs["reason"] = "Keep the reason under 1,000 characters."
		} else if err := commands.CheckText("reason", value(cb, "reason", "reason").Value); err != nil {
			errs["reason"] = formError(err)
		}
	case viewHold:
		if strings.TrimSpace(value(cb, "reason", "text").Value) == "" {
			errs["reason"] = "A reason is required to hold an action."
		} else if err := commands.CheckText("Hold reason", value(cb, "reason", "text").Value); err != nil {
			errs["reason"] = formError(err)
		}
		date, clock := value(cb, "until", "date").SelectedDate, value(cb, "until_time", "time").SelectedTime
		if date == "" && clock != "" {
			errs["until"] = "Choose a date for that time, or clear the time."
		} else if date != "" {
			at, past, err := commands.ParseDateTime(date, clock, b.commandEnv())
			switch {
			case err != nil:
				errs["until"] = formError(err)
			case past || !at.After(b.now()):
				errs["until"] = "The hold-until date must be in the future."
			}
		}
	case viewMarkDone:
		if strings.TrimSpace(value(cb, "note", "text").Value) == "" {
			errs["note"] = "A note is required: say what was done by hand."
		} else if err := commands.CheckText("Mark done note", value(cb, "note", "text").Value); err != nil {
			errs["note"] = formError(err)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return slack.NewErrorsViewSubmissionResponse(errs)
}

func formError(err error) string {
	var perr *commands.Error
	if errors.As(err, &perr) {
		return clip(perr.Problem, 150)
	}
	return "That date is not valid."
}

// onViewSubmission handles a form that passed validation.
func (b *Bot) onViewSubmission(ctx context.Context, actor flows.Actor, cb slack.InteractionCallback) error {
	var meta viewMeta
	_ = json.Unmarshal([]byte(cb.View.PrivateMetadata), &meta)
	reply := replyTo{ResponseURL: meta.ResponseURL, Channel: meta.Channel, User: cb.User.ID}
	switch cb.View.CallbackID {
	case viewRequest:
		var req commands.Request
		req.Target = value(cb, "target", "user").SelectedUser
		req.Reason = strings.TrimSpace(value(cb, "reason", "reason").Value)
		if date := value(cb, "date", "date").SelectedDate; date != "" {
			at, overdue, err := commands.ParseDateTime(date, value(cb, "time", "time").SelectedTime, b.commandEnv())
			if err != nil {
				return b.tell(ctx, reply, ":warning: "+formError(err))
			}
			req.At, req.Overdue, req.DateGiven = at, overdue, true
		}
		return b.request(ctx, actor, req, reply)
	case viewHold:
		var until = value(cb, "until", "date").SelectedDate
		in := flows.HoldInput{CaseID: meta.Case, ActionID: meta.Action, Reason: strings.TrimSpace(value(cb, "reason", "text").Value)}
		if until != "" {
			at, _, err := commands.ParseDateTime(until, value(cb, "until_time", "time").SelectedTime, b.commandEnv())
			if err == nil {
				in.Until = at
			}
		}
		return b.answer(ctx, reply, b.flows.Hold(ctx, actor, in))
	case viewMarkDone:
		note := strings.TrimSpace(value(cb, "note", "text").Value)
		return b.answer(ctx, reply, b.flows.MarkDone(ctx, actor, meta.Case, meta.Action, note))
	}
	return nil
}
