package bot

import (
	"context"

	"github.com/slack-go/slack/slackevents"

	"github.com/offboard/offboard/storage"
)

// onEvent handles Events API events: the App Home being opened.
func (b *Bot) onEvent(ctx context.Context, ev slackevents.EventsAPIEvent) error {
	if ev.Type != slackevents.CallbackEvent {
		return nil
	}
	if home, ok := ev.InnerEvent.Data.(*slackevents.AppHomeOpenedEvent); ok && home.Tab == "home" {
		actor, err := b.roles.Actor(ctx, home.User)
		if err != nil {
			return err
		}
		return b.db.Write(ctx, func(tx *storage.Tx) error { return b.render.home(ctx, tx, actor) })
	}
	return nil
}
