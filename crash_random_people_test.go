package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/offboard/offboard/sandbox/fakeslack"
)

// people are the requester and the approvers, acting through the fake
// Slack as a person would: they retry what Slack said failed, and never
// repeat what Slack accepted.
type people struct {
	r         *crashRig
	rng       *rand.Rand
	requested map[int]time.Time // when an acked request was sent
	clicked   map[string]bool   // rows (block ids) and messages (for Approve all remaining) clicked, acked
}

func newPeople(r *crashRig, rng *rand.Rand) *people {
	return &people{r: r, rng: rng, requested: map[int]time.Time{}, clicked: map[string]bool{}}
}

// request asks to offboard case i's person, unless a request was accepted
// lately or its parent message is there.
func (p *people) request(i int) {
	if at, ok := p.requested[i]; ok && time.Since(at) < 20*time.Second {
		return
	}
	if len(p.r.parentsOf(i)) > 0 {
		return
	}
	ack, err := p.r.slack.SlashWait(crashRequester, crashChannel, "<@"+target(i)+"> contract ended", 3*time.Second)
	if err == nil && !ack.Late && !ack.Dropped {
		p.requested[i] = time.Now()
	}
}

// approve clicks, as one of the approvers, one Approve not clicked yet, or
// now and then Approve all remaining on a checklist.
func (p *people) approve() {
	var rows []fakeslack.Button
	var where []fakeslack.Where
	var msgs []string
	for _, m := range p.r.slack.AllMessages(crashChannel) {
		for _, b := range m.Buttons() {
			switch {
			case b.Text == "Approve" && !p.clicked[b.BlockID]:
				rows, where, msgs = append(rows, b), append(where, fakeslack.InMessage(crashChannel, m.TS)), append(msgs, m.TS)
			case b.Text == "Approve all remaining" && !p.clicked[m.TS] && p.rng.IntN(4) == 0:
				rows, where, msgs = append(rows, b), append(where, fakeslack.InMessage(crashChannel, m.TS)), append(msgs, m.TS)
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	k := p.rng.IntN(len(rows))
	b := rows[k]
	who := crashApprovers[p.rng.IntN(len(crashApprovers))]
	id, err := p.r.slack.ClickButton(who, where[k], fakeslack.LabelIn(b.BlockID, b.Text))
	if err != nil {
		return
	}
	if ack, err := p.r.slack.WaitAck(id, 3*time.Second); err != nil || ack.Late || ack.Dropped {
		return
	}
	if b.Text == "Approve" {
		p.clicked[b.BlockID] = true
		return
	}
	p.clicked[msgs[k]] = true
	if m, ok := p.r.slack.Message(crashChannel, msgs[k]); ok {
		for _, row := range m.Buttons() {
			p.clicked[row.BlockID] = true
		}
	}
}

const crashChannel = "C0APPROVALS"

// parentsOf is the top-level messages about case i's person.
func (r *crashRig) parentsOf(i int) []fakeslack.Message {
	var out []fakeslack.Message
	for _, m := range r.slack.Messages(crashChannel) {
		if strings.Contains(m.AllText(), "<@"+target(i)+">") {
			out = append(out, m)
		}
	}
	return out
}

// grantsLeft names what case i's person still holds in the fakes.
func (r *crashRig) grantsLeft(i int) []string {
	var left []string
	if r.gh.IsMember("acme", targetLogin(i)) {
		left = append(left, "github membership")
	}
	if u, ok := r.iam.User(crashAcct, targetIAM(i)); ok {
		if u.LoginProfile != nil {
			left = append(left, "console password")
		}
		for _, k := range u.AccessKeys {
			if k.Status != "Inactive" {
				left = append(left, "access key "+k.ID)
			}
		}
	}
	if g, ok := r.slack.UserGroup(targetGroup(i)); ok && slices.Contains(g.Members, target(i)) {
		left = append(left, "user group "+targetGroup(i))
	}
	return left
}

// completedThread is case i's thread once its closing reply is in it: the
// outbox delivers a thread in order, so every reply before it is there.
func (r *crashRig) completedThread(i int) ([]fakeslack.Message, bool) {
	ps := r.parentsOf(i)
	if len(ps) == 0 {
		return nil, false
	}
	th := r.slack.Thread(crashChannel, ps[0].TS)
	for _, m := range th[1:] {
		if strings.Contains(m.Text, "*Completed*") {
			return th, true
		}
	}
	return th, false
}

func (r *crashRig) finished() bool {
	for i := 0; i < r.plan.cases; i++ {
		if len(r.grantsLeft(i)) > 0 {
			return false
		}
		if _, ok := r.completedThread(i); !ok {
			return false
		}
	}
	return true
}

// summary counts the cases at each stage, for the log of a long run.
func (r *crashRig) summary() string {
	var parent, checklist, revoked, closed int
	for i := 0; i < r.plan.cases; i++ {
		th, done := r.completedThread(i)
		if len(th) > 0 {
			parent++
		}
		if len(th) > 1 {
			checklist++
		}
		if len(r.grantsLeft(i)) == 0 {
			revoked++
		}
		if done {
			closed++
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Sprintf("%d kills; of %d cases %d have a parent, %d a checklist, %d all access gone, %d a closing reply",
		len(r.kills), r.plan.cases, parent, checklist, revoked, closed)
}

// progress says where each unfinished case stands, for a failure message.
func (r *crashRig) progress() string {
	r.mu.Lock()
	kills := len(r.kills)
	r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d kills so far", kills)
	for i := 0; i < r.plan.cases; i++ {
		th, done := r.completedThread(i)
		if done {
			continue
		}
		fmt.Fprintf(&b, "\n  case of %s: %d parents, %d thread messages, still holds %v", target(i), len(r.parentsOf(i)), len(th), r.grantsLeft(i))
		for _, m := range th {
			fmt.Fprintf(&b, "\n    %s %.160q", m.At.Format("15:04:05.000"), m.Text)
			for _, btn := range m.Buttons() {
				fmt.Fprintf(&b, " [%s %s]", btn.BlockID, btn.Text)
			}
		}
	}
	return b.String()
}
