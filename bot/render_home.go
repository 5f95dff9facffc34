package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// homeRefreshWindow is how long after opening the App Home a person's Home
// is kept current as cases change.
const homeRefreshWindow = 30 * 24 * time.Hour

// home records that user opened the App Home and queues its publication.
func (r *Renderer) home(ctx context.Context, tx *storage.Tx, viewer flows.Actor) error {
	if err := tx.SawHome(ctx, storage.HomeViewer{User: viewer.ID, Approver: viewer.Approver, Requester: viewer.Requester}); err != nil {
		return err
	}
	out := newBatch(tx, r.now())
	if err := out.enqueue(storage.OutMsg{Stream: "home:" + viewer.ID, Op: storage.OpHome},
		payload{Text: "Offboarding", User: viewer.ID, Approver: viewer.Approver, Requester: viewer.Requester}); err != nil {
		return err
	}
	return out.flush(ctx, tx)
}

// refreshHomes queues a fresh App Home for everyone who looked at theirs
// lately. The view is rendered when it is sent, from the state then, and a
// burst of changes publishes it once.
func (r *Renderer) refreshHomes(ctx context.Context, out *batch) error {
	viewers, err := storage.HomeViewers(ctx, out.q, time.Now().Add(-homeRefreshWindow), 200)
	if err != nil {
		return err
	}
	for _, v := range viewers {
		if err := out.enqueue(storage.OutMsg{Stream: "home:" + v.User, Op: storage.OpHome},
			payload{Text: "Offboarding", User: v.User, Approver: v.Approver, Requester: v.Requester}); err != nil {
			return err
		}
	}
	return nil
}

// HomeView renders a viewer's App Home from the current state: the actions
// waiting for their approval, and the open and scheduled cases they may
// see (requesters and approvers; never the person being offboarded).
func (r *Renderer) HomeView(ctx context.Context, tx storage.Querier, viewer flows.Actor) (slack.HomeTabViewRequest, error) {
	user, approver := viewer.ID, viewer.Approver
	blocks := []slack.Block{header("Offboarding")}
	now := r.now()
	all, err := storage.ListCases(ctx, tx, 200, storage.CaseOpen, storage.CaseScheduled)
	if err != nil {
		return slack.HomeTabViewRequest{}, err
	}
	var cases []storage.Case
	for _, c := range all {
		if len(cases) < 40 && r.authority != nil && r.authority.MaySee(ctx, tx, viewer, c) {
			cases = append(cases, c)
		}
	}
	if approver {
		// Held actions can be approved too: they wait for a decision.
		waiting, err := storage.ActionsInState(ctx, tx, storage.ActionAwaitingApproval, 500)
		if err != nil {
			return slack.HomeTabViewRequest{}, err
		}
		held, err := storage.ActionsInState(ctx, tx, storage.ActionHeld, 500)
		if err != nil {
			return slack.HomeTabViewRequest{}, err
		}
		waiting = append(waiting, held...)
		var lines []string
		for _, a := range waiting {
			c, err := storage.LoadCase(ctx, tx, a.CaseID)
			if err != nil || r.authority == nil || !r.authority.MayApprove(ctx, tx, flows.Actor{ID: user, Approver: approver}, c, a) {
				continue // only what their click would be accepted for
			}
			lines = append(lines, fmt.Sprintf("• #%d %s: %s", c.ID, targetName(c.Target), describe(decodeGrant(a), now)))
		}
		text := "*Waiting for your approval:* nothing."
		if len(lines) > 0 {
			text = fmt.Sprintf("*Waiting for your approval* (%d) — decide in the case threads in <#%s>:\n%s", len(lines), r.cfg.ApprovalsChannel, strings.Join(lines, "\n"))
		}
		blocks = append(blocks, section("pending", text))
	}
	blocks = append(blocks, slack.NewDividerBlock())
	if len(cases) == 0 {
		blocks = append(blocks, section("cases", "*Open and scheduled offboardings:* none."))
	} else {
		var lines []string
		for _, c := range cases {
			actions, _ := storage.ListActions(ctx, tx, c.ID)
			line := fmt.Sprintf("• *#%d* %s — %s", c.ID, targetName(c.Target), r.status(c, actions, now))
			if ref, err := storage.LoadMessage(ctx, tx, parentKey(c.ID)); err == nil {
				if link := r.permalink(ref); link != "" {
					line += fmt.Sprintf(" <%s|thread>", link)
				}
			}
			lines = append(lines, line)
		}
		blocks = append(blocks, section("cases", "*Open and scheduled offboardings:*\n"+strings.Join(lines, "\n")))
	}
	blocks = append(blocks, contextBlock("help", "Type `/offboard help` for every command."))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}, nil
}
