package flows

import "errors"

// Domain errors. Package bot maps them to the words a person reads.
var (
	ErrNotRequester    = errors.New("only requesters may request an offboarding")
	ErrNotApprover     = errors.New("only approvers may do that")
	ErrTarget          = errors.New("the person being offboarded cannot act on their own case")
	ErrTwoPerson       = errors.New("the requester of a case cannot approve its actions (two-person rule)")
	ErrAlreadyDecided  = errors.New("the action is no longer waiting for that")
	ErrAlreadyApproved = errors.New("you have already approved this action")
	ErrUnknownAction   = errors.New("no such action in this case")
	ErrNoCase          = errors.New("no scheduled or open offboarding for that person")
	ErrNotYours        = errors.New("only the requester of a case or an approver may cancel it")
	ErrDuplicate       = errors.New("the person already has a scheduled or open offboarding")
	ErrNoteRequired    = errors.New("a note is required")
	ErrReasonRequired  = errors.New("a reason is required")
)

// Answered says whether err is a domain error flows has already recorded
// and answered the person about: nothing is left to retry.
func Answered(err error) bool {
	for _, e := range []error{ErrNotRequester, ErrNotApprover, ErrTarget, ErrTwoPerson, ErrAlreadyDecided, ErrAlreadyApproved,
		ErrUnknownAction, ErrNoCase, ErrNotYours, ErrDuplicate, ErrNoteRequired, ErrReasonRequired, ErrScanRunning} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
