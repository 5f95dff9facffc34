package bot

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/offboard/offboard/bot/socket"
	"github.com/offboard/offboard/commands"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// Bot is the Slack side of offboard.
type Bot struct {
	cfg Config
	// envelopeLease is how long a worker holds an envelope unrenewed.
	envelopeLease time.Duration
	api           *slack.Client
	socket        *socket.Client
	db            *storage.DB
	flows         *flows.Service
	roles         *Roles
	log           zerolog.Logger
	now           func() time.Time
	metrics       *Metrics
	awsAccs       []string

	// queue hands persisted envelopes to the workers; when it is full the
	// sweeper finds them in the database instead.
	queue   chan int64
	workers int
	owner   string

	render *Renderer

	sender    *Sender
	projector *Projector
	// drained, when set, is closed once the rest of the process has
	// stopped writing (the executor's last outcomes): the last projection
	// waits for it, so that what they wrote reaches Slack before the stop.
	drained <-chan struct{}
}

// DrainAfter makes Run's shutdown wait (at most 30 s) for ch to close
// before its last projection and flush. Call it before Run.
func (b *Bot) DrainAfter(ch <-chan struct{}) { b.drained = ch }

// Options are the parts a Bot is built from.
type Options struct {
	Config Config
	// Renderer renders the audit log's events and the answers.
	Renderer *Renderer
	// API is the slack-go client with the bot token, the app-level token
	// and the API URL set.
	API     *slack.Client
	DB      *storage.DB
	Flows   *flows.Service
	Logger  zerolog.Logger
	Metrics *Metrics
	// Clock defaults to time.Now.
	Clock func() time.Time
	// AWSAccounts are the configured AWS account names, for /offboard link.
	AWSAccounts []string
	// Workers process envelopes in parallel (default 4).
	Workers int
	// RolesTTL is how long user-group membership is cached (default and
	// maximum 5 minutes).
	RolesTTL time.Duration
	// Socket tunes the Socket Mode client (tests shorten the ping timeout
	// and backoff); API and the number of sockets are filled in.
	Socket socket.Options
	// SenderOptions tune the outbox sender.
	Sender SenderOptions
	// EnvelopeLease is how long a worker holds an envelope without
	// renewing it before another may take it (default and maximum 15 s).
	// Only tests that kill the process shorten it.
	EnvelopeLease time.Duration
}

// New builds the bot. Nothing runs until Run.
func New(o Options) *Bot {
	b := &Bot{
		cfg: o.Config, api: o.API, db: o.DB, flows: o.Flows, log: o.Logger, now: o.Clock, metrics: o.Metrics,
		awsAccs: o.AWSAccounts, workers: o.Workers, queue: make(chan int64, 4096), render: o.Renderer,
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.workers <= 0 {
		b.workers = 4
	}
	b.envelopeLease = o.EnvelopeLease
	if b.envelopeLease <= 0 || b.envelopeLease > maxEnvelopeLease {
		b.envelopeLease = maxEnvelopeLease
	}
	if b.metrics == nil {
		b.metrics = NewMetrics(nil)
	}
	b.owner = fmt.Sprintf("bot-%d", time.Now().UnixNano())
	b.roles = NewRoles(o.API, o.Config, o.RolesTTL, b.now)
	so := o.Socket
	so.API, so.Sockets, so.Logger = o.API, o.Config.Sockets, o.Logger
	b.socket = socket.New(so)
	if o.Sender.Home == nil && o.Renderer != nil {
		o.Sender.Home = o.Renderer.HomeView
	}
	b.sender = NewSender(o.API, o.DB, o.Logger, b.metrics, o.Sender)
	b.projector = NewProjector(o.DB, o.Renderer, o.Logger)
	b.projector.forget = b.roles.Forget
	if o.Renderer != nil && o.Flows != nil {
		o.Renderer.authority = o.Flows
	}
	o.DB.OnAudit(b.projector.Wake)
	return b
}

// Connected says whether the Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.socket.Connected() > 0 }

// Run connects and serves until ctx ends, then stops in order: no new
// envelopes, workers drain what they hold, the sender flushes what it can.
// It returns an error when Slack refuses the tokens.
func (b *Bot) Run(ctx context.Context) error {
	if resp, err := b.api.AuthTestContext(ctx); err == nil {
		b.render.SetTeamURL(resp.URL)
		b.sender.SetSelf(resp.UserID, resp.BotID)
	} else if isAuthError(err) {
		return fmt.Errorf("slack auth.test: %w (check SLACK_BOT_TOKEN)", err)
	} else {
		b.log.Warn().Err(err).Msg("auth.test failed; permalinks unavailable until it succeeds")
	}

	recvCtx, stopRecv := context.WithCancel(ctx)
	defer stopRecv()
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()

	var wg sync.WaitGroup
	errc := make(chan error, 2)
	frames := make(chan *socket.Envelope, 1024)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(frames)
		if err := b.socket.Run(recvCtx, frames); err != nil {
			errc <- fmt.Errorf("socket mode: %w", err)
			stopRecv()
		}
	}()
	recvDone := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(recvDone)
		b.receive(recvCtx, frames)
	}()
	var workers sync.WaitGroup
	for i := 0; i < b.workers; i++ {
		workers.Add(1)
		go func() {
			defer workers.Done()
			b.work(workCtx)
		}()
	}
	workers.Add(1)
	go func() {
		defer workers.Done()
		b.sweep(recvCtx, workCtx)
	}()
	projCtx, stopProj := context.WithCancel(context.WithoutCancel(ctx))
	defer stopProj()
	projDone := make(chan struct{})
	go func() {
		defer close(projDone)
		b.projector.Run(projCtx)
	}()
	sendCtx, stopSend := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSend()
	senderDone := make(chan struct{})
	go func() {
		defer close(senderDone)
		b.sender.Run(sendCtx)
	}()

	<-recvCtx.Done()
	<-recvDone // what was read is stored and acknowledged
	b.socket.Close()
	// Give in-flight envelopes a moment to finish; what is left stays in
	// the inbox and is processed after the restart.
	close(b.queue)
	drained := make(chan struct{})
	go func() { workers.Wait(); close(drained) }()
	select {
	case <-drained:
	case <-time.After(10 * time.Second):
		stopWork()
		<-drained
	}
	stopWork()
	if b.drained != nil {
		select {
		case <-b.drained:
		case <-time.After(30 * time.Second):
			b.log.Warn().Msg("the executor did not stop in 30 s; its last outcomes are rendered after the restart")
		}
	}
	// What the workers committed is rendered, then sent: the projector's
	// last pass, then one deliverer at a time (Run stops before Flush), so
	// no message in flight is posted twice.
	stopProj()
	<-projDone
	stopSend()
	<-senderDone
	b.sender.Flush(5 * time.Second)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

func isAuthError(err error) bool {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired":
			return true
		}
	}
	return false
}

// commandEnv is what commands.Parse needs to interpret dates now.
func (b *Bot) commandEnv() commands.Env {
	fc := b.flows.Config()
	return commands.Env{Now: b.now(), Location: fc.Location(), ExecuteAt: fc.ExecuteAtOffset(), AWSAccounts: b.awsAccs}
}
