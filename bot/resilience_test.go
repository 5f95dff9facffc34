package bot_test

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"

	"github.com/offboard/offboard/bot"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/storage"
)

// outboxID reads the outbox row a message was posted from (its metadata).
func outboxID(m fakeslack.Message) int64 {
	if m.Metadata == nil || m.Metadata.EventType != "offboard_outbox" {
		return 0
	}
	var p struct {
		ID int64 `json:"outbox_id"`
	}
	json.Unmarshal(m.Metadata.EventPayload, &p)
	return p.ID
}

func TestEveryMessageArrivesOnceAndInOrderThroughASocketDropAnd429s(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slack.InjectFault("chat.postMessage", fakeslack.Fault{Status: 429, RetryAfter: time.Second, For: 2500 * time.Millisecond})
	for i, target := range []string{"@sam", "@sid", "@sue", "@olly"} {
		if i == 2 {
			w.slack.DropSockets()
			w.waitFor("the bot to reconnect", 15*time.Second, func() bool { return w.slack.Sockets() == 1 && w.bot.Connected() })
		}
		text := w.slack.EscapeTyped(target + " contract ended")
		if _, err := w.slack.SlashWait(manager, channel, text, 10*time.Second); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	w.settle()
	w.waitFor("every outbox message to be delivered", 20*time.Second, func() bool {
		n, _ := storage.OutboxDepth(context.Background(), w.db.Reader())
		return n == 0
	})

	limited := 0
	for _, c := range w.slack.CallsTo("chat.postMessage") {
		if c.Status == 429 {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("chat.postMessage was never rate limited; the test proves nothing")
	}
	all := w.slack.AllMessages(channel)
	seen := map[int64]int{}
	threads := map[string][]fakeslack.Message{}
	for _, m := range all {
		id := outboxID(m)
		if id == 0 {
			t.Errorf("a message without its outbox id: %q", m.Text)
			continue
		}
		seen[id]++
		root := m.TS
		if m.ThreadTS != "" {
			root = m.ThreadTS
		}
		threads[root] = append(threads[root], m)
	}
	var sent int
	w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM outbox WHERE op='post' AND state='sent'`).Scan(&sent)
	if len(seen) != sent {
		t.Errorf("%d distinct messages in Slack, %d posts recorded as sent", len(seen), sent)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("outbox message %d arrived %d times", id, n)
		}
	}
	if len(w.topLevel("Offboarding #")) != 4 {
		t.Errorf("%d parent messages; want 4", len(w.topLevel("Offboarding #")))
	}
	for root, msgs := range threads {
		sort.Slice(msgs, func(i, j int) bool { return msgs[i].TS < msgs[j].TS })
		for i := 1; i < len(msgs); i++ {
			if outboxID(msgs[i]) < outboxID(msgs[i-1]) {
				t.Errorf("thread %s out of order: outbox %d arrived after %d", root, outboxID(msgs[i]), outboxID(msgs[i-1]))
			}
		}
		if len(msgs) < 2 {
			t.Errorf("thread %s has no checklist: %d messages", root, len(msgs))
		}
	}
	t.Logf("%d messages in %d threads; %d posts were answered 429", len(all), len(threads), limited)
}

func TestASlackOutageDelaysMessagesAndLosesNone(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.slack.InjectFault("chat.postMessage", fakeslack.Fault{Status: 503, For: 1500 * time.Millisecond})
	w.slack.InjectFault("chat.update", fakeslack.Fault{Status: 500, For: 1500 * time.Millisecond})
	w.slash(manager, "/offboard @sam moving teams")
	w.waitFor("the outage to pass and the outbox to drain", 20*time.Second, func() bool {
		n, _ := storage.OutboxDepth(context.Background(), w.db.Reader())
		return n == 0
	})
	parents := w.topLevel("Offboarding #1")
	if len(parents) != 1 {
		t.Fatalf("%d parents after the outage; want 1", len(parents))
	}
	thread := w.slack.Thread(channel, parents[0].TS)
	if len(thread) < 2 || !strings.Contains(thread[1].AllText(), "Checklist for offboarding #1") {
		t.Errorf("thread after the outage: %d messages", len(thread))
	}
	var dead int
	w.db.Reader().QueryRowContext(context.Background(), `SELECT count(*) FROM outbox WHERE state='dead'`).Scan(&dead)
	if dead != 0 {
		t.Errorf("%d messages given up during a transient outage", dead)
	}
}

func TestAMessagePostedJustBeforeACrashIsNotPostedAgain(t *testing.T) {
	w := newWorld(t, worldOptions{noRun: true})
	ctx := context.Background()
	// The state a crash leaves: the outbox row counted an attempt, Slack
	// has the message, the database does not know its ts.
	m := attemptedPost(t, w)
	api := slack.New(w.slack.BotToken(), slack.OptionAPIURL(w.slack.APIURL()))
	_, ts, err := api.PostMessage(channel, slack.MsgOptionText("Offboarding #99 of someone", false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "offboard_outbox", EventPayload: map[string]any{"outbox_id": m.ID}}))
	must(t, err)

	w.start(50 * time.Millisecond)
	w.settle()
	if n := len(w.topLevel("Offboarding #99")); n != 1 {
		t.Errorf("%d copies of the message; want the one already posted", n)
	}
	ref, err := storage.LoadMessage(ctx, w.db.Reader(), "case:99:parent")
	if err != nil || ref.TS != ts {
		t.Errorf("recorded ts %q (%v); want the earlier post's %q, so updates find it", ref.TS, err, ts)
	}
}

// A message someone else posted with the bot's outbox metadata (any user
// can attach metadata) must not pass for the bot's own earlier attempt:
// the bot posts its message.
func TestAForgedOutboxMessageIsNotTakenForTheBotsOwn(t *testing.T) {
	o := worldOptions{noRun: true}
	o.slack.Admin.Scopes = []string{"chat:write"} // a person who may post, as anyone may
	w := newWorld(t, o)
	ctx := context.Background()
	m := attemptedPost(t, w)
	forger := slack.New(w.slack.AdminToken(), slack.OptionAPIURL(w.slack.APIURL()))
	_, forged, err := forger.PostMessage(channel, slack.MsgOptionText("Offboarding #99 of someone", false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "offboard_outbox", EventPayload: map[string]any{"outbox_id": m.ID}}))
	must(t, err)

	w.start(50 * time.Millisecond)
	w.settle()
	ref, err := storage.LoadMessage(ctx, w.db.Reader(), "case:99:parent")
	if err != nil || ref.TS == forged || ref.TS == "" {
		t.Fatalf("recorded ts %q (%v); the forged message is %q: the bot must post its own", ref.TS, err, forged)
	}
	var mine int
	for _, msg := range w.topLevel("Offboarding #99") {
		if msg.User == "U0BOT" {
			mine++
		}
	}
	if mine != 1 {
		t.Errorf("%d copies posted by the bot; want 1", mine)
	}
}

// attemptedPost leaves the state a crash leaves: an outbox row whose
// attempt was counted, not known to have reached Slack.
func attemptedPost(t *testing.T, w *world) storage.OutMsg {
	t.Helper()
	ctx := context.Background()
	var m storage.OutMsg
	must(t, w.db.Write(ctx, func(tx *storage.Tx) error {
		m = storage.OutMsg{Stream: "case:99", Op: storage.OpPost, Channel: channel, MsgKey: "case:99:parent",
			Payload: []byte(`{"text":"Offboarding #99 of someone"}`)}
		if err := tx.Enqueue(ctx, &m); err != nil {
			return err
		}
		_, err := tx.StartAttempt(ctx, m)
		return err
	}))
	return m
}

// A process that starts inside a Retry-After its predecessor was told (it
// died after the 429) keeps the wait: the hold is in the database, not only
// in the sender's memory.
func TestARetryAfterOutlivesTheProcessThatWasTold(t *testing.T) {
	w := newWorld(t, worldOptions{noRun: true})
	ctx := context.Background()
	api := slack.New(w.slack.BotToken(), slack.OptionAPIURL(w.slack.APIURL()))
	enqueue := func(stream, text string) {
		must(t, w.db.Write(ctx, func(tx *storage.Tx) error {
			return tx.Enqueue(ctx, &storage.OutMsg{Stream: stream, Op: storage.OpPost, Channel: channel,
				Payload: []byte(`{"text":"` + text + `"}`)})
		}))
	}
	run := func() context.CancelFunc {
		s := bot.NewSender(api, w.db, zerolog.Nop(), bot.NewMetrics(nil), bot.SenderOptions{PerChannel: 10, Burst: 10,
			MinBackoff: 20 * time.Millisecond, MaxBackoff: 300 * time.Millisecond, Poll: 20 * time.Millisecond})
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); s.Run(rctx) }()
		return func() { cancel(); <-done }
	}

	w.slack.RateLimit("chat.postMessage", 2*time.Second, 1)
	enqueue("first", "one")
	stop := run()
	w.waitFor("the 429 to be recorded", 10*time.Second, func() bool {
		until, _ := storage.SlackHold(ctx, w.db.Reader(), channel)
		return !until.IsZero()
	})
	stop() // the process dies inside the wait
	held, _ := storage.SlackHold(ctx, w.db.Reader(), channel)

	enqueue("second", "two")
	stop = run()
	defer stop()
	w.waitFor("both messages to be delivered", 15*time.Second, func() bool {
		n, _ := storage.OutboxDepth(ctx, w.db.Reader())
		return n == 0
	})
	if v := w.slack.Violations(); len(v) != 0 {
		t.Errorf("the new process posted %s before the Retry-After its predecessor was told", v[0].Early)
	}
	for _, c := range w.slack.CallsTo("chat.postMessage") {
		if c.Status == 200 && c.At.Before(held) {
			t.Errorf("a post at %s, inside the hold until %s", c.At.Format(time.StampMilli), held.Format(time.StampMilli))
		}
	}
	if n := len(w.slack.AllMessages(channel)); n != 2 {
		t.Errorf("%d messages in the channel; want 2", n)
	}
}
