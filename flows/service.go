package flows

import (
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/storage"
)

// Actor is a person acting in Slack, with the roles the bot resolved from
// the configured user groups. Flows decides what the roles
// allow.
type Actor struct {
	ID        string
	Requester bool
	Approver  bool
}

// System is the actor for what offboard does on its own.
var System = Actor{ID: "offboard"}

// Service runs the offboarding lifecycle.
type Service struct {
	db  *storage.DB
	cfg Config
	log zerolog.Logger
	// roleGroups are the Slack user groups that make people requesters
	// or approvers: removal from them is never auto-approved.
	roleGroups []string
	now        func() time.Time
	conns      Connectors
	// wake asks the scheduler for a pass now (a case became due).
	wake chan struct{}
	// work wakes the executor (a job became ready).
	work chan struct{}
	// jitter returns a number in [0,1) for backoff jitter; tests fix it.
	jitter func() float64
	// lease is how long a lease outlives its owner at most.
	lease time.Duration
	// tickMu keeps ticks from overlapping in this process.
	tickMu sync.Mutex
}

// Options are the parts a Service is built from.
type Options struct {
	DB         *storage.DB
	Config     Config
	Connectors Connectors
	// RoleGroups are the requester and approver user groups (S…).
	RoleGroups []string
	Logger     zerolog.Logger
	// Clock defaults to time.Now; tests move it.
	Clock  func() time.Time
	Jitter func() float64
	// Lease is how long a lease (on a case's discovery, a scan, an
	// executing job) outlives a process that died holding it; default and
	// maximum 30 s. Only tests that kill the process shorten it.
	Lease time.Duration
}

// New builds the service. cfg must have passed Defaults and Validate.
func New(o Options) *Service {
	s := &Service{
		db: o.DB, cfg: o.Config, roleGroups: o.RoleGroups, log: o.Logger, now: o.Clock, conns: o.Connectors,
		wake: make(chan struct{}, 1), work: make(chan struct{}, 1), jitter: o.Jitter,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.jitter == nil {
		s.jitter = defaultJitter
	}
	s.lease = o.Lease
	if s.lease <= 0 || s.lease > maxLease {
		s.lease = maxLease
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
