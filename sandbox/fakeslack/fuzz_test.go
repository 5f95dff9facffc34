package fakeslack

import (
	"encoding/json"
	"testing"
)

// FuzzCheckBlocks feeds the validator arbitrary JSON: it must never panic,
// and what it accepts must come back as a JSON array.
func FuzzCheckBlocks(f *testing.F) {
	f.Add(`[{"type":"section","text":{"type":"mrkdwn","text":"hi"}}]`)
	f.Add(`[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"Approve"},"value":"1"}]}]`)
	f.Add(`[{"type":"input","label":{"type":"plain_text","text":"d"},"element":{"type":"datepicker"}}]`)
	f.Add(`[{"type":"section","fields":[1,"x",{}],"accessory":[]}]`)
	f.Add(`[{"type":"context","elements":[{"type":"image"},null]}]`)
	f.Add(`{"type":"modal","title":{"type":"plain_text","text":"t"},"blocks":[null]}`)
	f.Fuzz(func(t *testing.T, raw string) {
		for _, surf := range []surface{surfMessage, surfModal} {
			out, errs := checkBlocks(json.RawMessage(raw), surf, "/blocks")
			if errs == nil {
				var list []any
				if err := json.Unmarshal(out, &list); err != nil {
					t.Fatalf("accepted %q but stored %q", raw, out)
				}
			}
		}
		_, _ = checkView(json.RawMessage(raw), "modal")
		_, _ = checkView(json.RawMessage(raw), "home")
	})
}
