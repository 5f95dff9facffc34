package fakeaws

import "time"

// asyncRequest is an Identity Center request that completes later: an
// account assignment deletion or a permission set provisioning. Like the
// real service, it answers IN_PROGRESS first; it ends after
// Options.AsyncPolls status reads, SUCCEEDED or FAILED.
type asyncRequest struct {
	id         string
	created    time.Time
	pollsLeft  int
	status     string // IN_PROGRESS, SUCCEEDED, FAILED
	failure    string
	assignment Assignment // deletions
	permSet    string     // provisionings
	// done runs once, when the request succeeds (the deletion itself).
	done func()
}

// poll advances the request by one status read.
func (r *asyncRequest) poll() {
	if r.status != "IN_PROGRESS" {
		return
	}
	if r.pollsLeft > 0 {
		r.pollsLeft--
		return
	}
	if r.failure != "" {
		r.status = "FAILED"
		return
	}
	r.status = "SUCCEEDED"
	if r.done != nil {
		r.done()
	}
}
