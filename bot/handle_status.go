package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/offboard/offboard/commands"
	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// noAccess answers status and list for someone who is neither a requester
// nor an approver.
const noAccess = ":no_entry: Only requesters and approvers can see offboardings."

// status answers /offboard status [@user] privately.
func (b *Bot) status(ctx context.Context, actor flows.Actor, c commands.Status, reply replyTo) error {
	if !actor.Requester && !actor.Approver {
		return b.tell(ctx, reply, noAccess)
	}
	r := b.render
	q := b.db.Reader()
	if c.Target != "" {
		cs, err := storage.ActiveCaseOfSlackUser(ctx, q, c.Target)
		if errors.Is(err, storage.ErrNotFound) || (err == nil && !b.flows.MaySee(ctx, q, actor, cs)) {
			// The same words whether there is no case or it is hidden
			// from the asker: the person offboarded gets no warning.
			return b.tell(ctx, reply, fmt.Sprintf("%s has no scheduled or open offboarding that you can see.", mention(c.Target)))
		}
		if err != nil {
			return err
		}
		return b.tell(ctx, reply, b.caseLine(ctx, r, cs, true))
	}
	all, err := storage.ListCases(ctx, q, 200, storage.CaseScheduled, storage.CaseOpen)
	if err != nil {
		return err
	}
	var mine []string
	for _, cs := range all {
		if cs.Requester == actor.ID && b.flows.MaySee(ctx, q, actor, cs) {
			mine = append(mine, b.caseLine(ctx, r, cs, false))
		}
	}
	var out strings.Builder
	if len(mine) == 0 {
		out.WriteString("You have no scheduled or open offboarding requests.")
	} else {
		fmt.Fprintf(&out, "*Your open and scheduled requests:*\n%s", strings.Join(mine, "\n"))
	}
	if actor.Approver {
		waiting, err := storage.ActionsInState(ctx, q, storage.ActionAwaitingApproval, 1000)
		if err != nil {
			return err
		}
		n := 0
		for _, a := range waiting {
			if cs, err := storage.LoadCase(ctx, q, a.CaseID); err == nil && b.flows.MayApprove(ctx, q, actor, cs, a) {
				n++
			}
		}
		fmt.Fprintf(&out, "\n%s waiting for approval across all cases.", plural(n, "action is", "actions are"))
	}
	out.WriteString("\nUse `/offboard status @user` for one person, `/offboard list` for every case.")
	return b.tell(ctx, reply, out.String())
}

// list answers /offboard list: every open and scheduled case.
func (b *Bot) list(ctx context.Context, actor flows.Actor, reply replyTo) error {
	if !actor.Requester && !actor.Approver {
		return b.tell(ctx, reply, noAccess)
	}
	r := b.render
	q := b.db.Reader()
	every, err := storage.ListCases(ctx, q, 1000, storage.CaseOpen, storage.CaseScheduled)
	if err != nil {
		return err
	}
	var all []storage.Case
	for _, cs := range every {
		if b.flows.MaySee(ctx, q, actor, cs) {
			all = append(all, cs)
		}
	}
	if len(all) == 0 {
		return b.tell(ctx, reply, "There are no open or scheduled offboardings.")
	}
	var lines []string
	for i, cs := range all {
		if i == 50 {
			lines = append(lines, "… and more; see the approvals channel.")
			break
		}
		lines = append(lines, b.caseLine(ctx, r, cs, false))
	}
	return b.tell(ctx, reply, "*Open and scheduled offboardings:*\n"+strings.Join(lines, "\n"))
}

// caseLine is one case in a status or list answer.
func (b *Bot) caseLine(ctx context.Context, r *Renderer, c storage.Case, detail bool) string {
	q := b.db.Reader()
	actions, _ := storage.ListActions(ctx, q, c.ID)
	line := fmt.Sprintf("• #%d %s — %s, effective %s, requested by %s", c.ID, targetName(c.Target), c.State,
		r.instant(c.EffectiveAt), mention(c.Requester))
	if ref, err := storage.LoadMessage(ctx, q, parentKey(c.ID)); err == nil {
		if link := r.permalink(ref); link != "" {
			line += fmt.Sprintf(" (<%s|thread>)", link)
		}
	}
	if detail {
		line += "\n" + r.status(c, actions, b.now())
		for _, a := range actions {
			line += fmt.Sprintf("\n    %s %s — %s", stateEmoji(a.State), describe(decodeGrant(a), b.now()), r.stateLine(a))
			if len(line) > 2500 {
				line += "\n    …"
				break
			}
		}
	}
	return line
}

// link answers /offboard link: approvers link accounts by hand.
func (b *Bot) link(ctx context.Context, actor flows.Actor, c commands.Link, reply replyTo) error {
	p, err := b.person(ctx, c.Target, reply)
	if errors.Is(err, errAnswered) {
		return nil
	}
	if err != nil {
		return err
	}
	linked, err := b.flows.Link(ctx, actor, flows.LinkInput{Target: p, GitHub: c.GitHub, AWSUser: c.AWSUser, AWSAccount: c.AWSAccount, IDC: c.IDC})
	pending := ""
	if r, ok := flows.Refused(err); ok && r.Kind == flows.NeedsConfirmation {
		pending = fmt.Sprintf("\n:link: %s is linked to someone else: a second approver must confirm the move in <#%s>.", esc(r.Detail), b.cfg.ApprovalsChannel)
		if len(linked) == 0 {
			return b.tell(ctx, reply, strings.TrimPrefix(pending, "\n"))
		}
	} else if err != nil {
		return b.answer(ctx, reply, err)
	}
	var words []string
	for _, l := range linked {
		w := connectors.System(l.System).Title() + " " + esc(l.Account)
		if l.Scope != "" {
			w += " in " + esc(l.Scope)
		}
		words = append(words, w)
	}
	return b.tell(ctx, reply, fmt.Sprintf("Linked to %s: %s.%s", mention(p.SlackID), strings.Join(words, "; "), pending))
}
