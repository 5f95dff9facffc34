package flows

import (
	"time"

	"github.com/offboard/offboard/storage"
)

// NoticeKind says what a Notice reports.
type NoticeKind int

// The things flows tells the bot about.
const (
	// NoticeRequested: a new case (parent message; confirmation to Reply).
	NoticeRequested NoticeKind = iota + 1
	// NoticeDuplicate: a request for a person who already has a case (Case is that one).
	NoticeDuplicate
	// NoticeRefused: the actor may not do what they asked; Text says why.
	NoticeRefused
	// NoticeOpened: discovery ran; the checklist is to be posted.
	NoticeOpened
	// NoticeActionChanged: an action's state changed (Event says how).
	NoticeActionChanged
	// NoticeCaseClosed: the case completed or was cancelled.
	NoticeCaseClosed
	// NoticeReminder: actions have waited too long for approval.
	NoticeReminder
	// NoticeInfo: a plain answer to the actor (Text), changing nothing.
	NoticeInfo
	// NoticeScanReport: a dormancy scan finished (ScanID).
	NoticeScanReport
	// NoticeDormantChanged: a row of a dormancy report was acted on.
	NoticeDormantChanged
)

// Notice is one thing that happened, for the bot to put into words.
type Notice struct {
	Kind    NoticeKind
	Case    storage.Case
	Actions []int64
	// Event is the audit event type behind the notice (approved, held, …).
	Event string
	Actor string
	Text  string
	Reply Reply
	// Attempt and Of number a failed execution attempt; Took is how long a
	// successful one took; Until is a hold's until-date or a retry's time.
	Attempt, Of int
	Took        time.Duration
	Until       time.Time
	ScanID      int64
	FindingID   int64
	// Before is how many actions the case had before these were added
	// (NoticeOpened after a link): earlier checklist messages are updated,
	// later ones posted.
	Before int
}
