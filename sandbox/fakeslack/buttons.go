package fakeslack

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/slack-go/slack"
)

// Button is a button as a person sees it in a message or view.
type Button struct {
	BlockID  string
	ActionID string
	Text     string
	Value    string
	Style    string
	URL      string
	// Confirm says the button asks for confirmation first; the driver
	// confirms, as the person would.
	Confirm bool
}

// Buttons lists the buttons in blocks, in order: those in actions blocks
// and those that are section accessories.
func Buttons(blocks json.RawMessage) []Button {
	var list []obj
	_ = json.Unmarshal(blocks, &list)
	var out []Button
	add := func(blockID string, e any) {
		o, ok := e.(obj)
		if !ok || o["type"] != "button" {
			return
		}
		b := Button{BlockID: blockID}
		b.ActionID, _ = o["action_id"].(string)
		b.Value, _ = o["value"].(string)
		b.Style, _ = o["style"].(string)
		b.URL, _ = o["url"].(string)
		_, b.Confirm = o["confirm"]
		if t, ok := o["text"].(obj); ok {
			b.Text, _ = t["text"].(string)
		}
		out = append(out, b)
	}
	for _, blk := range list {
		id, _ := blk["block_id"].(string)
		if els, ok := blk["elements"].([]any); ok && blk["type"] == "actions" {
			for _, e := range els {
				add(id, e)
			}
		}
		if acc, ok := blk["accessory"]; ok {
			add(id, acc)
		}
	}
	return out
}

// BlockText gathers every text a person reads in blocks, one per line,
// unrendered (mrkdwn and escapes as sent).
func BlockText(blocks json.RawMessage) string {
	var v any
	_ = json.Unmarshal(blocks, &v)
	var parts []string
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case []any:
			for _, e := range t {
				walk(e)
			}
		case obj:
			if s, ok := t["text"].(string); ok {
				parts = append(parts, s)
			}
			for _, k := range slices.Sorted(maps.Keys(t)) {
				if e := t[k]; k != "text" || !isString(e) {
					walk(e)
				}
			}
		}
	}
	walk(v)
	return strings.Join(parts, "\n")
}

func isString(v any) bool { _, ok := v.(string); return ok }

// Buttons lists the message's buttons.
func (m Message) Buttons() []Button { return Buttons(m.Blocks) }

// AllText is the message's text and every text in its blocks.
func (m Message) AllText() string { return joinText(m.Text, m.Blocks) }

// SlackBlocks decodes the stored blocks with slack-go's types.
func (m Message) SlackBlocks() (slack.Blocks, error) { return decodeBlocks(m.Blocks) }

// Buttons lists the ephemeral's buttons.
func (e Ephemeral) Buttons() []Button { return Buttons(e.Blocks) }

// AllText is the ephemeral's text and every text in its blocks.
func (e Ephemeral) AllText() string { return joinText(e.Text, e.Blocks) }

// Buttons lists the view's buttons.
func (v View) Buttons() []Button { return Buttons(v.Blocks) }

// AllText is every text in the view's blocks.
func (v View) AllText() string { return joinText(v.Title, v.Blocks) }

// SlackBlocks decodes the stored blocks with slack-go's types.
func (v View) SlackBlocks() (slack.Blocks, error) { return decodeBlocks(v.Blocks) }

func joinText(text string, blocks json.RawMessage) string {
	bt := BlockText(blocks)
	if bt == "" || text == "" {
		return text + bt
	}
	return text + "\n" + bt
}

func decodeBlocks(raw json.RawMessage) (slack.Blocks, error) {
	var b slack.Blocks
	if len(raw) == 0 {
		return b, nil
	}
	err := json.Unmarshal(raw, &b)
	return b, err
}
