// Package web is the page of `offboard sandbox`: it shows the simulated
// Slack workspace the way Slack would (channels, Block Kit messages,
// threads, ephemerals, modals, App Home) to whichever person the visitor
// chooses to be, and lets them act as that person through the fake
// Slack's driver, so the bot receives real Socket Mode envelopes. A side
// panel shows the simulated GitHub org, AWS account and Slack user groups
// as the bot changes them, and the audit log. It renders everything in Go
// and serves its few assets from the binary; nothing leaves the machine.
//
// It must not know the bot's insides: it reads the fakes and asks the Bot
// interface for the audit log and the next due time.
package web

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/sandbox/company"
	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/sandbox/simclock"
)

//go:embed assets
var assets embed.FS

// Bot is what the page needs of the running bot.
type Bot interface {
	// Connected says whether the bot's socket is open.
	Connected() bool
	// Audit returns the newest audit events, newest first, and the result
	// of verifying the whole chain.
	Audit(ctx context.Context, limit int) ([]AuditEntry, Verification, error)
	// AuditHead is the newest audit event's sequence number.
	AuditHead(ctx context.Context) (int64, error)
	// NextDue is the next instant something is due (a scheduled case, a
	// held action's until-date, a reminder, the nightly scan) and what.
	NextDue(ctx context.Context, now time.Time) (time.Time, string, bool)
	// Tick does what is due now; the page calls it after moving the clock.
	Tick(ctx context.Context)
}

// AuditEntry is one audit event as the audit tab shows it.
type AuditEntry struct {
	Seq     int64
	At      time.Time
	Type    string
	CaseID  int64
	Actor   string
	Details string
	Hash    string
}

// Verification is the result of recomputing the audit chain.
type Verification struct {
	Events int64
	OK     bool
	Broken string // what broke, when not OK
}

// Options are the running company and bot the page shows.
type Options struct {
	Slack    *fakeslack.Server
	GitHub   *fakegithub.Server
	AWS      *fakeaws.Server
	Clock    *simclock.Clock
	Location *time.Location
	// Config is the bot's configuration file, shown on the page.
	Config string
	// Bot is the running bot; the page works without it (before it is
	// built) and says so.
	Bot    func() Bot
	Logger zerolog.Logger
}

// Server serves the page. Run its watcher with Run.
type Server struct {
	o     Options
	mux   *http.ServeMux
	panel *tracker

	mu      sync.Mutex
	version int64
	changed chan struct{}

	// audit is the audit tab as last rendered, for the head it was
	// rendered at: verifying the chain on every refresh would be waste.
	auditMu  sync.Mutex
	auditSeq int64
	auditOut string
}

// New builds the page's server.
func New(o Options) *Server {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Bot == nil {
		o.Bot = func() Bot { return nil }
	}
	s := &Server{o: o, mux: http.NewServeMux(), panel: newTracker(), changed: make(chan struct{})}
	s.panel.observe(s.systems(), time.Time{}) // the seed is the baseline, not a change
	static, _ := fs.Sub(assets, "assets")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /{$}", s.page)
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/icon.svg", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc("GET /state", s.state)
	s.mux.HandleFunc("GET /events", s.events)
	s.mux.HandleFunc("POST /api/slash", s.post(s.slash))
	s.mux.HandleFunc("POST /api/click", s.post(s.click))
	s.mux.HandleFunc("POST /api/submit", s.post(s.submit))
	s.mux.HandleFunc("POST /api/close", s.post(s.closeView))
	s.mux.HandleFunc("POST /api/home", s.post(s.openHome))
	s.mux.HandleFunc("POST /api/clock", s.post(s.moveClock))
	s.mux.HandleFunc("POST /api/fault", s.post(s.fault))
	return s
}

// ServeHTTP serves the page, its state, its events and its actions.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// Nothing on the page comes from elsewhere, and no inline script runs:
	// even a rendering bug cannot execute what a user typed.
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'")
	s.mux.ServeHTTP(w, r)
}

// Run watches the company for changes and tells the open pages, until ctx
// ends. The fake Slack and the clock say when they change; the GitHub and
// AWS fakes and the audit log are compared every 200 ms.
func (s *Server) Run(ctx context.Context) error {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	last := s.fingerprint(ctx)
	for {
		slackCh, clockCh := s.o.Slack.Changed(), s.o.Clock.Changed()
		select {
		case <-ctx.Done():
			return nil
		case <-slackCh:
		case <-clockCh:
		case <-tick.C:
			fp := s.fingerprint(ctx)
			if fp == last {
				continue
			}
			last = fp
		}
		s.bump()
	}
}

// bump tells every open page that something changed.
func (s *Server) bump() {
	s.mu.Lock()
	s.version++
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

func (s *Server) watch() (int64, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, s.changed
}

// company is the roster the page offers to act as.
func (s *Server) people() []company.Person { return company.People() }
