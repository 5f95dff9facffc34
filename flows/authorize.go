package flows

import (
	"context"
	"errors"

	"github.com/offboard/offboard/storage"
)

// check loads the action and its case and asks permit whether actor may
// apply verb, against the database, not against what the clicked message
// showed. A refusal comes back as *Refusal; other errors are failures.
func (s *Service) check(ctx context.Context, q storage.Querier, actor Actor, caseID, actionID int64, verb Verb) (storage.Case, storage.Action, error) {
	a, err := storage.LoadAction(ctx, q, actionID)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Case{}, a, &Refusal{Kind: UnknownAction, Verb: verb.String()}
	}
	if err != nil {
		return storage.Case{}, a, err
	}
	if a.CaseID != caseID {
		return storage.Case{}, storage.Action{}, &Refusal{Kind: UnknownAction, Verb: verb.String()}
	}
	c, err := storage.LoadCase(ctx, q, caseID)
	if err != nil {
		return c, a, err
	}
	who, err := s.subject(ctx, q, actor, c, a)
	if err != nil {
		return c, a, err
	}
	if r := s.permit(who, c, a, verb); r != nil {
		return c, a, r
	}
	return c, a, nil
}

// Authorize checks a click that first opens a form (Hold, Mark done). A
// refusal is audited like any other and returned.
func (s *Service) Authorize(ctx context.Context, actor Actor, caseID, actionID int64, verb Verb) (storage.Action, error) {
	c, a, err := s.check(ctx, s.reader(), actor, caseID, actionID, verb)
	if r, ok := Refused(err); ok {
		return a, s.deny(ctx, actor, c, a, r)
	}
	return a, err
}

// deny records a refused click as a denied event and returns the refusal;
// nothing else changes.
func (s *Service) deny(ctx context.Context, actor Actor, c storage.Case, a storage.Action, why *Refusal) error {
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		return tx.Audit(ctx, &storage.Event{Type: storage.EventDenied, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
			Details: storage.Details(map[string]any{"verb": why.Verb, "why": why.Kind.String(), "state": a.State})})
	})
	if err != nil {
		return err
	}
	return why
}

// refuse records a refused request (not about one action) and returns it.
func (s *Service) refuse(ctx context.Context, actor Actor, why *Refusal, details map[string]any) error {
	if details == nil {
		details = map[string]any{}
	}
	details["what"], details["why"] = why.Verb, why.Kind.String()
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		return tx.Audit(ctx, &storage.Event{Type: storage.EventRefused, CaseID: why.Case.ID, Actor: actor.ID, Details: storage.Details(details)})
	})
	if err != nil {
		return err
	}
	return why
}
