package web

import (
	"encoding/json"
	"html"
	"strings"
)

// obj is a decoded JSON object. Blocks are rendered from the JSON as sent,
// not from a typed model, so a type this page does not know is still seen
// (as a placeholder) rather than dropped by a decoder.
type obj = map[string]any

// surface is where blocks are shown, so that a button can say where it
// was clicked.
type surface struct {
	Where   string // message, ephemeral, home, modal
	Channel string
	TS      string
}

// blockRenderer renders one surface's blocks.
type blockRenderer struct {
	names  Names
	sf     surface
	errors map[string]string // field errors of a modal, by block_id
	b      strings.Builder
}

// renderBlocks renders a block list as HTML.
func (n Names) renderBlocks(raw json.RawMessage, sf surface, errors map[string]string) string {
	var list []any
	if err := json.Unmarshal(raw, &list); err != nil {
		return `<div class="blk-unknown">blocks that are not a JSON list</div>`
	}
	r := &blockRenderer{names: n, sf: sf, errors: errors}
	for _, x := range list {
		b, ok := x.(obj)
		if !ok {
			r.unknown("block", "not an object")
			continue
		}
		r.block(b)
	}
	return r.b.String()
}

func str(o obj, k string) string { s, _ := o[k].(string); return s }

func (r *blockRenderer) w(s string) { r.b.WriteString(s) }

func (r *blockRenderer) unknown(what, typ string) {
	r.w(`<div class="blk-unknown" role="note">Unsupported ` + what + ` type “` + html.EscapeString(typ) + `” (not shown by the sandbox)</div>`)
}

func (r *blockRenderer) block(b obj) {
	typ := str(b, "type")
	id := html.EscapeString(str(b, "block_id"))
	switch typ {
	case "header":
		r.w(`<h3 class="blk-header" data-block="` + id + `">` + r.text(b["text"]) + `</h3>`)
	case "section":
		r.w(`<div class="blk-section" data-block="` + id + `"><div class="blk-section-body">`)
		if t, ok := b["text"]; ok {
			r.w(`<div class="blk-text">` + r.text(t) + `</div>`)
		}
		if fs, ok := b["fields"].([]any); ok {
			r.w(`<div class="blk-fields">`)
			for _, f := range fs {
				r.w(`<div class="blk-field">` + r.text(f) + `</div>`)
			}
			r.w(`</div>`)
		}
		r.w(`</div>`)
		if acc, ok := b["accessory"].(obj); ok {
			r.w(`<div class="blk-accessory">`)
			r.element(str(b, "block_id"), acc)
			r.w(`</div>`)
		}
		r.w(`</div>`)
	case "context":
		r.w(`<div class="blk-context" data-block="` + id + `">`)
		els, _ := b["elements"].([]any)
		for _, e := range els {
			o, _ := e.(obj)
			switch str(o, "type") {
			case "mrkdwn", "plain_text":
				r.w(`<span>` + r.text(o) + `</span>`)
			case "image":
				r.w(`<span class="img-alt">[image: ` + html.EscapeString(str(o, "alt_text")) + `]</span>`)
			default:
				r.unknown("context element", str(o, "type"))
			}
		}
		r.w(`</div>`)
	case "divider":
		r.w(`<hr class="blk-divider">`)
	case "actions":
		r.w(`<div class="blk-actions" data-block="` + id + `">`)
		els, _ := b["elements"].([]any)
		for _, e := range els {
			o, _ := e.(obj)
			r.element(str(b, "block_id"), o)
		}
		r.w(`</div>`)
	case "input":
		r.input(b)
	case "image":
		// Images would be fetched from the internet; the sandbox never
		// leaves the machine, so it names them instead.
		r.w(`<div class="img-alt" data-block="` + id + `">[image: ` + html.EscapeString(str(b, "alt_text")) + `]</div>`)
	default:
		r.unknown("block", typ)
	}
}

// text renders a text object: mrkdwn or plain_text.
func (r *blockRenderer) text(x any) string {
	o, ok := x.(obj)
	if !ok {
		return ""
	}
	switch str(o, "type") {
	case "mrkdwn":
		if v, _ := o["verbatim"].(bool); v {
			return escapeText(str(o, "text"))
		}
		return r.names.mrkdwn(str(o, "text"))
	case "plain_text":
		e, set := o["emoji"].(bool)
		return plainText(str(o, "text"), e || !set)
	}
	return `<span class="blk-unknown">Unsupported text type “` + html.EscapeString(str(o, "type")) + `”</span>`
}

// element renders an interactive element in a message, a section
// accessory or an actions block.
func (r *blockRenderer) element(blockID string, e obj) {
	typ := str(e, "type")
	switch typ {
	case "button":
		r.button(blockID, e)
	case "image":
		r.w(`<span class="img-alt">[image: ` + html.EscapeString(str(e, "alt_text")) + `]</span>`)
	case "static_select", "overflow", "datepicker", "timepicker", "users_select", "conversations_select",
		"channels_select", "multi_static_select", "multi_users_select", "radio_buttons", "checkboxes":
		// The bot sends none of these in messages; if it did, a person would
		// see a control, so the page shows one, marked as not simulated.
		r.w(`<span class="blk-unknown">` + html.EscapeString(typ) + ` (not simulated outside modals)</span>`)
	default:
		r.unknown("element", typ)
	}
}

func (r *blockRenderer) button(blockID string, e obj) {
	label := r.text(e["text"])
	if u := str(e, "url"); u != "" && safeURL(u) {
		r.w(`<a class="btn" href="` + html.EscapeString(u) + `" rel="noopener noreferrer" target="_blank">` + label + `</a>`)
		return
	}
	cls := "btn"
	switch str(e, "style") {
	case "primary":
		cls += " primary"
	case "danger":
		cls += " danger"
	}
	attrs := ` data-where="` + html.EscapeString(r.sf.Where) + `" data-channel="` + html.EscapeString(r.sf.Channel) +
		`" data-ts="` + html.EscapeString(r.sf.TS) + `" data-block="` + html.EscapeString(blockID) +
		`" data-action="` + html.EscapeString(str(e, "action_id")) + `"`
	if c, ok := e["confirm"].(obj); ok {
		conf := map[string]string{"title": plainOf(c["title"]), "text": plainOf(c["text"]),
			"confirm": plainOf(c["confirm"]), "deny": plainOf(c["deny"])}
		raw, _ := json.Marshal(conf)
		attrs += ` data-confirm="` + html.EscapeString(string(raw)) + `"`
	}
	r.w(`<button type="button" class="` + cls + `"` + attrs + `>` + label + `</button>`)
}

// plainOf is a text object's text as plain text, for the confirmation
// dialog, which the page fills in with textContent.
func plainOf(x any) string {
	o, _ := x.(obj)
	return unescape(str(o, "text"))
}
