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

// Link records (or moves) the link of an account to an identity. A link
// made by hand or by config is never replaced by an email match.
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
