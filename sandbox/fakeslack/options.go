package fakeslack

import (
	"time"

	"github.com/rs/zerolog"
)

// Options configures a Server. The zero value gives a workspace with Slack's
// own timings; tests shorten the timings so they never wait for long.
type Options struct {
	// Addr is where the server listens; default 127.0.0.1:0 (loopback only).
	Addr string

	TeamID     string // default T0FAKE
	TeamName   string // default Fake Co
	TeamDomain string // default fakeco
	AppID      string // default A0FAKE
	BotUserID  string // default U0BOT
	BotID      string // default B0BOT
	BotName    string // default offboarder

	BotToken          string // default xoxb-fake-bot
	AppToken          string // default xapp-fake-app
	SCIMToken         string // default xoxp-fake-scim
	VerificationToken string // sent in payloads as `token`; default fake-verification

	// Admin is the admin user token and the workspace's plan; see admin.go.
	Admin AdminOptions

	// Scopes are the bot token's granted scopes, reported in X-OAuth-Scopes
	// and checked per method (missing_scope). Nil means DefaultScopes.
	Scopes []string

	// PingInterval is how often each socket gets a WebSocket PING; slack-go
	// reconnects when none comes for 30 s. Default 5 s.
	PingInterval time.Duration
	// AckTimeout is how long Slack waits for an ack before it counts the
	// envelope as late (slash and interactive) or retries it (events_api).
	// Default 3 s.
	AckTimeout time.Duration
	// EventRetryDelays are the waits after each unacked events_api delivery
	// before the next attempt; one entry per retry (Slack: 3 s, 1 min, 5 min).
	EventRetryDelays []time.Duration
	// TriggerTTL is how long a trigger_id stays valid after its envelope
	// was sent. Default 3 s.
	TriggerTTL time.Duration
	// DisconnectGrace is how long a socket stays open after a `warning`
	// disconnect frame. Default 10 s.
	DisconnectGrace time.Duration
	// DebugConnectionTime is how long a socket opened with
	// debug_reconnects=true lives before Slack sends it a `warning`
	// disconnect. Default 360 s, as Slack documents.
	DebugConnectionTime time.Duration
	// ResponseURLUses and ResponseURLTTL bound each response_url (5 in 30 min).
	ResponseURLUses int
	ResponseURLTTL  time.Duration
	// ChannelPostInterval, when set, rate-limits chat.postMessage per channel
	// like Slack (about one per second) with ChannelPostBurst as the burst;
	// over it the call gets 429 with Retry-After. Zero leaves it off.
	ChannelPostInterval time.Duration
	ChannelPostBurst    int

	// Clock gives the time for message timestamps, trigger and response_url
	// expiry and timed faults. Default time.Now. Socket timings (pings,
	// retries, ack latency) always use real time.
	Clock func() time.Time
	// Logger receives the server's own diagnostics. Default zerolog.Nop().
	Logger *zerolog.Logger
}

// DefaultScopes returns the bot scopes the fake grants when Options.Scopes
// is nil: exactly manifest.yml's (a test compares them), so that a call the
// installed app could not make fails here too.
func DefaultScopes() []string {
	return []string{
		"commands", "chat:write", "users:read", "users:read.email",
		"usergroups:read", "usergroups:write", "channels:history", "groups:history",
	}
}

func (o Options) withDefaults() Options {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&o.Addr, "127.0.0.1:0")
	def(&o.TeamID, "T0FAKE")
	def(&o.TeamName, "Fake Co")
	def(&o.TeamDomain, "fakeco")
	def(&o.AppID, "A0FAKE")
	def(&o.BotUserID, "U0BOT")
	def(&o.BotID, "B0BOT")
	def(&o.BotName, "offboarder")
	def(&o.BotToken, "xoxb-fake-bot")
	def(&o.AppToken, "xapp-fake-app")
	def(&o.SCIMToken, "xoxp-fake-scim")
	def(&o.VerificationToken, "fake-verification")
	if o.Scopes == nil {
		o.Scopes = DefaultScopes()
	}
	o.Admin = o.Admin.withDefaults()
	dur := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	dur(&o.PingInterval, 5*time.Second)
	dur(&o.AckTimeout, 3*time.Second)
	dur(&o.TriggerTTL, 3*time.Second)
	dur(&o.DisconnectGrace, 10*time.Second)
	dur(&o.DebugConnectionTime, 360*time.Second)
	dur(&o.ResponseURLTTL, 30*time.Minute)
	if o.EventRetryDelays == nil {
		o.EventRetryDelays = []time.Duration{3 * time.Second, time.Minute, 5 * time.Minute}
	}
	if o.ResponseURLUses <= 0 {
		o.ResponseURLUses = 5
	}
	if o.ChannelPostBurst <= 0 {
		o.ChannelPostBurst = 1
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		l := zerolog.Nop()
		o.Logger = &l
	}
	return o
}
