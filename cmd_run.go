package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"
	_ "time/tzdata" // zones load even on a machine without tzdata

	"github.com/offboard/offboard/bot"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

const runAbout = `Runs the bot: the Socket Mode connection, the scheduler (due cases, held
actions, reminders, the nightly dormancy scan), the execution workers, and
/healthz, /readyz and /metrics on OFFBOARD_HTTP_ADDR (default 127.0.0.1:9090).

Needs SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN (xoxb-…); connectors are on
when their section is in the file and their credentials are in the
environment. Refuses to start on an invalid configuration, saying why.
Stops gracefully on SIGTERM.`

// setup is what every command that needs the configuration starts with.
type setup struct {
	cfg     *Config
	secrets Secrets
	log     zerolog.Logger
	red     *redactor
	wire    wiring
}

// leases shortens every lease a killed process leaves behind (a case's
// discovery, a scan, an executing job, an envelope). Only the tests that
// SIGKILL the binary set it, at link time: -ldflags "-X main.leases=3s".
// It is not configuration: in production the leases are fixed.
var leases string

// testLease is the shortened lease, or zero for the defaults.
func testLease() time.Duration {
	d, _ := time.ParseDuration(leases)
	return d
}

func loadSetup(e cliEnv, path string) (*setup, error) {
	cfg, err := loadConfig(configPath(path, e.getenv))
	if err != nil {
		return nil, err
	}
	secrets, err := loadSecrets(e.getenv)
	if err != nil {
		return nil, &configError{err}
	}
	red := e.red
	if red == nil {
		red = newRedactor(e.stderr, nil)
	}
	for _, v := range secrets.values() {
		red.Add(v)
	}
	log, err := newLogger(e.getenv, red)
	if err != nil {
		return nil, &configError{err}
	}
	return &setup{cfg: cfg, secrets: secrets, log: log, red: red}, nil
}

func cmdRun(ctx context.Context, e cliEnv, args []string) error {
	f := newFlags("run", "offboard run [--config offboard.yml]", runAbout)
	path := f.configFlag()
	if err := f.parse(e, args, 0); err != nil {
		return err
	}
	s, err := loadSetup(e, *path)
	if err != nil {
		return err
	}
	if s.secrets.SlackAppToken == "" || s.secrets.SlackBotToken == "" {
		return &configError{errors.New("SLACK_APP_TOKEN and SLACK_BOT_TOKEN must be set (or their _FILE variants)")}
	}
	err = runBot(ctx, e, s)
	if err != nil {
		return errors.New(s.red.String(err.Error()))
	}
	return nil
}

// runBot builds every part and runs them until ctx ends.
func runBot(ctx context.Context, e cliEnv, s *setup) error {
	start := time.Now()
	log := s.log
	db, err := storage.Open(ctx, dbPath(e))
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()

	reg := prometheus.NewRegistry()
	counter := newCalls(reg)
	api := slackClient(s.secrets, e.getenv)
	conns, status := buildConnectors(ctx, s.cfg, s.secrets, e.getenv, api, log, counter.observe, s.red.Add, s.wire)
	var words []string
	for _, st := range status {
		log.Info().Str("connector", st.Name).Bool("on", st.On).Msg("connector " + st.String())
		words = append(words, st.String())
	}

	clock := s.wire.now()
	db.SetClock(clock)
	render := bot.NewRenderer(s.cfg.Slack, s.cfg.Flows.Location())
	render.SetClock(clock)
	svc := flows.New(flows.Options{DB: db, Config: s.cfg.Flows, Connectors: conns, Logger: log, RoleGroups: s.cfg.Slack.RoleGroups(), Clock: clock,
		Lease: testLease()})
	if err := svc.SyncConfigIdentities(ctx); err != nil {
		return fmt.Errorf("link identities from the configuration: %w", err)
	}
	if err := db.Write(ctx, func(tx *storage.Tx) error {
		return tx.Audit(ctx, &storage.Event{Type: storage.EventConfigLoaded, Actor: "offboard",
			Details: storage.Details(map[string]any{"version": version, "connectors": words, "approvals_channel": s.cfg.Slack.ApprovalsChannel})})
	}); err != nil {
		return fmt.Errorf("audit start: %w", err)
	}
	b := bot.New(bot.Options{Config: s.cfg.Slack, API: api, DB: db, Flows: svc, Renderer: render, Logger: log,
		Metrics: bot.NewMetrics(reg), AWSAccounts: awsNames(s.cfg), Clock: clock, Sender: s.wire.sender, EnvelopeLease: testLease()})
	if s.wire.ready != nil {
		s.wire.ready(botParts{db: db, svc: svc, bot: b})
	}

	addr := e.getenv("OFFBOARD_HTTP_ADDR")
	if addr == "" {
		addr = "127.0.0.1:9090"
	}
	srv := opsServer(reg, db, b.Connected)

	// One owner for every part, stopped in order (docs/design.md,
	// "Shutdown"): when ctx ends (or a part fails) the intake stops, the
	// scheduler and the executor finish what they hold, and only then does
	// the bot make its last projection and flush; the database closes last.
	g, runCtx := errgroup.WithContext(ctx)
	lifecycle := make(chan struct{}) // closed when flows has stopped writing
	var flowsParts sync.WaitGroup
	run := func(name string, fn func(context.Context) error) {
		g.Go(func() error {
			if err := fn(runCtx); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			return nil
		})
	}
	runFlows := func(name string, fn func(context.Context) error) {
		flowsParts.Add(1)
		run(name, func(ctx context.Context) error { defer flowsParts.Done(); return fn(ctx) })
	}
	b.DrainAfter(lifecycle)
	run("health server", func(ctx context.Context) error { return serveOps(ctx, srv, addr, log) })
	runFlows("scheduler", func(ctx context.Context) error { return svc.RunScheduler(ctx, s.wire.schedulerTick()) })
	runFlows("executor", func(ctx context.Context) error { svc.RunExecutor(ctx, flows.ExecutorOptions{}); return nil })
	go func() { flowsParts.Wait(); close(lifecycle) }() // owned: ends when the flows parts do (after every Add)
	run("bot", b.Run)
	run("retention", func(ctx context.Context) error { pruneEvery(ctx, db, s.cfg.Retention, time.Hour, log); return nil })
	run("startup report", func(ctx context.Context) error {
		for !b.Connected() && ctx.Err() == nil {
			time.Sleep(5 * time.Millisecond)
		}
		if b.Connected() {
			log.Info().Dur("start_to_connected", time.Since(start)).Msg("offboard is running")
		}
		return nil
	})
	<-runCtx.Done()
	log.Info().Msg("stopping: no new envelopes; finishing work in flight")
	err = g.Wait()
	log.Info().Msg("stopped")
	return err
}

func awsNames(cfg *Config) []string {
	if cfg.AWS == nil {
		return nil
	}
	var out []string
	for _, a := range cfg.AWS.Accounts {
		out = append(out, a.Name)
	}
	return out
}

// pruneEvery deletes handled inbox rows and sent outbox rows past their
// retention, at start and then every interval, until ctx ends. The audit
// log is never pruned.
func pruneEvery(ctx context.Context, db *storage.DB, r storage.Retention, every time.Duration, log zerolog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if p, err := db.Prune(ctx, time.Now(), r); err != nil && ctx.Err() == nil {
			log.Warn().Err(err).Msg("prune inbox and outbox")
		} else if err == nil {
			log.Debug().Interface("pruned", p).Msg("pruned inbox and outbox")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
