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
}

// Hold puts an action on hold with a reason. Approvals it
// had are cleared: when it comes back, it is decided on the facts then.
func (s *Service) Hold(ctx context.Context, actor Actor, in HoldInput) error {
	reason := strings.TrimSpace(in.Reason)
	if reason == "" {
		return refused(ReasonRequired, VerbHold.String())
	}
	return s.decide(ctx, actor, in.CaseID, in.ActionID, VerbHold, func(tx *storage.Tx, c storage.Case, a storage.Action) error {
		ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: From(a, VerbHold), To: storage.ActionHeld,
			HeldBy: &actor.ID, HeldReason: &reason, HeldUntil: &in.Until})
		if err != nil {
			return err
		}
		if !ok {
			return &Refusal{Kind: AlreadyDecided, Verb: "change", Case: c}
		}
		if err := tx.ClearApprovals(ctx, a.ID); err != nil {
			return err
		}
		details := map[string]any{"reason": reason}
		if !in.Until.IsZero() {
			details["until"] = in.Until.UTC().Format(time.RFC3339)
		}
		return tx.Audit(ctx, &storage.Event{Type: storage.EventHeld, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
			Details: storage.Details(details)})
	})
}

// Retry gives an action whose attempts ran out a fresh set of attempts.
func (s *Service) Retry(ctx context.Context, actor Actor, caseID, actionID int64) error {
	return s.decide(ctx, actor, caseID, actionID, VerbRetry, func(tx *storage.Tx, c storage.Case, a storage.Action) error {
		zero := 0
		ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{From: From(a, VerbRetry), To: storage.ActionApproved, Attempts: &zero})
		if err != nil {
			return err
		}
		if !ok {
			return &Refusal{Kind: AlreadyDecided, Verb: "change", Case: c}
		}
		if err := tx.EnqueueJob(ctx, a.ID, s.now()); err != nil {
			return err
		}
		return tx.Audit(ctx, &storage.Event{Type: storage.EventRetried, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
			Details: storage.Details(map[string]any{"previous_attempts": a.Attempts, "last_error": a.LastError})})
	})
}

// MarkDone records that a person finished an action by hand: a manual task,
// or a revocation whose attempts ran out. A note is required.
func (s *Service) MarkDone(ctx context.Context, actor Actor, caseID, actionID int64, note string) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return refused(NoteRequired, VerbMarkDone.String())
	}
	return s.decide(ctx, actor, caseID, actionID, VerbMarkDone, func(tx *storage.Tx, c storage.Case, a storage.Action) error {
		outcome := "marked done"
		ok, err := tx.ChangeAction(ctx, a.ID, storage.ActionChange{
			From: From(a, VerbMarkDone), To: storage.ActionDone,
			DoneBy: &actor.ID, DoneNote: &note, Outcome: &outcome})
		if err != nil {
			return err
		}
		if !ok {
			return &Refusal{Kind: AlreadyDecided, Verb: "change", Case: c}
		}
		if err := tx.RemoveJob(ctx, a.ID); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventMarkedDone, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
			Details: storage.Details(map[string]any{"note": note, "was": a.State})}); err != nil {
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
	return tx.Audit(ctx, &storage.Event{Type: storage.EventCompleted, CaseID: caseID, Actor: System.ID,
		Details: storage.Details(map[string]any{"actions": len(actions), "done": counts[storage.ActionDone], "skipped": counts[storage.ActionSkipped],
			"duration_s": int(c.ClosedAt.Sub(c.OpenedAt).Seconds())})})
}
