package fakeslack

import (
	"context"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

const (
	dana  = "U0DANA"
	sam   = "U0SAM"
	alex  = "U0ALEX"
	appro = "C0APPROVALS"
	wait  = 5 * time.Second
)

// newServer starts a fake with short timings and a small team.
func newServer(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.PingInterval == 0 {
		opts.PingInterval = 200 * time.Millisecond
	}
	if opts.AckTimeout == 0 {
		opts.AckTimeout = 3 * time.Second
	}
	if opts.EventRetryDelays == nil {
		opts.EventRetryDelays = []time.Duration{50 * time.Millisecond, 50 * time.Millisecond, 50 * time.Millisecond}
	}
	srv, err := Start(opts)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	srv.AddUser(User{ID: dana, Name: "dana", RealName: "Dana Dev", Email: "dana@example.com"})
	srv.AddUser(User{ID: sam, Name: "sam", RealName: "Sam Manager", Email: "sam@example.com"})
	srv.AddUser(User{ID: alex, Name: "alex", RealName: "Alex Sec", Email: "alex@example.com", IsAdmin: true})
	srv.AddUserGroup(UserGroup{ID: "S0SEC", Handle: "security", Members: []string{alex, dana}})
	srv.AddUserGroup(UserGroup{ID: "S0SOLO", Handle: "solo", Members: []string{dana}})
	srv.AddChannel(Channel{ID: appro, Name: "approvals", Members: []string{dana, sam, alex, srv.BotUserID()}})
	return srv
}

// api is the bot's real slack-go client pointed at the fake.
func api(srv *Server, opts ...slack.Option) *slack.Client {
	opts = append([]slack.Option{slack.OptionAPIURL(srv.APIURL()), slack.OptionAppLevelToken(srv.AppToken())}, opts...)
	return slack.New(srv.BotToken(), opts...)
}

// bot is a running slack-go Socket Mode client.
type bot struct {
	sm     *socketmode.Client
	cancel context.CancelFunc
	done   chan error
}

func startBot(t *testing.T, srv *Server, opts ...socketmode.Option) *bot {
	t.Helper()
	b := &bot{sm: socketmode.New(api(srv), opts...), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel = cancel
	go func() { b.done <- b.sm.RunContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-b.done:
		case <-time.After(wait):
			t.Error("socket mode client did not stop")
		}
	})
	if err := srv.WaitSockets(1, wait); err != nil {
		t.Fatalf("bot did not connect: %v", err)
	}
	return b
}

// next returns the next event of the type, skipping others.
func (b *bot) next(t *testing.T, typ socketmode.EventType) socketmode.Event {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case ev := <-b.sm.Events:
			if ev.Type == typ {
				return ev
			}
		case <-deadline:
			t.Fatalf("no %s event", typ)
		}
	}
}
