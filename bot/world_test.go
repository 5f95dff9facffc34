package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/offboard/offboard/bot"
	"github.com/offboard/offboard/bot/socket"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/connectors/github"
	"github.com/offboard/offboard/connectors/manual"
	slackconn "github.com/offboard/offboard/connectors/slack"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

// The seeded company.
const (
	channel  = "C0APPROVALS"
	manager  = "U0MGR"
	sec1     = "U0SEC1"
	sec2     = "U0SEC2"
	sec3     = "U0SEC3"
	dana     = "U0DEV"
	outsider = "U0NOBODY"
	robot    = "U0ROBOT"
	org      = "acme"
	awsAcct  = "123456789012"
)

// clock is the world's time, moved by tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// world is the whole bot (real storage, flows, bot, connectors) running
// against the fake Slack workspace, GitHub org and AWS account.
type world struct {
	t     testing.TB
	clock *clock
	slack *fakeslack.Server
	gh    *fakegithub.Server
	iam   *fakeaws.Server
	db    *storage.DB
	svc   *flows.Service
	bot   *bot.Bot
	cfg   flows.Config
	conns flows.Connectors

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// worldOptions change the world before it starts.
type worldOptions struct {
	config    func(*flows.Config)
	slack     fakeslack.Options
	latency   time.Duration  // per call on the GitHub and AWS fakes
	noRun     bool           // build only: the test runs the parts itself
	noManual  bool           // no manual task (every action is an approval)
	scheduler time.Duration  // tick interval (default 50 ms)
	sockets   int            // slack.sockets
	socket    socket.Options // Socket Mode client tuning
}

// t0 is the world's start: Monday 1 July 2024, 10:00 in Berlin.
var t0 = time.Date(2024, 7, 1, 8, 0, 0, 0, time.UTC)

func newWorld(t testing.TB, o worldOptions) *world {
	t.Helper()
	w := &world{t: t, clock: &clock{t: t0}}
	ctx := context.Background()

	if o.slack.PingInterval == 0 {
		o.slack.PingInterval = 2 * time.Second
	}
	if o.slack.EventRetryDelays == nil {
		o.slack.EventRetryDelays = []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond}
	}
	if o.slack.TriggerTTL == 0 {
		o.slack.TriggerTTL = 10 * time.Second // -race on two cores is slow; still bounded
	}
	if o.slack.ChannelPostInterval == 0 {
		// Slack's own limit (one message a second per channel, short bursts
		// allowed), ten times faster like everything else in these tests.
		// Every bot test runs under it; the sender is paced to match, as
		// it is to Slack's in production.
		o.slack.ChannelPostInterval = 100 * time.Millisecond
		if o.slack.ChannelPostBurst == 0 {
			o.slack.ChannelPostBurst = 10
		}
	}
	fs, err := fakeslack.Start(o.slack)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Registered before w.stop, so it runs after the bot has stopped.
		if v := fs.Violations(); len(v) != 0 {
			t.Errorf("the bot called Slack before Retry-After had passed %d times; first: %+v", len(v), v[0])
		}
		fs.Close()
	})
	w.slack = fs
	for _, u := range []fakeslack.User{
		{ID: manager, Name: "mona", RealName: "Mona Manager", Email: "mona@acme.test"},
		{ID: sec1, Name: "sam", RealName: "Sam Security", Email: "sam@acme.test"},
		{ID: sec2, Name: "sid", RealName: "Sid Security", Email: "sid@acme.test"},
		{ID: sec3, Name: "sue", RealName: "Sue Security", Email: "sue@acme.test"},
		{ID: dana, Name: "dana", RealName: "Dana Dev", Email: "dana@acme.test", TZ: "Europe/Berlin"},
		{ID: outsider, Name: "olly", RealName: "Olly Outsider", Email: "olly@acme.test"},
		{ID: robot, Name: "deploybot", RealName: "Deploy Bot", IsBot: true},
	} {
		fs.AddUser(u)
	}
	fs.AddUserGroup(fakeslack.UserGroup{ID: "S0MANAGERS", Handle: "managers", Members: []string{manager}})
	fs.AddUserGroup(fakeslack.UserGroup{ID: "S0SECURITY", Handle: "security", Members: []string{sec1, sec2, sec3}})
	fs.AddUserGroup(fakeslack.UserGroup{ID: "S0ONCALL", Handle: "oncall", Members: []string{dana, sec1}})
	fs.AddChannel(fakeslack.Channel{ID: channel, Name: "offboarding", Members: []string{fs.BotUserID(), manager, sec1, sec2, sec3, outsider}})
	fs.AddChannel(fakeslack.Channel{ID: "C0GENERAL", Name: "general", Members: []string{fs.BotUserID(), manager, sec1, sec2, sec3, dana, outsider}})

	gh := fakegithub.New(fakegithub.Options{Now: w.clock.Now})
	gh.Start()
	t.Cleanup(gh.Close)
	w.gh = gh
	gh.AddMember(org, fakegithub.Member{Login: "boss", Role: "admin"})
	gh.AddToken("tok-boss", "boss")
	gh.AddMember(org, fakegithub.Member{Login: "dev-gh", Role: "member"})
	gh.AddTeam(org, "backend", "dev-gh")
	gh.AddTeam(org, "oncall", "dev-gh")
	gh.AddContribution(org, "dev-gh", t0.Add(-40*24*time.Hour), 3)

	iam := fakeaws.New(fakeaws.Options{Clock: w.clock.Now})
	srv := httptest.NewServer(iam)
	t.Cleanup(srv.Close)
	w.iam = iam
	must(t, iam.AddAccount(awsAcct))
	must(t, iam.AddCredentials("AKIDBASE", awsAcct, "offboard"))
	used := t0.Add(-72 * time.Hour)
	_, err = iam.AddUser(awsAcct, fakeaws.User{Name: "dev", Created: t0.AddDate(-1, 0, 0), Tags: map[string]string{"email": "dana@acme.test"},
		LoginProfile: &fakeaws.LoginProfile{},
		AccessKeys:   []fakeaws.AccessKey{{LastUsed: &used, LastService: "s3", LastRegion: "eu-central-1"}},
		Groups:       []string{"developers"}})
	must(t, err)
	if o.latency > 0 {
		gh.SetLatency(o.latency)
		iam.SetLatency(o.latency)
	}

	// Configuration as the file would give it.
	cfg := flows.Config{Timezone: "Europe/Berlin", ExecuteAt: "09:00",
		Execution:  flows.ExecutionConfig{Attempts: 5, BackoffMin: flows.Duration(30 * time.Second), BackoffMax: flows.Duration(30 * time.Minute)},
		Identities: []flows.IdentityConfig{{Slack: dana, GitHub: "dev-gh", AWS: "dev"}}}
	if o.config != nil {
		o.config(&cfg)
	}
	cfg.Defaults()
	must(t, cfg.Validate())
	w.cfg = cfg
	botCfg := bot.Config{ApprovalsChannel: channel, Requesters: []string{"S0MANAGERS"}, Approvers: []string{"S0SECURITY"}, Sockets: o.sockets}

	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "offboard.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	db.SetClock(w.clock.Now)
	w.db = db

	api := slack.New(fs.BotToken(), slack.OptionAppLevelToken(fs.AppToken()), slack.OptionAPIURL(fs.APIURL()))
	// Retries -1: one attempt is one HTTP call, so tests count attempts.
	ghc, err := github.New(github.Config{Org: org}, github.Credentials{Token: "tok-boss"}, github.Options{APIURL: gh.APIURL(),
		Clock: w.clock.Now, Retries: -1, RESTRate: 1000, GraphQLRate: 1000, Burst: 1000, MaxRateWait: 5 * time.Second})
	must(t, err)
	awsCfg := awssdk.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDBASE", "base-secret", ""),
		BaseEndpoint: awssdk.String(srv.URL)}
	awscs, err := aws.New(ctx, aws.Config{Mode: aws.ModeDisable}, aws.Options{AWSConfig: &awsCfg, Clock: w.clock.Now,
		RequestsPerSecond: 1000, Burst: 1000, MaxBackoff: time.Millisecond, ReportPoll: time.Millisecond, MaxAttempts: 2})
	must(t, err)
	fast := slackconn.Rate{PerMinute: 60000, Burst: 1000}
	sc := slackconn.New(slackconn.Config{UserGroups: true}, api, slackconn.SCIMOptions{},
		slackconn.Options{Limits: slackconn.Limits{Tier2: fast, Tier3: fast, Tier4: fast, SCIMWrite: fast, SCIMRead: fast}})
	w.conns = flows.Connectors{ghc, awscs[0], sc}
	if !o.noManual {
		w.conns = append(w.conns, manual.New(manual.Config{Tasks: []string{"Collect laptop"}}))
	}

	render := bot.NewRenderer(botCfg, cfg.Location())
	render.SetClock(w.clock.Now)
	w.svc = flows.New(flows.Options{DB: db, Config: cfg, Connectors: w.conns, Logger: zerolog.Nop(), Clock: w.clock.Now,
		Jitter: func() float64 { return 0.5 }})
	must(t, w.svc.SyncConfigIdentities(ctx))
	w.bot = bot.New(bot.Options{Config: botCfg, API: api, DB: db, Flows: w.svc, Renderer: render, Logger: testLogger(), Clock: w.clock.Now,
		Socket: o.socket, Sender: bot.SenderOptions{PerChannel: 10, Burst: 10, MinBackoff: 20 * time.Millisecond, MaxBackoff: 300 * time.Millisecond, Poll: 20 * time.Millisecond}})

	w.ctx, w.cancel = context.WithCancel(ctx)
	t.Cleanup(w.stop)
	if !o.noRun {
		if o.scheduler == 0 {
			o.scheduler = 50 * time.Millisecond
		}
		w.start(o.scheduler)
	}
	return w
}

// start runs the bot, the executor and the scheduler, and waits for the
// socket.
func (w *world) start(tick time.Duration) {
	w.t.Helper()
	w.go_(func(ctx context.Context) { w.bot.Run(ctx) })
	w.go_(func(ctx context.Context) {
		w.svc.RunExecutor(ctx, flows.ExecutorOptions{Poll: 20 * time.Millisecond, Lease: 3 * time.Second})
	})
	w.go_(func(ctx context.Context) { w.svc.RunScheduler(ctx, tick) })
	w.waitFor("the socket to connect", 10*time.Second, w.bot.Connected)
}

func (w *world) go_(fn func(ctx context.Context)) {
	w.wg.Add(1)
	go func() { defer w.wg.Done(); fn(w.ctx) }()
}

func (w *world) stop() {
	w.cancel()
	w.wg.Wait()
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond until it holds or the timeout passes.
func (w *world) waitFor(what string, timeout time.Duration, cond func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			w.t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settle waits until every stored envelope is processed and every message
// due is delivered.
func (w *world) settle() {
	w.t.Helper()
	w.settleWithin(20 * time.Second)
}

// settleWithin is settle for a world with more to deliver than a test's
// usual handful: Slack's per-channel limit paces every post.
func (w *world) settleWithin(timeout time.Duration) {
	w.t.Helper()
	ctx := context.Background()
	w.waitFor("the inbox and outbox to drain", timeout, func() bool {
		// The projection first: what it renders lands in the outbox, read next.
		head, _, _ := storage.AuditHead(ctx, w.db.Reader())
		projected, _ := storage.Cursor(ctx, w.db.Reader(), "slack")
		in, _ := storage.InboxDepth(ctx, w.db.Reader())
		// A message held back by a 429 counts: it is due within seconds.
		heads, _ := storage.OutboxHeads(ctx, w.db.Reader(), time.Now().Add(5*time.Second), 1)
		q, _ := storage.QueueDepth(ctx, w.db.Reader())
		ready, _ := storage.NextJobAt(ctx, w.db.Reader())
		jobsDue := q > 0 && !ready.After(w.clock.Now())
		due, _ := storage.DueCases(ctx, w.db.Reader(), w.clock.Now())
		return in == 0 && len(heads) == 0 && !jobsDue && len(due) == 0 && projected == head
	})
}

// tick runs one scheduler pass now and waits until what it caused is
// processed: the positive signal before asserting that nothing happened.
func (w *world) tick() {
	w.t.Helper()
	must(w.t, w.svc.Tick(context.Background()))
	w.settle()
}

// slash types a command as user and waits until it is acknowledged and
// processed.
func (w *world) slash(user, typed string) {
	w.t.Helper()
	text := w.slack.EscapeTyped(strings.TrimSpace(strings.TrimPrefix(typed, "/offboard")))
	if _, err := w.slack.SlashWait(user, channel, text, 10*time.Second); err != nil {
		w.t.Fatalf("/offboard %s: %v", typed, err)
	}
	w.settle()
}

// lastEphemeral is the newest text user was shown privately.
func (w *world) lastEphemeral(user string) string {
	eps := w.slack.Ephemerals(user)
	if len(eps) == 0 {
		return ""
	}
	return eps[len(eps)-1].AllText()
}

// cases reads every case.
func (w *world) cases() []storage.Case {
	cs, err := storage.ListCases(context.Background(), w.db.Reader(), 1000)
	must(w.t, err)
	return cs
}

// auditTypes lists the audit event types, in order.
func (w *world) auditTypes() []string {
	var out []string
	w.db.AuditEvents(context.Background(), storage.ExportFilter{}, func(ev storage.Event) error {
		out = append(out, ev.Type)
		return nil
	})
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

// topLevel returns the channel's top-level messages whose text contains s.
func (w *world) topLevel(s string) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range w.slack.Messages(channel) {
		if strings.Contains(m.AllText(), s) {
			out = append(out, m)
		}
	}
	return out
}

// actions reads a case's actions.
func (w *world) actions(caseID int64) []storage.Action {
	as, err := storage.ListActions(context.Background(), w.db.Reader(), caseID)
	must(w.t, err)
	return as
}

// action finds the case's action of a kind (the first one).
func (w *world) action(caseID int64, kind string) storage.Action {
	w.t.Helper()
	for _, a := range w.actions(caseID) {
		if a.Kind == kind {
			return a
		}
	}
	w.t.Fatalf("case %d has no %s action", caseID, kind)
	return storage.Action{}
}

// messageWithBlock finds the message in the channel (replies included)
// holding a block.
func (w *world) messageWithBlock(blockID string) fakeslack.Message {
	w.t.Helper()
	for _, m := range w.slack.AllMessages(channel) {
		for _, b := range m.Buttons() {
			if b.BlockID == blockID {
				return m
			}
		}
	}
	w.t.Fatalf("no message holds a button in block %s", blockID)
	return fakeslack.Message{}
}

// click has user click the button labelled label on an action's row and
// waits until the click is processed.
func (w *world) click(user string, actionID int64, label string) {
	w.t.Helper()
	block := fmt.Sprintf("a%d.act", actionID)
	m := w.messageWithBlock(block)
	env, err := w.slack.ClickButton(user, fakeslack.InMessage(channel, m.TS), fakeslack.LabelIn(block, label))
	if err != nil {
		w.t.Fatalf("%s clicks %s on action %d: %v", user, label, actionID, err)
	}
	if _, err := w.slack.WaitAck(env, 10*time.Second); err != nil {
		w.t.Fatal(err)
	}
	w.settle()
}

// parent is the case's parent message.
func (w *world) parent(caseID int64) fakeslack.Message {
	w.t.Helper()
	ps := w.topLevel(fmt.Sprintf("Offboarding #%d of ", caseID))
	if len(ps) != 1 {
		for _, p := range ps {
			w.t.Logf("parent candidate ts=%s outbox=%d text=%q", p.TS, outboxID(p), p.Text)
		}
		w.t.Fatalf("%d parent messages for case %d", len(ps), caseID)
	}
	return ps[0]
}

// thread is the text of every reply in the case's thread, in order.
func (w *world) thread(caseID int64) []string {
	var out []string
	for i, m := range w.slack.Thread(channel, w.parent(caseID).TS) {
		if i > 0 {
			out = append(out, m.AllText())
		}
	}
	return out
}

// threadCount counts the thread replies containing s.
func (w *world) threadCount(caseID int64, s string) int {
	n := 0
	for _, t := range w.thread(caseID) {
		if strings.Contains(t, s) {
			n++
		}
	}
	return n
}

// caseState reads one case.
func (w *world) caseOf(id int64) storage.Case {
	c, err := storage.LoadCase(context.Background(), w.db.Reader(), id)
	must(w.t, err)
	return c
}

// waitDone waits until every job has run and the case's actions settled.
func (w *world) waitActions(caseID int64, what string, cond func([]storage.Action) bool) {
	w.t.Helper()
	w.waitFor(what, 20*time.Second, func() bool { return cond(w.actions(caseID)) })
	w.settle()
}

// submit has user submit their open form and waits until it is processed.
func (w *world) submit(user string, values map[string]fakeslack.Input) fakeslack.Ack {
	w.t.Helper()
	env, err := w.slack.SubmitView(user, values)
	if err != nil {
		w.t.Fatalf("%s submits the form: %v", user, err)
	}
	ack, err := w.slack.WaitAck(env, 10*time.Second)
	if err != nil {
		w.t.Fatal(err)
	}
	w.settle()
	return ack
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal([]any{v})
	return b
}

func testLogger() zerolog.Logger {
	if os.Getenv("OFFBOARD_TEST_LOG") != "" {
		return zerolog.New(zerolog.ConsoleWriter{Out: os.Stderr}).Level(zerolog.WarnLevel)
	}
	return zerolog.Nop()
}
