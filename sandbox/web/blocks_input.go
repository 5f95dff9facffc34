package web

import (
	"html"
	"sort"
)

// input renders a modal's input block as a labelled form control.
func (r *blockRenderer) input(b obj) {
	id := str(b, "block_id")
	el, _ := b["element"].(obj)
	typ := str(el, "type")
	optional, _ := b["optional"].(bool)
	fid := "in-" + html.EscapeString(id)
	req := ""
	if !optional {
		req = " required"
	}
	r.w(`<div class="blk-input" data-block="` + html.EscapeString(id) + `">`)
	r.w(`<label for="` + fid + `">` + r.text(b["label"]))
	if optional {
		r.w(` <span class="optional">(optional)</span>`)
	}
	r.w(`</label>`)
	common := ` id="` + fid + `" name="` + html.EscapeString(id) + `" data-kind="` + html.EscapeString(typ) + `"`
	placeholder := ""
	if p, ok := el["placeholder"]; ok {
		placeholder = ` placeholder="` + html.EscapeString(plainOf(p)) + `"`
	}
	switch typ {
	case "plain_text_input":
		if m, _ := el["multiline"].(bool); m {
			r.w(`<textarea` + common + placeholder + req + `>` + html.EscapeString(str(el, "initial_value")) + `</textarea>`)
		} else {
			r.w(`<input type="text"` + common + placeholder + req + ` value="` + html.EscapeString(str(el, "initial_value")) + `">`)
		}
	case "datepicker":
		r.w(`<input type="date"` + common + req + ` value="` + html.EscapeString(str(el, "initial_date")) + `">`)
	case "timepicker":
		r.w(`<input type="time"` + common + req + ` value="` + html.EscapeString(str(el, "initial_time")) + `">`)
	case "users_select", "multi_users_select":
		multi := ""
		if typ == "multi_users_select" {
			multi = " multiple"
		}
		r.w(`<select` + common + multi + req + `><option value="">Choose a person</option>`)
		initial := str(el, "initial_user")
		for _, u := range sortedUsers(r.names.Users) {
			sel := ""
			if u[0] == initial {
				sel = " selected"
			}
			r.w(`<option value="` + html.EscapeString(u[0]) + `"` + sel + `>@` + html.EscapeString(u[1]) + `</option>`)
		}
		r.w(`</select>`)
	case "static_select", "radio_buttons":
		r.w(`<select` + common + req + `><option value="">Choose</option>`)
		initial := ""
		if o, ok := el["initial_option"].(obj); ok {
			initial = str(o, "value")
		}
		opts, _ := el["options"].([]any)
		for _, x := range opts {
			o, _ := x.(obj)
			sel := ""
			if str(o, "value") == initial {
				sel = " selected"
			}
			r.w(`<option value="` + html.EscapeString(str(o, "value")) + `"` + sel + `>` + html.EscapeString(plainOf(o["text"])) + `</option>`)
		}
		r.w(`</select>`)
	case "conversations_select", "channels_select":
		r.w(`<select` + common + req + `><option value="">Choose a channel</option>`)
		for _, c := range sortedUsers(r.names.Channels) {
			r.w(`<option value="` + html.EscapeString(c[0]) + `">#` + html.EscapeString(c[1]) + `</option>`)
		}
		r.w(`</select>`)
	default:
		r.unknown("input element", typ)
	}
	if h, ok := b["hint"]; ok {
		r.w(`<div class="hint">` + r.text(h) + `</div>`)
	}
	if msg := r.errors[id]; msg != "" {
		r.w(`<div class="field-error" role="alert">` + html.EscapeString(msg) + `</div>`)
	}
	r.w(`</div>`)
}

// sortedUsers lists id→name pairs by name.
func sortedUsers(m map[string]string) [][2]string {
	out := make([][2]string, 0, len(m))
	for id, name := range m {
		out = append(out, [2]string{id, name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][1] < out[j][1] })
	return out
}
