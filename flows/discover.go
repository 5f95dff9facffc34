package flows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// maxDiscoverAttempts is how many passes may fail to read a system before
// the case opens anyway, with notes saying what could not be read.
const maxDiscoverAttempts = 5

// dueParallel bounds how many due cases are discovered at once.
const dueParallel = 4

// discoverTimeout bounds one connector's discovery.
const discoverTimeout = 90 * time.Second

// found is what discovery learned from one connector.
type found struct {
	conn   Connector
	grants []connectors.Grant
	err    error
	note   string
}

// OpenDue opens every scheduled case whose time has come.
func (s *Service) OpenDue(ctx context.Context) error {
	ids, err := storage.DueCases(ctx, s.reader(), s.now())
	if err != nil {
		return fmt.Errorf("read due cases: %w", err)
	}
	// In parallel, a few at a time: one slow system must not hold every
	// other due case back.
	errs := make([]error, len(ids))
	var g errgroup.Group
	g.SetLimit(dueParallel)
	for i, id := range ids {
		g.Go(func() error {
			if err := s.open(ctx, id); err != nil {
				errs[i] = fmt.Errorf("open case %d: %w", id, err)
			}
			return nil
		})
	}
	g.Wait()
	return errors.Join(errs...)
}

// open discovers afresh what the person can reach, through every connector
// in parallel, and turns it into the case's checklist.
func (s *Service) open(ctx context.Context, id int64) error {
	_, err := s.withLease(ctx, fmt.Sprintf("discover:%d", id), func(ctx context.Context) error { return s.openLeased(ctx, id) })
	return err // not got: another process is discovering this case
}

func (s *Service) openLeased(ctx context.Context, id int64) error {
	c, err := storage.LoadCase(ctx, s.reader(), id)
	if err != nil || c.State != storage.CaseScheduled {
		return err
	}
	if err := s.linkByEmail(ctx, c.Target); err != nil {
		s.log.Warn().Err(err).Int64("case", id).Msg("email linking failed; continuing with the links there are")
	}
	links, err := storage.ListAccounts(ctx, s.reader(), c.IdentityID)
	if err != nil {
		return err
	}
	results := s.discover(connectors.WithCase(ctx, fmt.Sprint(id)), c.Target, links)

	var notes []string
	failed := 0
	for _, r := range results {
		if r.note != "" {
			notes = append(notes, r.note)
		}
		if r.err != nil {
			failed++
		}
	}
	var attempts int
	if failed > 0 {
		if err := s.db.Write(ctx, func(tx *storage.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE cases SET discover_attempts = discover_attempts + 1 WHERE id=?`, id)
			if err != nil {
				return err
			}
			return tx.QueryRowContext(ctx, `SELECT discover_attempts FROM cases WHERE id=?`, id).Scan(&attempts)
		}); err != nil {
			return err
		}
		if attempts < maxDiscoverAttempts {
			s.log.Warn().Int64("case", id).Int("attempt", attempts).Msg("discovery could not read every system; trying again at the next tick")
			return nil
		}
	}

	var grants []connectors.Grant
	perSystem := map[string]int{}
	for _, r := range results {
		grants = append(grants, r.grants...)
		for _, g := range r.grants {
			perSystem[string(g.Account.System)]++
		}
	}
	auto := false
	err = s.db.Write(ctx, func(tx *storage.Tx) error {
		auto = false
		ok, err := tx.SetCaseState(ctx, id, storage.CaseScheduled, storage.CaseOpen, "")
		if err != nil || !ok {
			return err
		}
		c, err := storage.LoadCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := tx.SetCaseNotes(ctx, id, notes); err != nil {
			return err
		}
		c.Notes = notes
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventDiscovered, CaseID: id, Actor: System.ID,
			Details: storage.Details(map[string]any{"grants": len(grants), "by_system": perSystem, "notes": notes})}); err != nil {
			return err
		}
		a, err := s.insertActions(ctx, tx, c, grants, 0)
		if err != nil {
			return err
		}
		auto = a
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventChecklistPosted, CaseID: id, Actor: System.ID,
			Details: storage.Details(map[string]any{"actions": len(grants), "before": 0})}); err != nil {
			return err
		}
		return s.maybeComplete(ctx, tx, id)
	})
	if err == nil && auto {
		poke(s.work)
	}
	return err
}

// insertActions turns grants into actions under the policy, starting at
// position from; auto-approved ones are queued. It reports whether any was.
func (s *Service) insertActions(ctx context.Context, tx *storage.Tx, c storage.Case, grants []connectors.Grant, from int) (bool, error) {
	auto := false
	for i, g := range grants {
		d := s.cfg.Decide(g, s.now())
		raw, err := json.Marshal(g)
		if err != nil {
			return false, err
		}
		a := storage.Action{CaseID: c.ID, Position: from + i, System: string(g.Account.System), Scope: g.Account.Scope, Account: g.Account.ID,
			Kind: g.Kind, Grant: raw, State: storage.ActionAwaitingApproval, ApprovalsRequired: d.ApprovalsRequired, Policy: d.Why,
			MaxAttempts: s.cfg.Execution.Attempts}
		switch {
		case g.Protected != "":
			// Shown, never run: the case completes without it.
			a.State, a.ApprovalsRequired, a.Policy = storage.ActionSkipped, 0, "protected: "+g.Protected
		case g.Account.System == connectors.Manual || g.Manual != "":
			a.ApprovalsRequired, a.Policy = 1, "done by hand"
		case d.AutoApprove && s.roleGroup(g):
			a.ApprovalsRequired = s.cfg.Policy.ApprovalsRequired
			a.Policy = "needs an explicit approval: it removes the person from one of offboard's own role groups"
		case d.AutoApprove:
			a.State, a.AutoApprove, a.ApprovalsRequired = storage.ActionAutoApproved, true, 0
		}
		if err := tx.InsertAction(ctx, &a); err != nil {
			return false, err
		}
		if a.State == storage.ActionAutoApproved {
			auto = true
			if err := tx.EnqueueJob(ctx, a.ID, s.now()); err != nil {
				return false, err
			}
			if err := tx.Audit(ctx, &storage.Event{Type: storage.EventAutoApproved, CaseID: c.ID, ActionID: a.ID, Actor: System.ID,
				Details: storage.Details(map[string]any{"policy": d.Why, "kind": g.Kind, "account": g.Account.ID})}); err != nil {
				return false, err
			}
		}
	}
	return auto, nil
}

// roleGroup says whether g is a membership of one of the bot's own
// requester or approver groups, which policy never auto-approves.
func (s *Service) roleGroup(g connectors.Grant) bool {
	// Removing the member, disabling the group: any Slack grant on it.
	return g.Account.System == connectors.Slack && slices.Contains(s.roleGroups, g.Ref)
}

// discover asks every connector, in parallel, for the grants of the
// person's accounts in its system.
func (s *Service) discover(ctx context.Context, target storage.Identity, links []storage.AccountLink) []found {
	results := make([]found, len(s.conns))
	var g errgroup.Group
	for i, conn := range s.conns {
		accts := accountsFor(conn, target, links)
		if len(accts) == 0 {
			results[i] = found{conn: conn, note: unlinkedNote(conn)}
			continue
		}
		note := ""
		if accts[0].ID == "" {
			note = unlinkedNote(conn) // only invitations by email can be found
		}
		g.Go(func() error {
			cctx, cancel := context.WithTimeout(ctx, discoverTimeout)
			defer cancel()
			r := found{conn: conn, note: note}
			for _, a := range accts {
				gs, err := conn.Grants(cctx, a)
				if err != nil {
					r.err = err
					r.note = fmt.Sprintf("Could not read %s%s for %s: %v. This system's access is not on the checklist; check it by hand.",
						conn.System().Title(), scopeWords(conn), a.ID, err)
					r.grants = nil
					break
				}
				r.grants = append(r.grants, gs...)
			}
			results[i] = r
			return nil // a system that cannot be read is a note, not a failure
		})
	}
	g.Wait()
	return results
}

// accountsFor lists the person's accounts a connector should look at.
func accountsFor(conn Connector, target storage.Identity, links []storage.AccountLink) []connectors.Account {
	sys := conn.System()
	switch sys {
	case connectors.Slack, connectors.Manual:
		if target.SlackUser == "" {
			return nil
		}
		return []connectors.Account{{System: sys, Scope: conn.Scope(), ID: target.SlackUser}}
	}
	var emails []string
	if target.Email != "" {
		emails = []string{target.Email}
	}
	var out []connectors.Account
	for _, l := range links {
		if l.System != string(sys) || (l.Scope != "" && l.Scope != conn.Scope()) {
			continue
		}
		out = append(out, connectors.Account{System: sys, Scope: conn.Scope(), ID: l.Account, LinkedBy: connectors.LinkMethod(l.LinkedBy), Emails: emails})
	}
	if len(out) == 0 && sys == connectors.GitHub && len(emails) > 0 {
		// No login linked: GitHub can still hold an invitation sent to
		// the person's email address.
		out = append(out, connectors.Account{System: sys, Scope: conn.Scope(), Emails: emails})
	}
	return out
}

func scopeWords(conn Connector) string {
	if conn.Scope() == "" {
		return ""
	}
	return " (" + conn.Scope() + ")"
}

// unlinkedNote tells the checklist reader that an account could not be
// linked, and how to link it.
func unlinkedNote(conn Connector) string {
	// Notes are shown escaped, so they name the person in words, not mentions.
	switch conn.System() {
	case connectors.GitHub:
		return fmt.Sprintf("No GitHub account in %s is linked to this person. If they have one: /offboard link @person github:<login>", conn.Scope())
	case connectors.IdentityCenter:
		return fmt.Sprintf("No Identity Center user in %s is linked to this person. If they have one: /offboard link @person idc:<user>", conn.Scope())
	case connectors.AWS:
		return fmt.Sprintf("No IAM user in AWS account %s is linked to this person. If they have one: /offboard link @person aws:<user>@%s", conn.Scope(), conn.Scope())
	}
	return ""
}
