package flows

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// The people of the flows tests.
var (
	manager  = Actor{ID: "U0MGR", Requester: true}
	sec1     = Actor{ID: "U0SEC1", Approver: true}
	sec2     = Actor{ID: "U0SEC2", Approver: true}
	outsider = Actor{ID: "U0OUT"}
	target   = Person{SlackID: "U0DEV", Name: "dev"}
)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// conn is a connector of the Slack system (so the target's Slack ID is its
// account) that returns fixed grants and counts every revocation.
type conn struct {
	mu     sync.Mutex
	grants []connectors.Grant
	calls  map[string]int
	// revoke, when set, runs the revocation; default: Revoked at once.
	revoke func(ctx context.Context, g connectors.Grant, n int) (connectors.Outcome, error)
}

func (c *conn) System() connectors.System { return connectors.Slack }
func (c *conn) Scope() string             { return "T0" }
func (c *conn) Grants(ctx context.Context, a connectors.Account) ([]connectors.Grant, error) {
	out := make([]connectors.Grant, len(c.grants))
	for i, g := range c.grants {
		g.Account = a
		out[i] = g
	}
	return out, nil
}
func (c *conn) Revoke(ctx context.Context, g connectors.Grant) (connectors.Outcome, error) {
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[g.Ref]++
	n := c.calls[g.Ref]
	c.mu.Unlock()
	if c.revoke != nil {
		return c.revoke(ctx, g, n)
	}
	return connectors.Revoked, nil
}
func (c *conn) Calls(ref string) int { c.mu.Lock(); defer c.mu.Unlock(); return c.calls[ref] }

// rig is a flows Service on a real SQLite file, with a test clock and one
// counting connector.
type rig struct {
	t     *testing.T
	ctx   context.Context
	db    *storage.DB
	svc   *Service
	clock *clock
	conn  *conn
}

func newRig(t *testing.T, cfg Config, grants ...connectors.Grant) *rig {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "offboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &clock{t: time.Date(2024, 7, 1, 9, 0, 0, 0, time.UTC)}
	db.SetClock(clk.Now)
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	c := &conn{grants: grants}
	svc := New(Options{DB: db, Config: cfg, Connectors: Connectors{c}, Logger: zerolog.Nop(),
		Clock: clk.Now, Jitter: func() float64 { return 0.5 }})
	return &rig{t: t, ctx: ctx, db: db, svc: svc, clock: clk, conn: c}
}

// open requests a case for the target due now and discovers it.
func (r *rig) open() storage.Case {
	r.t.Helper()
	c, err := r.svc.Request(r.ctx, manager, RequestInput{Target: target, At: r.clock.Now()})
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.svc.OpenDue(r.ctx); err != nil {
		r.t.Fatal(err)
	}
	return r.load(c.ID)
}

func (r *rig) load(id int64) storage.Case {
	r.t.Helper()
	c, err := storage.LoadCase(r.ctx, r.db.Reader(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

func (r *rig) actions(caseID int64) []storage.Action {
	r.t.Helper()
	as, err := storage.ListActions(r.ctx, r.db.Reader(), caseID)
	if err != nil {
		r.t.Fatal(err)
	}
	return as
}

// events counts the audit events of one action by type.
func (r *rig) events(actionID int64) map[string]int {
	r.t.Helper()
	rows, err := r.db.Reader().QueryContext(r.ctx, `SELECT type FROM audit_events WHERE action_id=?`, actionID)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var typ string
		if err := rows.Scan(&typ); err != nil {
			r.t.Fatal(err)
		}
		out[typ]++
	}
	return out
}

// waitFor polls cond until it holds or 10 s pass.
func (r *rig) waitFor(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			r.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runExecutor runs the executor until the test ends.
func (r *rig) runExecutor(o ExecutorOptions) {
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan struct{})
	go func() { defer close(done); r.svc.RunExecutor(ctx, o) }()
	r.t.Cleanup(func() { cancel(); <-done })
}
