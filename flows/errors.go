package flows

import (
	"errors"

	"github.com/offboard/offboard/storage"
)

// RefusalKind says why flows refused what a person asked. Package bot
// turns kinds into words; flows never writes Slack text.
type RefusalKind int

// The kinds of refusal (see docs/design.md, "Who may do what").
const (
	// NotRequester: only requesters may request an offboarding.
	NotRequester RefusalKind = iota + 1
	// NotApprover: only approvers may do that.
	NotApprover
	// IsTarget: the person being offboarded cannot act on their own case.
	IsTarget
	// TwoPerson: the requester of a case cannot approve its actions.
	TwoPerson
	// AlreadyDecided: the action is no longer in a state that allows it.
	AlreadyDecided
	// AlreadyApproved: this approver already approved; it needs another.
	AlreadyApproved
	// UnknownAction: no such action (or report row) in this case.
	UnknownAction
	// NoCase: the person has no scheduled or open offboarding.
	NoCase
	// NotYours: only the requester of a case or an approver may cancel it.
	NotYours
	// Duplicate: the person already has a scheduled or open offboarding
	// (Refusal.Case is that one).
	Duplicate
	// NoteRequired: Mark done needs a note.
	NoteRequired
	// ReasonRequired: Hold needs a reason.
	ReasonRequired
	// ScanRunning: a dormancy scan is already running.
	ScanRunning
	// AlreadyActedOn: someone already acted on that row of the report.
	AlreadyActedOn
	// UnknownAWSAccount: no AWS account of that name or ID is configured
	// (Refusal.Detail names it).
	UnknownAWSAccount
	// ConnectorOff: the connector the request needs is off (Detail names it).
	ConnectorOff
	// ChecklistChanged: Approve all remaining was clicked on a checklist
	// that has gained rows since it was shown.
	ChecklistChanged
	// NeedsConfirmation: the account is linked to another person; moving
	// it needs a second approver's confirmation.
	NeedsConfirmation
)

var kindWords = map[RefusalKind]string{
	NotRequester: "not a requester", NotApprover: "not an approver", IsTarget: "the target of the case",
	TwoPerson: "two-person rule", AlreadyDecided: "already decided", AlreadyApproved: "already approved by this approver",
	UnknownAction: "unknown action", NoCase: "no active case", NotYours: "not the requester or an approver",
	Duplicate: "duplicate", NoteRequired: "note required", ReasonRequired: "reason required", ScanRunning: "a scan is running",
	AlreadyActedOn: "already acted on", UnknownAWSAccount: "unknown AWS account", ConnectorOff: "connector off",
	ChecklistChanged: "the checklist changed", NeedsConfirmation: "needs a second approver's confirmation",
}

// String is the kind as the audit log records it ("two-person rule").
func (k RefusalKind) String() string {
	if w, ok := kindWords[k]; ok {
		return w
	}
	return "refused"
}

// Refusal is flows' answer when it will not do what a person asked: the
// kind and its facts. It has been recorded where the lifecycle records
// refusals (a denied click, a refused request); nothing is left to retry.
type Refusal struct {
	Kind RefusalKind
	// Verb is what was asked: "approve", "cancel", "request", …
	Verb string
	// Case is the case concerned, when there is one (the existing case of
	// a Duplicate).
	Case storage.Case
	// Detail is a fact the words need (the unknown AWS account's name).
	Detail string
}

func (r *Refusal) Error() string { return "refused: " + r.Kind.String() }

// Is makes errors.Is(err, ErrNotApprover) and its siblings match any
// refusal of the same kind.
func (r *Refusal) Is(target error) bool {
	t, ok := target.(*Refusal)
	return ok && t.Kind == r.Kind
}

// Sentinels for errors.Is, one per kind.
var (
	ErrNotRequester    = &Refusal{Kind: NotRequester}
	ErrNotApprover     = &Refusal{Kind: NotApprover}
	ErrTarget          = &Refusal{Kind: IsTarget}
	ErrTwoPerson       = &Refusal{Kind: TwoPerson}
	ErrAlreadyDecided  = &Refusal{Kind: AlreadyDecided}
	ErrAlreadyApproved = &Refusal{Kind: AlreadyApproved}
	ErrUnknownAction   = &Refusal{Kind: UnknownAction}
	ErrNoCase          = &Refusal{Kind: NoCase}
	ErrNotYours        = &Refusal{Kind: NotYours}
	ErrDuplicate       = &Refusal{Kind: Duplicate}
	ErrNoteRequired    = &Refusal{Kind: NoteRequired}
	ErrReasonRequired  = &Refusal{Kind: ReasonRequired}
	ErrScanRunning     = &Refusal{Kind: ScanRunning}
)

// refused builds a refusal of kind for verb.
func refused(kind RefusalKind, verb string) *Refusal { return &Refusal{Kind: kind, Verb: verb} }

// Refused returns the refusal in err's chain, if there is one. A refusal is
// an answer, not a failure: the envelope that asked is done.
func Refused(err error) (*Refusal, bool) {
	var r *Refusal
	ok := errors.As(err, &r)
	return r, ok
}
