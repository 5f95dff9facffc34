package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/commands"
	"github.com/offboard/offboard/storage"
)

func (r *Renderer) instant(t time.Time) string { return commands.FormatInstant(t, r.loc) }

// requested posts the case's parent message.
func (r *Renderer) requested(ctx context.Context, out *batch, n notice) error {
	c := n.Case
	text, blocks, err := r.parent(ctx, out, c)
	if err != nil {
		return err
	}
	return r.post(ctx, out, c.ID, parentKey(c.ID), text, blocks)
}

// confirmation tells the requester how their request was read.
func (r *Renderer) confirmation(c storage.Case, now time.Time) string {
	when := r.instant(c.EffectiveAt)
	switch {
	case c.Overdue:
		when += " — overdue, starting now"
	case !c.EffectiveAt.After(now):
		when += " — starting now"
	}
	return fmt.Sprintf("Offboarding of %s requested: %s.\nCase #%d is in <#%s>; approvers will be asked there for each revocation.",
		targetName(c.Target), when, c.ID, r.cfg.ApprovalsChannel)
}

// duplicateText answers a second request for a person with an active case.
func (r *Renderer) duplicateText(ctx context.Context, q storage.Querier, c storage.Case) string {
	where := fmt.Sprintf("<#%s>", r.cfg.ApprovalsChannel)
	if ref, err := storage.LoadMessage(ctx, q, parentKey(c.ID)); err == nil {
		if link := r.permalink(ref); link != "" {
			where = fmt.Sprintf("<%s|its thread>", link)
		}
	}
	return fmt.Sprintf("%s already has a %s offboarding (case #%d, effective %s), so nothing new was created. See %s.",
		targetName(c.Target), c.State, c.ID, r.instant(c.EffectiveAt), where)
}

// parent renders the case's parent message: who, why, when, and a status line.
func (r *Renderer) parent(ctx context.Context, out *batch, c storage.Case) (string, []slack.Block, error) {
	actions, err := storage.ListActions(ctx, out.q, c.ID)
	if err != nil {
		return "", nil, err
	}
	name := c.Target.Name
	if name == "" {
		name = c.Target.SlackUser
	}
	reason := "_none given_"
	if strings.TrimSpace(c.Reason) != "" {
		reason = escClip(c.Reason, 1500)
	}
	when := r.instant(c.EffectiveAt)
	if c.Overdue {
		when += " (overdue when requested)"
	}
	requester := mention(c.Requester)
	body := fmt.Sprintf("*Person:* %s\n*Requested by:* %s\n*Reason:* %s\n*Effective:* %s\n*Trigger:* %s",
		targetName(c.Target), requester, reason, when, c.Trigger)
	status := r.status(c, actions, out.now)
	blocks := []slack.Block{
		header(fmt.Sprintf("Offboarding #%d: %s", c.ID, name)),
		section(fmt.Sprintf("case%d.info", c.ID), body),
		contextBlock(fmt.Sprintf("case%d.status", c.ID), status),
	}
	text := fmt.Sprintf("Offboarding #%d of %s — %s", c.ID, targetName(c.Target), status)
	return text, blocks, nil
}

// status is the one-line state of a case.
func (r *Renderer) status(c storage.Case, actions []storage.Action, now time.Time) string {
	count := map[string]int{}
	for _, a := range actions {
		count[a.State]++
	}
	switch c.State {
	case storage.CaseScheduled:
		if c.EffectiveAt.After(now) {
			return fmt.Sprintf(":calendar: *Scheduled.* Access will be looked up at %s, then each revocation is put to the approvers.", r.instant(c.EffectiveAt))
		}
		return ":mag: *Due.* Looking up what the person can still reach…"
	case storage.CaseOpen:
		var parts []string
		for _, s := range []struct{ state, words string }{
			{storage.ActionDone, "done"}, {storage.ActionAwaitingApproval, "awaiting approval"}, {storage.ActionApproved, "approved"},
			{storage.ActionAutoApproved, "auto-approved"}, {storage.ActionExecuting, "executing"}, {storage.ActionHeld, "held"},
			{storage.ActionFailed, "failed"}, {storage.ActionSkipped, "skipped"},
		} {
			if n := count[s.state]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, s.words))
			}
		}
		if len(parts) == 0 {
			return ":white_check_mark: *Open.* Nothing to revoke was found."
		}
		return fmt.Sprintf(":hourglass_flowing_sand: *Open.* %s: %s.", plural(len(actions), "action", "actions"), strings.Join(parts, ", "))
	case storage.CaseCompleted:
		return r.summary(c, actions)
	case storage.CaseCancelled:
		return fmt.Sprintf(":no_entry_sign: *Cancelled* by %s on %s; %s skipped.", mention(c.ClosedBy), r.instant(c.ClosedAt),
			plural(count[storage.ActionSkipped], "action", "actions"))
	}
	return c.State
}

// summary is the completed case's line: counts, duration, who approved.
func (r *Renderer) summary(c storage.Case, actions []storage.Action) string {
	var done, gone, skipped, byHand int
	approvers := map[string]bool{}
	for _, a := range actions {
		switch {
		case a.State == storage.ActionSkipped:
			skipped++
		case a.DoneBy != "":
			byHand++
		case a.Outcome == "already gone":
			gone++
		default:
			done++
		}
		for _, p := range a.Approvers {
			approvers[p] = true
		}
	}
	var who []string
	for p := range approvers {
		who = append(who, p)
	}
	sort.Strings(who)
	start := c.OpenedAt
	if start.IsZero() {
		start = c.RequestedAt
	}
	line := fmt.Sprintf(":white_check_mark: *Completed* in %s: %d revoked", humanDuration(c.ClosedAt.Sub(start)), done)
	if gone > 0 {
		line += fmt.Sprintf(", %d already gone", gone)
	}
	if byHand > 0 {
		line += fmt.Sprintf(", %d done by hand", byHand)
	}
	if skipped > 0 {
		line += fmt.Sprintf(", %d skipped", skipped)
	}
	line += "."
	if len(who) > 0 {
		line += " Approved by " + mentions(who) + "."
	}
	return line
}

// updateParent re-renders the case's parent message in place.
func (r *Renderer) updateParent(ctx context.Context, out *batch, c storage.Case) error {
	text, blocks, err := r.parent(ctx, out, c)
	if err != nil {
		return err
	}
	return r.update(ctx, out, c.ID, parentKey(c.ID), text, blocks)
}

// closed updates the parent and says so in the thread.
func (r *Renderer) closed(ctx context.Context, out *batch, n notice) error {
	c := n.Case
	if err := r.updateParent(ctx, out, c); err != nil {
		return err
	}
	if err := r.refreshChecklist(ctx, out, c.ID); err != nil {
		return err
	}
	var line string
	if n.Event == storage.EventCancelled {
		line = fmt.Sprintf(":no_entry_sign: Cancelled by %s. %s not yet executed %s skipped.", mention(n.Actor),
			plural(len(n.Actions), "action", "actions"), map[bool]string{true: "is", false: "are"}[len(n.Actions) == 1])
	} else {
		actions, err := storage.ListActions(ctx, out.q, c.ID)
		if err != nil {
			return err
		}
		line = r.summary(c, actions) + " This offboarding is closed."
	}
	// Anchor the audit chain outside the database: an auditor compares
	// this with `offboard audit export` (the event's hash) later.
	if seq, hash, err := storage.AuditHead(ctx, out.q); err == nil && seq > 0 {
		line += fmt.Sprintf("\nAudit log at event %d, hash `%s`. Check it later with `offboard audit verify --anchor %d:%s`.", seq, hash, seq, hash)
	}
	return r.threadReply(ctx, out, c.ID, line)
}

// humanDuration writes 412 ms, 3 s, 5 min, 2 h 13 min, 3 days.
func humanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		h := int(d.Hours())
		m := int(d.Minutes()) - 60*h
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}
