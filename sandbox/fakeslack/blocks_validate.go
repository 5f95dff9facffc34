package fakeslack

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// surface is where blocks are shown; it sets the block count limit.
type surface int

const (
	surfMessage surface = iota
	surfModal
	surfHome
)

func (s surface) maxBlocks() int {
	if s == surfMessage {
		return 50
	}
	return 100
}

// obj is one JSON object of a Block Kit payload.
type obj = map[string]any

// blockCheck validates one surface's blocks the way Slack does and fills in
// missing block_id and action_id, which Slack generates on its side.
type blockCheck struct {
	errs     []string
	blockIDs map[string]bool
	genSeq   int
}

// checkBlocks validates raw blocks for a surface. ptr is the JSON pointer of
// the blocks array in the request ("/blocks", "/view/blocks"). It returns
// the blocks as stored and Slack's error messages, if any.
func checkBlocks(raw json.RawMessage, surf surface, ptr string) (json.RawMessage, []string) {
	var blocks []any
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return nil, []string{errAt("must be an array of blocks", ptr)}
	}
	c := &blockCheck{blockIDs: map[string]bool{}}
	if len(blocks) > surf.maxBlocks() {
		c.fail(ptr, "must be less than %d items", surf.maxBlocks()+1)
	}
	for _, b := range blocks {
		if o, ok := b.(obj); ok {
			if id, ok := o["block_id"].(string); ok {
				c.blockIDs[id] = true
			}
		}
	}
	seen := map[string]bool{}
	for i, b := range blocks {
		p := ptr + "/" + strconv.Itoa(i)
		o, ok := b.(obj)
		if !ok {
			c.fail(p, "must be an object")
			continue
		}
		if id, ok := o["block_id"].(string); ok {
			if seen[id] {
				c.fail(p+"/block_id", "duplicate block_id %q", id)
			}
			seen[id] = true
		}
		c.block(o, p)
	}
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	out, err := json.Marshal(blocks)
	if err != nil {
		return nil, []string{errAt("cannot encode blocks", ptr)}
	}
	return out, nil
}

func errAt(msg, ptr string) string { return fmt.Sprintf("%s [json-pointer:%s]", msg, ptr) }

func (c *blockCheck) fail(ptr, format string, args ...any) {
	c.errs = append(c.errs, errAt(fmt.Sprintf(format, args...), ptr))
}

// newID makes an id not used by any block of this surface.
func (c *blockCheck) newID(prefix string, taken map[string]bool) string {
	for {
		c.genSeq++
		id := prefix + strconv.Itoa(c.genSeq)
		if !taken[id] {
			taken[id] = true
			return id
		}
	}
}

// allowed rejects properties Slack does not know for this object.
func (c *blockCheck) allowed(o obj, ptr string, keys ...string) {
	ok := map[string]bool{}
	for _, k := range keys {
		ok[k] = true
	}
	for k := range o {
		if !ok[k] {
			c.fail(ptr, "invalid additional property: %s", k)
		}
	}
}

// str checks an optional (or required) string property's length.
func (c *blockCheck) str(o obj, key, ptr string, required bool, max int) (string, bool) {
	v, present := o[key]
	if !present {
		if required {
			c.fail(ptr, "missing required field: %s", key)
		}
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		c.fail(ptr+"/"+key, "must be a string")
		return "", false
	}
	if n := utf8.RuneCountInString(s); n > max {
		c.fail(ptr+"/"+key, "must be less than %d characters", max+1)
	} else if required && n == 0 {
		c.fail(ptr+"/"+key, "must be more than 0 characters")
	}
	return s, true
}

// text checks a text object; plainOnly demands plain_text.
func (c *blockCheck) text(v any, ptr string, plainOnly bool, max int) {
	o, ok := v.(obj)
	if !ok {
		c.fail(ptr, "must be a text object")
		return
	}
	c.allowed(o, ptr, "type", "text", "emoji", "verbatim")
	switch o["type"] {
	case "plain_text":
	case "mrkdwn":
		if plainOnly {
			c.fail(ptr+"/type", "must be plain_text")
		}
	default:
		c.fail(ptr+"/type", "must be one of plain_text, mrkdwn")
	}
	c.str(o, "text", ptr, true, max)
}

// optText checks a text object that may be absent.
func (c *blockCheck) optText(o obj, key, ptr string, plainOnly bool, max int) {
	if v, ok := o[key]; ok {
		c.text(v, ptr+"/"+key, plainOnly, max)
	}
}

// list returns an array property and checks its length.
func (c *blockCheck) list(o obj, key, ptr string, required bool, minN, maxN int) []any {
	v, ok := o[key]
	if !ok {
		if required {
			c.fail(ptr, "missing required field: %s", key)
		}
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		c.fail(ptr+"/"+key, "must be an array")
		return nil
	}
	if len(a) < minN {
		c.fail(ptr+"/"+key, "must provide at least %d items", minN)
	}
	if len(a) > maxN {
		c.fail(ptr+"/"+key, "must be less than %d items", maxN+1)
	}
	return a
}
