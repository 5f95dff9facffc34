package flows

import (
	"context"
	"errors"
	"time"

	"github.com/offboard/offboard/storage"
)

// Person is the target of a request as Slack knows them.
type Person struct {
	SlackID string
	Name    string
	Email   string
}

// RequestInput is an interpreted /offboard request.
type RequestInput struct {
	Target  Person
	At      time.Time
	Overdue bool
	Reason  string
	// Trigger is storage.TriggerDormant for a case started from a dormancy
	// report; otherwise it is derived: manual when due now, scheduled when
	// the time is ahead.
	Trigger string
	// Finding is the dormancy report row a dormant case was started from.
	Finding storage.Finding
}

// Request records a request to offboard a person. A refusal (not a
// requester, the person already has a case) is audited and returned as a
// *Refusal; a Duplicate's Case is the existing case.
func (s *Service) Request(ctx context.Context, actor Actor, in RequestInput) (storage.Case, error) {
	if !actor.Requester && !(in.Trigger == storage.TriggerDormant && actor.Approver) {
		return storage.Case{}, s.RefuseRequest(ctx, actor)
	}
	var out storage.Case
	var dup bool
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		dup = false
		ident, err := tx.IdentityBySlack(ctx, in.Target.SlackID, in.Target.Name, in.Target.Email)
		if err != nil {
			return err
		}
		c, existing, err := s.insertCase(ctx, tx, actor, ident, in)
		if errors.Is(err, storage.ErrDuplicateCase) {
			dup, out = true, existing
			return tx.Audit(ctx, &storage.Event{Type: storage.EventRefused, CaseID: existing.ID, Actor: actor.ID,
				Details: storage.Details(map[string]any{"what": "request", "why": Duplicate.String(), "target": in.Target.SlackID})})
		}
		out = c
		return err
	})
	if err != nil {
		return storage.Case{}, err
	}
	if dup {
		return out, &Refusal{Kind: Duplicate, Verb: "request", Case: out}
	}
	if !out.EffectiveAt.After(s.now()) {
		poke(s.wake) // due now: discovery starts without waiting for the next tick
	}
	return out, nil
}

// insertCase creates the case in tx; on a duplicate it returns the existing
// case with storage.ErrDuplicateCase.
func (s *Service) insertCase(ctx context.Context, tx *storage.Tx, actor Actor, ident storage.Identity, in RequestInput) (storage.Case, storage.Case, error) {
	if existing, err := storage.ActiveCase(ctx, tx, ident.ID); err == nil {
		return storage.Case{}, existing, storage.ErrDuplicateCase
	} else if !errors.Is(err, storage.ErrNotFound) {
		return storage.Case{}, storage.Case{}, err
	}
	now := s.now()
	at := in.At
	if at.IsZero() {
		at = now
	}
	trigger := in.Trigger
	if trigger == "" {
		trigger = storage.TriggerManual
		if at.After(now) {
			trigger = storage.TriggerScheduled
		}
	}
	c := storage.Case{
		IdentityID: ident.ID, Target: ident, Requester: actor.ID, Reason: in.Reason, Trigger: trigger,
		State: storage.CaseScheduled, EffectiveAt: at, Overdue: in.Overdue, Channel: "",
	}
	if err := tx.InsertCase(ctx, &c); err != nil {
		if errors.Is(err, storage.ErrDuplicateCase) {
			existing, lerr := storage.ActiveCase(ctx, tx, ident.ID)
			if lerr != nil {
				return storage.Case{}, storage.Case{}, lerr
			}
			return storage.Case{}, existing, err
		}
		return storage.Case{}, storage.Case{}, err
	}
	details := map[string]any{
		"target": ident.SlackUser, "target_name": ident.Name, "reason": in.Reason,
		"effective_at": at.UTC().Format(time.RFC3339), "trigger": trigger, "overdue": in.Overdue,
	}
	if in.Finding.ID != 0 {
		details["scan"], details["finding"] = in.Finding.ScanID, in.Finding.ID
	}
	if err := tx.Audit(ctx, &storage.Event{Type: storage.EventRequested, CaseID: c.ID, Actor: actor.ID, Details: storage.Details(details)}); err != nil {
		return storage.Case{}, storage.Case{}, err
	}
	if at.After(now) {
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventScheduled, CaseID: c.ID, Actor: System.ID,
			Details: storage.Details(map[string]any{"effective_at": at.UTC().Format(time.RFC3339)})}); err != nil {
			return storage.Case{}, storage.Case{}, err
		}
	}
	return c, storage.Case{}, nil
}

// RefuseRequest audits and returns the refusal of a request (or of the
// request form) by someone who is not a requester.
func (s *Service) RefuseRequest(ctx context.Context, actor Actor) error {
	return s.refuse(ctx, actor, refused(NotRequester, "request"), nil)
}
