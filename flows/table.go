package flows

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// Verb is what a person asks to do to an action with a button.
type Verb int

// The verbs of the checklist's buttons.
const (
	VerbApprove Verb = iota + 1
	VerbHold
	VerbRetry
	VerbMarkDone
)

// Verbs lists every verb, in the order their buttons are shown: the first
// a row allows is its main button.
var Verbs = []Verb{VerbApprove, VerbRetry, VerbMarkDone, VerbHold}

func (v Verb) String() string {
	return map[Verb]string{VerbApprove: "approve", VerbHold: "hold", VerbRetry: "retry", VerbMarkDone: "mark done"}[v]
}

// transition is one row of the lifecycle's table: a verb may move an
// action from one of the states From to To, when the action is of the kind
// When accepts.
type transition struct {
	Verb Verb
	From []string
	When func(a storage.Action) bool
	To   string
}

// table is the whole answer to "which verbs may be applied to this action
// now" (docs/design.md, "The state table"). The checks of a click, the
// buttons of the checklist and the App Home all read it; who may apply a
// verb is decided by permit, below, and by nothing else.
var table = []transition{
	// Approve moves the action to approved once it has the approvals its
	// policy needs; until then it stays where it is with one more approval.
	{VerbApprove, []string{storage.ActionAwaitingApproval, storage.ActionHeld}, revocable, storage.ActionApproved},
	{VerbHold, []string{storage.ActionAwaitingApproval}, unprotected, storage.ActionHeld},
	{VerbRetry, []string{storage.ActionFailed}, exhausted, storage.ActionApproved},
	{VerbMarkDone, []string{storage.ActionFailed}, exhausted, storage.ActionDone},
	{VerbMarkDone, []string{storage.ActionAwaitingApproval, storage.ActionHeld}, byHand, storage.ActionDone},
}

// rule finds the row of the table that lets verb apply to a now.
func rule(a storage.Action, verb Verb) (transition, bool) {
	for _, t := range table {
		if t.Verb == verb && slices.Contains(t.From, a.State) && t.When(a) {
			return t, true
		}
	}
	return transition{}, false
}

// Allowed lists the verbs the action's state allows in an open case, in
// button order: the buttons its checklist row shows. Whether a given
// person may apply one is permit's answer.
func Allowed(c storage.Case, a storage.Action) []Verb {
	if c.State != storage.CaseOpen {
		return nil
	}
	var out []Verb
	for _, v := range Verbs {
		if _, ok := rule(a, v); ok {
			out = append(out, v)
		}
	}
	return out
}

// From lists the states verb may move an action of a's kind from: the
// compare-and-swap condition of the change.
func From(a storage.Action, verb Verb) []string {
	var out []string
	for _, t := range table {
		if t.Verb == verb && t.When(a) {
			out = append(out, t.From...)
		}
	}
	return out
}

// subject is who asks and how they stand to the case: facts read from
// the database before permit decides.
type subject struct {
	Actor
	// Target: the actor is the person being offboarded (any of their
	// Slack accounts).
	Target bool
	// Linker: the actor linked the account the action revokes (by hand,
	// into an open case), so the two-person rule covers them too.
	Linker bool
}

// permit decides whether a subject may apply verb to action a of case c
// now: the one place that says who may do what (docs/design.md). It
// returns nil or the refusal.
func (s *Service) permit(who subject, c storage.Case, a storage.Action, verb Verb) *Refusal {
	actor := who.Actor
	r := func(k RefusalKind) *Refusal { return &Refusal{Kind: k, Verb: verb.String(), Case: c} }
	switch {
	case a.CaseID != c.ID || a.ID == 0:
		return r(UnknownAction)
	case who.Target || actor.ID == c.Target.SlackUser:
		return r(IsTarget)
	case !actor.Approver:
		return r(NotApprover)
	case c.State != storage.CaseOpen:
		return r(AlreadyDecided)
	}
	if _, ok := rule(a, verb); !ok {
		return r(AlreadyDecided)
	}
	if verb == VerbApprove {
		if s.cfg.TwoPersonRule() && (actor.ID == c.Requester || who.Linker) {
			return r(TwoPerson)
		}
		if slices.Contains(a.Approvers, actor.ID) {
			return r(AlreadyApproved)
		}
	}
	return nil
}

// MayApprove says whether viewer may approve a now: what App Home lists
// as waiting for them.
func (s *Service) MayApprove(ctx context.Context, q storage.Querier, viewer Actor, c storage.Case, a storage.Action) bool {
	who, err := s.subject(ctx, q, viewer, c, a)
	return err == nil && s.permit(who, c, a, VerbApprove) == nil
}

// MaySee says whether viewer may see case c at all (status, list, App
// Home): requesters and approvers may, the person being offboarded never,
// whichever of their Slack accounts they look from.
func (s *Service) MaySee(ctx context.Context, q storage.Querier, viewer Actor, c storage.Case) bool {
	if !viewer.Requester && !viewer.Approver {
		return false
	}
	target, err := s.isTarget(ctx, q, c.IdentityID, viewer.ID)
	return err == nil && !target && viewer.ID != c.Target.SlackUser
}

// subject reads how actor stands to case c and action a.
func (s *Service) subject(ctx context.Context, q storage.Querier, actor Actor, c storage.Case, a storage.Action) (subject, error) {
	who := subject{Actor: actor}
	var err error
	if who.Target, err = s.isTarget(ctx, q, c.IdentityID, actor.ID); err != nil {
		return who, err
	}
	if a.ID != 0 && a.Account != "" {
		l, err := storage.LoadAccountOwner(ctx, q, a.System, a.Scope, a.Account)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return who, err
		}
		who.Linker = err == nil && l.LinkedBy == string(connectors.LinkManual) && l.LinkedActor == actor.ID
	}
	return who, nil
}

// isTarget says whether actorID is one of the Slack accounts of the
// identity (its own, or another linked to it).
func (s *Service) isTarget(ctx context.Context, q storage.Querier, identityID int64, actorID string) (bool, error) {
	if identityID == 0 || actorID == "" {
		return false, nil
	}
	ids, err := storage.SlackAccountsOf(ctx, q, identityID)
	return slices.Contains(ids, actorID), err
}

// grantFacts are the parts of an action's grant the table reads.
type grantFacts struct {
	Protected string `json:"protected"`
	Manual    string `json:"manual"`
}

func factsOf(a storage.Action) grantFacts {
	var f grantFacts
	_ = json.Unmarshal(a.Grant, &f) // a broken grant has no facts: it is revocable, and its call fails visibly
	return f
}

// ByHand says whether a person does the action and marks it done: a manual
// task, or a grant the system's API cannot revoke here.
func ByHand(a storage.Action) bool {
	return a.System == string(connectors.Manual) || factsOf(a).Manual != ""
}

// Protected says why the action must never run ("" when it may).
func Protected(a storage.Action) string { return factsOf(a).Protected }

func unprotected(a storage.Action) bool { return Protected(a) == "" }
func revocable(a storage.Action) bool   { return unprotected(a) && !ByHand(a) }
func byHand(a storage.Action) bool      { return unprotected(a) && ByHand(a) }
func exhausted(a storage.Action) bool {
	return unprotected(a) && a.State == storage.ActionFailed && a.Attempts >= a.MaxAttempts
}
