package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
)

var (
	crashLong = flag.Bool("crash.long", false, "run the long randomized crash test (30 cases, at least 20 kills)")
	crashSeed = flag.Uint64("crash.seed", 0, "replay the randomized crash test with this seed (also CRASH_SEED)")
)

// crashLeaseConfig would shorten the leases a killed process leaves
// behind, so that the short run waits seconds rather than 30 s per kill
// that lands inside leased work. The product has no such setting yet (the
// execution lease is fixed at 30 s): once it has one, it goes here, e.g.
// "execution: {lease: 5s}\n", and crashPlan.lease follows it.
const crashLeaseConfig = ""

// crashPlan is the size of one randomized crash run.
type crashPlan struct {
	cases, kills int
	// gap bounds the random time between two kills; downFor bounds how
	// long the process stays dead.
	gapMin, gapMax, downMax time.Duration
	// lease is how long a lock left by a killed process may hold work up;
	// the run's time limit allows one per kill.
	lease time.Duration
	// allSystems gives every person GitHub, IAM and Slack access; else
	// each has one system's, in turn, which keeps the threads short.
	allSystems bool
}

// TestTheBotSurvivesRandomKills requests and approves offboardings as
// people would, through the fake Slack, while the real binary is SIGKILLed
// at random moments and restarted. At the end every grant is revoked,
// exactly once, every case has one parent and a whole thread, every
// envelope Slack delivered was acked, and the audit chain verifies.
//
//	go test . -run TestTheBotSurvivesRandomKills -v                 short
//	go test . -run TestTheBotSurvivesRandomKills -v -crash.long -timeout 60m   30 cases, 24 kills
//	go test . -run TestTheBotSurvivesRandomKills -v -crash.seed=N    replay a run
func TestTheBotSurvivesRandomKills(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary and kills it")
	}
	// Kills are spread over about as long as the work takes, so that they
	// land in requests, discovery, approvals, execution and sending alike.
	plan := crashPlan{cases: 6, kills: 6, gapMin: time.Second, gapMax: 10 * time.Second,
		downMax: 300 * time.Millisecond, lease: 30 * time.Second}
	if *crashLong {
		plan.cases, plan.kills, plan.gapMin, plan.gapMax, plan.allSystems = 30, 24, 2*time.Second, 40*time.Second, true
	}
	seed := *crashSeed
	if v := os.Getenv("CRASH_SEED"); seed == 0 && v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (replay: go test . -run TestTheBotSurvivesRandomKills -crash.seed=%d%s)", seed, seed,
		map[bool]string{true: " -crash.long"}[*crashLong])
	rig := newCrashRig(t, plan, seed)
	rig.run()
	rig.check()
}

// crashRig is the fake company, the bot process and what happened to it.
type crashRig struct {
	t    *testing.T
	plan crashPlan
	seed uint64

	slack *fakeslack.Server
	gh    *fakegithub.Server
	iam   *fakeaws.Server
	env   []string

	mu       sync.Mutex
	bot      *botProcess
	kills    []time.Time
	connects []time.Duration // each start to its socket open, by the fake
}

const (
	crashAcct      = "123456789012"
	crashRequester = "U0MGR"
)

var crashApprovers = []string{"U0SEC", "U0SEC2"}

func target(i int) string      { return fmt.Sprintf("U1T%02d", i) }
func targetGroup(i int) string { return fmt.Sprintf("S1G%02d", i) }
func targetLogin(i int) string { return fmt.Sprintf("t%02d-gh", i) }
func targetIAM(i int) string   { return fmt.Sprintf("t%02d", i) }

// newCrashRig seeds each case's person with a GitHub membership, an IAM
// user with a console password and an access key, and a Slack user group.
func newCrashRig(t *testing.T, plan crashPlan, seed uint64) *crashRig {
	r := &crashRig{t: t, plan: plan, seed: seed}
	gh := fakegithub.New(fakegithub.Options{})
	gh.Start()
	t.Cleanup(gh.Close)
	gh.AddMember("acme", fakegithub.Member{Login: "boss", Role: "admin"})
	gh.AddToken("tok-boss", "boss")
	iam := fakeaws.New(fakeaws.Options{Seed: int64(seed)})
	srv := httptest.NewServer(iam)
	t.Cleanup(srv.Close)
	iam.AddAccount(crashAcct)
	iam.AddCredentials("AKIDBASE", crashAcct, "offboard")

	var ids strings.Builder
	for i := 0; i < plan.cases; i++ {
		fmt.Fprintf(&ids, "  - {slack: %s", target(i))
		if r.has(i, "github") {
			fmt.Fprintf(&ids, ", github: %s", targetLogin(i))
		}
		if r.has(i, "aws") {
			fmt.Fprintf(&ids, ", aws: %s", targetIAM(i))
		}
		ids.WriteString("}\n")
	}
	fs, env, _ := crashWorldWith(t, func(fs *fakeslack.Server) {
		fs.AddUser(fakeslack.User{ID: "U0SEC2", Name: "sol", RealName: "Sol Security"})
		fs.AddUserGroup(fakeslack.UserGroup{ID: "S0SECURITY", Handle: "security", Members: crashApprovers})
		fs.AddChannel(fakeslack.Channel{ID: "C0APPROVALS", Name: "offboarding", Members: []string{fs.BotUserID(), crashRequester, "U0SEC", "U0SEC2"}})
		for i := 0; i < plan.cases; i++ {
			fs.AddUser(fakeslack.User{ID: target(i), Name: fmt.Sprintf("t%02d", i), RealName: fmt.Sprintf("Target %02d", i)})
			if r.has(i, "slack") {
				fs.AddUserGroup(fakeslack.UserGroup{ID: targetGroup(i), Handle: fmt.Sprintf("team%02d", i), Members: []string{target(i), "U0SEC"}})
			}
		}
	}, crashLeaseConfig+"github: {org: acme}\naws: {mode: disable}\nslack_connector: {usergroups: true}\nidentities:\n"+ids.String())
	for i := 0; i < plan.cases; i++ {
		if r.has(i, "github") {
			gh.AddMember("acme", fakegithub.Member{Login: targetLogin(i)})
		}
		if r.has(i, "aws") {
			u := fakeaws.User{Name: targetIAM(i), AccessKeys: []fakeaws.AccessKey{{}}}
			if plan.allSystems {
				u.LoginProfile = &fakeaws.LoginProfile{}
			}
			if _, err := iam.AddUser(crashAcct, u); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := t.TempDir()
	r.env = append(env, "OFFBOARD_LOG_LEVEL=info", "GITHUB_TOKEN=tok-boss", "GITHUB_API_URL="+gh.APIURL(),
		"AWS_ACCESS_KEY_ID=AKIDBASE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL_IAM="+srv.URL, "AWS_ENDPOINT_URL_STS="+srv.URL, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "none"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "none"))
	// Calls that take a moment, so that kills land inside them.
	gh.SetLatency(30 * time.Millisecond)
	iam.SetLatency(30 * time.Millisecond)
	r.slack, r.gh, r.iam = fs, gh, iam
	return r
}

// start runs a new bot process and records, from the fake's side, when
// its socket opened.
func (r *crashRig) start() {
	p := startOffboard(r.t, r.env, "run")
	r.mu.Lock()
	r.bot = p
	r.mu.Unlock()
	go func() {
		for {
			for _, at := range r.slack.SocketsOpenedAt() {
				if at.After(p.started) {
					r.mu.Lock()
					r.connects = append(r.connects, at.Sub(p.started))
					r.mu.Unlock()
					return
				}
			}
			select {
			case <-p.exited:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
}

// killer SIGKILLs the bot at random moments and starts it again, until
// the plan's kills are done.
func (r *crashRig) killer(rng *rand.Rand, done chan<- struct{}) {
	defer close(done)
	between := func(lo, hi time.Duration) time.Duration { return lo + time.Duration(rng.Int64N(int64(hi-lo)+1)) }
	for k := 0; k < r.plan.kills; k++ {
		time.Sleep(between(r.plan.gapMin, r.plan.gapMax))
		r.mu.Lock()
		p := r.bot
		r.kills = append(r.kills, time.Now())
		r.mu.Unlock()
		p.kill()
		time.Sleep(between(0, r.plan.downMax))
		r.start()
	}
}

// run starts the bot, the killer and the people, and returns once every
// case has completed and its thread says so.
func (r *crashRig) run() {
	rng := rand.New(rand.NewPCG(r.seed, 1))
	killRng := rand.New(rand.NewPCG(r.seed, 2))
	r.start()
	killed := make(chan struct{})
	go r.killer(killRng, killed)

	// The limit allows the work itself (the bot posts about one message a
	// second in the channel, and a case of every system has some twenty)
	// plus one lease per kill.
	perCase := 8 * time.Second
	if r.plan.allSystems {
		perCase = 25 * time.Second
	}
	limit := 90*time.Second + time.Duration(r.plan.cases)*perCase + time.Duration(r.plan.kills)*r.plan.lease
	deadline := time.Now().Add(limit)
	// Requests arrive spread over the first part of the kill schedule.
	spread := time.Duration(r.plan.kills) * (r.plan.gapMin + r.plan.gapMax) / 2 * 3 / 10
	begin := time.Now()
	due := make([]time.Duration, r.plan.cases)
	for i := range due {
		due[i] = time.Duration(rng.Int64N(int64(spread) + 1))
	}
	people := newPeople(r, rng)
	lastLog := time.Now()
	for {
		if time.Since(lastLog) > 15*time.Second {
			lastLog = time.Now()
			r.t.Logf("%s in: %s", time.Since(begin).Round(time.Second), r.summary())
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("not done after %s (seed %d); %s", limit, r.seed, r.progress())
		}
		for i := range due {
			if time.Since(begin) >= due[i] {
				people.request(i)
			}
		}
		people.approve()
		select {
		case <-killed:
			if r.finished() {
				r.t.Logf("done after %s", time.Since(begin).Round(100*time.Millisecond))
				return
			}
		default:
		}
		time.Sleep(time.Duration(50+rng.IntN(150)) * time.Millisecond)
	}
}

// people are the requester and the approvers, acting through the fake
// Slack as a person would: they retry what Slack said failed, and never
// repeat what Slack accepted.
type people struct {
	r         *crashRig
	rng       *rand.Rand
	requested map[int]time.Time // when an acked request was sent
	clicked   map[string]bool   // rows (block ids) and messages (for Approve all remaining) clicked, acked
}

func newPeople(r *crashRig, rng *rand.Rand) *people {
	return &people{r: r, rng: rng, requested: map[int]time.Time{}, clicked: map[string]bool{}}
}

// request asks to offboard case i's person, unless a request was accepted
// lately or its parent message is there.
func (p *people) request(i int) {
	if at, ok := p.requested[i]; ok && time.Since(at) < 20*time.Second {
		return
	}
	if len(p.r.parentsOf(i)) > 0 {
		return
	}
	ack, err := p.r.slack.SlashWait(crashRequester, crashChannel, "<@"+target(i)+"> contract ended", 3*time.Second)
	if err == nil && !ack.Late && !ack.Dropped {
		p.requested[i] = time.Now()
	}
}

// approve clicks, as one of the approvers, one Approve not clicked yet, or
// now and then Approve all remaining on a checklist.
func (p *people) approve() {
	var rows []fakeslack.Button
	var where []fakeslack.Where
	var msgs []string
	for _, m := range p.r.slack.AllMessages(crashChannel) {
		for _, b := range m.Buttons() {
			switch {
			case b.Text == "Approve" && !p.clicked[b.BlockID]:
				rows, where, msgs = append(rows, b), append(where, fakeslack.InMessage(crashChannel, m.TS)), append(msgs, m.TS)
			case b.Text == "Approve all remaining" && !p.clicked[m.TS] && p.rng.IntN(4) == 0:
				rows, where, msgs = append(rows, b), append(where, fakeslack.InMessage(crashChannel, m.TS)), append(msgs, m.TS)
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	k := p.rng.IntN(len(rows))
	b := rows[k]
	who := crashApprovers[p.rng.IntN(len(crashApprovers))]
	id, err := p.r.slack.ClickButton(who, where[k], fakeslack.LabelIn(b.BlockID, b.Text))
	if err != nil {
		return
	}
	if ack, err := p.r.slack.WaitAck(id, 3*time.Second); err != nil || ack.Late || ack.Dropped {
		return
	}
	if b.Text == "Approve" {
		p.clicked[b.BlockID] = true
		return
	}
	p.clicked[msgs[k]] = true
	if m, ok := p.r.slack.Message(crashChannel, msgs[k]); ok {
		for _, row := range m.Buttons() {
			p.clicked[row.BlockID] = true
		}
	}
}

const crashChannel = "C0APPROVALS"

// parentsOf is the top-level messages about case i's person.
func (r *crashRig) parentsOf(i int) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range r.slack.Messages(crashChannel) {
		if strings.Contains(m.AllText(), "<@"+target(i)+">") {
			out = append(out, m)
		}
	}
	return out
}

// grantsLeft names what case i's person still holds in the fakes.
func (r *crashRig) grantsLeft(i int) []string {
	var left []string
	if r.gh.IsMember("acme", targetLogin(i)) {
		left = append(left, "github membership")
	}
	if u, ok := r.iam.User(crashAcct, targetIAM(i)); ok {
		if u.LoginProfile != nil {
			left = append(left, "console password")
		}
		for _, k := range u.AccessKeys {
			if k.Status != "Inactive" {
				left = append(left, "access key "+k.ID)
			}
		}
	}
	if g, ok := r.slack.UserGroup(targetGroup(i)); ok && slices.Contains(g.Members, target(i)) {
		left = append(left, "user group "+targetGroup(i))
	}
	return left
}

// completedThread is case i's thread once its closing reply is in it: the
// outbox delivers a thread in order, so every reply before it is there.
func (r *crashRig) completedThread(i int) ([]fakeslack.Message, bool) {
	ps := r.parentsOf(i)
	if len(ps) == 0 {
		return nil, false
	}
	th := r.slack.Thread(crashChannel, ps[0].TS)
	for _, m := range th[1:] {
		if strings.Contains(m.Text, "*Completed*") {
			return th, true
		}
	}
	return th, false
}

func (r *crashRig) finished() bool {
	for i := 0; i < r.plan.cases; i++ {
		if len(r.grantsLeft(i)) > 0 {
			return false
		}
		if _, ok := r.completedThread(i); !ok {
			return false
		}
	}
	return true
}

// summary counts the cases at each stage, for the log of a long run.
func (r *crashRig) summary() string {
	var parent, checklist, revoked, closed int
	for i := 0; i < r.plan.cases; i++ {
		th, done := r.completedThread(i)
		if len(th) > 0 {
			parent++
		}
		if len(th) > 1 {
			checklist++
		}
		if len(r.grantsLeft(i)) == 0 {
			revoked++
		}
		if done {
			closed++
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("%d kills; of %d cases %d have a parent, %d a checklist, %d all access gone, %d a closing reply",
		len(r.kills), r.plan.cases, parent, checklist, revoked, closed)
}

// progress says where each unfinished case stands, for a failure message.
func (r *crashRig) progress() string {
	r.mu.Lock()
	kills := len(r.kills)
	r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d kills so far", kills)
	for i := 0; i < r.plan.cases; i++ {
		th, done := r.completedThread(i)
		if done {
			continue
		}
		fmt.Fprintf(&b, "\n  case of %s: %d parents, %d thread messages, still holds %v", target(i), len(r.parentsOf(i)), len(th), r.grantsLeft(i))
		for _, m := range th {
			fmt.Fprintf(&b, "\n    %s %.160q", m.At.Format("15:04:05.000"), m.Text)
			for _, btn := range m.Buttons() {
				fmt.Fprintf(&b, " [%s %s]", btn.BlockID, btn.Text)
			}
		}
	}
	return b.String()
}

// check stops the bot gracefully and asserts what the run must leave.
func (r *crashRig) check() {
	t := r.t
	r.mu.Lock()
	p, kills := r.bot, append([]time.Time(nil), r.kills...)
	t.Logf("seed %d: %d kills; each restart to its socket open (the fake's record): %v", r.seed, len(kills), r.connects)
	r.mu.Unlock()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30 s after SIGTERM")
	}
	events := r.auditEvents()

	// Every grant revoked, by exactly one successful mutating call.
	for i := 0; i < r.plan.cases; i++ {
		if left := r.grantsLeft(i); len(left) > 0 {
			t.Errorf("%s still holds %v", target(i), left)
		}
	}
	for what, n := range r.mutations() {
		if n != 1 {
			t.Errorf("%s: %d successful calls; want exactly 1", what, n)
		}
	}
	for i := 0; i < r.plan.cases; i++ {
		r.checkCase(i, events)
	}
	r.logStalls(events)
	r.checkEnvelopes(kills)
	if out, err := r.offboard("audit", "verify"); err != nil {
		t.Errorf("offboard audit verify: %v\n%s", err, out)
	}
}

// mutations counts the successful mutating calls the fakes served, by
// what they changed; each grant must appear exactly once.
func (r *crashRig) mutations() map[string]int {
	n := map[string]int{}
	for i := 0; i < r.plan.cases; i++ {
		if r.has(i, "github") {
			n["GitHub remove "+targetLogin(i)] = 0
		}
		if r.has(i, "slack") {
			n["Slack remove from "+targetGroup(i)] = 0
		}
	}
	for _, c := range r.gh.Calls() {
		if c.Route == fakegithub.RouteRemoveMember && c.Status == 204 {
			n["GitHub remove "+c.Path[strings.LastIndex(c.Path, "/")+1:]]++
		}
	}
	for _, c := range r.slack.CallsTo("usergroups.users.update") {
		if c.Error == "" && c.Status == 200 {
			n["Slack remove from "+c.Params["usergroup"]]++
		}
	}
	for _, c := range r.iam.Calls() {
		if c.Service != "iam" || c.Code != "" || c.Status != 200 || readOnlyIAM(c.Action) {
			continue
		}
		key := "IAM " + c.Action + " " + c.Params.Get("UserName")
		for _, p := range []string{"AccessKeyId", "PolicyArn", "PolicyName"} {
			if v := c.Params.Get(p); v != "" {
				key += " " + v
			}
		}
		n[key]++
	}
	return n
}

func readOnlyIAM(action string) bool {
	for _, p := range []string{"Get", "List", "Generate", "Simulate"} {
		if strings.HasPrefix(action, p) {
			return true
		}
	}
	return false
}

// has says whether case i's person was seeded with access in system.
func (r *crashRig) has(i int, system string) bool {
	return r.plan.allSystems || []string{"github", "aws", "slack"}[i%3] == system
}

// auditEvent is one line of `offboard audit export --format jsonl`.
type auditEvent struct {
	Seq      int64          `json:"seq"`
	At       time.Time      `json:"at"`
	Type     string         `json:"type"`
	CaseID   int64          `json:"case_id"`
	ActionID int64          `json:"action_id"`
	Details  map[string]any `json:"details"`
}

// offboard runs the binary once to its end, as an operator would.
func (r *crashRig) offboard(args ...string) ([]byte, error) {
	cmd := exec.Command(offboardBinary(r.t), args...)
	cmd.Env = append(os.Environ(), append(r.env, "OFFBOARD_LOG_LEVEL=error")...)
	return cmd.Output()
}

func (r *crashRig) auditEvents() []auditEvent {
	out, err := r.offboard("audit", "export", "--format", "jsonl")
	if err != nil {
		r.t.Fatalf("offboard audit export: %v", err)
	}
	var evs []auditEvent
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var e auditEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			r.t.Fatalf("audit export line %q: %v", line, err)
		}
		evs = append(evs, e)
	}
	return evs
}

// checkCase asserts case i's parent, thread and audit trail: one parent;
// per action exactly one executing event, one outcome event, one Executing
// reply and one outcome reply; one closing reply; no reply twice.
func (r *crashRig) checkCase(i int, events []auditEvent) {
	t := r.t
	ps := r.parentsOf(i)
	if len(ps) != 1 {
		t.Errorf("%s: %d parent messages; want 1", target(i), len(ps))
		if len(ps) == 0 {
			return
		}
	}
	var caseID int64
	th := r.slack.Thread(crashChannel, ps[0].TS)[1:]
	seen := map[string]int{}
	executing, outcomes, closing := map[string]int{}, map[string]int{}, 0
	for _, m := range th {
		seen[m.Text]++
		if seen[m.Text] == 2 {
			t.Errorf("%s: reply posted twice: %.200q", target(i), m.Text)
		}
		switch {
		case strings.HasPrefix(m.Text, ":arrows_counterclockwise: Executing "):
			executing[starred(m.Text)]++
		case strings.HasPrefix(m.Text, ":white_check_mark: Revoked "), strings.HasSuffix(m.Text, " was already gone; nothing to do"):
			outcomes[starred(m.Text)]++
		case strings.Contains(m.Text, "*Completed*"):
			closing++
		}
	}
	// The parent names its case: "Offboarding #4 of <@U1T00> …".
	if _, rest, ok := strings.Cut(ps[0].Text, "Offboarding #"); ok {
		fmt.Sscanf(rest, "%d", &caseID)
	}
	// A process killed mid-call leaves the action executing; the next one
	// resumes it with a second executing event marked resumed_after_restart
	// and the same attempt number: a crash is not an attempt.
	type trail struct{ fresh, resumed, outcome, attempt int }
	actions := map[int64]*trail{}
	for _, e := range events {
		if e.CaseID != caseID || e.ActionID == 0 {
			continue
		}
		a := actions[e.ActionID]
		if a == nil {
			a = &trail{}
			actions[e.ActionID] = a
		}
		switch e.Type {
		case "executing":
			if e.Details["resumed_after_restart"] == true {
				a.resumed++
			} else {
				a.fresh++
			}
			if n, _ := e.Details["attempt"].(float64); int(n) > a.attempt {
				a.attempt = int(n)
			}
		case "revoked", "already_gone":
			a.outcome++
		}
	}
	for id, a := range actions {
		if a.fresh != 1 || a.outcome != 1 || a.attempt != 1 || a.resumed > len(r.kills) {
			t.Errorf("%s (case %d): action %d has %d executing events (%d more resumed after a restart), %d outcome events, attempt %d; want 1, at most one resumed per kill, 1 and attempt 1",
				target(i), caseID, id, a.fresh, a.resumed, a.outcome, a.attempt)
		}
	}
	for what, n := range executing {
		if n != 1 || outcomes[what] != 1 {
			t.Errorf("%s: %d Executing and %d outcome replies for %s; want 1 each", target(i), n, outcomes[what], what)
		}
	}
	if len(executing) != len(actions) || len(outcomes) != len(actions) || closing != 1 {
		t.Errorf("%s (case %d): %d actions in the audit log, %d with an Executing reply, %d with an outcome reply, %d closing replies; want all equal and 1 closing",
			target(i), caseID, len(actions), len(executing), len(outcomes), closing)
	}
}

// starred is the first *bold* part of a reply: the action it is about.
func starred(s string) string {
	_, rest, _ := strings.Cut(s, "*")
	what, _, _ := strings.Cut(rest, "*")
	return what
}

// checkEnvelopes asserts that every envelope Slack delivered was acked,
// except one whose process was killed before it could ack (Slack shows
// that person an error, and they try again).
func (r *crashRig) checkEnvelopes(kills []time.Time) {
	for _, e := range r.slack.Envelopes() {
		if !e.Sent || e.Acked {
			continue
		}
		excused := false
		for _, k := range kills {
			if !k.Before(e.SentAt.Add(-100*time.Millisecond)) && k.Before(e.SentAt.Add(3*time.Second)) {
				excused = true
			}
		}
		if !excused {
			r.t.Errorf("envelope %s (%s %s from %s) sent at %s was never acked, and no kill came within 3 s",
				e.ID, e.Type, e.Kind, e.User, e.SentAt.Format("15:04:05.000"))
		}
	}
}

// logStalls reports, from the audit log, the longest wait from a request
// to its discovery and from an approval to its outcome, and each wait
// longer than one lease: the run's time limit allows one lease per kill,
// so such a wait passes, but it is what a kill leaving a lock behind looks
// like (the seed replays it). Slack's pace (a message a second per
// channel) does not enter these times.
func (r *crashRig) logStalls(events []auditEvent) {
	type wait struct {
		from  time.Time
		about string
	}
	open := map[string]wait{}
	longest := map[string]time.Duration{}
	for _, e := range events {
		var start, end, key string
		switch e.Type {
		case "requested":
			start, key = "request to discovery", fmt.Sprintf("case %d", e.CaseID)
		case "discovered":
			end, key = "request to discovery", fmt.Sprintf("case %d", e.CaseID)
		case "approved":
			start, key = "approval to outcome", fmt.Sprintf("action %d", e.ActionID)
		case "revoked", "already_gone":
			end, key = "approval to outcome", fmt.Sprintf("action %d", e.ActionID)
		}
		switch {
		case start != "":
			if _, ok := open[start+key]; !ok {
				open[start+key] = wait{from: e.At, about: key}
			}
		case end != "":
			w, ok := open[end+key]
			if !ok {
				continue
			}
			delete(open, end+key)
			took := e.At.Sub(w.from)
			longest[end] = max(longest[end], took)
			if took > r.plan.lease {
				r.t.Logf("stall (seed %d): %s of %s took %s, from %s", r.seed, end, key, took.Round(100*time.Millisecond), w.from.Format("15:04:05.000"))
			}
		}
	}
	r.t.Logf("longest request to discovery %s; longest approval to outcome %s",
		longest["request to discovery"].Round(100*time.Millisecond), longest["approval to outcome"].Round(100*time.Millisecond))
}
