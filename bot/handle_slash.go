package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/commands"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// onSlash handles one /offboard command. Bad input is answered privately
// and changes nothing; everything else goes to flows.
func (b *Bot) onSlash(ctx context.Context, cmd slack.SlashCommand, received time.Time) error {
	reply := flows.Reply{ResponseURL: cmd.ResponseURL, Channel: cmd.ChannelID, User: cmd.UserID}
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
		return b.list(ctx, reply)
	case commands.Cancel:
		_, err := b.flows.Cancel(ctx, actor, c.Target, reply)
		return ignoreDomain(err)
	case commands.Scan:
		return ignoreDomain(b.flows.RequestScan(ctx, actor, reply))
	case commands.Link:
		return b.link(ctx, actor, c, reply)
	}
	return b.tell(ctx, reply, commands.Usage())
}

// ignoreDomain drops the domain errors flows has already answered and
// audited; what remains is a failure worth retrying.
func ignoreDomain(err error) error {
	if flows.Answered(err) {
		return nil
	}
	return err
}

// tell answers the person privately, through the outbox.
func (b *Bot) tell(ctx context.Context, to flows.Reply, text string) error {
	r := b.renderer()
	return b.db.Write(ctx, func(tx *storage.Tx) error { return r.reply(ctx, tx, to, text) })
}

func (b *Bot) renderer() *Renderer { return b.render }

// person looks the target up in Slack. A problem is answered and returned
// as errAnswered.
func (b *Bot) person(ctx context.Context, id string, reply flows.Reply) (flows.Person, error) {
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

func (b *Bot) request(ctx context.Context, actor flows.Actor, c commands.Request, reply flows.Reply) error {
	p, err := b.person(ctx, c.Target, reply)
	if errors.Is(err, errAnswered) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = b.flows.Request(ctx, actor, flows.RequestInput{Target: p, At: c.At, Overdue: c.Overdue, Reason: c.Reason, Reply: reply})
	return ignoreDomain(err)
}
