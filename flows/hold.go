package flows

import (
	"context"
	"strings"
	"time"

	"github.com/offboard/offboard/storage"
)

// HoldInput is a submitted Hold form.
type HoldInput struct {
	CaseID, ActionID int64
	Reason           string
	// Until is when the action comes back for a decision; zero for never
	// (it stays held until someone approves it).
	Until time.Time
	Reply Reply
}

// Hold puts an action on hold with a reason (PRODUCT §3.3). Approvals it
// had are cleared: when it comes back, it is decided on the facts then.
func (s *Service) Hold(ctx context.Context, actor Actor, in HoldInput) error {
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return s.answer(ctx, actor, in.Reply, ErrReasonRequired, "A reason is required to hold an action.")
	}
	return s.decide(ctx, actor, in.CaseID, in.ActionID, VerbHold, in.Reply, func(tx *storage.Tx, c storage.Case, a storage.Action) error {
		ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: []string{storage.ActionAwaitingApproval}, To: storage.ActionHeld,
			HeldBy: &actor.ID, HeldReason: &reason, HeldUntil: &in.Until})
		if err != nil {
			return err
		}
		if !ok {
			return ErrAlreadyDecided
		}
		if err := tx.ClearApprovals(ctx, a.ID); err != nil {
			return err
		}
		details := map[string]any{"reason": reason}
		if !in.Until.IsZero() {
			details["until"] = in.Until.UTC().Format(time.RFC3339)
		}
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventHeld, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
			Details: storage.Details(details)}); err != nil {
			return err
		}
		return s.notify.Notify(ctx, tx, Notice{Kind: NoticeActionChanged, Case: c, Actions: []int64{a.ID}, Event: storage.EventHeld,
			Actor: actor.ID, Text: reason, Until: in.Until})
	})
}

// Retry gives an action whose attempts ran out a fresh set of attempts.
func (s *Service) Retry(ctx context.Context, actor Actor, caseID, actionID int64, reply Reply) error {
	return s.decide(ctx, actor, caseID, actionID, VerbRetry, reply, func(tx *storage.Tx, c storage.Case, a storage.Action) error {
		zero := 0
		ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: []string{storage.ActionFailed}, To: storage.ActionApproved, Attempts: &zero})
		if err != nil {
			return err
		}
		if !ok {
			return ErrAlreadyDecided
		}
		if err := tx.EnqueueJob(ctx, a.ID, s.now()); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventRetried, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
			Details: storage.Details(map[string]any{"previous_attempts": a.Attempts, "last_error": a.LastError})}); err != nil {
			return err
		}
		return s.notify.Notify(ctx, tx, Notice{Kind: NoticeActionChanged, Case: c, Actions: []int64{a.ID}, Event: storage.EventRetried, Actor: actor.ID})
	})
}

// MarkDone records that a person finished an action by hand: a manual task,
// or a revocation whose attempts ran out. A note is required.
func (s *Service) MarkDone(ctx context.Context, actor Actor, caseID, actionID int64, note string, reply Reply) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return s.answer(ctx, actor, reply, ErrNoteRequired, "A note is required to mark an action done.")
	}
	return s.decide(ctx, actor, caseID, actionID, VerbMarkDone, reply, func(tx *storage.Tx, c storage.Case, a storage.Action) error {
		outcome := "marked done"
		ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{
			From: []string{storage.ActionFailed, storage.ActionAwaitingApproval, storage.ActionHeld}, To: storage.ActionDone,
			DoneBy: &actor.ID, DoneNote: &note, Outcome: &outcome})
		if err != nil {
			return err
		}
		if !ok {
			return ErrAlreadyDecided
		}
		if err := tx.RemoveJob(ctx, a.ID); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventMarkedDone, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
			Details: storage.Details(map[string]any{"note": note, "was": a.State})}); err != nil {
			return err
		}
		if err := s.notify.Notify(ctx, tx, Notice{Kind: NoticeActionChanged, Case: c, Actions: []int64{a.ID}, Event: storage.EventMarkedDone,
			Actor: actor.ID, Text: note}); err != nil {
			return err
		}
		return s.maybeComplete(ctx, tx, c.ID)
	})
}

// maybeComplete completes an open case whose every action is done or skipped.
func (s *Service) maybeComplete(ctx context.Context, tx *storage.Tx, caseID int64) error {
	actions, err := storage.ListActions(ctx, tx, caseID)
	if err != nil {
		return err
	}
	for _, a := range actions {
		if !a.Finished() {
			return nil
		}
	}
	ok, err := tx.SetCaseState(ctx, caseID, storage.CaseOpen, storage.CaseCompleted, System.ID)
	if err != nil || !ok {
		return err
	}
	c, err := storage.LoadCase(ctx, tx, caseID)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, a := range actions {
		counts[a.State]++
	}
	if err := tx.Audit(ctx, &storage.Event{Type: storage.EventCompleted, CaseID: caseID, Actor: System.ID,
		Details: storage.Details(map[string]any{"actions": len(actions), "done": counts[storage.ActionDone], "skipped": counts[storage.ActionSkipped],
			"duration_s": int(c.ClosedAt.Sub(c.OpenedAt).Seconds())})}); err != nil {
		return err
	}
	return s.notify.Notify(ctx, tx, Notice{Kind: NoticeCaseClosed, Case: c, Event: storage.EventCompleted, Actor: System.ID})
}
