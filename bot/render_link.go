package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// actApproveLink confirms a move of an account's link to another person.
const actApproveLink = "approve_link"

func linkKey(id int64) string { return fmt.Sprintf("link:%d", id) }

// linkDetails are the keys of a link_changed event the trail reads.
type linkDetails struct {
	Identity     int64  `json:"identity"`
	System       string `json:"system"`
	Scope        string `json:"scope"`
	Account      string `json:"account"`
	LinkedBy     string `json:"linked_by"`
	Pending      bool   `json:"pending"`
	Confirmed    bool   `json:"confirmed"`
	Request      int64  `json:"request"`
	FromIdentity int64  `json:"from_identity"`
	AskedBy      string `json:"asked_by"`
}

// linkChanged records a link in the trail: a move waiting for a second
// approver gets a message with its Approve button; a confirmed move updates
// it; every link reaches the thread of the person's open case, if any.
func (r *Renderer) linkChanged(ctx context.Context, out *batch, ev storage.Event, d linkDetails) error {
	what := connectors.System(d.System).Title()
	if d.Scope != "" {
		what += " · " + esc(d.Scope)
	}
	what += " · " + esc(d.Account)
	to := r.personName(ctx, out, d.Identity)
	switch {
	case d.Pending:
		from := r.personName(ctx, out, d.FromIdentity)
		text := fmt.Sprintf(":link: %s asks to move *%s* from %s to %s. It is linked to someone else, so a second approver must confirm the move. %s",
			mention(ev.Actor), what, from, to, mentions(r.cfg.Approvers))
		blocks := []slack.Block{section(fmt.Sprintf("l%d.ask", d.Request), text),
			slack.NewActionBlock(fmt.Sprintf("l%d.act", d.Request), button(actApproveLink, fmt.Sprintf("l%d", d.Request), "Approve", slack.StylePrimary))}
		return out.enqueue(storage.OutMsg{Stream: linkKey(d.Request), Op: storage.OpPost, Channel: r.cfg.ApprovalsChannel, MsgKey: linkKey(d.Request)},
			payload{Text: fmt.Sprintf("Move of %s to %s waits for a second approver", what, to), Blocks: blocksJSON(blocks)})
	case d.Confirmed:
		text := fmt.Sprintf(":link: %s confirmed the move of *%s* to %s, asked by %s.", mention(ev.Actor), what, to, mention(d.AskedBy))
		if err := out.enqueue(storage.OutMsg{Stream: linkKey(d.Request), Op: storage.OpUpdate, Channel: r.cfg.ApprovalsChannel, MsgKey: linkKey(d.Request)},
			payload{Text: text, Blocks: blocksJSON([]slack.Block{section(fmt.Sprintf("l%d.done", d.Request), text)})}); err != nil {
			return err
		}
	}
	c, err := storage.ActiveCase(ctx, out.q, d.Identity)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	by := "by " + mention(ev.Actor)
	if ev.Actor == "offboard" {
		by = "automatically"
	}
	return r.threadReply(ctx, out, c.ID, fmt.Sprintf(":link: *%s* linked to this person (%s, %s).", what, d.LinkedBy, by))
}

// personName names an identity in words a reader recognises.
func (r *Renderer) personName(ctx context.Context, out *batch, id int64) string {
	ident, err := storage.LoadIdentity(ctx, out.q, id)
	if err != nil {
		return fmt.Sprintf("person %d", id)
	}
	return targetName(ident)
}
