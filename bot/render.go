package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/flows"
	"github.com/offboard/offboard/storage"
)

// Renderer puts flows' notices into Block Kit and enqueues them in the
// outbox, inside the transaction of the change they report.
type Renderer struct {
	cfg Config
	loc *time.Location
	url atomic.Value // string: the workspace URL, for permalinks
	now func() time.Time
	// authority answers who may approve what (flows' one place for it);
	// App Home lists an action as waiting for someone only if it says so.
	authority interface {
		MayApprove(ctx context.Context, q storage.Querier, viewer flows.Actor, c storage.Case, a storage.Action) bool
		MaySee(ctx context.Context, q storage.Querier, viewer flows.Actor, c storage.Case) bool
	}
}

// NewRenderer builds a renderer for the approvals channel of cfg, writing
// times in loc.
func NewRenderer(cfg Config, loc *time.Location) *Renderer {
	r := &Renderer{cfg: cfg, loc: loc, now: time.Now}
	r.url.Store("")
	return r
}

// SetClock sets the clock used for what is rendered outside a transaction
// (the App Home); inside one, the transaction's clock is used.
func (r *Renderer) SetClock(now func() time.Time) { r.now = now }

// SetTeamURL sets the workspace URL (from auth.test) used for permalinks.
func (r *Renderer) SetTeamURL(u string) { r.url.Store(u) }

func (r *Renderer) teamURL() string { s, _ := r.url.Load().(string); return s }

func caseStream(id int64) string { return fmt.Sprintf("case:%d", id) }
func parentKey(id int64) string  { return fmt.Sprintf("case:%d:parent", id) }
func checklistKey(id int64, part int) string {
	return fmt.Sprintf("case:%d:checklist:%d", id, part)
}

func blocksJSON(blocks []slack.Block) json.RawMessage {
	b, _ := json.Marshal(slack.Blocks{BlockSet: blocks})
	return b
}

// post posts a new message in the approvals channel, in the case's stream.
func (r *Renderer) post(ctx context.Context, out *batch, caseID int64, key, text string, blocks []slack.Block) error {
	return out.enqueue(storage.OutMsg{Stream: caseStream(caseID), Op: storage.OpPost, Channel: r.cfg.ApprovalsChannel, MsgKey: key},
		payload{Text: text, Blocks: blocksJSON(blocks)})
}

// threadReply posts a reply in the case's thread.
func (r *Renderer) threadReply(ctx context.Context, out *batch, caseID int64, text string) error {
	return out.enqueue(storage.OutMsg{Stream: caseStream(caseID), Op: storage.OpPost, Channel: r.cfg.ApprovalsChannel, ThreadKey: parentKey(caseID)},
		payload{Text: text, Blocks: blocksJSON([]slack.Block{section("", text)})})
}

// update replaces a message the bot posted earlier.
func (r *Renderer) update(ctx context.Context, out *batch, caseID int64, key, text string, blocks []slack.Block) error {
	return out.enqueue(storage.OutMsg{Stream: caseStream(caseID), Op: storage.OpUpdate, Channel: r.cfg.ApprovalsChannel, MsgKey: key},
		payload{Text: text, Blocks: blocksJSON(blocks)})
}

// reply answers one person privately: through the response_url of their
// command, or as an ephemeral message in the channel of their click.
func (r *Renderer) reply(ctx context.Context, out *batch, to replyTo, text string) error {
	blocks := blocksJSON([]slack.Block{section("", text)})
	switch {
	case to.ResponseURL != "":
		return out.enqueue(storage.OutMsg{Stream: "reply:" + to.User, Op: storage.OpRespond, Channel: to.Channel},
			payload{Text: text, Blocks: blocks, ResponseURL: to.ResponseURL, User: to.User})
	case to.Channel != "" && to.User != "":
		return out.enqueue(storage.OutMsg{Stream: "reply:" + to.User, Op: storage.OpEphemeral, Channel: to.Channel},
			payload{Text: text, Blocks: blocks, User: to.User})
	}
	return nil // nobody to answer (the scheduler acting on its own)
}

// section is a mrkdwn section; text is cut to Slack's 3,000 characters.
func section(blockID, text string) slack.Block {
	if len(text) > 3000 {
		text = text[:2990] + "…"
	}
	var opts []slack.SectionBlockOption
	if blockID != "" {
		opts = append(opts, slack.SectionBlockOptionBlockID(blockID))
	}
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil, opts...)
}

func contextBlock(blockID, text string) slack.Block {
	if len(text) > 3000 {
		text = text[:2990] + "…"
	}
	return slack.NewContextBlock(blockID, slack.NewTextBlockObject(slack.MarkdownType, text, false, false))
}

func header(text string) slack.Block {
	return slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, clip(text, 150), false, false))
}

func button(actionID, value, label string, style slack.Style) *slack.ButtonBlockElement {
	b := slack.NewButtonBlockElement(actionID, value, slack.NewTextBlockObject(slack.PlainTextType, clip(label, 75), false, false))
	if style != "" {
		b.WithStyle(style)
	}
	return b
}

// permalink is a link to a message when the workspace URL is known.
func (r *Renderer) permalink(ref storage.MessageRef) string {
	base := r.teamURL()
	if base == "" || ref.TS == "" {
		return ""
	}
	ts := []byte(ref.TS)
	out := make([]byte, 0, len(ts))
	for _, c := range ts {
		if c != '.' {
			out = append(out, c)
		}
	}
	return fmt.Sprintf("%sarchives/%s/p%s", base, ref.Channel, out)
}
