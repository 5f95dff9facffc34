package github

import (
	"fmt"
	"sync"

	"github.com/offboard/offboard/connectors"
)

// scanNotes holds what the latest dormancy scan could not see.
type scanNotes struct {
	mu     sync.Mutex
	unread int
	ran    bool
}

// noteScan records what a finished scan found that the report should
// say about itself.
func (c *Connector) noteScan(found []connectors.Dormant) {
	unread := 0
	for _, d := range found {
		if d.Why == "activity could not be read" {
			unread++
		}
	}
	c.notes.mu.Lock()
	defer c.notes.mu.Unlock()
	c.notes.unread, c.notes.ran = unread, true
}

// ScanNotes says what a GitHub dormancy scan cannot see, so that a quiet
// report is not read as proof: GitHub counts private contributions only
// for members who chose to share them, an App reads only the
// repositories it is installed on, and comments are read from each
// member's newest few.
func (c *Connector) ScanNotes() []string {
	notes := []string{
		"GitHub: work in private repositories counts only for members who share their private contribution counts; a member whose work is all private and unshared looks dormant",
		fmt.Sprintf("GitHub: issue and pull-request comments in %s's repositories count as activity, read from each member's newest %d comments", c.org, recentComments),
	}
	if c.tokenREST == nil {
		notes = append(notes, "GitHub: scanned with App credentials only: contributions and comments in repositories the App cannot read are invisible")
	}
	c.notes.mu.Lock()
	defer c.notes.mu.Unlock()
	if c.notes.ran && c.notes.unread > 0 {
		notes = append(notes, fmt.Sprintf("GitHub: the activity of %s could not be read; they are listed to check by hand", plural(c.notes.unread, "member")))
	}
	return notes
}
