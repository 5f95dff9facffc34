package flows

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/storage"
)

// Actor is a person acting in Slack, with the roles the bot resolved from
// the configured user groups (PRODUCT §6). Flows decides what the roles
// allow.
type Actor struct {
	ID        string
	Requester bool
	Approver  bool
}

// System is the actor for what offboard does on its own.
var System = Actor{ID: "offboard"}

// Reply says where to answer the person who asked: a slash command's
// response_url, or an ephemeral message in a channel.
type Reply struct {
	ResponseURL string `json:"response_url,omitempty"`
	Channel     string `json:"channel,omitempty"`
	User        string `json:"user,omitempty"`
}

// Notifier turns what happened into messages, inside the transaction that
// made it happen (package bot renders and enqueues them in the outbox).
type Notifier interface {
	Notify(ctx context.Context, tx *storage.Tx, n Notice) error
}

// Service runs the offboarding lifecycle.
type Service struct {
	db     *storage.DB
	cfg    Config
	notify Notifier
	log    zerolog.Logger
	now    func() time.Time
	conns  Connectors
	// wake asks the scheduler for a pass now (a case became due).
	wake chan struct{}
	// work wakes the executor (a job became ready).
	work chan struct{}
	// jitter returns a number in [0,1) for backoff jitter; tests fix it.
	jitter func() float64
	// tickMu keeps ticks from overlapping in this process.
	tickMu sync.Mutex
}

// Options are the parts a Service is built from.
type Options struct {
	DB         *storage.DB
	Config     Config
	Notifier   Notifier
	Connectors Connectors
	Logger     zerolog.Logger
	// Clock defaults to time.Now; tests move it.
	Clock  func() time.Time
	Jitter func() float64
}

// New builds the service. cfg must have passed Defaults and Validate.
func New(o Options) *Service {
	s := &Service{
		db: o.DB, cfg: o.Config, notify: o.Notifier, log: o.Logger, now: o.Clock, conns: o.Connectors,
		wake: make(chan struct{}, 1), work: make(chan struct{}, 1), jitter: o.Jitter,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.jitter == nil {
		s.jitter = defaultJitter
	}
	return s
}

// Config is the configuration the service runs with.
func (s *Service) Config() *Config { return &s.cfg }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.now() }

func poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
