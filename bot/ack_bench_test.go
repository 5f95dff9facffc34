package bot_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/offboard/offboard/sandbox/fakeslack"
)

// BenchmarkAckBurst sends 1,000 slash commands and 1,000 button clicks over
// one socket as fast as the fake can, with the real work behind each (a
// request or its refusal as a duplicate; a refused click, audited and
// answered), and reports the ack latency Slack would see (PRODUCT §12:
// p99 ≤ 50 ms, none over 3 s, none lost).
//
//	go test ./bot -run XXX -bench AckBurst -benchtime 1x
func BenchmarkAckBurst(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchAckBurst(b, 1000, 1000, 0).report(b)
	}
}

// ackResult is what one burst measured.
type ackResult struct {
	p50, p99, max time.Duration
	over, lost    int
}

func (r ackResult) report(b *testing.B) {
	b.ReportMetric(float64(r.p50.Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(r.p99.Microseconds())/1000, "p99_ms")
	b.ReportMetric(float64(r.max.Microseconds())/1000, "max_ms")
	b.ReportMetric(float64(r.over), "over_3s")
	b.ReportMetric(float64(r.lost), "lost")
}

// BenchmarkAckSustained sends the same 2,000 envelopes at 1,000 a second,
// for the latency under a sustained load rather than an instant flood.
func BenchmarkAckSustained(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchAckBurst(b, 1000, 1000, 8*time.Millisecond).report(b)
	}
}

// benchAckBurst sends from 8 goroutines, each pausing pace between sends.
func benchAckBurst(b testing.TB, slashes, clicks int, pace time.Duration) ackResult {
	w := newWorld(b, worldOptions{})
	w.slash(manager, "/offboard @dana contract ended")
	var checklist fakeslack.Message
	for _, m := range w.slack.AllMessages(channel) {
		if strings.Contains(m.AllText(), "Checklist for offboarding #1") {
			checklist = m
		}
	}
	if checklist.TS == "" {
		b.Fatal("no checklist to click in")
	}
	var row string
	for _, btn := range checklist.Buttons() {
		if btn.Text == "Approve" {
			row = btn.BlockID
			break
		}
	}
	before := len(w.slack.Acks())
	request := w.slack.EscapeTyped("@olly contract ended")
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, slashes+clicks)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := g; i < slashes+clicks; i += 8 {
				var err error
				if i%2 == 0 && i/2 < slashes || i/2 >= clicks {
					_, err = w.slack.Slash(manager, channel, request)
				} else {
					// An outsider's click: refused, audited, answered.
					_, err = w.slack.ClickButton(outsider, fakeslack.InMessage(channel, checklist.TS), fakeslack.LabelIn(row, "Approve"))
				}
				if err != nil {
					errs <- err
				}
				if pace > 0 {
					time.Sleep(pace)
				}
			}
		}(g)
	}
	wg.Wait()
	sent := time.Since(start)
	close(errs)
	for err := range errs {
		b.Fatalf("send: %v", err)
	}
	total := slashes + clicks
	w.waitFor("every envelope to be acked", 60*time.Second, func() bool { return len(w.slack.Acks())-before >= total })
	acks := w.slack.Acks()[before:]
	var lat []time.Duration
	over, late := 0, 0
	for _, a := range acks {
		lat = append(lat, a.Latency)
		if a.Latency > 3*time.Second {
			over++
		}
		if a.Late || a.Dropped {
			late++
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	w.waitFor("every envelope to be processed", 120*time.Second, func() bool {
		var done int
		w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM inbox WHERE state='done'`).Scan(&done)
		return done >= total+1
	})
	processed := time.Since(start)
	var stored int
	w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM inbox`).Scan(&stored)
	lost := total + 1 - stored
	fmt.Printf("ack burst: %d slash commands + %d clicks sent in %s; acks p50 %s p99 %s max %s; %d over 3 s, %d late or dropped, %d lost; all processed in %s\n",
		slashes, clicks, sent.Round(time.Millisecond), pct(0.5).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond),
		lat[len(lat)-1].Round(10*time.Microsecond), over, late, lost, processed.Round(time.Millisecond))
	return ackResult{p50: pct(0.5), p99: pct(0.99), max: lat[len(lat)-1], over: over, lost: lost}
}

// TestABurstOfCommandsAndClicksIsAckedInTimeAndNoneIsLost is the
// benchmark's small version, run with the tests.
func TestABurstOfCommandsAndClicksIsAckedInTimeAndNoneIsLost(t *testing.T) {
	if testing.Short() {
		t.Skip("burst")
	}
	res := benchAckBurst(t, 100, 100, 0)
	if res.lost != 0 {
		t.Errorf("%d envelopes lost", res.lost)
	}
	if res.over != 0 {
		t.Errorf("%d acks over 3 s", res.over)
	}
}
