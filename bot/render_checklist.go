package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// rowsPerMessage keeps a checklist message well inside Slack's limits: each
// row is at most two blocks (a section and its buttons), plus a heading and
// a footer, and the whole text stays far from the ~13k characters where
// Slack starts refusing messages (msg_blocks_too_long).
const rowsPerMessage = 15

// Button action IDs. The button texts are part of the product's contract
const (
	actApprove    = "approve"
	actHold       = "hold"
	actApproveAll = "approve_all"
	actRetry      = "retry"
	actMarkDone   = "mark_done"
	actStart      = "start_offboarding"
	actSnooze     = "snooze"
)

// parts is how many checklist messages n actions need.
func parts(n int) int {
	if n == 0 {
		return 1
	}
	return (n + rowsPerMessage - 1) / rowsPerMessage
}

// opened posts the checklist and updates the parent.
func (r *Renderer) opened(ctx context.Context, out *batch, n notice) error {
	c := n.Case
	if err := r.updateParent(ctx, out, c); err != nil {
		return err
	}
	actions, err := storage.ListActions(ctx, out.q, c.ID)
	if err != nil {
		return err
	}
	total := parts(len(actions))
	posted := 0 // parts already in Slack, when actions were added to an open case
	if n.Before > 0 {
		posted = parts(n.Before)
	}
	for p := 0; p < total; p++ {
		text, blocks := r.checklistPart(c, actions, p, out.now)
		if p < posted {
			if err := r.update(ctx, out, c.ID, checklistKey(c.ID, p), text, blocks); err != nil {
				return err
			}
			continue
		}
		if err := out.enqueue(storage.OutMsg{Stream: caseStream(c.ID), Op: storage.OpPost, Channel: r.cfg.ApprovalsChannel,
			ThreadKey: parentKey(c.ID), MsgKey: checklistKey(c.ID, p)}, payload{Text: text, Blocks: blocksJSON(blocks)}); err != nil {
			return err
		}
	}
	return nil
}

// refreshChecklist re-renders every part of a case's checklist.
func (r *Renderer) refreshChecklist(ctx context.Context, out *batch, caseID int64) error {
	c, err := storage.LoadCase(ctx, out.q, caseID)
	if err != nil {
		return err
	}
	if c.OpenedAt.IsZero() {
		return nil // never opened: there is no checklist
	}
	actions, err := storage.ListActions(ctx, out.q, caseID)
	if err != nil {
		return err
	}
	for p := 0; p < parts(len(actions)); p++ {
		text, blocks := r.checklistPart(c, actions, p, out.now)
		if err := r.update(ctx, out, caseID, checklistKey(caseID, p), text, blocks); err != nil {
			return err
		}
	}
	return nil
}

// refreshRows re-renders the checklist parts holding the given actions.
func (r *Renderer) refreshRows(ctx context.Context, out *batch, c storage.Case, ids []int64) error {
	actions, err := storage.ListActions(ctx, out.q, c.ID)
	if err != nil {
		return err
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	dirty := map[int]bool{}
	for i, a := range actions {
		if want[a.ID] {
			dirty[i/rowsPerMessage] = true
		}
	}
	// The footer's "Approve all remaining" lives in the last part.
	dirty[parts(len(actions))-1] = true
	for p := 0; p < parts(len(actions)); p++ {
		if !dirty[p] {
			continue
		}
		text, blocks := r.checklistPart(c, actions, p, out.now)
		if err := r.update(ctx, out, c.ID, checklistKey(c.ID, p), text, blocks); err != nil {
			return err
		}
	}
	return nil
}

// checklistPart renders part p of the checklist.
func (r *Renderer) checklistPart(c storage.Case, actions []storage.Action, p int, now time.Time) (string, []slack.Block) {
	total := parts(len(actions))
	lo, hi := p*rowsPerMessage, min((p+1)*rowsPerMessage, len(actions))
	var blocks []slack.Block
	head := fmt.Sprintf("*Checklist for offboarding #%d* of %s", c.ID, targetName(c.Target))
	if total > 1 {
		head += fmt.Sprintf(" — part %d of %d (rows %d–%d of %d)", p+1, total, lo+1, hi, len(actions))
	}
	if p == 0 {
		head += "\n" + mentions(r.cfg.Approvers) + ": please review each revocation. Nothing is revoked until it is approved."
		if len(actions) == 0 {
			head += "\nNo access was found in the connected systems."
		}
	}
	blocks = append(blocks, section(fmt.Sprintf("c%d.p%d.head", c.ID, p), head))
	if p == 0 && len(c.Notes) > 0 {
		var notes []string
		for _, n := range c.Notes {
			notes = append(notes, ":warning: "+escClip(n, 400))
		}
		blocks = append(blocks, contextBlock(fmt.Sprintf("c%d.notes", c.ID), strings.Join(notes, "\n")))
	}
	awaiting := 0
	for _, a := range actions[lo:hi] {
		blocks = append(blocks, r.row(c, a, now)...)
	}
	for _, a := range actions {
		if a.State == storage.ActionAwaitingApproval && slices.Contains(flows.Allowed(c, a), flows.VerbApprove) {
			awaiting++ // manual tasks are marked done, not approved
		}
	}
	if p == total-1 && c.State == storage.CaseOpen && awaiting > 1 {
		// The value names how many rows this checklist shows: rows added
		// later make the click refuse rather than approve unseen rows.
		all := button(actApproveAll, fmt.Sprintf("c%d:v%d", c.ID, len(actions)), "Approve all remaining", slack.StylePrimary)
		all.WithConfirm(slack.NewConfirmationBlockObject(
			slack.NewTextBlockObject(slack.PlainTextType, "Approve all remaining?", false, false),
			slack.NewTextBlockObject(slack.MarkdownType, fmt.Sprintf("This approves the %d actions of offboarding #%d still waiting for approval. Each still needs the approvals its policy requires; approved ones are executed at once.", awaiting, c.ID), false, false),
			slack.NewTextBlockObject(slack.PlainTextType, "Approve all", false, false),
			slack.NewTextBlockObject(slack.PlainTextType, "Cancel", false, false)))
		blocks = append(blocks, slack.NewActionBlock(fmt.Sprintf("c%d.all", c.ID), all))
	}
	text := fmt.Sprintf("Checklist for offboarding #%d (%d of %d): %s", c.ID, p+1, total, plural(hi-lo, "action", "actions"))
	return text, blocks
}

// decodeGrant reads an action's grant; a broken one still renders.
func decodeGrant(a storage.Action) connectors.Grant {
	var g connectors.Grant
	if err := json.Unmarshal(a.Grant, &g); err != nil {
		g.Title = a.Kind
	}
	return g
}

// describe names a grant the way a reader recognises it:
// "GitHub · acme · dev-gh · org membership (member, 2 teams)".
func describe(g connectors.Grant, now time.Time) string {
	parts := []string{connectors.System(g.Account.System).Title()}
	if g.Account.Scope != "" {
		parts = append(parts, esc(g.Account.Scope))
	}
	switch {
	case g.Account.System == connectors.Slack && g.Account.ID != "":
		parts = append(parts, mention(g.Account.ID))
	case g.Account.ID != "" && g.Account.System != connectors.Manual:
		parts = append(parts, esc(g.Account.ID))
	}
	title := esc(g.Title)
	var ctx []string
	for _, c := range g.Context {
		ctx = append(ctx, esc(c))
	}
	if g.LastActive != nil {
		ctx = append(ctx, "last used "+ago(now, *g.LastActive))
	}
	if len(ctx) > 0 {
		title += " (" + strings.Join(ctx, ", ") + ")"
	}
	return strings.Join(append(parts, title), " · ")
}

// ago writes how long before now t was: "3 days ago", "today".
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Hour:
		return "within the hour"
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	case d < 48*time.Hour:
		return "yesterday"
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// row renders one action: what it revokes, its context and policy, its
// state, and the buttons its state allows.
func (r *Renderer) row(c storage.Case, a storage.Action, now time.Time) []slack.Block {
	g := decodeGrant(a)
	var b strings.Builder
	fmt.Fprintf(&b, "%s *%s*", stateEmoji(a.State), describe(g, now))
	for i, item := range g.Items {
		if i == 8 {
			fmt.Fprintf(&b, "\n    … and %d more", len(g.Items)-8)
			break
		}
		fmt.Fprintf(&b, "\n    • %s", escClip(item, 200))
	}
	if g.Warning != "" {
		fmt.Fprintf(&b, "\n:warning: %s", escClip(g.Warning, 300))
	}
	var facts []string
	if g.Account.LinkedBy != "" {
		facts = append(facts, "linked by "+string(g.Account.LinkedBy))
	}
	if a.Policy != "" {
		facts = append(facts, esc(a.Policy))
	}
	facts = append(facts, r.stateLine(a))
	fmt.Fprintf(&b, "\n%s", strings.Join(facts, " · "))
	blocks := []slack.Block{section(fmt.Sprintf("a%d.row", a.ID), b.String())}
	if btns := buttonsFor(c, a); len(btns) > 0 {
		blocks = append(blocks, slack.NewActionBlock(fmt.Sprintf("a%d.act", a.ID), btns...))
	}
	return blocks
}

func stateEmoji(state string) string {
	switch state {
	case storage.ActionDone:
		return ":white_check_mark:"
	case storage.ActionAwaitingApproval:
		return ":large_yellow_circle:"
	case storage.ActionApproved, storage.ActionAutoApproved, storage.ActionExecuting:
		return ":arrows_counterclockwise:"
	case storage.ActionHeld:
		return ":double_vertical_bar:"
	case storage.ActionFailed:
		return ":x:"
	case storage.ActionSkipped:
		return ":heavy_minus_sign:"
	}
	return ":white_circle:"
}

// stateLine says where the action stands, in words.
func (r *Renderer) stateLine(a storage.Action) string {
	need := a.ApprovalsRequired
	switch a.State {
	case storage.ActionAwaitingApproval:
		if flows.ByHand(a) {
			if g := decodeGrant(a); g.Manual != "" {
				return "*to do by hand*: " + escClip(g.Manual, 400) + " Click Mark done when it is done"
			}
			return "*to do by hand*: click Mark done when it is done"
		}
		got := len(a.Approvers)
		if got > 0 {
			return fmt.Sprintf("*awaiting approval* (%d of %d, approved by %s)", got, need, mentions(a.Approvers))
		}
		return fmt.Sprintf("*awaiting approval* (needs %s)", plural(need, "approver", "different approvers"))
	case storage.ActionApproved, storage.ActionAutoApproved:
		if a.State == storage.ActionAutoApproved {
			return "*auto-approved* by policy, queued"
		}
		return fmt.Sprintf("*approved* by %s, queued", mentions(a.Approvers))
	case storage.ActionExecuting:
		return "*executing…*"
	case storage.ActionDone:
		if a.DoneBy != "" {
			return fmt.Sprintf("*done by hand* (%s: %s)", mention(a.DoneBy), escClip(a.DoneNote, 300))
		}
		who := "auto-approved"
		if len(a.Approvers) > 0 {
			who = "approved by " + mentions(a.Approvers)
		}
		if a.Outcome == connectors.AlreadyGone.String() {
			return fmt.Sprintf("*already gone* (%s)", who)
		}
		return fmt.Sprintf("*revoked* in %s (%s)", humanDuration(a.Took), who)
	case storage.ActionHeld:
		line := fmt.Sprintf("*held* by %s: %s", mention(a.HeldBy), escClip(a.HeldReason, 400))
		if !a.HeldUntil.IsZero() {
			line += " — until " + r.instant(a.HeldUntil)
		}
		return line
	case storage.ActionFailed:
		if a.Attempts >= a.MaxAttempts {
			return fmt.Sprintf("*failed* after %s: %s — Retry, or Mark done if it was finished by hand", plural(a.Attempts, "attempt", "attempts"), escClip(a.LastError, 300))
		}
		return fmt.Sprintf("*failed* attempt %d of %d: %s — retrying", a.Attempts, a.MaxAttempts, escClip(a.LastError, 300))
	case storage.ActionSkipped:
		if why := flows.Protected(a); why != "" {
			return "*protected*: " + escClip(why, 300) + " — never revoked"
		}
		return "*skipped* (cancelled)"
	}
	return a.State
}

// buttonsFor returns the buttons of the verbs the action's state allows
// (flows' state table). Their value names the case and the action; the
// click is still checked against the database.
func buttonsFor(c storage.Case, a storage.Action) []slack.BlockElement {
	v := fmt.Sprintf("c%d:a%d", c.ID, a.ID)
	var out []slack.BlockElement
	for i, verb := range flows.Allowed(c, a) {
		style := slack.Style("")
		if i == 0 {
			style = slack.StylePrimary
		}
		out = append(out, button(verbAction[verb], v, verbLabel[verb], style))
	}
	return out
}

// verbAction and verbLabel are each verb's button: its action_id and its
// text (the texts are part of the product's contract).
var (
	verbAction = map[flows.Verb]string{flows.VerbApprove: actApprove, flows.VerbHold: actHold, flows.VerbRetry: actRetry, flows.VerbMarkDone: actMarkDone}
	verbLabel  = map[flows.Verb]string{flows.VerbApprove: "Approve", flows.VerbHold: "Hold", flows.VerbRetry: "Retry", flows.VerbMarkDone: "Mark done"}
)
