package flows

import (
	"context"
	"errors"
	"fmt"
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
	Reply   Reply
}

// Request records a request to offboard a person (PRODUCT §3.1). A refusal
// (not a requester, the person already has a case) is audited and answered;
// it returns ErrNotRequester or ErrDuplicate and, for a duplicate, the
// existing case.
func (s *Service) Request(ctx context.Context, actor Actor, in RequestInput) (storage.Case, error) {
	if !actor.Requester && !(in.Trigger == storage.TriggerDormant && actor.Approver) {
		return storage.Case{}, s.refuse(ctx, actor, in.Reply, "request", ErrNotRequester,
			"Only requesters may ask for an offboarding. Ask someone in the requesters group, or an admin to add you.")
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
			if err := tx.Audit(ctx, &storage.Event{Type: storage.EventRefused, CaseID: existing.ID, Actor: actor.ID,
				Details: storage.Details(map[string]any{"why": "duplicate", "target": in.Target.SlackID})}); err != nil {
				return err
			}
			return s.notify.Notify(ctx, tx, Notice{Kind: NoticeDuplicate, Case: existing, Actor: actor.ID, Reply: in.Reply})
		}
		out = c
		return err
	})
	if err != nil {
		return storage.Case{}, err
	}
	if dup {
		return out, ErrDuplicate
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
	if err := tx.Audit(ctx, &storage.Event{Type: storage.EventRequested, CaseID: c.ID, Actor: actor.ID, Details: storage.Details(details)}); err != nil {
		return storage.Case{}, storage.Case{}, err
	}
	if at.After(now) {
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventScheduled, CaseID: c.ID, Actor: System.ID,
			Details: storage.Details(map[string]any{"effective_at": at.UTC().Format(time.RFC3339)})}); err != nil {
			return storage.Case{}, storage.Case{}, err
		}
	}
	if err := s.notify.Notify(ctx, tx, Notice{Kind: NoticeRequested, Case: c, Actor: actor.ID, Reply: in.Reply}); err != nil {
		return storage.Case{}, storage.Case{}, fmt.Errorf("notify request: %w", err)
	}
	return c, storage.Case{}, nil
}

// refuse audits a refusal and answers the actor; it returns why.
func (s *Service) refuse(ctx context.Context, actor Actor, reply Reply, what string, why error, text string) error {
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventRefused, Actor: actor.ID,
			Details: storage.Details(map[string]any{"what": what, "why": why.Error()})}); err != nil {
			return err
		}
		return s.notify.Notify(ctx, tx, Notice{Kind: NoticeRefused, Actor: actor.ID, Text: text, Reply: reply})
	})
	if err != nil {
		return err
	}
	return why
}

// RefuseRequest audits and answers a request by someone who is not a
// requester (the form was asked for).
func (s *Service) RefuseRequest(ctx context.Context, actor Actor, reply Reply) error {
	return s.refuse(ctx, actor, reply, "request", ErrNotRequester,
		"Only requesters may ask for an offboarding. Ask someone in the requesters group, or an admin to add you.")
}
