package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Action states.
const (
	ActionPlanned          = "planned"
	ActionAwaitingApproval = "awaiting_approval"
	ActionApproved         = "approved"
	ActionAutoApproved     = "auto_approved"
	ActionExecuting        = "executing"
	ActionDone             = "done"
	ActionHeld             = "held"
	ActionFailed           = "failed"
	ActionSkipped          = "skipped"
)

// Unfinished lists the states an action may still leave by being executed,
// approved or cancelled.
var Unfinished = []string{ActionPlanned, ActionAwaitingApproval, ActionApproved, ActionAutoApproved, ActionHeld, ActionFailed}

// Action is the revocation of one grant.
type Action struct {
	ID                int64
	CaseID            int64
	Position          int
	System            string
	Scope             string
	Account           string
	Kind              string
	Grant             json.RawMessage
	State             string
	ApprovalsRequired int
	AutoApprove       bool
	Policy            string
	Attempts          int
	MaxAttempts       int
	Outcome           string
	LastError         string
	HeldBy            string
	HeldReason        string
	HeldUntil         time.Time
	DoneBy            string
	DoneNote          string
	AwaitingSince     time.Time
	RemindedAt        time.Time
	FinishedAt        time.Time
	Took              time.Duration
	Approvers         []string
}

// Finished says whether the action needs nothing more.
func (a Action) Finished() bool { return a.State == ActionDone || a.State == ActionSkipped }

// InsertAction adds an action to a case; a.ID is set.
func (tx *Tx) InsertAction(ctx context.Context, a *Action) error {
	now := ms(tx.Now())
	var awaiting any
	if a.State == ActionAwaitingApproval {
		awaiting = now
	}
	res, err := tx.Exec(ctx, `INSERT INTO actions(case_id, position, system, scope, account, kind, grant_json, state,
		approvals_required, auto_approve, policy, max_attempts, awaiting_since, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		a.CaseID, a.Position, a.System, a.Scope, a.Account, a.Kind, string(a.Grant), a.State,
		a.ApprovalsRequired, a.AutoApprove, a.Policy, a.MaxAttempts, awaiting, now)
	if err != nil {
		return fmt.Errorf("insert action: %w", err)
	}
	a.ID, _ = res.LastInsertId()
	return nil
}

const actionColumns = `id, case_id, position, system, scope, account, kind, grant_json, state, approvals_required, auto_approve,
	policy, attempts, max_attempts, outcome, last_error, coalesce(held_by,''), coalesce(held_reason,''), coalesce(held_until,0),
	coalesce(done_by,''), coalesce(done_note,''), coalesce(awaiting_since,0), coalesce(reminded_at,0), coalesce(finished_at,0),
	coalesce(took_ms,0), (SELECT coalesce(group_concat(approver, ' '),'') FROM (SELECT approver FROM approvals p WHERE p.action_id = actions.id ORDER BY at, approver))`

func scanAction(sc interface{ Scan(...any) error }) (Action, error) {
	var a Action
	var grant, approvers string
	var heldUntil, awaiting, reminded, finished, took int64
	err := sc.Scan(&a.ID, &a.CaseID, &a.Position, &a.System, &a.Scope, &a.Account, &a.Kind, &grant, &a.State, &a.ApprovalsRequired,
		&a.AutoApprove, &a.Policy, &a.Attempts, &a.MaxAttempts, &a.Outcome, &a.LastError, &a.HeldBy, &a.HeldReason, &heldUntil,
		&a.DoneBy, &a.DoneNote, &awaiting, &reminded, &finished, &took, &approvers)
	if err != nil {
		return a, err
	}
	a.Grant = json.RawMessage(grant)
	a.HeldUntil, a.AwaitingSince, a.RemindedAt, a.FinishedAt = optTime(heldUntil), optTime(awaiting), optTime(reminded), optTime(finished)
	a.Took = time.Duration(took) * time.Millisecond
	if approvers != "" {
		a.Approvers = strings.Split(approvers, " ")
	}
	return a, nil
}

func optTime(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return fromMS(v)
}

func optMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// LoadAction reads one action.
func LoadAction(ctx context.Context, q Querier, id int64) (Action, error) {
	a, err := scanAction(q.QueryRowContext(ctx, `SELECT `+actionColumns+` FROM actions WHERE id=?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotFound
	}
	return a, err
}

// ListActions reads a case's actions in checklist order.
func ListActions(ctx context.Context, q Querier, caseID int64) ([]Action, error) {
	return queryActions(ctx, q, `SELECT `+actionColumns+` FROM actions WHERE case_id=? ORDER BY position`, caseID)
}

// ActionsInState lists actions in one state across cases, oldest first.
func ActionsInState(ctx context.Context, q Querier, state string, limit int) ([]Action, error) {
	return queryActions(ctx, q, `SELECT `+actionColumns+` FROM actions WHERE state=? ORDER BY id LIMIT ?`, state, limit)
}

func queryActions(ctx context.Context, q Querier, query string, args ...any) ([]Action, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ActionChange is a compare-and-swap change of an action's state with the
// fields that change with it. Nil fields are left as they are.
type ActionChange struct {
	From []string
	To   string

	Attempts   *int
	Outcome    *string
	LastError  *string
	HeldBy     *string
	HeldReason *string
	HeldUntil  *time.Time
	DoneBy     *string
	DoneNote   *string
	Took       *time.Duration
	Reminded   *time.Time
}

// ChangeAction applies c to action id if the action is in one of c.From;
// it reports whether it did (false: someone else changed it first).
func (tx *Tx) ChangeAction(ctx context.Context, id int64, c ActionChange) (bool, error) {
	now := tx.Now()
	set := []string{"state=?", "updated_at=?"}
	args := []any{c.To, ms(now)}
	add := func(col string, v any) { set = append(set, col+"=?"); args = append(args, v) }
	if c.To == ActionAwaitingApproval {
		add("awaiting_since", ms(now))
		add("reminded_at", nil)
	}
	if c.To == ActionDone || c.To == ActionSkipped {
		add("finished_at", ms(now))
	}
	if c.Attempts != nil {
		add("attempts", *c.Attempts)
	}
	if c.Outcome != nil {
		add("outcome", *c.Outcome)
	}
	if c.LastError != nil {
		add("last_error", *c.LastError)
	}
	if c.HeldBy != nil {
		add("held_by", *c.HeldBy)
	}
	if c.HeldReason != nil {
		add("held_reason", *c.HeldReason)
	}
	if c.HeldUntil != nil {
		add("held_until", optMS(*c.HeldUntil))
	}
	if c.DoneBy != nil {
		add("done_by", *c.DoneBy)
	}
	if c.DoneNote != nil {
		add("done_note", *c.DoneNote)
	}
	if c.Took != nil {
		add("took_ms", c.Took.Milliseconds())
	}
	if c.Reminded != nil {
		add("reminded_at", optMS(*c.Reminded))
	}
	q := `UPDATE actions SET ` + strings.Join(set, ", ") + ` WHERE id=?`
	args = append(args, id)
	if len(c.From) > 0 {
		q += ` AND state IN (` + placeholders(len(c.From)) + `)`
		for _, f := range c.From {
			args = append(args, f)
		}
	}
	res, err := tx.Exec(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("change action %d to %s: %w", id, c.To, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MarkReminded records a reminder without changing the state.
func (tx *Tx) MarkReminded(ctx context.Context, id int64) error {
	_, err := tx.Exec(ctx, `UPDATE actions SET reminded_at=? WHERE id=?`, ms(tx.Now()), id)
	return err
}

// AddApproval records one approver's approval; it reports false when that
// approver had already approved (two approvals are two people).
func (tx *Tx) AddApproval(ctx context.Context, actionID int64, approver string) (bool, error) {
	res, err := tx.Exec(ctx, `INSERT INTO approvals(action_id, approver, at) VALUES (?,?,?) ON CONFLICT DO NOTHING`,
		actionID, approver, ms(tx.Now()))
	if err != nil {
		return false, fmt.Errorf("add approval: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClearApprovals forgets the approvals of an action (it was held, and must
// be approved again with the facts of its return).
func (tx *Tx) ClearApprovals(ctx context.Context, actionID int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM approvals WHERE action_id=?`, actionID)
	return err
}

// CountApprovals counts the distinct approvers of an action.
func (tx *Tx) CountApprovals(ctx context.Context, actionID int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM approvals WHERE action_id=?`, actionID).Scan(&n)
	return n, err
}
