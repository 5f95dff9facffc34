package flows

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// More people of the flows tests.
var (
	// boss both requests and approves: the two-person rule is about them.
	boss = Actor{ID: "U0BOSS", Requester: true, Approver: true}
	// manager2 is a requester who did not request the case at hand.
	manager2 = Actor{ID: "U0MGR2", Requester: true}
	// self is the target acting as an approver of their own case.
	self = Actor{ID: target.SlackID, Requester: true, Approver: true}
	// other is a second person to offboard.
	other = Person{SlackID: "U0OTHER", Name: "other"}
)

// rigOptions are what some tests need beyond newRig's one Slack connector.
type rigOptions struct {
	cfg        Config
	grants     []connectors.Grant // the Slack connector's
	extra      []Connector        // connectors after the Slack one
	roleGroups []string
	noSlack    bool // leave the Slack connector out
}

// newRigWith is newRig with more connectors and the role groups.
func newRigWith(t *testing.T, o rigOptions) *rig {
	t.Helper()
	r := newRig(t, o.cfg, o.grants...)
	r.rebuild(o.roleGroups, o.noSlack, o.extra...)
	return r
}

// rebuild replaces the service with one on the same database and clock
// but other connectors: a restart with another configuration.
func (r *rig) rebuild(roleGroups []string, noSlack bool, extra ...Connector) {
	var cs Connectors
	if !noSlack {
		cs = append(cs, r.conn)
	}
	cs = append(cs, extra...)
	r.svc = New(Options{DB: r.db, Config: r.svc.cfg, Connectors: cs, RoleGroups: roleGroups, Logger: zerolog.Nop(),
		Clock: r.clock.Now, Jitter: func() float64 { return 0.5 }})
}

// request asks for an offboarding of p by actor, due now, and fails the
// test on an error.
func (r *rig) request(actor Actor, p Person) storage.Case {
	r.t.Helper()
	c, err := r.svc.Request(r.ctx, actor, RequestInput{Target: p, At: r.clock.Now(), Reason: "leaving"})
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// openFor requests a case for p by actor, due now, and discovers it.
func (r *rig) openFor(actor Actor, p Person) storage.Case {
	r.t.Helper()
	c := r.request(actor, p)
	if err := r.svc.OpenDue(r.ctx); err != nil {
		r.t.Fatal(err)
	}
	c = r.load(c.ID)
	if c.State != storage.CaseOpen && c.State != storage.CaseCompleted {
		r.t.Fatalf("case %d is %s after discovery; want open", c.ID, c.State)
	}
	return c
}

// ev is one audit event with its details decoded.
type ev struct {
	Seq      int64
	Type     string
	CaseID   int64
	ActionID int64
	Actor    string
	Details  map[string]any
}

// audit lists the audit events in order; typ "" lists every type.
func (r *rig) audit(typ string) []ev {
	r.t.Helper()
	rows, err := r.db.Reader().QueryContext(r.ctx, `SELECT seq, type, coalesce(case_id,0), coalesce(action_id,0), actor, details
		FROM audit_events WHERE ?='' OR type=? ORDER BY seq`, typ, typ)
	if err != nil {
		r.t.Fatal(err)
	}
	defer rows.Close()
	var out []ev
	for rows.Next() {
		var e ev
		var details string
		if err := rows.Scan(&e.Seq, &e.Type, &e.CaseID, &e.ActionID, &e.Actor, &details); err != nil {
			r.t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
			r.t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	return out
}

// last returns the latest audit event of a type; it fails the test when
// there is none.
func (r *rig) last(typ string) ev {
	r.t.Helper()
	es := r.audit(typ)
	if len(es) == 0 {
		r.t.Fatalf("no %s event", typ)
	}
	return es[len(es)-1]
}

// seq is the audit chain's head: events after it are what a step wrote.
func (r *rig) seq() int64 {
	r.t.Helper()
	var n sql.NullInt64
	if err := r.db.Reader().QueryRowContext(r.ctx, `SELECT max(seq) FROM audit_events`).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n.Int64
}

// since lists the types of the events written after seq.
func (r *rig) since(seq int64) []string {
	r.t.Helper()
	var out []string
	for _, e := range r.audit("") {
		if e.Seq > seq {
			out = append(out, e.Type)
		}
	}
	return out
}

// job reads an action's queued job: when it runs, and whether there is one.
func (r *rig) job(actionID int64) (time.Time, bool) {
	r.t.Helper()
	var at int64
	err := r.db.Reader().QueryRowContext(r.ctx, `SELECT run_at FROM jobs WHERE action_id=?`, actionID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false
	}
	if err != nil {
		r.t.Fatal(err)
	}
	return time.UnixMilli(at).UTC(), true
}

// action reads one action.
func (r *rig) action(id int64) storage.Action {
	r.t.Helper()
	a, err := storage.LoadAction(r.ctx, r.db.Reader(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return a
}

// byRef finds the action of a grant by its Ref.
func (r *rig) byRef(caseID int64, ref string) storage.Action {
	r.t.Helper()
	for _, a := range r.actions(caseID) {
		var g connectors.Grant
		if err := json.Unmarshal(a.Grant, &g); err != nil {
			r.t.Fatal(err)
		}
		if g.Ref == ref {
			return a
		}
	}
	r.t.Fatalf("case %d has no action for %s", caseID, ref)
	return storage.Action{}
}

// links lists the accounts linked to the identity of a Slack user.
func (r *rig) links(slackID string) []storage.AccountLink {
	r.t.Helper()
	var id int64
	err := r.db.Reader().QueryRowContext(r.ctx, `SELECT id FROM identities WHERE slack_user=?`, slackID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		r.t.Fatal(err)
	}
	ls, err := storage.ListAccounts(r.ctx, r.db.Reader(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return ls
}

// count counts the rows of a table.
func (r *rig) count(table string) int {
	r.t.Helper()
	var n int
	if err := r.db.Reader().QueryRowContext(r.ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		r.t.Fatal(err)
	}
	return n
}

// wantRefusal fails the test unless err is a refusal of kind.
func wantRefusal(t *testing.T, err error, kind RefusalKind) *Refusal {
	t.Helper()
	ref, ok := Refused(err)
	if !ok {
		t.Fatalf("got %v; want a refusal %q", err, kind)
	}
	if ref.Kind != kind {
		t.Fatalf("refused as %q; want %q", ref.Kind, kind)
	}
	return ref
}

// sys is a connector of any system (GitHub, AWS, …) whose accounts come
// from links. It lists fixed grants per account, counts revocations, and
// can report dormant accounts and find accounts by email.
type sys struct {
	system connectors.System
	scope  string
	name   string // Named: an AWS account's configured name

	mu         sync.Mutex
	grants     map[string][]connectors.Grant // by account ID
	grantsErr  func(n int) error             // the n-th Grants call's error
	grantCalls int
	revoked    map[string]int
	dormant    []connectors.Dormant
	dormantErr error
	// inScan, when set, is closed when Dormant starts, and Dormant waits
	// for release before it returns.
	inScan, release chan struct{}
	emails          map[string][]connectors.Account
	emailErr        error
}

func (c *sys) System() connectors.System { return c.system }
func (c *sys) Scope() string             { return c.scope }
func (c *sys) Name() string              { return c.name }

func (c *sys) Grants(ctx context.Context, a connectors.Account) ([]connectors.Grant, error) {
	c.mu.Lock()
	c.grantCalls++
	n := c.grantCalls
	c.mu.Unlock()
	if c.grantsErr != nil {
		if err := c.grantsErr(n); err != nil {
			return nil, err
		}
	}
	var out []connectors.Grant
	for _, g := range c.grants[a.ID] {
		g.Account = a
		out = append(out, g)
	}
	return out, nil
}

func (c *sys) Revoke(ctx context.Context, g connectors.Grant) (connectors.Outcome, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.revoked == nil {
		c.revoked = map[string]int{}
	}
	c.revoked[g.Ref]++
	return connectors.Revoked, nil
}

func (c *sys) Dormant(ctx context.Context, now time.Time, days int) ([]connectors.Dormant, error) {
	if c.inScan != nil {
		close(c.inScan)
		<-c.release
	}
	return c.dormant, c.dormantErr
}

func (c *sys) ScanNotes() []string { return []string{"private contributions are not visible"} }

func (c *sys) FindByEmail(ctx context.Context, email string) ([]connectors.Account, error) {
	return c.emails[email], c.emailErr
}

// newGitHub is a GitHub connector for the org acme.
func newGitHub() *sys {
	return &sys{system: connectors.GitHub, scope: "acme", grants: map[string][]connectors.Grant{}}
}

// newAWS is an IAM connector for account 111122223333, named prod.
func newAWS() *sys {
	return &sys{system: connectors.AWS, scope: "111122223333", name: "prod", grants: map[string][]connectors.Grant{}}
}

var (
	_ DormancyReporter = (*sys)(nil)
	_ EmailFinder      = (*sys)(nil)
	_ ScanNoter        = (*sys)(nil)
	_ Named            = (*sys)(nil)
)
