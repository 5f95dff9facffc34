package flows

import (
	"context"
	"errors"
	"slices"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// Verb is what a click asks to do to an action.
type Verb int

// The verbs of the checklist's buttons.
const (
	VerbApprove Verb = iota + 1
	VerbHold
	VerbRetry
	VerbMarkDone
)

func (v Verb) String() string {
	return map[Verb]string{VerbApprove: "approve", VerbHold: "hold", VerbRetry: "retry", VerbMarkDone: "mark done"}[v]
}

// check decides whether actor may do verb to the action, against the
// database, not against what the clicked message showed (PRODUCT §6).
func (s *Service) check(ctx context.Context, q storage.Querier, actor Actor, caseID, actionID int64, verb Verb) (storage.Case, storage.Action, error) {
	a, err := storage.LoadAction(ctx, q, actionID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && a.CaseID != caseID) {
		return storage.Case{}, a, ErrUnknownAction
	}
	if err != nil {
		return storage.Case{}, a, err
	}
	c, err := storage.LoadCase(ctx, q, caseID)
	if err != nil {
		return c, a, err
	}
	switch {
	case actor.ID == c.Target.SlackUser:
		return c, a, ErrTarget
	case !actor.Approver:
		return c, a, ErrNotApprover
	case c.State != storage.CaseOpen:
		return c, a, ErrAlreadyDecided
	case verb == VerbApprove && s.cfg.TwoPersonRule() && actor.ID == c.Requester:
		return c, a, ErrTwoPerson
	}
	manual := a.System == string(connectors.Manual)
	exhausted := a.State == storage.ActionFailed && a.Attempts >= a.MaxAttempts
	ok := false
	switch verb {
	case VerbApprove:
		ok = !manual && (a.State == storage.ActionAwaitingApproval || a.State == storage.ActionHeld)
		if ok && slices.Contains(a.Approvers, actor.ID) {
			return c, a, ErrAlreadyApproved
		}
	case VerbHold:
		ok = a.State == storage.ActionAwaitingApproval
	case VerbRetry:
		ok = exhausted
	case VerbMarkDone:
		ok = exhausted || (manual && (a.State == storage.ActionAwaitingApproval || a.State == storage.ActionHeld))
	}
	if !ok {
		return c, a, ErrAlreadyDecided
	}
	return c, a, nil
}

// Authorize checks a click that first opens a form (Hold, Mark done). A
// refusal is audited and answered like any other.
func (s *Service) Authorize(ctx context.Context, actor Actor, caseID, actionID int64, verb Verb, reply Reply) (storage.Action, error) {
	c, a, err := s.check(ctx, s.reader(), actor, caseID, actionID, verb)
	if err != nil && isDomain(err) {
		return a, s.deny(ctx, actor, c, a, verb, err, reply)
	}
	return a, err
}

// deny records a refused click and tells the clicker why; nothing changes.
func (s *Service) deny(ctx context.Context, actor Actor, c storage.Case, a storage.Action, verb Verb, why error, reply Reply) error {
	text := ":no_entry: " + refusalWords(why, verb)
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventDenied, CaseID: c.ID, ActionID: a.ID, Actor: actor.ID,
			Details: storage.Details(map[string]any{"verb": verb.String(), "why": why.Error(), "state": a.State})}); err != nil {
			return err
		}
		if c.ID == 0 || a.ID == 0 {
			return s.notify.Notify(ctx, tx, Notice{Kind: NoticeRefused, Actor: actor.ID, Text: text, Reply: reply})
		}
		return s.notify.Notify(ctx, tx, Notice{Kind: NoticeActionChanged, Case: c, Actions: []int64{a.ID}, Event: storage.EventDenied,
			Actor: actor.ID, Text: text, Reply: reply})
	})
	if err != nil {
		return err
	}
	return why
}

// refusalWords says why a click was refused, for the person who clicked.
func refusalWords(why error, verb Verb) string {
	switch {
	case errors.Is(why, ErrTarget):
		return "you are the person being offboarded in this case, so you cannot act on it"
	case errors.Is(why, ErrNotApprover):
		return "only approvers can " + verb.String() + " actions"
	case errors.Is(why, ErrTwoPerson):
		return "you requested this offboarding; another approver must approve it (two-person rule)"
	case errors.Is(why, ErrAlreadyApproved):
		return "you have already approved this action; it needs another approver"
	case errors.Is(why, ErrUnknownAction):
		return "that action does not belong to this case; nothing was done"
	case errors.Is(why, ErrAlreadyDecided):
		return "that action is no longer waiting for that (it was decided or the case is closed); nothing was done"
	}
	return why.Error()
}

func isDomain(err error) bool {
	for _, e := range []error{ErrTarget, ErrNotApprover, ErrTwoPerson, ErrAlreadyApproved, ErrUnknownAction, ErrAlreadyDecided} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
