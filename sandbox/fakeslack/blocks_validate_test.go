package fakeslack

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func btn(text, actionID, value string) string {
	return fmt.Sprintf(`{"type":"button","text":{"type":"plain_text","text":%q},"action_id":%q,"value":%q}`, text, actionID, value)
}

func sec(text string) string {
	return fmt.Sprintf(`{"type":"section","text":{"type":"mrkdwn","text":%q}}`, text)
}

func repeat(block string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = block
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestBlockKitLimits(t *testing.T) {
	x := strings.Repeat
	tests := []struct {
		name    string
		surf    surface
		blocks  string
		wantErr string // a fragment of the first error; "" means valid
	}{
		{"fifty blocks in a message", surfMessage, repeat(`{"type":"divider"}`, 50), ""},
		{"fifty-one blocks in a message", surfMessage, repeat(`{"type":"divider"}`, 51), "must be less than 51 items [json-pointer:/blocks]"},
		{"a hundred blocks in a modal", surfModal, repeat(`{"type":"divider"}`, 100), ""},
		{"a hundred and one in a home tab", surfHome, repeat(`{"type":"divider"}`, 101), "must be less than 101 items"},
		{"unknown block type", surfMessage, `[{"type":"carousel"}]`, "unsupported block type"},
		{"section text of 3000", surfMessage, "[" + sec(x("a", 3000)) + "]", ""},
		{"section text of 3001", surfMessage, "[" + sec(x("a", 3001)) + "]", "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"},
		{"section text counts characters, not bytes", surfMessage, "[" + sec(x("é", 3000)) + "]", ""},
		{"empty section text", surfMessage, "[" + sec("") + "]", "must be more than 0 characters"},
		{"section without text or fields", surfMessage, `[{"type":"section"}]`, "must provide either text or fields"},
		{"eleven fields", surfMessage, `[{"type":"section","fields":[` + strings.TrimSuffix(x(`{"type":"mrkdwn","text":"f"},`, 11), ",") + `]}]`, "must be less than 11 items"},
		{"field of 2001", surfMessage, `[{"type":"section","fields":[{"type":"mrkdwn","text":"` + x("f", 2001) + `"}]}]`, "/blocks/0/fields/0/text"},
		{"header of 151", surfMessage, `[{"type":"header","text":{"type":"plain_text","text":"` + x("h", 151) + `"}}]`, "must be less than 151"},
		{"header in mrkdwn", surfMessage, `[{"type":"header","text":{"type":"mrkdwn","text":"h"}}]`, "must be plain_text"},
		{"button text of 75", surfMessage, `[{"type":"actions","elements":[` + btn(x("b", 75), "a", "v") + `]}]`, ""},
		{"button text of 76", surfMessage, `[{"type":"actions","elements":[` + btn(x("b", 76), "a", "v") + `]}]`, "/blocks/0/elements/0/text/text"},
		{"button text in mrkdwn", surfMessage, `[{"type":"actions","elements":[{"type":"button","text":{"type":"mrkdwn","text":"b"}}]}]`, "must be plain_text"},
		{"button value of 2001", surfMessage, `[{"type":"actions","elements":[` + btn("b", "a", x("v", 2001)) + `]}]`, "/value"},
		{"action_id of 256", surfMessage, `[{"type":"actions","elements":[` + btn("b", x("a", 256), "v") + `]}]`, "/action_id"},
		{"block_id of 256", surfMessage, `[{"type":"divider","block_id":"` + x("b", 256) + `"}]`, "/block_id"},
		{"duplicate block_id", surfMessage, `[{"type":"divider","block_id":"b"},{"type":"divider","block_id":"b"}]`, "duplicate block_id"},
		{"duplicate action_id in a block", surfMessage, `[{"type":"actions","elements":[` + btn("a", "x", "1") + "," + btn("b", "x", "2") + `]}]`, "duplicate action_id"},
		{"same action_id in two blocks", surfMessage, `[{"type":"actions","elements":[` + btn("a", "x", "1") + `]},{"type":"actions","elements":[` + btn("b", "x", "2") + `]}]`, ""},
		{"twenty-six elements in actions", surfMessage, `[{"type":"actions","elements":[` + strings.TrimSuffix(x(`{"type":"button","text":{"type":"plain_text","text":"b"}},`, 26), ",") + `]}]`, "must be less than 26 items"},
		{"bad button style", surfMessage, `[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"b"},"style":"green"}]}]`, "must be one of primary, danger"},
		{"unknown property", surfMessage, `[{"type":"divider","colour":"red"}]`, "invalid additional property: colour"},
		{"confirm dialog without deny", surfMessage, `[{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"b"},"confirm":{"title":{"type":"plain_text","text":"t"},"text":{"type":"plain_text","text":"t"},"confirm":{"type":"plain_text","text":"y"}}}]}]`, "missing required field: deny"},
		{"bad initial date", surfModal, `[{"type":"input","label":{"type":"plain_text","text":"d"},"element":{"type":"datepicker","initial_date":"2024-13-45"}}]`, "YYYY-MM-DD"},
		{"text input outside an input block", surfMessage, `[{"type":"actions","elements":[{"type":"plain_text_input"}]}]`, "only allowed in an input block"},
		{"context and image", surfMessage, `[{"type":"context","elements":[{"type":"mrkdwn","text":"c"},{"type":"image","image_url":"https://x/y.png","alt_text":"a"}]}]`, ""},
		{"rich text", surfMessage, `[{"type":"rich_text","elements":[]}]`, ""},
		{"not an array", surfMessage, `{"type":"divider"}`, "must be an array"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := checkBlocks(json.RawMessage(tc.blocks), tc.surf, "/blocks")
			switch {
			case tc.wantErr == "" && errs != nil:
				t.Errorf("errors %v, want valid", errs)
			case tc.wantErr != "" && (errs == nil || !strings.Contains(errs[0], tc.wantErr)):
				t.Errorf("errors %v, want one containing %q", errs, tc.wantErr)
			}
		})
	}
}

func TestMissingIDsAreFilledIn(t *testing.T) {
	out, errs := checkBlocks(json.RawMessage(`[{"type":"actions","block_id":"fk1","elements":[{"type":"button","text":{"type":"plain_text","text":"b"}}]},{"type":"divider"}]`), surfMessage, "/blocks")
	if errs != nil {
		t.Fatal(errs)
	}
	var got []map[string]any
	_ = json.Unmarshal(out, &got)
	el := got[0]["elements"].([]any)[0].(map[string]any)
	if got[1]["block_id"] == "fk1" || got[1]["block_id"] == nil || el["action_id"] == nil {
		t.Errorf("blocks = %s, want a fresh block_id and an action_id", out)
	}
}

func TestViewLimits(t *testing.T) {
	x := strings.Repeat
	input := `{"type":"input","block_id":"reason","label":{"type":"plain_text","text":"Reason"},"element":{"type":"plain_text_input","action_id":"r"}}`
	tests := []struct {
		name, view, want string
	}{
		{"a valid modal", `{"type":"modal","title":{"type":"plain_text","text":"Offboard"},"submit":{"type":"plain_text","text":"Go"},"blocks":[` + input + `]}`, ""},
		{"title of 25", `{"type":"modal","title":{"type":"plain_text","text":"` + x("t", 25) + `"},"blocks":[]}`, "/view/title/text"},
		{"no title", `{"type":"modal","blocks":[]}`, "missing required field: title"},
		{"submit of 25", `{"type":"modal","title":{"type":"plain_text","text":"t"},"submit":{"type":"plain_text","text":"` + x("s", 25) + `"},"blocks":[]}`, "/view/submit/text"},
		{"close of 25", `{"type":"modal","title":{"type":"plain_text","text":"t"},"close":{"type":"plain_text","text":"` + x("c", 25) + `"},"blocks":[]}`, "/view/close/text"},
		{"private_metadata of 3001", `{"type":"modal","title":{"type":"plain_text","text":"t"},"private_metadata":"` + x("p", 3001) + `","blocks":[]}`, "/view/private_metadata"},
		{"input without submit", `{"type":"modal","title":{"type":"plain_text","text":"t"},"blocks":[` + input + `]}`, "must provide submit"},
		{"a home tab for views.open", `{"type":"home","blocks":[]}`, "must be modal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := checkView(json.RawMessage(tc.view), "modal")
			switch {
			case tc.want == "" && errs != nil:
				t.Errorf("errors %v, want valid", errs)
			case tc.want != "" && (errs == nil || !strings.Contains(errs[0], tc.want)):
				t.Errorf("errors %v, want one containing %q", errs, tc.want)
			}
		})
	}
}
