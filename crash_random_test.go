package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
		downMax: 300 * time.Millisecond, lease: binaryLease}
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

// newCrashRig seeds each case's person with access: a GitHub membership,
// an IAM user with an access key (and, in the long run, a console
// password), a Slack user group; one system each in turn in the short run,
// all three in the long one.
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
	}, func() int { r.mu.Lock(); defer r.mu.Unlock(); return len(r.kills) }, "github: {org: acme}\naws: {mode: disable}\nslack_connector: {usergroups: true}\nidentities:\n"+ids.String())
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
