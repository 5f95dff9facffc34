package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"github.com/slack-go/slack"
	"golang.org/x/time/rate"

	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// metadataEventType marks the messages offboard posts, with the outbox row
// that posted them, so that a resend after a crash can find them first.
const metadataEventType = "offboard_outbox"

// SenderOptions tune the outbox sender.
type SenderOptions struct {
	// PerChannel is the sustained messages per second per channel (about 1
	// for chat.postMessage); Burst is how many may go at once.
	PerChannel float64
	Burst      int
	// Parallel bounds the streams delivered at once.
	Parallel int
	// MinBackoff and MaxBackoff bound the wait after a failure that did not
	// say how long to wait.
	MinBackoff, MaxBackoff time.Duration
	// Poll is how often the outbox is read when nothing wakes the sender.
	Poll time.Duration
	// Home renders a user's App Home when it is published.
	Home func(ctx context.Context, q storage.Querier, viewer flows.Actor) (slack.HomeTabViewRequest, error)
}

func (o *SenderOptions) defaults() {
	if o.PerChannel <= 0 {
		o.PerChannel = 1
	}
	if o.Burst <= 0 {
		o.Burst = 4
	}
	if o.Parallel <= 0 {
		o.Parallel = 8
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 5 * time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
}

// Sender delivers the outbox to Slack: in order within a stream, paced per
// channel, honouring 429 Retry-After, retrying failures for as long as it
// takes. A Slack outage delays messages; it never loses them.
type Sender struct {
	api     *slack.Client
	db      *storage.DB
	log     zerolog.Logger
	metrics *Metrics
	opts    SenderOptions
	wake    chan struct{}
	home    func(ctx context.Context, q storage.Querier, viewer flows.Actor) (slack.HomeTabViewRequest, error)

	// self is the bot's own user and bot ID (from auth.test): only its
	// messages are taken as earlier attempts of an outbox row.
	self atomic.Pointer[botSelf]

	mu       sync.Mutex
	gates    map[string]*channelGate
	inflight map[string]bool
}

// channelGate paces the calls to one channel: one in flight at a time, at
// most PerChannel a second, and none before a 429's Retry-After has passed.
// One at a time is what makes Retry-After keepable: a second call already
// on the wire when the 429 comes back would arrive inside the wait.
type channelGate struct {
	key   string // the channel, or "ephemeral " and the channel
	turn  chan struct{}
	lim   *rate.Limiter
	mu    sync.Mutex
	until time.Time
}

// NewSender builds a sender; it wakes on every commit that enqueues.
func NewSender(api *slack.Client, db *storage.DB, log zerolog.Logger, m *Metrics, o SenderOptions) *Sender {
	o.defaults()
	s := &Sender{api: api, db: db, log: log, metrics: m, opts: o, wake: make(chan struct{}, 1), home: o.Home,
		gates: map[string]*channelGate{}, inflight: map[string]bool{}}
	db.OnOutbox(s.Wake)
	return s
}

// botSelf names the bot in Slack.
type botSelf struct{ User, Bot string }

// SetSelf tells the sender who the bot is (auth.test's user_id and
// bot_id). Until it is told, it trusts no message it finds in Slack.
func (s *Sender) SetSelf(user, bot string) { s.self.Store(&botSelf{User: user, Bot: bot}) }

// Wake tells the sender there is something new to send.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends, then waits for the deliveries in flight.
func (s *Sender) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	done := make(chan struct{}, s.opts.Parallel)
	slots := make(chan struct{}, s.opts.Parallel)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		heads, err := storage.OutboxHeads(ctx, s.db.Reader(), time.Now(), 256)
		if err != nil && ctx.Err() == nil {
			s.log.Warn().Err(err).Msg("read outbox")
		}
		for _, m := range heads {
			s.mu.Lock()
			busy := s.inflight[m.Stream]
			if !busy {
				s.inflight[m.Stream] = true
			}
			s.mu.Unlock()
			if busy {
				continue
			}
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				s.release(m.Stream)
				return
			}
			wg.Add(1)
			go func(m storage.OutMsg) {
				defer wg.Done()
				defer func() {
					<-slots
					s.release(m.Stream)
					select {
					case done <- struct{}{}:
					default:
					}
				}()
				s.deliver(ctx, m)
			}(m)
		}
		t.Reset(s.opts.Poll)
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
			// Let a burst of commits land before reading the outbox again.
			time.Sleep(5 * time.Millisecond)
		case <-done:
		case <-t.C:
		}
	}
}

func (s *Sender) release(stream string) {
	s.mu.Lock()
	delete(s.inflight, stream)
	s.mu.Unlock()
}

// Flush delivers what is due now, for at most d, during shutdown.
func (s *Sender) Flush(d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	for ctx.Err() == nil {
		n, err := storage.OutboxDepth(ctx, s.db.Reader())
		if err != nil || n == 0 {
			return
		}
		heads, err := storage.OutboxHeads(ctx, s.db.Reader(), time.Now(), 64)
		if err != nil || len(heads) == 0 {
			return
		}
		for _, m := range heads {
			s.deliver(ctx, m)
		}
	}
}

func (s *Sender) gate(channel string) *channelGate {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.gates[channel]
	if !ok {
		g = &channelGate{key: channel, turn: make(chan struct{}, 1), lim: rate.NewLimiter(rate.Limit(s.opts.PerChannel), s.opts.Burst)}
		// A wait an earlier process was told (it may have died inside it)
		// still holds.
		if until, err := storage.SlackHold(context.Background(), s.db.Reader(), channel); err == nil {
			g.until = until
		}
		s.gates[channel] = g
	}
	return g
}

// enter waits for the channel's turn, its Retry-After and its pace; the
// caller calls leave when its call is answered and recorded.
func (g *channelGate) enter(ctx context.Context) error {
	select {
	case g.turn <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	g.mu.Lock()
	wait := time.Until(g.until)
	g.mu.Unlock()
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			g.leave()
			return ctx.Err()
		}
	}
	if err := g.lim.Wait(ctx); err != nil {
		g.leave()
		return err
	}
	return nil
}

func (g *channelGate) leave() { <-g.turn }

// hold keeps the channel quiet for d (a 429's Retry-After).
func (g *channelGate) hold(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if until := time.Now().Add(d); until.After(g.until) {
		g.until = until
	}
}

// deliver sends one message and records what happened.
func (s *Sender) deliver(ctx context.Context, m storage.OutMsg) {
	log := s.log.With().Int64("outbox", m.ID).Str("op", m.Op).Str("stream", m.Stream).Logger()
	if superseded, err := storage.Superseded(ctx, s.db.Reader(), m); err == nil && superseded {
		s.record(ctx, func(tx *storage.Tx) error { return tx.MarkSent(ctx, m, "", "") })
		return
	}
	var p payload
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		s.record(ctx, func(tx *storage.Tx) error { return tx.GiveUp(ctx, m.ID, "unreadable payload: "+err.Error()) })
		return
	}
	var gate *channelGate
	if m.Channel != "" && m.Op != storage.OpRespond && m.Op != storage.OpHome {
		// Ephemeral answers are not chat.postMessage: they have a gate of
		// their own, so that a person's answer does not queue behind a
		// long checklist posted to the same channel.
		key := m.Channel
		if m.Op == storage.OpEphemeral {
			key = "ephemeral " + m.Channel
		}
		gate = s.gate(key)
		if err := gate.enter(ctx); err != nil {
			return
		}
		defer gate.leave()
	}
	// Claim the attempt first: a stale read of the outbox must not send a
	// message that another delivery has just sent.
	var claimed bool
	if err := s.db.Write(ctx, func(tx *storage.Tx) error {
		var err error
		claimed, err = tx.StartAttempt(ctx, m)
		return err
	}); err != nil || !claimed {
		return
	}
	// A post that was tried before may be in Slack already (the process
	// died between the call and recording it): look before posting again.
	if m.Op == storage.OpPost && m.Attempts > 0 {
		if ch, ts, found := s.findPosted(ctx, m); found {
			log.Info().Str("ts", ts).Msg("message was already posted before a restart; not posting twice")
			s.record(ctx, func(tx *storage.Tx) error { return tx.MarkSent(ctx, m, ch, ts) })
			return
		}
	}
	channel, ts, err := s.send(ctx, m, p)
	if err == nil {
		s.metrics.OutboxSent.WithLabelValues(m.Op).Inc()
		s.record(ctx, func(tx *storage.Tx) error { return tx.MarkSent(ctx, m, channel, ts) })
		return
	}
	kind, wait := classify(err, m.Attempts+1, s.opts)
	s.metrics.OutboxError.WithLabelValues(m.Op, kind).Inc()
	switch kind {
	case "refused":
		log.Error().Err(err).Msg("slack refused the message; it will not be retried")
		s.record(ctx, func(tx *storage.Tx) error { return tx.GiveUp(ctx, m.ID, err.Error()) })
	default:
		log.Warn().Err(err).Dur("retry_in", wait).Msg("delivery failed; will retry")
		until := time.Now().Add(wait)
		if kind == "rate_limited" && gate != nil {
			// Hold the whole channel back, not only this stream, and
			// remember it for a process that starts after a crash.
			gate.hold(wait)
			s.record(ctx, func(tx *storage.Tx) error {
				if err := tx.HoldSlack(ctx, gate.key, until); err != nil {
					return err
				}
				return tx.RetryLater(ctx, m.ID, until, err.Error())
			})
			return
		}
		s.record(ctx, func(tx *storage.Tx) error { return tx.RetryLater(ctx, m.ID, until, err.Error()) })
	}
}

func (s *Sender) record(ctx context.Context, fn func(tx *storage.Tx) error) {
	if err := s.db.Write(context.WithoutCancel(ctx), fn); err != nil {
		s.log.Error().Err(err).Msg("record outbox delivery")
	}
}

// classify sorts a failed call: "rate_limited" (wait as told), "retry"
// (back off), or "refused" (Slack will never accept it).
func classify(err error, attempt int, o SenderOptions) (string, time.Duration) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		w := rl.RetryAfter
		if w <= 0 {
			w = 30 * time.Second
		}
		return "rate_limited", w
	}
	backoff := o.MinBackoff << min(attempt-1, 16)
	if backoff > o.MaxBackoff || backoff <= 0 {
		backoff = o.MaxBackoff
	}
	backoff = backoff/2 + time.Duration(rand.Int64N(int64(backoff/2)+1))
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "ratelimited", "rate_limited":
			return "rate_limited", backoff
		case "internal_error", "fatal_error", "request_timeout", "service_unavailable", "team_added_to_org":
			return "retry", backoff
		case "not_authed", "invalid_auth", "account_inactive", "token_revoked", "token_expired", "missing_scope", "not_in_channel":
			// The operator can fix these; keep the message until they do.
			return "retry", max(backoff, time.Minute)
		}
		return "refused", 0
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) && (sc.Code == 404 || sc.Code == 410) {
		return "refused", 0 // an expired response_url
	}
	return "retry", backoff
}

// payload is what an outbox row carries for Slack.
type payload struct {
	Text        string          `json:"text"`
	Blocks      json.RawMessage `json:"blocks,omitempty"`
	User        string          `json:"user,omitempty"`
	ResponseURL string          `json:"response_url,omitempty"`
	// Replace makes a response_url post replace the message it came from.
	Replace bool `json:"replace,omitempty"`
	// Approver and Requester are an App Home viewer's roles when it was
	// asked for: what the Home shows depends on them.
	Approver  bool `json:"approver,omitempty"`
	Requester bool `json:"requester,omitempty"`
}

func (p payload) blocks() ([]slack.Block, error) {
	if len(p.Blocks) == 0 {
		return nil, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(p.Blocks, &raw); err != nil {
		return nil, err
	}
	out := make([]slack.Block, len(raw))
	for i, r := range raw {
		out[i] = rawBlock(r)
	}
	return out, nil
}

// rawBlock is a block already rendered to Slack's JSON; it is sent as it
// was stored, without decoding it into slack-go's types and back.
type rawBlock json.RawMessage

func (r rawBlock) BlockType() slack.MessageBlockType { return "" }
func (r rawBlock) ID() string                        { return "" }

// MarshalJSON returns the stored JSON.
func (r rawBlock) MarshalJSON() ([]byte, error) { return r, nil }

// send makes the Slack call for one message.
func (s *Sender) send(ctx context.Context, m storage.OutMsg, p payload) (string, string, error) {
	blocks, err := p.blocks()
	if err != nil {
		return "", "", fmt.Errorf("decode blocks: %w", err)
	}
	opts := []slack.MsgOption{slack.MsgOptionText(p.Text, false)}
	if len(blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(blocks...))
	}
	switch m.Op {
	case storage.OpPost:
		if m.ThreadKey != "" {
			parent, err := storage.LoadMessage(ctx, s.db.Reader(), m.ThreadKey)
			if err != nil {
				return "", "", slack.SlackErrorResponse{Err: "thread_not_found"}
			}
			opts = append(opts, slack.MsgOptionTS(parent.TS))
		}
		opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataEventType,
			EventPayload: map[string]any{"outbox_id": m.ID}}), slack.MsgOptionDisableLinkUnfurl())
		ch, ts, err := s.api.PostMessageContext(ctx, m.Channel, opts...)
		return ch, ts, err
	case storage.OpUpdate:
		ref, err := storage.LoadMessage(ctx, s.db.Reader(), m.MsgKey)
		if err != nil {
			return "", "", slack.SlackErrorResponse{Err: "message_not_found"}
		}
		ch, ts, _, err := s.api.UpdateMessageContext(ctx, ref.Channel, ref.TS, opts...)
		return ch, ts, err
	case storage.OpEphemeral:
		ts, err := s.api.PostEphemeralContext(ctx, m.Channel, p.User, opts...)
		return m.Channel, ts, err
	case storage.OpRespond:
		rt := slack.ResponseTypeEphemeral
		if p.Replace {
			opts = append(opts, slack.MsgOptionReplaceOriginal(p.ResponseURL))
		} else {
			opts = append(opts, slack.MsgOptionResponseURL(p.ResponseURL, rt))
		}
		_, _, err := s.api.PostMessageContext(ctx, m.Channel, opts...)
		if err != nil && m.Channel != "" && p.User != "" && !p.Replace {
			// response_urls expire (30 min, 5 uses): fall back to an
			// ephemeral message in the channel the command came from.
			if _, err2 := s.api.PostEphemeralContext(ctx, m.Channel, p.User, opts[:len(opts)-1]...); err2 == nil {
				return m.Channel, "", nil
			}
		}
		return m.Channel, "", err
	case storage.OpHome:
		if s.home == nil {
			return "", "", nil
		}
		view, err := s.home(ctx, s.db.Reader(), flows.Actor{ID: p.User, Approver: p.Approver, Requester: p.Requester})
		if err != nil {
			return "", "", fmt.Errorf("render home: %w", err)
		}
		_, err = s.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: p.User, View: view})
		return "", "", err
	}
	return "", "", fmt.Errorf("unknown outbox op %q", m.Op)
}

// findPosted looks in Slack for a message an earlier attempt of m posted.
func (s *Sender) findPosted(ctx context.Context, m storage.OutMsg) (string, string, bool) {
	self := s.self.Load()
	if self == nil {
		return "", "", false // who posted cannot be told: post again rather than trust
	}
	match := func(msgs []slack.Message) (string, bool) {
		for _, msg := range msgs {
			// Anyone can attach metadata to a message; only the bot's
			// own say what the bot posted.
			if msg.Metadata.EventType != metadataEventType || msg.User != self.User || (self.Bot != "" && msg.BotID != self.Bot) {
				continue
			}
			if id, ok := msg.Metadata.EventPayload["outbox_id"].(float64); ok && int64(id) == m.ID {
				return msg.Timestamp, true
			}
		}
		return "", false
	}
	oldest := fmt.Sprintf("%d.000000", m.CreatedAt.Add(-time.Minute).Unix())
	if m.ThreadKey != "" {
		parent, err := storage.LoadMessage(ctx, s.db.Reader(), m.ThreadKey)
		if err != nil {
			return "", "", false
		}
		msgs, _, _, err := s.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: parent.Channel, Timestamp: parent.TS, Oldest: oldest, Limit: 200, IncludeAllMetadata: true})
		if err != nil {
			return "", "", false
		}
		ts, ok := match(msgs)
		return parent.Channel, ts, ok
	}
	resp, err := s.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
		ChannelID: m.Channel, Oldest: oldest, Limit: 200, IncludeAllMetadata: true})
	if err != nil {
		return "", "", false
	}
	ts, ok := match(resp.Messages)
	return m.Channel, ts, ok
}
