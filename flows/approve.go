package flows

import (
	"context"

	"github.com/offboard/offboard/storage"
)

// Approve records actor's approval of one action; when the action has the
// approvals its policy needs, it is queued and executed at once (PRODUCT
// §3.3). The check and the change happen in one transaction, so fifty
// clicks at once approve and queue it exactly once.
func (s *Service) Approve(ctx context.Context, actor Actor, caseID, actionID int64, reply Reply) error {
	return s.decide(ctx, actor, caseID, actionID, VerbApprove, reply, func(tx *storage.Tx, c storage.Case, a storage.Action) error {
		_, err := s.approveIn(ctx, tx, actor, c, a)
		return err
	})
}

// decide runs change for one action after checking the click inside the
// same transaction; a refusal is recorded and answered instead.
func (s *Service) decide(ctx context.Context, actor Actor, caseID, actionID int64, verb Verb, reply Reply,
	change func(tx *storage.Tx, c storage.Case, a storage.Action) error) error {
	var refused error
	var rc storage.Case
	var ra storage.Action
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		refused = nil
		c, a, err := s.check(ctx, tx, actor, caseID, actionID, verb)
		if isDomain(err) {
			refused, rc, ra = err, c, a
			return nil
		}
		if err != nil {
			return err
		}
		return change(tx, c, a)
	})
	if err != nil {
		return err
	}
	if refused != nil {
		return s.deny(ctx, actor, rc, ra, verb, refused, reply)
	}
	poke(s.work)
	return nil
}

// approveIn adds one approval in tx and queues the action when it has
// enough; it reports whether it was queued.
func (s *Service) approveIn(ctx context.Context, tx *storage.Tx, actor Actor, c storage.Case, a storage.Action) (bool, error) {
	if _, err := tx.AddApproval(ctx, a.ID, actor.ID); err != nil {
		return false, err
	}
	n, err := tx.CountApprovals(ctx, a.ID)
	if err != nil {
		return false, err
	}
	if err := tx.Audit(ctx, &storage.Event{Type: storage.EventApproved, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
		Details: storage.Details(map[string]any{"approvals": n, "required": a.ApprovalsRequired, "was": a.State})}); err != nil {
		return false, err
	}
	queued := false
	if n >= a.ApprovalsRequired {
		ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: []string{storage.ActionAwaitingApproval, storage.ActionHeld}, To: storage.ActionApproved})
		if err != nil {
			return false, err
		}
		if !ok {
			return false, ErrAlreadyDecided
		}
		if err := tx.EnqueueJob(ctx, a.ID, s.now()); err != nil {
			return false, err
		}
		queued = true
	}
	return queued, s.notify.Notify(ctx, tx, Notice{Kind: NoticeActionChanged, Case: c, Actions: []int64{a.ID},
		Event: storage.EventApproved, Actor: actor.ID, Attempt: n, Of: a.ApprovalsRequired})
}

// ApproveAll approves every action of the case still waiting for approval,
// each under its own policy (a two-approval action gets one approval).
func (s *Service) ApproveAll(ctx context.Context, actor Actor, caseID int64, reply Reply) error {
	var refused error
	var rc storage.Case
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		refused = nil
		c, err := storage.LoadCase(ctx, tx, caseID)
		if err != nil {
			refused = ErrUnknownAction
			return nil
		}
		rc = c
		actions, err := storage.ListActions(ctx, tx, caseID)
		if err != nil {
			return err
		}
		approved := 0
		var firstRefusal error
		for _, a := range actions {
			if a.State != storage.ActionAwaitingApproval {
				continue
			}
			_, _, err := s.check(ctx, tx, actor, caseID, a.ID, VerbApprove)
			if isDomain(err) {
				if firstRefusal == nil {
					firstRefusal = err
				}
				continue
			}
			if err != nil {
				return err
			}
			if _, err := s.approveIn(ctx, tx, actor, c, a); err != nil {
				return err
			}
			approved++
		}
		if approved == 0 {
			refused = firstRefusal
			if refused == nil {
				refused = ErrAlreadyDecided
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if refused != nil {
		return s.deny(ctx, actor, rc, storage.Action{}, VerbApprove, refused, reply)
	}
	poke(s.work)
	return nil
}
