package bot_test

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

var floodRounds = flag.Int("flood.rounds", 3, "interleaved product/reference rounds of BenchmarkAckFlood")

// BenchmarkAckFlood releases 1,000 slash commands and 1,000 real-size clicks
// at once on one socket, in interleaved rounds, to the product (which
// stores every envelope before its ack and does the real work behind it)
// and to a raw slack-go Socket Mode bot that only acks, both connected to
// the same fake workspace, and prints both ack p99s, their ratio and the
// CPU each flood cost. The targets: p99 ≤ 100 ms and ≤ 0.3× the
// reference's, none over 3 s, none lost. The fake runs in the same process,
// so its CPU counts for both.
//
//	go test ./bot -run XXX -bench AckFlood -benchtime 1x -flood.rounds 6
func BenchmarkAckFlood(b *testing.B) {
	for i := 0; i < b.N; i++ {
		f := newFlood(b)
		var prod, ref []floodResult
		for r := 0; r < *floodRounds; r++ {
			prod = append(prod, f.round(b, f.product, 1000, 1000, 0))
			ref = append(ref, f.round(b, f.reference, 1000, 1000, 0))
			fmt.Printf("round %d: product p99 %s, cpu %s to acked (%s to processed and answered); reference p99 %s, cpu %s\n", r+1,
				ms(prod[r].p99), ms(prod[r].cpuAcked), ms(prod[r].cpuDone), ms(ref[r].p99), ms(ref[r].cpuAcked))
		}
		p, q := median(prod), median(ref)
		fmt.Printf("ack flood (%d rounds, click payload %d bytes): product p99 %s [%s–%s] max %s, cpu %s per flood; reference p99 %s [%s–%s], cpu %s per flood; ratio %.2f; product %d over 3 s, %d lost, %d acked before stored\n",
			len(prod), f.clickBytes, ms(p.p99), ms(minP99(prod)), ms(maxP99(prod)), ms(p.max), ms(p.cpuAcked),
			ms(q.p99), ms(minP99(ref)), ms(maxP99(ref)), ms(q.cpuAcked), float64(p.p99)/float64(q.p99), p.over, p.lost, p.unstored)
		b.ReportMetric(float64(p.p99.Microseconds())/1000, "p99_ms")
		b.ReportMetric(float64(q.p99.Microseconds())/1000, "ref_p99_ms")
		b.ReportMetric(float64(p.p99)/float64(q.p99), "ratio")
		b.ReportMetric(float64(p.cpuAcked.Microseconds())/1000, "cpu_ms")
		b.ReportMetric(float64(q.cpuAcked.Microseconds())/1000, "ref_cpu_ms")
	}
}

// BenchmarkAckSteady sends 2,000 envelopes to the product at 1,000 a second
// and prints the ack p99 (target ≤ 10 ms).
func BenchmarkAckSteady(b *testing.B) {
	for i := 0; i < b.N; i++ {
		f := newFlood(b)
		r := f.round(b, f.product, 1000, 1000, time.Millisecond)
		fmt.Printf("ack steady, 1,000 envelopes/s: p50 %s p99 %s max %s; %d over 3 s, %d lost, %d acked before stored\n",
			ms(r.p50), ms(r.p99), ms(r.max), r.over, r.lost, r.unstored)
		b.ReportMetric(float64(r.p99.Microseconds())/1000, "p99_ms")
	}
}

// TestAFloodOfCommandsAndClicksIsAckedInTimeAndNoneIsLost is the
// benchmark's small version, run with the tests.
func TestAFloodOfCommandsAndClicksIsAckedInTimeAndNoneIsLost(t *testing.T) {
	if testing.Short() {
		t.Skip("flood")
	}
	f := newFlood(t)
	res := f.round(t, f.product, 100, 100, 0)
	if res.lost != 0 || res.unstored != 0 || res.over != 0 {
		t.Errorf("%d lost, %d acked but not stored, %d acks over 3 s", res.lost, res.unstored, res.over)
	}
	ref := f.round(t, f.reference, 100, 100, 0)
	if ref.lost != 0 {
		t.Errorf("the reference lost %d", ref.lost)
	}
}

// flood is the product's world with a reference bot on a second socket.
type flood struct {
	w                  *world
	product, reference int // socket ids
	checklistTS, row   string
	request            string
	clickBytes         int
}

func newFlood(tb testing.TB) *flood {
	w := newWorld(tb, worldOptions{})
	w.slash(manager, "/offboard @dana contract ended")
	f := &flood{w: w, request: w.slack.EscapeTyped("@olly contract ended")}
	// The checklist is posted once discovery and its rendering are done.
	w.waitFor("a checklist to click in", 10*time.Second, func() bool {
		for _, m := range w.slack.AllMessages(channel) {
			if strings.Contains(m.AllText(), "Checklist for offboarding #1") {
				for _, btn := range m.Buttons() {
					if btn.Text == "Approve" {
						f.checklistTS, f.row = m.TS, btn.BlockID
						return true
					}
				}
			}
		}
		return false
	})
	f.product = w.slack.SocketIDs()[0]
	startReference(tb, w.slack)
	if err := w.slack.WaitSockets(2, 10*time.Second); err != nil {
		tb.Fatal(err)
	}
	f.reference = w.slack.SocketIDs()[1]
	return f
}

// startReference connects a raw slack-go Socket Mode bot that only acks.
func startReference(tb testing.TB, fs *fakeslack.Server) {
	api := slack.New(fs.BotToken(), slack.OptionAppLevelToken(fs.AppToken()), slack.OptionAPIURL(fs.APIURL()))
	sm := socketmode.New(api)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); sm.RunContext(ctx) }()
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case evt := <-sm.Events:
				switch evt.Type {
				case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
					sm.Ack(*evt.Request)
				}
			}
		}
	}()
	tb.Cleanup(func() { cancel(); wg.Wait() })
}

// floodResult is what one round measured.
type floodResult struct {
	p50, p99, max        time.Duration
	over, lost, unstored int
	cpuAcked, cpuDone    time.Duration
}

// round sends slashes and clicks to one socket: queued and released at
// once when pace is zero, else one every pace.
func (f *flood) round(tb testing.TB, socket, slashes, clicks int, pace time.Duration) floodResult {
	fs := f.w.slack
	fs.SteerTo(socket)
	defer fs.SteerTo(0)
	total := slashes + clicks
	ids := make([]string, 0, total)
	send := func(i int) {
		var id string
		var err error
		if i%2 == 0 && i/2 < slashes || i/2 >= clicks {
			id, err = fs.Slash(manager, channel, f.request)
		} else {
			// An outsider's click: refused, audited, answered.
			id, err = fs.ClickButton(outsider, fakeslack.InMessage(channel, f.checklistTS), fakeslack.LabelIn(f.row, "Approve"))
		}
		if err != nil {
			tb.Fatalf("send: %v", err)
		}
		ids = append(ids, id)
	}
	acked := fs.Counts().Acked
	var cpu0 time.Duration
	if pace == 0 {
		fs.PauseDelivery()
		for i := 0; i < total; i++ {
			send(i)
		}
		cpu0 = cpuTime()
		fs.ResumeDelivery()
	} else {
		cpu0 = cpuTime()
		start := time.Now()
		for i := 0; i < total; i++ {
			time.Sleep(time.Until(start.Add(time.Duration(i) * pace)))
			send(i)
		}
	}
	if f.clickBytes == 0 {
		for _, e := range fs.Envelopes() {
			if e.Kind == "block_actions" && slices.Contains(ids, e.ID) {
				f.clickBytes = len(e.Payload)
				break
			}
		}
	}
	pollFor(tb, "every envelope to be acked", 60*time.Second, time.Millisecond, func() bool { return fs.Counts().Acked-acked >= total })
	res := floodResult{cpuAcked: cpuTime() - cpu0}
	lat := make([]time.Duration, 0, total)
	for _, id := range ids {
		a, ok := fs.AckOf(id)
		if !ok {
			res.lost++
			continue
		}
		lat = append(lat, a.Latency)
		if a.Latency > 3*time.Second || a.Late {
			res.over++
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	res.p50, res.p99, res.max = pct(0.5), pct(0.99), lat[len(lat)-1]
	if socket == f.product {
		res.unstored = f.unstored(ids)
		pollFor(tb, "every envelope to be processed and answered", 120*time.Second, 50*time.Millisecond, func() bool {
			in, _ := storage.InboxDepth(context.Background(), f.w.db.Reader())
			heads, _ := storage.OutboxHeads(context.Background(), f.w.db.Reader(), time.Now(), 1)
			return in == 0 && len(heads) == 0
		})
		res.cpuDone = cpuTime() - cpu0
	}
	return res
}

// unstored counts the acked envelopes the inbox does not hold.
func (f *flood) unstored(ids []string) int {
	rows, err := f.w.db.Reader().QueryContext(context.Background(), `SELECT envelope_id FROM inbox`)
	if err != nil {
		f.w.t.Fatal(err)
	}
	defer rows.Close()
	in := map[string]bool{}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		in[id] = true
	}
	n := 0
	for _, id := range ids {
		if !in[id] {
			n++
		}
	}
	return n
}

// pollFor waits for cond, checking every step: short for the acks (a
// cheap count), longer for the database, whose queries would otherwise
// take the CPU from the work they wait for.
func pollFor(tb testing.TB, what string, timeout, step time.Duration, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(step)
	}
}

// cpuTime is the process's user and system CPU so far (the fake's share
// included: it runs in the same process, for product and reference alike).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(rs []floodResult) floodResult {
	by := func(key func(floodResult) time.Duration) time.Duration {
		v := make([]time.Duration, len(rs))
		for i, r := range rs {
			v[i] = key(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	m := floodResult{
		p99:      by(func(r floodResult) time.Duration { return r.p99 }),
		max:      by(func(r floodResult) time.Duration { return r.max }),
		cpuAcked: by(func(r floodResult) time.Duration { return r.cpuAcked }),
	}
	for _, r := range rs {
		m.over += r.over
		m.lost += r.lost
		m.unstored += r.unstored
	}
	return m
}

func minP99(rs []floodResult) time.Duration {
	return slices.MinFunc(rs, func(a, b floodResult) int { return int(a.p99 - b.p99) }).p99
}

func maxP99(rs []floodResult) time.Duration {
	return slices.MaxFunc(rs, func(a, b floodResult) int { return int(a.p99 - b.p99) }).p99
}

func ms(d time.Duration) string { return d.Round(100 * time.Microsecond).String() }
