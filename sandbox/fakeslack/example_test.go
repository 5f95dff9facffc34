package fakeslack_test

import (
	"context"
	"fmt"
	"sync"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/offboard/offboard/sandbox/fakeslack"
)

// A bot on the real slack-go client answers a slash command; the driver
// types the command and reads what the user was shown.
func Example() {
	srv, err := fakeslack.Start(fakeslack.Options{})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	srv.AddUser(fakeslack.User{ID: "U0SAM", Name: "sam"})
	srv.AddUser(fakeslack.User{ID: "U0DANA", Name: "dana"})
	srv.AddChannel(fakeslack.Channel{ID: "C0APPROVALS", Name: "approvals",
		Members: []string{"U0SAM", "U0DANA", srv.BotUserID()}})

	api := slack.New(srv.BotToken(), slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken(srv.AppToken()))
	sm := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = sm.RunContext(ctx) })
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-sm.Events:
				if ev.Type == socketmode.EventTypeSlashCommand {
					cmd := ev.Data.(slack.SlashCommand)
					_ = sm.Ack(*ev.Request, map[string]any{"text": "Got " + cmd.Text})
				}
			}
		}
	})
	_ = srv.WaitSockets(1, fakeslack.DefaultWait)

	ack, err := srv.SlashWait("U0SAM", "C0APPROVALS", srv.Mention("U0DANA")+" on tomorrow", fakeslack.DefaultWait)
	fmt.Println(err, ack.Late)
	for _, e := range srv.Ephemerals("U0SAM") {
		fmt.Println(e.Source, e.Text)
	}
	cancel()
	wg.Wait()
	// Output:
	// <nil> false
	// ack Got <@U0DANA|dana> on tomorrow
}
