package fakeslack

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// TestBurstIsDeliveredAndAckedOnce sends a burst of slash commands and
// clicks to a slack-go client that acks each at once: every envelope must
// arrive once and be acked once, none lost.
func TestBurstIsDeliveredAndAckedOnce(t *testing.T) {
	const n = 300
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	_, ts, err := api(srv).PostMessage(appro, slack.MsgOptionText("x", false), slack.MsgOptionBlocks(
		slack.NewActionBlock("row", slack.NewButtonBlockElement("approve", "1", slack.NewTextBlockObject("plain_text", "Approve", false, false)))))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	acked := make(chan struct{})
	go func() {
		defer close(acked)
		for len(seen) < 2*n {
			ev := <-b.sm.Events
			if ev.Request != nil && ev.Request.EnvelopeID != "" {
				seen[ev.Request.EnvelopeID]++
				_ = b.sm.Ack(*ev.Request)
			}
		}
	}()
	for i := range n {
		if _, err := srv.Slash(sam, appro, fmt.Sprintf("status %d", i)); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Click(alex, InMessage(appro, ts), "Approve"); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-acked:
	case <-time.After(10 * time.Second):
		t.Fatalf("the client did not see all %d envelopes", 2*n)
	}
	if err := srv.WaitFor(wait, func() bool { return srv.Counts().Acked == 2*n }); err != nil {
		t.Fatalf("counts = %+v, want %d acked", srv.Counts(), 2*n)
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("envelope %s delivered %d times", id, k)
		}
	}
	var lat []time.Duration
	for _, a := range srv.Acks() {
		lat = append(lat, a.Latency)
	}
	slices.Sort(lat)
	t.Logf("fake round trip with slack-go, %d acks: p50 %v, p99 %v, max %v", len(lat), lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
	if c := srv.Counts(); c.Late != 0 || c.Dropped != 0 || c.TimedOut != 0 {
		t.Errorf("counts = %+v, want none late, dropped or timed out", c)
	}
}
