package commands

import "time"

// Command is one parsed /offboard command: Request, OpenModal, Help,
// Status, List, Cancel, Scan or Link.
type Command interface{ isCommand() }

// Request asks to offboard one person (/offboard @user [on …] [reason]).
type Request struct {
	// Target is the Slack user ID of the person, e.g. "U123ABC".
	Target string
	// At is the effective instant, in Env.Location. Without a date it is
	// Env.Now.
	At time.Time
	// DateGiven is true when the text said "on …".
	DateGiven bool
	// Due is true when the case should start at once: no date, "now", or
	// an instant that is not after Env.Now.
	Due bool
	// Overdue is true when At is before Env.Now; At keeps the instant the
	// person typed so the confirmation can say which one it was.
	Overdue bool
	// Reason is the rest of the text, trimmed and unescaped to plain text
	// (Slack's &amp;, &lt;, &gt; decoded, links as their text). The
	// renderer must escape it again. It may be empty.
	Reason string
}

// OpenModal asks for the request form (/offboard with no argument).
type OpenModal struct{}

// Help asks for the help text, which Usage returns.
type Help struct{}

// Status asks for the state of one person's case, or of all the
// requester's cases when Target is empty.
type Status struct {
	Target string
}

// List asks for the open and scheduled cases.
type List struct{}

// Cancel asks to cancel the open or scheduled case of Target.
type Cancel struct {
	Target string
}

// Scan asks for a dormancy scan now.
type Scan struct{}

// Link links accounts to a person by hand. At least one of GitHub and
// AWSUser is set. AWSAccount is empty (the default account), twelve digits,
// or one of Env.AWSAccounts.
type Link struct {
	Target     string
	GitHub     string
	AWSUser    string
	AWSAccount string
	// IDC is an IAM Identity Center user name.
	IDC string
}

func (Request) isCommand()   {}
func (OpenModal) isCommand() {}
func (Help) isCommand()      {}
func (Status) isCommand()    {}
func (List) isCommand()      {}
func (Cancel) isCommand()    {}
func (Scan) isCommand()      {}
func (Link) isCommand()      {}
