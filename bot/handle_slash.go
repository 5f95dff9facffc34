package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/commands"
	"github.com/offboard/offboard/flows"
)

// onSlash handles one /offboard command. Bad input is answered privately
// and changes nothing; everything else goes to flows.
func (b *Bot) onSlash(ctx context.Context, cmd slack.SlashCommand, received time.Time) error {
	reply := replyTo{ResponseURL: cmd.ResponseURL, Channel: cmd.ChannelID, User: cmd.UserID}
	env := b.commandEnv()
	// Dates are read as of when the person typed, not when a worker got
	// to it (a restart in between must not move "tomorrow").
	env.Now = received
	parsed, err := commands.Parse(cmd.Text, env)
	var perr *commands.Error
	if errors.As(err, &perr) {
		return b.tell(ctx, reply, fmt.Sprintf(":warning: %s\n%s", perr.Problem, perr.Usage))
	}
	if err != nil {
		return err
	}
	if _, ok := parsed.(commands.Help); ok {
		return b.tell(ctx, reply, commands.Usage())
	}
	actor, err := b.roles.Actor(ctx, cmd.UserID)
	if err != nil {
		b.log.Warn().Err(err).Str("user", cmd.UserID).Msg("could not resolve roles")
		return b.tell(ctx, reply, ":warning: I could not check your permissions with Slack just now, so nothing was done. Please try again in a minute.")
	}
	switch c := parsed.(type) {
	case commands.Request:
		return b.request(ctx, actor, c, reply)
	case commands.OpenModal:
		return b.openRequestModal(ctx, actor, cmd, reply)
	case commands.Status:
		return b.status(ctx, actor, c, reply)
	case commands.List:
		return b.list(ctx, actor, reply)
	case commands.Cancel:
		cs, err := b.flows.Cancel(ctx, actor, c.Target)
		if err != nil {
			return b.answer(ctx, reply, err)
		}
		return b.tell(ctx, reply, fmt.Sprintf("Offboarding #%d of %s cancelled.", cs.ID, targetName(cs.Target)))
	case commands.Scan:
		if actor.Approver {
			if err := b.tell(ctx, reply, "Scanning for dormant accounts; the report will be posted in the approvals channel."); err != nil {
				return err
			}
		}
		return b.answer(ctx, reply, b.flows.RequestScan(ctx, actor))
	case commands.Link:
		return b.link(ctx, actor, c, reply)
	}
	return b.tell(ctx, reply, commands.Usage())
}

// person looks the target up in Slack. A problem is answered and returned
// as errAnswered.
func (b *Bot) person(ctx context.Context, id string, reply replyTo) (flows.Person, error) {
	u, err := b.api.GetUserInfoContext(ctx, id)
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && (se.Err == "user_not_found" || se.Err == "users_not_found") {
		return flows.Person{}, b.answered(b.tell(ctx, reply, fmt.Sprintf(":warning: I cannot find the user %s in this workspace. Mention them with @ so Slack links the name, like `/offboard @dana on 2024-07-01`.", mention(id))))
	}
	if err != nil {
		return flows.Person{}, fmt.Errorf("look up user %s: %w", id, err)
	}
	if u.IsBot || u.ID == "USLACKBOT" {
		return flows.Person{}, b.answered(b.tell(ctx, reply, fmt.Sprintf(":warning: %s is a bot, not a person; offboard takes people's access away.", mention(id))))
	}
	name := u.RealName
	if name == "" {
		name = u.Name
	}
	return flows.Person{SlackID: u.ID, Name: name, Email: u.Profile.Email}, nil
}

var errAnswered = errors.New("answered")

// answered turns a successful answer into errAnswered (stop, nothing to
// retry) and keeps a failed one (retry).
func (b *Bot) answered(err error) error {
	if err != nil {
		return err
	}
	return errAnswered
}

func (b *Bot) request(ctx context.Context, actor flows.Actor, c commands.Request, reply replyTo) error {
	p, err := b.person(ctx, c.Target, reply)
	if errors.Is(err, errAnswered) {
		return nil
	}
	if err != nil {
		return err
	}
	cs, err := b.flows.Request(ctx, actor, flows.RequestInput{Target: p, At: c.At, Overdue: c.Overdue, Reason: c.Reason})
	if err != nil {
		return b.answer(ctx, reply, err)
	}
	return b.tell(ctx, reply, b.render.confirmation(cs, b.now()))
}
