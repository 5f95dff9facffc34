package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

// offboardBinary builds the real binary once per test run: the crash tests
// and the figures drive the product from outside, as an operator runs it.
func offboardBinary(t testing.TB) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "offboard-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "offboard")
		// Leases shortened: a kill holds work up for 3 s, not 30.
		out, err := exec.Command("go", "build", "-ldflags", "-X main.leases="+binaryLease.String(), "-o", binaryPath, ".").CombinedOutput()
		if err != nil {
			binaryErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// binaryLease is the lease the test binary is built with (main.leases).
const binaryLease = 3 * time.Second

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binaryPath != "" {
		os.RemoveAll(filepath.Dir(binaryPath))
	}
	os.Exit(code)
}

// botProcess is the bot running as a child process.
type botProcess struct {
	cmd    *exec.Cmd
	logs   *syncBuffer // stderr and stdout
	stdout *syncBuffer
	// started is just before the fork: start-to-connected counts the
	// process's whole start, exec included.
	started time.Time
	exited  chan struct{}
	// exitedAt is when Wait returned; read it after exited is closed.
	exitedAt time.Time
}

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startBot runs `offboard run` in a child process against the fake workspace.
func startBot(t testing.TB, env []string) *botProcess {
	t.Helper()
	return startOffboard(t, env, "run")
}

// startOffboard runs the binary with args in a child process.
func startOffboard(t testing.TB, env []string, args ...string) *botProcess {
	t.Helper()
	cmd := exec.Command(offboardBinary(t), args...)
	cmd.Env = append(os.Environ(), append([]string{"OFFBOARD_HTTP_ADDR=127.0.0.1:0", "OFFBOARD_LOG_LEVEL=debug"}, env...)...)
	logs, stdout := &syncBuffer{}, &syncBuffer{}
	cmd.Stderr = logs
	cmd.Stdout = io.MultiWriter(logs, stdout)
	p := &botProcess{cmd: cmd, logs: logs, stdout: stdout, started: time.Now(), exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { cmd.Wait(); p.exitedAt = time.Now(); close(p.exited) }()
	t.Cleanup(func() { p.kill() })
	return p
}

// kill SIGKILLs the process and waits until it is gone.
func (p *botProcess) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// crashBaseConfig is the configuration every process test starts from.
const crashBaseConfig = `timezone: Europe/Berlin
slack: {approvals_channel: C0APPROVALS, requesters: [S0MANAGERS], approvers: [S0SECURITY]}
`

// crashWorld is a fake workspace and the environment a child bot needs.
func crashWorld(t testing.TB, extraConfig string) (*fakeslack.Server, []string, string) {
	t.Helper()
	return crashWorldWith(t, nil, nil, "manual_tasks: [\"Collect laptop\"]\n"+extraConfig)
}

// crashWorldWith is crashWorld with more seeding (seed may replace the
// groups and the channel) and without the manual task. kills, when set,
// counts the SIGKILLs of the run: each may land between a 429 and its
// record, so a restarted process may call once inside that wait.
func crashWorldWith(t testing.TB, seed func(*fakeslack.Server), kills func() int, extraConfig string) (*fakeslack.Server, []string, string) {
	t.Helper()
	// Slack's per-channel limit is on, as the binary's sender is paced
	// for it: a restarted process may find the channel's burst spent and
	// must then keep every Retry-After it is told.
	fs, err := fakeslack.Start(fakeslack.Options{PingInterval: time.Second, ChannelPostInterval: time.Second, ChannelPostBurst: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Registered before the process's kill, so it runs after it.
		allowed := 0
		if kills != nil {
			allowed = kills()
		}
		if v := fs.Violations(); len(v) > 0 && len(v) <= allowed {
			t.Logf("%d calls before Retry-After had passed, within the %d kills allowed; first: %+v", len(v), allowed, v[0])
		} else if len(v) > allowed {
			t.Errorf("the binary called Slack before Retry-After had passed %d times (%d kills); first: %+v", len(v), allowed, v[0])
		}
		fs.Close()
	})
	fs.AddUser(fakeslack.User{ID: "U0MGR", Name: "mona", RealName: "Mona Manager"})
	fs.AddUser(fakeslack.User{ID: "U0SEC", Name: "sam", RealName: "Sam Security"})
	fs.AddUser(fakeslack.User{ID: "U0DEV", Name: "dana", RealName: "Dana Dev", Email: "dana@acme.test"})
	fs.AddUserGroup(fakeslack.UserGroup{ID: "S0MANAGERS", Handle: "managers", Members: []string{"U0MGR"}})
	fs.AddUserGroup(fakeslack.UserGroup{ID: "S0SECURITY", Handle: "security", Members: []string{"U0SEC"}})
	fs.AddChannel(fakeslack.Channel{ID: "C0APPROVALS", Name: "offboarding", Members: []string{fs.BotUserID(), "U0MGR", "U0SEC"}})
	if seed != nil {
		seed(fs)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "offboard.yml")
	if err := os.WriteFile(cfg, []byte(crashBaseConfig+extraConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "offboard.db")
	env := []string{"OFFBOARD_CONFIG=" + cfg, "OFFBOARD_DB=" + db, "SLACK_API_URL=" + fs.APIURL(),
		"SLACK_APP_TOKEN=" + fs.AppToken(), "SLACK_BOT_TOKEN=" + fs.BotToken()}
	return fs, env, db
}

func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitSettled waits until the running bot has processed every envelope,
// projected every event and delivered every message: the positive signal
// before asserting that nothing more happened. It reads the database the
// bot writes, as the operator's tools would.
func waitSettled(t *testing.T, dbPath string) {
	t.Helper()
	waitUntil(t, "the inbox, the projection and the outbox to drain", 30*time.Second, func() bool {
		ctx := context.Background()
		db, err := storage.OpenExisting(ctx, dbPath)
		if err != nil {
			return false
		}
		defer db.Close()
		in, _ := storage.InboxDepth(ctx, db.Reader())
		head, _, _ := storage.AuditHead(ctx, db.Reader())
		projected, _ := storage.Cursor(ctx, db.Reader(), "slack")
		out, _ := storage.OutboxDepth(ctx, db.Reader())
		return in == 0 && projected == head && out == 0
	})
}

func TestAnEnvelopeAckedBeforeAKillIsProcessedAfterTheRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the bot as a process")
	}
	fs, env, dbPath := crashWorld(t, "")
	// Processing a request starts with users.info: hold it, so the
	// process dies after the ack and before the work.
	fs.InjectFault("users.info", fakeslack.Fault{Latency: time.Minute})
	bot := startBot(t, env)
	waitUntil(t, "the bot to connect", 20*time.Second, func() bool { return fs.Sockets() == 1 })

	ack, err := fs.SlashWait("U0MGR", "C0APPROVALS", fs.Mention("U0DEV")+" contract ended", 10*time.Second)
	if err != nil || ack.Late || ack.Dropped {
		t.Fatalf("ack: %+v %v", ack, err)
	}
	// Processing resolves the requester's roles, then looks the person up
	// (held): once the roles were read, the worker is inside the handler.
	waitUntil(t, "processing to reach the held users.info", 10*time.Second, func() bool {
		return len(fs.CallsTo("usergroups.users.list")) >= 2 && fs.Arrived("users.info") >= 1
	})
	bot.kill()
	if n := len(fs.Messages("C0APPROVALS")); n != 0 {
		t.Fatalf("%d messages before the restart; the kill came too late to prove anything", n)
	}
	db, err := storage.OpenExisting(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	pending, _ := storage.InboxDepth(context.Background(), db.Reader())
	db.Close()
	if pending != 1 {
		t.Fatalf("%d envelopes pending after the kill; want the acked one", pending)
	}

	fs.ClearFaults()
	startBot(t, env)
	waitUntil(t, "the request to be processed after the restart", 30*time.Second, func() bool {
		return len(fs.Messages("C0APPROVALS")) >= 1
	})
	waitSettled(t, dbPath)
	parents := 0
	for _, m := range fs.Messages("C0APPROVALS") {
		if strings.Contains(m.AllText(), "Offboarding #1") {
			parents++
		}
	}
	if parents != 1 {
		t.Errorf("%d parent messages; want exactly 1", parents)
	}
	confirmations := 0
	for _, e := range fs.Ephemerals("U0MGR") {
		if strings.Contains(e.AllText(), "requested") {
			confirmations++
		}
	}
	if confirmations != 1 {
		t.Errorf("%d confirmations to the requester; want 1", confirmations)
	}
}

func TestAnActionExecutingWhenTheProcessIsKilledRunsOnceAfterTheRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the bot as a process and waits out a lease")
	}
	gh := fakegithub.New(fakegithub.Options{})
	gh.Start()
	t.Cleanup(gh.Close)
	gh.AddMember("acme", fakegithub.Member{Login: "boss", Role: "admin"})
	gh.AddToken("tok-boss", "boss")
	gh.AddMember("acme", fakegithub.Member{Login: "dev-gh"})

	fs, env, dbPath := crashWorld(t, "github: {org: acme}\nidentities:\n  - {slack: U0DEV, github: dev-gh}\n")
	env = append(env, "GITHUB_TOKEN=tok-boss", "GITHUB_API_URL="+gh.APIURL())
	bot := startBot(t, env)
	waitUntil(t, "the bot to connect", 20*time.Second, func() bool { return fs.Sockets() == 1 })
	if _, err := fs.SlashWait("U0MGR", "C0APPROVALS", fs.Mention("U0DEV")+" contract ended", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	var checklist fakeslack.Message
	waitUntil(t, "the checklist", 20*time.Second, func() bool {
		for _, m := range fs.AllMessages("C0APPROVALS") {
			for _, b := range m.Buttons() {
				if b.Text == "Approve" {
					checklist = m
					return true
				}
			}
		}
		return false
	})
	hold := gh.HoldCalls(fakegithub.RouteRemoveMember)
	var row string
	for _, b := range checklist.Buttons() {
		if b.Text == "Approve" {
			row = b.BlockID
		}
	}
	if _, err := fs.ClickButton("U0SEC", fakeslack.InMessage("C0APPROVALS", checklist.TS), fakeslack.LabelIn(row, "Approve")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hold.Arrived():
	case <-time.After(20 * time.Second):
		t.Fatalf("the revocation never reached GitHub: %s", bot.logs)
	}
	bot.kill() // SIGKILL in the middle of the call
	hold.Release()

	db, err := storage.OpenExisting(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	a, err := storage.LoadAction(context.Background(), db.Reader(), 1)
	db.Close()
	if err != nil || a.State != storage.ActionExecuting {
		t.Fatalf("after the kill the action is %q (%v); want executing", a.State, err)
	}

	startBot(t, env)
	waitUntil(t, "the action to finish after the restart (one lease)", 60*time.Second, func() bool {
		db, err := storage.OpenExisting(context.Background(), dbPath)
		if err != nil {
			return false
		}
		defer db.Close()
		a, _ := storage.LoadAction(context.Background(), db.Reader(), 1)
		return a.State == storage.ActionDone
	})
	waitSettled(t, dbPath)
	if gh.IsMember("acme", "dev-gh") {
		t.Error("dev-gh is still a member")
	}
	// Every call the fake saw: the one held and killed, and at most one
	// after the restart (which may find the member gone already).
	removed, removeCalls := 0, 0
	for _, c := range gh.Calls() {
		if c.Route == fakegithub.RouteRemoveMember {
			removeCalls++
			if c.Status == 204 {
				removed++
			}
		}
	}
	if removed != 1 || removeCalls > 2 {
		t.Errorf("%d successful removals in %d calls; want exactly 1 in at most 2 (the killed one and the resumed one)", removed, removeCalls)
	}
	var revoked, executing int
	for _, m := range fs.AllMessages("C0APPROVALS") {
		if strings.Contains(m.Text, "Revoked") || strings.Contains(m.Text, "already gone; nothing to do") {
			revoked++
		}
		if strings.HasPrefix(m.Text, ":arrows_counterclockwise: Executing") {
			executing++
		}
	}
	if revoked != 1 || executing != 1 {
		t.Errorf("the thread has %d outcome and %d executing replies; want 1 each", revoked, executing)
	}
	db, _ = storage.OpenExisting(context.Background(), dbPath)
	defer db.Close()
	if _, broken, err := db.VerifyAudit(context.Background()); broken != nil || err != nil {
		t.Errorf("audit after the crash: %v %v", broken, err)
	}
	// A crash is not an attempt: the action ran once, on attempt 1, and
	// the trail shows one executing event, the resumption and one outcome.
	if a, _ := storage.LoadAction(context.Background(), db.Reader(), 1); a.Attempts != 1 {
		t.Errorf("the action counts %d attempts after one kill mid-call; want 1", a.Attempts)
	}
	var fresh, resumed, outcomes int
	db.AuditEvents(context.Background(), storage.ExportFilter{}, func(e storage.Event) error {
		if e.ActionID != 1 {
			return nil
		}
		var d map[string]any
		json.Unmarshal(e.Details, &d)
		switch e.Type {
		case storage.EventExecuting:
			if d["attempt"] != 1.0 {
				t.Errorf("executing event %d says attempt %v; want 1", e.Seq, d["attempt"])
			}
			if d["resumed_after_restart"] == true {
				resumed++
			} else {
				fresh++
			}
		case storage.EventRevoked, storage.EventAlreadyGone, storage.EventFailed:
			outcomes++
		}
		return nil
	})
	if fresh != 1 || resumed != 1 || outcomes != 1 {
		t.Errorf("action 1's trail: %d executing, %d resumed after the restart, %d outcomes; want 1 each", fresh, resumed, outcomes)
	}
}

func TestSIGTERMStopsTheBotGracefully(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the bot as a process")
	}
	fs, env, dbPath := crashWorld(t, "")
	bot := startBot(t, env)
	waitUntil(t, "the bot to connect", 20*time.Second, func() bool { return fs.Sockets() == 1 })
	if _, err := fs.SlashWait("U0MGR", "C0APPROVALS", fs.Mention("U0DEV")+" contract ended", 10*time.Second); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	bot.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-bot.exited:
		if !bot.cmd.ProcessState.Success() {
			t.Fatalf("exit after SIGTERM: %v\n%s", bot.cmd.ProcessState, bot.logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("still running 20 s after SIGTERM:\n%s", bot.logs)
	}
	t.Logf("stopped %s after SIGTERM", time.Since(start).Round(time.Millisecond))
	db, err := storage.OpenExisting(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, broken, err := db.VerifyAudit(ctx); broken != nil || err != nil {
		t.Errorf("audit after the stop: %v %v", broken, err)
	}
	// What the stop left, read from the database: the envelope acked just
	// before SIGTERM was processed, what it caused was projected, and
	// every message that made was delivered.
	if n, _ := storage.InboxDepth(ctx, db.Reader()); n != 0 {
		t.Errorf("%d envelopes left unprocessed by a graceful stop", n)
	}
	head, _, _ := storage.AuditHead(ctx, db.Reader())
	if projected, _ := storage.Cursor(ctx, db.Reader(), "slack"); projected != head {
		t.Errorf("the projection stopped at event %d of %d", projected, head)
	}
	if n, _ := storage.OutboxDepth(ctx, db.Reader()); n != 0 {
		t.Errorf("%d messages left in the outbox by a graceful stop", n)
	}
	cases, _ := storage.ListCases(ctx, db.Reader(), 10)
	if len(cases) != 1 {
		t.Fatalf("%d cases after the stop; want the one requested", len(cases))
	}
	var sent int
	db.Reader().QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state='sent' AND op='post' AND channel='C0APPROVALS'`).Scan(&sent)
	if in := len(fs.AllMessages("C0APPROVALS")); sent == 0 || in != sent {
		t.Errorf("%d posts recorded as sent, %d messages in the channel; want the same, and some", sent, in)
	}
}
