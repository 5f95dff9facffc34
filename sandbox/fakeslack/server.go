// Package fakeslack is a stateful Slack workspace on loopback that the real
// slack-go client talks to: the Web API, Socket Mode over WebSocket,
// response_urls and the SCIM user endpoint, with Block Kit validated the way
// Slack validates it, faults on demand, and a driver that acts as the people
// in the workspace (type a slash command, click a button, submit a modal).
//
// It is the test bed of the bot and the engine of `offboard sandbox`, so its
// state is inspectable and every driver call is safe from an HTTP handler.
// It must not know anything about offboard itself.
package fakeslack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/time/rate"
)

// Server is a running fake workspace. Create it with Start, stop it with Close.
type Server struct {
	opts    Options
	log     zerolog.Logger
	ln      net.Listener
	httpSrv *http.Server
	baseURL string

	wg      sync.WaitGroup
	closing chan struct{}
	closed  sync.Once
	wake    chan struct{} // nudges the scheduler

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	seq     int64         // for ids
	lastTS  int64         // microseconds of the last message ts

	users      map[string]*User
	userOrder  []string
	groups     map[string]*UserGroup
	groupOrder []string
	channels   map[string]*Channel
	chanOrder  []string
	messages   map[string][]*Message // per channel, in ts order, replies included
	ephemerals map[string][]*Ephemeral
	modals     map[string][]*View // per user, the modal stack
	homes      map[string]*View
	viewsByID  map[string]*View

	calls     []Call
	warnings  []Warning
	envelopes map[string]*envelope
	envOrder  []string
	acks      []Ack
	ackIndex  map[string]int // envelope id → its accepted ack in acks
	counts    Counts
	triggers  map[string]*trigger
	responses map[string]*responseURL
	tickets   map[string]time.Time

	pending     []*envelope // sent or tried, not yet resolved
	ackedEvents map[string]bool

	sockets []*socket
	rr      int
	steer   int // when set, the socket every delivery goes on
	onAck   func(envelopeID string)
	paused  bool
	queue   []*envelope

	faults       map[string][]*Fault
	postLimiters map[string]*rate.Limiter
	retryAfter   retryAfterBook
	// arrived counts calls per method as they arrive, before any fault.
	arrived map[string]int

	admin adminState // admin-only settings, access logs, session resets (admin.go)
}

// Start creates a workspace that holds only the bot user and listens on
// loopback. Seed it with AddUser, AddUserGroup and AddChannel.
func Start(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &Server{
		opts:         opts,
		log:          *opts.Logger,
		ln:           ln,
		baseURL:      "http://" + ln.Addr().String(),
		closing:      make(chan struct{}),
		wake:         make(chan struct{}, 1),
		changed:      make(chan struct{}),
		users:        map[string]*User{},
		groups:       map[string]*UserGroup{},
		channels:     map[string]*Channel{},
		messages:     map[string][]*Message{},
		ephemerals:   map[string][]*Ephemeral{},
		modals:       map[string][]*View{},
		homes:        map[string]*View{},
		viewsByID:    map[string]*View{},
		envelopes:    map[string]*envelope{},
		triggers:     map[string]*trigger{},
		responses:    map[string]*responseURL{},
		tickets:      map[string]time.Time{},
		ackedEvents:  map[string]bool{},
		ackIndex:     map[string]int{},
		faults:       map[string][]*Fault{},
		postLimiters: map[string]*rate.Limiter{},
		arrived:      map[string]int{},
	}
	s.users[opts.BotUserID] = &User{ID: opts.BotUserID, Name: opts.BotName, RealName: opts.BotName, IsBot: true}
	s.userOrder = append(s.userOrder, opts.BotUserID)

	s.httpSrv = &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error().Err(err).Msg("fake slack stopped serving")
		}
	}()
	go func() {
		defer s.wg.Done()
		s.schedule()
	}()
	return s, nil
}

// Close drops every socket, stops the server and waits for its goroutines.
func (s *Server) Close() error {
	var err error
	s.closed.Do(func() {
		s.mu.Lock()
		close(s.closing)
		socks := append([]*socket(nil), s.sockets...)
		s.mu.Unlock()
		for _, so := range socks {
			so.close()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err = s.httpSrv.Shutdown(ctx)
		s.wg.Wait()
	})
	return err
}

// URL is the server's root, "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.baseURL }

// APIURL is what slack.OptionAPIURL takes; it ends with "/api/".
func (s *Server) APIURL() string { return s.baseURL + "/api/" }

// SCIMURL is the SCIM v2 base URL, ending with "/scim/v2/".
func (s *Server) SCIMURL() string { return s.baseURL + "/scim/v2/" }

// BotToken is the xoxb token the Web API accepts.
func (s *Server) BotToken() string { return s.opts.BotToken }

// AppToken is the xapp token apps.connections.open accepts.
func (s *Server) AppToken() string { return s.opts.AppToken }

// SCIMToken is the token the SCIM endpoint accepts.
func (s *Server) SCIMToken() string { return s.opts.SCIMToken }

// TeamID is the workspace's ID.
func (s *Server) TeamID() string { return s.opts.TeamID }

// BotUserID is the bot's own user ID.
func (s *Server) BotUserID() string { return s.opts.BotUserID }

// Changed returns a channel that is closed at the next change of state
// (a message, an ack, a view …), for pages that refresh on change.
func (s *Server) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// notifyLocked wakes every waiter; s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// nextIDLocked returns a new id with the prefix, e.g. "V000012"; s.mu held.
func (s *Server) nextIDLocked(prefix string) string {
	s.seq++
	return fmt.Sprintf("%s%06d", prefix, s.seq)
}

// nextTSLocked returns a message ts, unique and increasing; s.mu held.
func (s *Server) nextTSLocked() string {
	us := s.opts.Clock().UnixMicro()
	if us <= s.lastTS {
		us = s.lastTS + 1
	}
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

func (s *Server) now() time.Time { return s.opts.Clock() }

// spawn runs f on a goroutine that Close waits for; it does nothing once
// the server is closing.
func (s *Server) spawn(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spawnLocked(f)
}

// spawnLocked is spawn with s.mu held, so that no Add races Close's Wait.
func (s *Server) spawnLocked(f func()) {
	select {
	case <-s.closing:
		return
	default:
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
}

func (s *Server) nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
