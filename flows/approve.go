package flows

import (
	"context"

	"github.com/offboard/offboard/storage"
)

// Approve records actor's approval of one action; when the action has the
// approvals its policy needs, it is queued and executed at once. The check
// and the change happen in one transaction, so fifty clicks at once approve
// and queue it exactly once.
func (s *Service) Approve(ctx context.Context, actor Actor, caseID, actionID int64) error {
	return s.decide(ctx, actor, caseID, actionID, VerbApprove, func(tx *storage.Tx, c storage.Case, a storage.Action) error {
		_, err := s.approveIn(ctx, tx, actor, c, a)
		return err
	})
}

// decide runs change for one action after checking the click inside the
// same transaction; a refusal is recorded and returned instead.
func (s *Service) decide(ctx context.Context, actor Actor, caseID, actionID int64, verb Verb,
	change func(tx *storage.Tx, c storage.Case, a storage.Action) error) error {
	var refusal *Refusal
	var rc storage.Case
	var ra storage.Action
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		refusal = nil
		c, a, err := s.check(ctx, tx, actor, caseID, actionID, verb)
		if r, ok := Refused(err); ok {
			refusal, rc, ra = r, c, a
			return nil
		}
		if err != nil {
			return err
		}
		if err := change(tx, c, a); err != nil {
			if r, ok := Refused(err); ok {
				// Lost a race inside the transaction: nothing it wrote stays.
				refusal, rc, ra = r, c, a
			}
			return err
		}
		return nil
	})
	if refusal != nil {
		return s.deny(ctx, actor, rc, ra, refusal)
	}
	if err != nil {
		return err
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
	if n < a.ApprovalsRequired {
		return false, nil
	}
	ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: From(a, VerbApprove), To: storage.ActionApproved})
	if err != nil {
		return false, err
	}
	if !ok {
		return false, &Refusal{Kind: AlreadyDecided, Verb: VerbApprove.String(), Case: c}
	}
	return true, tx.EnqueueJob(ctx, a.ID, s.now())
}

// ApproveAll approves every action of the case still waiting for approval,
// each under its own policy (a two-approval action gets one approval). shown
// is how many rows the clicked checklist had: if rows were added since, it
// refuses (ChecklistChanged) and approves nothing, since the approver has
// not seen them.
func (s *Service) ApproveAll(ctx context.Context, actor Actor, caseID int64, shown int) error {
	var refusal *Refusal
	var rc storage.Case
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		refusal = nil
		c, err := storage.LoadCase(ctx, tx, caseID)
		if err != nil {
			refusal = &Refusal{Kind: UnknownAction, Verb: VerbApprove.String()}
			return nil
		}
		rc = c
		actions, err := storage.ListActions(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if len(actions) != shown {
			refusal = &Refusal{Kind: ChecklistChanged, Verb: VerbApprove.String(), Case: c}
			return nil
		}
		approved := 0
		for _, a := range actions {
			if a.State != storage.ActionAwaitingApproval {
				continue
			}
			who, err := s.subject(ctx, tx, actor, c, a)
			if err != nil {
				return err
			}
			if r := s.permit(who, c, a, VerbApprove); r != nil {
				if refusal == nil {
					refusal = r
				}
				continue
			}
			if _, err := s.approveIn(ctx, tx, actor, c, a); err != nil {
				return err
			}
			approved++
		}
		if approved > 0 {
			refusal = nil
		} else if refusal == nil {
			refusal = &Refusal{Kind: AlreadyDecided, Verb: VerbApprove.String(), Case: c}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if refusal != nil {
		return s.deny(ctx, actor, rc, storage.Action{}, refusal)
	}
	poke(s.work)
	return nil
}
