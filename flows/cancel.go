package flows

import (
	"context"
	"errors"

	"github.com/offboard/offboard/storage"
)

// Cancel cancels the scheduled or open case of a person: actions not yet
// executed become skipped, and the cancelled event names who cancelled.
// The requester of the case and approvers may cancel; the target never.
func (s *Service) Cancel(ctx context.Context, actor Actor, target string) (storage.Case, error) {
	c, err := storage.ActiveCaseOfSlackUser(ctx, s.reader(), target)
	if errors.Is(err, storage.ErrNotFound) {
		return c, &Refusal{Kind: NoCase, Verb: "cancel", Detail: target}
	}
	if err != nil {
		return c, err
	}
	isTarget, err := s.isTarget(ctx, s.reader(), c.IdentityID, actor.ID)
	if err != nil {
		return c, err
	}
	switch {
	case isTarget:
		return c, s.refuse(ctx, actor, &Refusal{Kind: IsTarget, Verb: "cancel", Case: c}, nil)
	case !actor.Approver && !(actor.Requester && actor.ID == c.Requester):
		return c, s.refuse(ctx, actor, &Refusal{Kind: NotYours, Verb: "cancel", Case: c}, nil)
	}
	var cancelled bool
	err = s.db.Write(ctx, func(tx *storage.Tx) error {
		ok, err := tx.SetCaseState(ctx, c.ID, c.State, storage.CaseCancelled, actor.ID)
		if err != nil || !ok {
			cancelled = false
			return err
		}
		cancelled = true
		actions, err := storage.ListActions(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		skipped := []int64{}
		for _, a := range actions {
			ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: storage.Unfinished, To: storage.ActionSkipped})
			if err != nil {
				return err
			}
			if ok {
				skipped = append(skipped, a.ID)
				if err := tx.RemoveJob(ctx, a.ID); err != nil {
					return err
				}
			}
		}
		return tx.Audit(ctx, &storage.Event{Type: storage.EventCancelled, CaseID: c.ID, Actor: actor.ID,
			Details: storage.Details(map[string]any{"was": c.State, "skipped_actions": len(skipped), "skipped": skipped})})
	})
	if err != nil {
		return c, err
	}
	if !cancelled {
		// It completed or was cancelled between the read and the write.
		return c, &Refusal{Kind: NoCase, Verb: "cancel", Case: c}
	}
	c.State = storage.CaseCancelled
	return c, nil
}

// reader is the database's read side.
func (s *Service) reader() storage.Querier { return s.db.Reader() }
