package flows

import (
	"context"
	"errors"

	"github.com/offboard/offboard/storage"
)

// Cancel cancels the scheduled or open case of a person (PRODUCT §3.3):
// actions not yet executed become skipped, the thread says who cancelled.
// The requester of the case and approvers may cancel; the target never.
func (s *Service) Cancel(ctx context.Context, actor Actor, target string, reply Reply) (storage.Case, error) {
	c, err := storage.ActiveCaseOfSlackUser(ctx, s.reader(), target)
	if errors.Is(err, storage.ErrNotFound) {
		return c, s.answer(ctx, actor, reply, ErrNoCase, "There is no scheduled or open offboarding for <@"+target+">; nothing to cancel.")
	}
	if err != nil {
		return c, err
	}
	switch {
	case actor.ID == c.Target.SlackUser:
		return c, s.refuse(ctx, actor, reply, "cancel", ErrTarget, "You cannot cancel your own offboarding.")
	case !actor.Approver && !(actor.Requester && actor.ID == c.Requester):
		return c, s.refuse(ctx, actor, reply, "cancel", ErrNotYours,
			"Only the requester of this offboarding or an approver may cancel it.")
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
		var skipped []int64
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
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventCancelled, CaseID: c.ID, Actor: actor.ID,
			Details: storage.Details(map[string]any{"was": c.State, "skipped_actions": len(skipped)})}); err != nil {
			return err
		}
		c.State = storage.CaseCancelled
		c.ClosedBy = actor.ID
		c.ClosedAt = tx.Now()
		return s.notify.Notify(ctx, tx, Notice{Kind: NoticeCaseClosed, Case: c, Actions: skipped, Event: storage.EventCancelled,
			Actor: actor.ID, Reply: reply})
	})
	if err != nil {
		return c, err
	}
	if !cancelled {
		// It completed or was cancelled between the read and the write.
		return c, s.answer(ctx, actor, reply, ErrNoCase, "That offboarding has just finished or been cancelled; nothing to cancel.")
	}
	return c, nil
}

// answer tells the actor something without changing anything; it returns why.
func (s *Service) answer(ctx context.Context, actor Actor, reply Reply, why error, text string) error {
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		return s.notify.Notify(ctx, tx, Notice{Kind: NoticeInfo, Actor: actor.ID, Text: text, Reply: reply})
	})
	if err != nil {
		return err
	}
	return why
}

// reader is the database's read side.
func (s *Service) reader() storage.Querier { return s.db.Reader() }
