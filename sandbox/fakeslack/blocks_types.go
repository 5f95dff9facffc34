package fakeslack

import (
	"strconv"
	"time"
)

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && len(s) == 10
}

func isClock(s string) bool {
	_, err := time.Parse("15:04", s)
	return err == nil && len(s) == 5
}

// block checks one layout block and fills in its block_id.
func (c *blockCheck) block(o obj, p string) {
	if _, ok := o["block_id"]; ok {
		c.str(o, "block_id", p, true, 255)
	} else {
		o["block_id"] = c.newID("fk", c.blockIDs)
	}
	typ, _ := o["type"].(string)
	switch typ {
	case "section":
		c.allowed(o, p, "type", "block_id", "text", "fields", "accessory", "expand")
		c.optText(o, "text", p, false, 3000)
		fields := c.list(o, "fields", p, false, 1, 10)
		for i, f := range fields {
			c.text(f, p+"/fields/"+strconv.Itoa(i), false, 2000)
		}
		if _, hasText := o["text"]; !hasText && fields == nil {
			c.fail(p, "must provide either text or fields")
		}
		if acc, ok := o["accessory"]; ok {
			c.element(acc, p+"/accessory", "accessory", map[string]bool{})
		}
	case "actions":
		c.allowed(o, p, "type", "block_id", "elements")
		ids := map[string]bool{}
		for i, e := range c.list(o, "elements", p, true, 1, 25) {
			c.element(e, p+"/elements/"+strconv.Itoa(i), "actions", ids)
		}
	case "context":
		c.allowed(o, p, "type", "block_id", "elements")
		for i, e := range c.list(o, "elements", p, true, 1, 10) {
			ep := p + "/elements/" + strconv.Itoa(i)
			if eo, ok := e.(obj); ok && eo["type"] == "image" {
				c.image(eo, ep)
				continue
			}
			c.text(e, ep, false, 3000)
		}
	case "divider":
		c.allowed(o, p, "type", "block_id")
	case "header":
		c.allowed(o, p, "type", "block_id", "text")
		if _, ok := o["text"]; !ok {
			c.fail(p, "missing required field: text")
		}
		c.optText(o, "text", p, true, 150)
	case "image":
		c.allowed(o, p, "type", "block_id", "image_url", "slack_file", "alt_text", "title")
		c.str(o, "image_url", p, true, 3000)
		c.str(o, "alt_text", p, true, 2000)
		c.optText(o, "title", p, true, 2000)
	case "input":
		c.allowed(o, p, "type", "block_id", "label", "element", "hint", "optional", "dispatch_action")
		if _, ok := o["label"]; !ok {
			c.fail(p, "missing required field: label")
		}
		c.optText(o, "label", p, true, 2000)
		c.optText(o, "hint", p, true, 2000)
		if e, ok := o["element"]; ok {
			c.element(e, p+"/element", "input", map[string]bool{})
		} else {
			c.fail(p, "missing required field: element")
		}
	case "rich_text":
		c.allowed(o, p, "type", "block_id", "elements")
		c.list(o, "elements", p, true, 0, 1<<20)
	default:
		c.fail(p+"/type", "unsupported block type: %q", typ)
	}
}

// element checks one block element; where is the block kind that holds it
// ("actions", "accessory", "input"), ids the action_ids of that block.
func (c *blockCheck) element(v any, p, where string, ids map[string]bool) {
	o, ok := v.(obj)
	if !ok {
		c.fail(p, "must be an object")
		return
	}
	typ, _ := o["type"].(string)
	if id, ok := o["action_id"].(string); ok {
		c.str(o, "action_id", p, true, 255)
		if ids[id] {
			c.fail(p+"/action_id", "duplicate action_id %q", id)
		}
		ids[id] = true
	} else if typ != "image" {
		o["action_id"] = c.newID("fa", ids)
	}
	common := []string{"type", "action_id", "focus_on_load"}
	switch typ {
	case "button":
		if where == "input" {
			c.fail(p+"/type", "button is not allowed in an input block")
		}
		c.allowed(o, p, append(common, "text", "url", "value", "style", "confirm", "accessibility_label")...)
		if _, ok := o["text"]; !ok {
			c.fail(p, "missing required field: text")
		}
		c.optText(o, "text", p, true, 75)
		c.str(o, "url", p, false, 3000)
		c.str(o, "value", p, false, 2000)
		c.str(o, "accessibility_label", p, false, 75)
		if st, ok := o["style"]; ok && st != "primary" && st != "danger" {
			c.fail(p+"/style", "must be one of primary, danger")
		}
		c.confirm(o, p)
	case "plain_text_input":
		if where != "input" {
			c.fail(p+"/type", "plain_text_input is only allowed in an input block")
		}
		c.allowed(o, p, append(common, "placeholder", "initial_value", "multiline", "min_length", "max_length", "dispatch_action_config")...)
		c.optText(o, "placeholder", p, true, 150)
		c.str(o, "initial_value", p, false, 3000)
	case "users_select", "conversations_select", "channels_select", "multi_users_select",
		"multi_conversations_select", "multi_channels_select":
		c.allowed(o, p, append(common, "placeholder", "initial_user", "initial_users", "initial_conversation",
			"initial_conversations", "initial_channel", "initial_channels", "confirm", "filter",
			"default_to_current_conversation", "response_url_enabled", "max_selected_items")...)
		c.optText(o, "placeholder", p, true, 150)
		c.confirm(o, p)
	case "static_select", "multi_static_select", "overflow", "checkboxes", "radio_buttons":
		c.allowed(o, p, append(common, "placeholder", "options", "option_groups", "initial_option",
			"initial_options", "confirm", "max_selected_items")...)
		c.optText(o, "placeholder", p, true, 150)
		minN, maxN := 1, 100
		switch typ {
		case "overflow":
			minN, maxN = 2, 5
		case "checkboxes", "radio_buttons":
			maxN = 10
		}
		_, groups := o["option_groups"]
		for i, opt := range c.list(o, "options", p, !groups, minN, maxN) {
			c.option(opt, p+"/options/"+strconv.Itoa(i))
		}
		c.confirm(o, p)
	case "datepicker":
		c.allowed(o, p, append(common, "placeholder", "initial_date", "confirm")...)
		c.optText(o, "placeholder", p, true, 150)
		if d, ok := c.str(o, "initial_date", p, false, 10); ok && !isDate(d) {
			c.fail(p+"/initial_date", "must match YYYY-MM-DD")
		}
		c.confirm(o, p)
	case "timepicker":
		c.allowed(o, p, append(common, "placeholder", "initial_time", "confirm", "timezone")...)
		c.optText(o, "placeholder", p, true, 150)
		if t, ok := c.str(o, "initial_time", p, false, 5); ok && !isClock(t) {
			c.fail(p+"/initial_time", "must match HH:mm")
		}
		c.confirm(o, p)
	case "image":
		if where != "accessory" {
			c.fail(p+"/type", "image is not an interactive element")
		}
		c.image(o, p)
	default:
		c.fail(p+"/type", "unsupported element type: %q", typ)
	}
}

func (c *blockCheck) image(o obj, p string) {
	c.allowed(o, p, "type", "image_url", "slack_file", "alt_text")
	c.str(o, "image_url", p, true, 3000)
	c.str(o, "alt_text", p, true, 2000)
}

func (c *blockCheck) option(v any, p string) {
	o, ok := v.(obj)
	if !ok {
		c.fail(p, "must be an object")
		return
	}
	c.allowed(o, p, "text", "value", "description", "url")
	if _, ok := o["text"]; !ok {
		c.fail(p, "missing required field: text")
	}
	c.optText(o, "text", p, false, 75)
	c.str(o, "value", p, true, 150)
	c.optText(o, "description", p, true, 75)
}

// confirm checks a confirmation dialog object, when present.
func (c *blockCheck) confirm(o obj, p string) {
	v, ok := o["confirm"]
	if !ok {
		return
	}
	p += "/confirm"
	co, ok := v.(obj)
	if !ok {
		c.fail(p, "must be an object")
		return
	}
	c.allowed(co, p, "title", "text", "confirm", "deny", "style")
	for _, k := range []string{"title", "text", "confirm", "deny"} {
		if _, ok := co[k]; !ok {
			c.fail(p, "missing required field: %s", k)
		}
	}
	c.optText(co, "title", p, true, 100)
	c.optText(co, "text", p, false, 300)
	c.optText(co, "confirm", p, true, 30)
	c.optText(co, "deny", p, true, 30)
}
