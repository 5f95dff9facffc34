package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = errors.New("not found")

// Identity is one person.
type Identity struct {
	ID        int64
	SlackUser string
	Name      string
	Email     string
}

// AccountLink is an identity's account in one system and how it was linked.
type AccountLink struct {
	ID          int64
	IdentityID  int64
	System      string
	Scope       string
	Account     string
	LinkedBy    string
	LinkedActor string
}

// IdentityBySlack finds or creates the identity of a Slack user, updating
// its name and email when they are given.
func (tx *Tx) IdentityBySlack(ctx context.Context, slackUser, name, email string) (Identity, error) {
	_, err := tx.Exec(ctx, `INSERT INTO identities(slack_user, name, email, created_at) VALUES (?,?,?,?)
		ON CONFLICT(slack_user) DO UPDATE SET
		  name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE identities.name END,
		  email = CASE WHEN excluded.email <> '' THEN excluded.email ELSE identities.email END`,
		slackUser, name, email, ms(tx.Now()))
	if err != nil {
		return Identity{}, fmt.Errorf("upsert identity: %w", err)
	}
	var id Identity
	err = tx.QueryRowContext(ctx, `SELECT id, coalesce(slack_user,''), name, email FROM identities WHERE slack_user=?`, slackUser).
		Scan(&id.ID, &id.SlackUser, &id.Name, &id.Email)
	return id, err
}

// NewIdentity creates an identity that has no Slack user (yet).
func (tx *Tx) NewIdentity(ctx context.Context, name, email string) (Identity, error) {
	res, err := tx.Exec(ctx, `INSERT INTO identities(name, email, created_at) VALUES (?,?,?)`, name, email, ms(tx.Now()))
	if err != nil {
		return Identity{}, fmt.Errorf("insert identity: %w", err)
	}
	id, _ := res.LastInsertId()
	return Identity{ID: id, Name: name, Email: email}, nil
}

// LoadIdentity reads one identity.
func LoadIdentity(ctx context.Context, q Querier, id int64) (Identity, error) {
	var i Identity
	err := q.QueryRowContext(ctx, `SELECT id, coalesce(slack_user,''), name, email FROM identities WHERE id=?`, id).
		Scan(&i.ID, &i.SlackUser, &i.Name, &i.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return i, ErrNotFound
	}
	return i, err
}

// LinkedElsewhere is Link's refusal to move an account that is linked to
// another person: only the configuration file moves links on its own; a
// move by hand needs a second approver (LinkRequest), and an email match
// never moves one.
type LinkedElsewhere struct {
	IdentityID int64
	LinkedBy   string
}

func (e *LinkedElsewhere) Error() string {
	return fmt.Sprintf("the account is linked to another person (identity %d, by %s)", e.IdentityID, e.LinkedBy)
}

// Link records the link of an account to an identity. An account linked to
// another identity is moved only by the configuration file; otherwise Link
// returns *LinkedElsewhere. A link made by hand or by config is never
// replaced by an email match.
func (tx *Tx) Link(ctx context.Context, l AccountLink) (changed bool, err error) {
	var cur AccountLink
	err = tx.QueryRowContext(ctx, `SELECT id, identity_id, linked_by FROM accounts WHERE system=? AND scope=? AND account=?`,
		l.System, l.Scope, l.Account).Scan(&cur.ID, &cur.IdentityID, &cur.LinkedBy)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.Exec(ctx, `INSERT INTO accounts(identity_id, system, scope, account, linked_by, linked_actor, linked_at) VALUES (?,?,?,?,?,?,?)`,
			l.IdentityID, l.System, l.Scope, l.Account, l.LinkedBy, l.LinkedActor, ms(tx.Now()))
		return err == nil, err
	case err != nil:
		return false, err
	}
	if cur.IdentityID == l.IdentityID && cur.LinkedBy == l.LinkedBy {
		return false, nil
	}
	if cur.IdentityID != l.IdentityID && l.LinkedBy != "config" {
		return false, &LinkedElsewhere{IdentityID: cur.IdentityID, LinkedBy: cur.LinkedBy}
	}
	if l.LinkedBy == "email-match" && cur.LinkedBy != "email-match" {
		return false, nil
	}
	_, err = tx.Exec(ctx, `UPDATE accounts SET identity_id=?, linked_by=?, linked_actor=?, linked_at=? WHERE id=?`,
		l.IdentityID, l.LinkedBy, l.LinkedActor, ms(tx.Now()), cur.ID)
	return err == nil, err
}

// ListAccounts lists an identity's linked accounts.
func ListAccounts(ctx context.Context, q Querier, identityID int64) ([]AccountLink, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, identity_id, system, scope, account, linked_by, linked_actor
		FROM accounts WHERE identity_id=? ORDER BY system, scope, account`, identityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AccountLink
	for rows.Next() {
		var l AccountLink
		if err := rows.Scan(&l.ID, &l.IdentityID, &l.System, &l.Scope, &l.Account, &l.LinkedBy, &l.LinkedActor); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LoadAccountOwner finds the identity an account is linked to.
func LoadAccountOwner(ctx context.Context, q Querier, system, scope, account string) (AccountLink, error) {
	var l AccountLink
	err := q.QueryRowContext(ctx, `SELECT id, identity_id, system, scope, account, linked_by, linked_actor
		FROM accounts WHERE system=? AND scope=? AND account=?`, system, scope, account).
		Scan(&l.ID, &l.IdentityID, &l.System, &l.Scope, &l.Account, &l.LinkedBy, &l.LinkedActor)
	if errors.Is(err, sql.ErrNoRows) {
		return l, ErrNotFound
	}
	return l, err
}

// SlackAccountsOf lists every Slack user ID of an identity: its own and
// any other Slack account linked to it (an alias, a second account), so
// that the person is recognised whichever account they act from.
func SlackAccountsOf(ctx context.Context, q Querier, identityID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT slack_user FROM identities WHERE id=? AND slack_user IS NOT NULL
		UNION SELECT account FROM accounts WHERE identity_id=? AND system='slack'`, identityID, identityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MoveLink moves an account's link to another identity, once a second
// approver has confirmed the move.
func (tx *Tx) MoveLink(ctx context.Context, l AccountLink) error {
	_, err := tx.Exec(ctx, `UPDATE accounts SET identity_id=?, linked_by=?, linked_actor=?, linked_at=? WHERE system=? AND scope=? AND account=?`,
		l.IdentityID, l.LinkedBy, l.LinkedActor, ms(tx.Now()), l.System, l.Scope, l.Account)
	return err
}

// LinkRequest is a move of an account's link that waits for a second
// approver.
type LinkRequest struct {
	ID           int64
	Link         AccountLink // where it is to go, and who asked (LinkedActor)
	FromIdentity int64
	State        string // pending, confirmed
	ConfirmedBy  string
}

// AddLinkRequest records a move waiting for confirmation; r.ID is set.
func (tx *Tx) AddLinkRequest(ctx context.Context, r *LinkRequest) error {
	res, err := tx.Exec(ctx, `INSERT INTO link_requests(identity_id, system, scope, account, from_identity, asked_by, asked_at) VALUES (?,?,?,?,?,?,?)`,
		r.Link.IdentityID, r.Link.System, r.Link.Scope, r.Link.Account, r.FromIdentity, r.Link.LinkedActor, ms(tx.Now()))
	if err != nil {
		return fmt.Errorf("add link request: %w", err)
	}
	r.ID, _ = res.LastInsertId()
	r.State = "pending"
	return nil
}

// LoadLinkRequest reads one link request.
func LoadLinkRequest(ctx context.Context, q Querier, id int64) (LinkRequest, error) {
	var r LinkRequest
	err := q.QueryRowContext(ctx, `SELECT id, identity_id, system, scope, account, from_identity, asked_by, state, coalesce(confirmed_by,'')
		FROM link_requests WHERE id=?`, id).Scan(&r.ID, &r.Link.IdentityID, &r.Link.System, &r.Link.Scope, &r.Link.Account, &r.FromIdentity,
		&r.Link.LinkedActor, &r.State, &r.ConfirmedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	r.Link.LinkedBy = "manual"
	return r, err
}

// ConfirmLinkRequest marks a pending request confirmed by who; it reports
// false when it was not pending (confirmed already).
func (tx *Tx) ConfirmLinkRequest(ctx context.Context, id int64, who string) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE link_requests SET state='confirmed', confirmed_by=? WHERE id=? AND state='pending'`, who, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// IdentityOfSlackUser finds the identity whose Slack user is id.
func IdentityOfSlackUser(ctx context.Context, q Querier, id string) (Identity, error) {
	var i Identity
	err := q.QueryRowContext(ctx, `SELECT id, coalesce(slack_user,''), name, email FROM identities WHERE slack_user=?`, id).
		Scan(&i.ID, &i.SlackUser, &i.Name, &i.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return i, ErrNotFound
	}
	return i, err
}
