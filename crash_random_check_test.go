package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/offboard/offboard/sandbox/fakegithub"
)

// check stops the bot gracefully and asserts what the run must leave.
func (r *crashRig) check() {
	t := r.t
	// The graceful stop is checked on a running bot: the last restart may
	// have come a moment ago, and a SIGTERM before its main has installed
	// the handler is the kernel's default, not a stop.
	r.mu.Lock()
	last := r.bot
	r.mu.Unlock()
	deadline := time.Now().Add(20 * time.Second)
	for {
		up := false
		for _, at := range r.slack.SocketsOpenedAt() {
			up = up || at.After(last.started)
		}
		if up {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the last restart never connected")
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.mu.Lock()
	p, kills := r.bot, append([]time.Time(nil), r.kills...)
	t.Logf("seed %d: %d kills; each restart to its socket open (the fake's record): %v", r.seed, len(kills), r.connects)
	r.mu.Unlock()
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30 s after SIGTERM")
	}
	if !p.cmd.ProcessState.Success() {
		t.Errorf("after SIGTERM: %v", p.cmd.ProcessState)
	}
	events := r.auditEvents()

	// Every grant revoked, by exactly one successful mutating call.
	for i := 0; i < r.plan.cases; i++ {
		if left := r.grantsLeft(i); len(left) > 0 {
			t.Errorf("%s still holds %v", target(i), left)
		}
	}
	for what, n := range r.mutations() {
		if n != 1 {
			t.Errorf("%s: %d successful calls; want exactly 1", what, n)
		}
	}
	for i := 0; i < r.plan.cases; i++ {
		r.checkCase(i, events)
	}
	r.logStalls(events)
	r.checkEnvelopes(kills)
	if out, err := r.offboard("audit", "verify"); err != nil {
		t.Errorf("offboard audit verify: %v\n%s", err, out)
	}
}

// mutations counts the successful mutating calls the fakes served, by
// what they changed; each grant must appear exactly once.
func (r *crashRig) mutations() map[string]int {
	n := map[string]int{}
	for i := 0; i < r.plan.cases; i++ {
		if r.has(i, "github") {
			n["GitHub remove "+targetLogin(i)] = 0
		}
		if r.has(i, "slack") {
			n["Slack remove from "+targetGroup(i)] = 0
		}
	}
	for _, c := range r.gh.Calls() {
		if c.Route == fakegithub.RouteRemoveMember && c.Status == 204 {
			n["GitHub remove "+c.Path[strings.LastIndex(c.Path, "/")+1:]]++
		}
	}
	for _, c := range r.slack.CallsTo("usergroups.users.update") {
		if c.Error == "" && c.Status == 200 {
			n["Slack remove from "+c.Params["usergroup"]]++
		}
	}
	for _, c := range r.iam.Calls() {
		if c.Service != "iam" || c.Code != "" || c.Status != 200 || readOnlyIAM(c.Action) {
			continue
		}
		key := "IAM " + c.Action + " " + c.Params.Get("UserName")
		for _, p := range []string{"AccessKeyId", "PolicyArn", "PolicyName"} {
			if v := c.Params.Get(p); v != "" {
				key += " " + v
			}
		}
		n[key]++
	}
	return n
}

func readOnlyIAM(action string) bool {
	for _, p := range []string{"Get", "List", "Generate", "Simulate"} {
		if strings.HasPrefix(action, p) {
			return true
		}
	}
	return false
}

// has says whether case i's person was seeded with access in system.
func (r *crashRig) has(i int, system string) bool {
	return r.plan.allSystems || []string{"github", "aws", "slack"}[i%3] == system
}

// auditEvent is one line of `offboard audit export --format jsonl`.
type auditEvent struct {
	Seq      int64          `json:"seq"`
	At       time.Time      `json:"at"`
	Type     string         `json:"type"`
	CaseID   int64          `json:"case_id"`
	ActionID int64          `json:"action_id"`
	Details  map[string]any `json:"details"`
}

// offboard runs the binary once to its end, as an operator would.
func (r *crashRig) offboard(args ...string) ([]byte, error) {
	cmd := exec.Command(offboardBinary(r.t), args...)
	cmd.Env = append(os.Environ(), append(r.env, "OFFBOARD_LOG_LEVEL=error")...)
	return cmd.Output()
}

func (r *crashRig) auditEvents() []auditEvent {
	out, err := r.offboard("audit", "export", "--format", "jsonl")
	if err != nil {
		r.t.Fatalf("offboard audit export: %v", err)
	}
	var evs []auditEvent
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var e auditEvent
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			r.t.Fatalf("audit export line %q: %v", line, err)
		}
		evs = append(evs, e)
	}
	return evs
}

// checkCase asserts case i's parent, thread and audit trail: one parent;
// per action exactly one executing event, one outcome event, one Executing
// reply and one outcome reply; one closing reply; no reply twice.
func (r *crashRig) checkCase(i int, events []auditEvent) {
	t := r.t
	ps := r.parentsOf(i)
	if len(ps) != 1 {
		t.Errorf("%s: %d parent messages; want 1", target(i), len(ps))
		if len(ps) == 0 {
			return
		}
	}
	var caseID int64
	th := r.slack.Thread(crashChannel, ps[0].TS)[1:]
	seen := map[string]int{}
	executing, outcomes, closing := map[string]int{}, map[string]int{}, 0
	for _, m := range th {
		seen[m.Text]++
		if seen[m.Text] == 2 {
			t.Errorf("%s: reply posted twice: %.200q", target(i), m.Text)
		}
		switch {
		case strings.HasPrefix(m.Text, ":arrows_counterclockwise: Executing "):
			executing[starred(m.Text)]++
		case strings.HasPrefix(m.Text, ":white_check_mark: Revoked "), strings.HasSuffix(m.Text, " was already gone; nothing to do"):
			outcomes[starred(m.Text)]++
		case strings.Contains(m.Text, "*Completed*"):
			closing++
		}
	}
	// The parent names its case: "Offboarding #4 of <@U1T00> …".
	if _, rest, ok := strings.Cut(ps[0].Text, "Offboarding #"); ok {
		fmt.Sscanf(rest, "%d", &caseID)
	}
	// A process killed mid-call leaves the action executing; the next one
	// resumes it with a second executing event marked resumed_after_restart
	// and the same attempt number: a crash is not an attempt.
	type trail struct{ fresh, resumed, outcome, attempt int }
	actions := map[int64]*trail{}
	for _, e := range events {
		if e.CaseID != caseID || e.ActionID == 0 {
			continue
		}
		a := actions[e.ActionID]
		if a == nil {
			a = &trail{}
			actions[e.ActionID] = a
		}
		switch e.Type {
		case "executing":
			if e.Details["resumed_after_restart"] == true {
				a.resumed++
			} else {
				a.fresh++
			}
			if n, _ := e.Details["attempt"].(float64); int(n) > a.attempt {
				a.attempt = int(n)
			}
		case "revoked", "already_gone":
			a.outcome++
		}
	}
	for id, a := range actions {
		if a.fresh != 1 || a.outcome != 1 || a.attempt != 1 || a.resumed > len(r.kills) {
			t.Errorf("%s (case %d): action %d has %d executing events (%d more resumed after a restart), %d outcome events, attempt %d; want 1, at most one resumed per kill, 1 and attempt 1",
				target(i), caseID, id, a.fresh, a.resumed, a.outcome, a.attempt)
		}
	}
	for what, n := range executing {
		if n != 1 || outcomes[what] != 1 {
			t.Errorf("%s: %d Executing and %d outcome replies for %s; want 1 each", target(i), n, outcomes[what], what)
		}
	}
	if len(executing) != len(actions) || len(outcomes) != len(actions) || closing != 1 {
		t.Errorf("%s (case %d): %d actions in the audit log, %d with an Executing reply, %d with an outcome reply, %d closing replies; want all equal and 1 closing",
			target(i), caseID, len(actions), len(executing), len(outcomes), closing)
	}
}

// starred is the first *bold* part of a reply: the action it is about.
func starred(s string) string {
	_, rest, _ := strings.Cut(s, "*")
	what, _, _ := strings.Cut(rest, "*")
	return what
}

// checkEnvelopes asserts that every envelope Slack delivered was acked,
// except one whose process was killed before it could ack (Slack shows
// that person an error, and they try again).
func (r *crashRig) checkEnvelopes(kills []time.Time) {
	for _, e := range r.slack.Envelopes() {
		if !e.Sent || e.Acked {
			continue
		}
		excused := false
		for _, k := range kills {
			if !k.Before(e.SentAt.Add(-100*time.Millisecond)) && k.Before(e.SentAt.Add(3*time.Second)) {
				excused = true
			}
		}
		if !excused {
			r.t.Errorf("envelope %s (%s %s from %s) sent at %s was never acked, and no kill came within 3 s",
				e.ID, e.Type, e.Kind, e.User, e.SentAt.Format("15:04:05.000"))
		}
	}
}

// logStalls reports, from the audit log, the longest wait from a request
// to its discovery and from an approval to its outcome, and each wait
// longer than one lease: the run's time limit allows one lease per kill,
// so such a wait passes, but it is what a kill leaving a lock behind looks
// like (the seed replays it). Slack's pace (a message a second per
// channel) does not enter these times.
func (r *crashRig) logStalls(events []auditEvent) {
	type wait struct {
		from  time.Time
		about string
	}
	open := map[string]wait{}
	longest := map[string]time.Duration{}
	for _, e := range events {
		var start, end, key string
		switch e.Type {
		case "requested":
			start, key = "request to discovery", fmt.Sprintf("case %d", e.CaseID)
		case "discovered":
			end, key = "request to discovery", fmt.Sprintf("case %d", e.CaseID)
		case "approved":
			start, key = "approval to outcome", fmt.Sprintf("action %d", e.ActionID)
		case "revoked", "already_gone":
			end, key = "approval to outcome", fmt.Sprintf("action %d", e.ActionID)
		}
		switch {
		case start != "":
			if _, ok := open[start+key]; !ok {
				open[start+key] = wait{from: e.At, about: key}
			}
		case end != "":
			w, ok := open[end+key]
			if !ok {
				continue
			}
			delete(open, end+key)
			took := e.At.Sub(w.from)
			longest[end] = max(longest[end], took)
			if took > r.plan.lease {
				r.t.Logf("stall (seed %d): %s of %s took %s, from %s", r.seed, end, key, took.Round(100*time.Millisecond), w.from.Format("15:04:05.000"))
			}
		}
	}
	r.t.Logf("longest request to discovery %s; longest approval to outcome %s",
		longest["request to discovery"].Round(100*time.Millisecond), longest["approval to outcome"].Round(100*time.Millisecond))
}
