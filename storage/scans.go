package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Finding is one row of a dormancy report.
type Finding struct {
	ID           int64
	ScanID       int64
	System       string
	Scope        string
	Account      string
	IdentityID   int64 // 0 when the account is linked to nobody
	LastActivity time.Time
	Why          string
	State        string // reported, started, snoozed
}

// StartScan records a scan run and returns its ID.
func (tx *Tx) StartScan(ctx context.Context, trigger, actor string) (int64, error) {
	res, err := tx.Exec(ctx, `INSERT INTO scan_runs(trigger, actor, started_at) VALUES (?,?,?)`, trigger, actor, ms(tx.Now()))
	if err != nil {
		return 0, fmt.Errorf("start scan: %w", err)
	}
	return res.LastInsertId()
}

// FinishScan records a scan's end and its result summary.
func (tx *Tx) FinishScan(ctx context.Context, id int64, state, result string) error {
	_, err := tx.Exec(ctx, `UPDATE scan_runs SET finished_at=?, state=?, result=? WHERE id=?`, ms(tx.Now()), state, result, id)
	return err
}

// InsertFinding adds a row to a scan's report; f.ID is set.
func (tx *Tx) InsertFinding(ctx context.Context, f *Finding) error {
	var ident any
	if f.IdentityID != 0 {
		ident = f.IdentityID
	}
	res, err := tx.Exec(ctx, `INSERT INTO dormant_findings(scan_id, system, scope, account, identity_id, last_activity, why)
		VALUES (?,?,?,?,?,?,?)`, f.ScanID, f.System, f.Scope, f.Account, ident, optMS(f.LastActivity), f.Why)
	if err != nil {
		return fmt.Errorf("insert finding: %w", err)
	}
	f.ID, _ = res.LastInsertId()
	f.State = "reported"
	return nil
}

const findingColumns = `id, scan_id, system, scope, account, coalesce(identity_id,0), coalesce(last_activity,0), why, state`

func scanFinding(sc interface{ Scan(...any) error }) (Finding, error) {
	var f Finding
	var last int64
	err := sc.Scan(&f.ID, &f.ScanID, &f.System, &f.Scope, &f.Account, &f.IdentityID, &last, &f.Why, &f.State)
	f.LastActivity = optTime(last)
	return f, err
}

// LoadFinding reads one report row.
func LoadFinding(ctx context.Context, q Querier, id int64) (Finding, error) {
	f, err := scanFinding(q.QueryRowContext(ctx, `SELECT `+findingColumns+` FROM dormant_findings WHERE id=?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, ErrNotFound
	}
	return f, err
}

// ListFindings reads a scan's report rows in order.
func ListFindings(ctx context.Context, q Querier, scanID int64) ([]Finding, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+findingColumns+` FROM dormant_findings WHERE scan_id=? ORDER BY id`, scanID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		f, err := scanFinding(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetFindingState moves a report row from reported to started or snoozed;
// it reports false when someone acted on it first.
func (tx *Tx) SetFindingState(ctx context.Context, id int64, to string) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE dormant_findings SET state=? WHERE id=? AND state='reported'`, to, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Snooze keeps an account out of dormancy reports until until.
func (tx *Tx) Snooze(ctx context.Context, system, scope, account, actor string, until time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO snoozes(system, scope, account, until, actor, at) VALUES (?,?,?,?,?,?)
		ON CONFLICT(system, scope, account) DO UPDATE SET until=excluded.until, actor=excluded.actor, at=excluded.at`,
		system, scope, account, ms(until), actor, ms(tx.Now()))
	return err
}

// Snoozed returns the accounts snoozed at now, keyed system/scope/account.
func Snoozed(ctx context.Context, q Querier, now time.Time) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT system, scope, account FROM snoozes WHERE until > ?`, ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s, sc, a string
		if err := rows.Scan(&s, &sc, &a); err != nil {
			return nil, err
		}
		out[s+"/"+sc+"/"+a] = true
	}
	return out, rows.Err()
}
