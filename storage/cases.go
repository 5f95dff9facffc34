package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Case states.
const (
	CaseScheduled = "scheduled"
	CaseOpen      = "open"
	CaseCompleted = "completed"
	CaseCancelled = "cancelled"
)

// Case triggers.
const (
	TriggerManual    = "manual"
	TriggerScheduled = "scheduled"
	TriggerDormant   = "dormant"
)

// Case is one offboarding.
type Case struct {
	ID          int64
	IdentityID  int64
	Target      Identity
	Requester   string
	Reason      string
	Trigger     string
	State       string
	EffectiveAt time.Time
	Overdue     bool
	RequestedAt time.Time
	OpenedAt    time.Time // zero until opened
	ClosedAt    time.Time // zero until completed or cancelled
	ClosedBy    string
	Channel     string
	// Notes are what discovery could not do (unlinked accounts, systems it
	// could not read), shown on the checklist.
	Notes []string
}

// Active says whether the case is scheduled or open.
func (c Case) Active() bool { return c.State == CaseScheduled || c.State == CaseOpen }

// ErrDuplicateCase is returned by InsertCase when the identity already has
// a scheduled or open case.
var ErrDuplicateCase = errors.New("the person already has a scheduled or open offboarding")

// InsertCase creates a case; c.ID is set. The database refuses a second
// active case for one identity with ErrDuplicateCase.
func (tx *Tx) InsertCase(ctx context.Context, c *Case) error {
	c.RequestedAt = tx.Now()
	res, err := tx.Exec(ctx, `INSERT INTO cases(identity_id, requester, reason, trigger, state, effective_at, overdue, requested_at, channel)
		VALUES (?,?,?,?,?,?,?,?,?)`, c.IdentityID, c.Requester, c.Reason, c.Trigger, c.State, ms(c.EffectiveAt), c.Overdue, ms(c.RequestedAt), c.Channel)
	if IsUniqueViolation(err) {
		return ErrDuplicateCase
	}
	if err != nil {
		return fmt.Errorf("insert case: %w", err)
	}
	c.ID, _ = res.LastInsertId()
	return nil
}

const caseColumns = `c.id, c.identity_id, coalesce(i.slack_user,''), i.name, i.email, c.requester, c.reason, c.trigger, c.state,
	c.effective_at, c.overdue, c.requested_at, coalesce(c.opened_at,0), coalesce(c.closed_at,0), coalesce(c.closed_by,''), c.channel, c.notes`

func scanCase(sc interface{ Scan(...any) error }) (Case, error) {
	var c Case
	var eff, req, opened, closed int64
	var notes string
	err := sc.Scan(&c.ID, &c.IdentityID, &c.Target.SlackUser, &c.Target.Name, &c.Target.Email, &c.Requester, &c.Reason, &c.Trigger, &c.State,
		&eff, &c.Overdue, &req, &opened, &closed, &c.ClosedBy, &c.Channel, &notes)
	if err != nil {
		return c, err
	}
	_ = json.Unmarshal([]byte(notes), &c.Notes)
	c.Target.ID = c.IdentityID
	c.EffectiveAt, c.RequestedAt = fromMS(eff), fromMS(req)
	if opened != 0 {
		c.OpenedAt = fromMS(opened)
	}
	if closed != 0 {
		c.ClosedAt = fromMS(closed)
	}
	return c, err
}

// oneCase reads the case the condition selects, ErrNotFound when none.
func oneCase(ctx context.Context, q Querier, where string, arg any) (Case, error) {
	c, err := scanCase(q.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases c JOIN identities i ON i.id=c.identity_id WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// LoadCase reads one case.
func LoadCase(ctx context.Context, q Querier, id int64) (Case, error) {
	return oneCase(ctx, q, `c.id=?`, id)
}

// ActiveCase finds the scheduled or open case of an identity.
func ActiveCase(ctx context.Context, q Querier, identityID int64) (Case, error) {
	return oneCase(ctx, q, `c.identity_id=? AND c.state IN ('scheduled','open')`, identityID)
}

// ActiveCaseOfSlackUser finds the scheduled or open case of a Slack user.
func ActiveCaseOfSlackUser(ctx context.Context, q Querier, slackUser string) (Case, error) {
	return oneCase(ctx, q, `i.slack_user=? AND c.state IN ('scheduled','open')`, slackUser)
}

// ListCases returns cases in the given states (all when none), newest first,
// at most limit.
func ListCases(ctx context.Context, q Querier, limit int, states ...string) ([]Case, error) {
	query := `SELECT ` + caseColumns + ` FROM cases c JOIN identities i ON i.id=c.identity_id`
	var args []any
	if len(states) > 0 {
		query += ` WHERE c.state IN (` + placeholders(len(states)) + `)`
		for _, s := range states {
			args = append(args, s)
		}
	}
	query += ` ORDER BY c.effective_at, c.id LIMIT ?`
	args = append(args, limit)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DueCases returns the IDs of scheduled cases whose time has come.
func DueCases(ctx context.Context, q Querier, now time.Time) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM cases WHERE state='scheduled' AND effective_at <= ? ORDER BY effective_at, id`, ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SetCaseState moves a case from one state to another, compare-and-swap:
// it reports false when the case was not in state from.
func (tx *Tx) SetCaseState(ctx context.Context, id int64, from, to, by string) (bool, error) {
	now := ms(tx.Now())
	var res sql.Result
	var err error
	switch to {
	case CaseOpen:
		res, err = tx.Exec(ctx, `UPDATE cases SET state=?, opened_at=? WHERE id=? AND state=?`, to, now, id, from)
	case CaseCompleted, CaseCancelled:
		res, err = tx.Exec(ctx, `UPDATE cases SET state=?, closed_at=?, closed_by=? WHERE id=? AND state=?`, to, now, by, id, from)
	default:
		res, err = tx.Exec(ctx, `UPDATE cases SET state=? WHERE id=? AND state=?`, to, id, from)
	}
	if err != nil {
		return false, fmt.Errorf("set case %d %s: %w", id, to, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func placeholders(n int) string {
	if n == 0 {
		return ""
	}
	b := make([]byte, 0, 2*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

// SetCaseNotes records what discovery could not do.
func (tx *Tx) SetCaseNotes(ctx context.Context, id int64, notes []string) error {
	if notes == nil {
		notes = []string{}
	}
	b, _ := json.Marshal(notes)
	_, err := tx.Exec(ctx, `UPDATE cases SET notes=? WHERE id=?`, string(b), id)
	return err
}
