package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

var names = Names{
	Users:    map[string]string{"U0DANA": "dana", "U0ALEX": "alex"},
	Channels: map[string]string{"C0APPROVALS": "approvals"},
	Groups:   map[string]string{"S0SECURITY": "security"},
}

// render marshals blocks with slack-go, the library the bot builds them
// with, and renders the JSON as the page does.
func render(t *testing.T, sf surface, errs map[string]string, blocks ...slack.Block) string {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	return names.renderBlocks(raw, sf, errs)
}

func txt(typ, s string) *slack.TextBlockObject { return slack.NewTextBlockObject(typ, s, false, false) }

func wantAll(t *testing.T, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("rendered HTML lacks %q:\n%s", w, got)
		}
	}
}

func TestEveryBlockTypeTheBotSendsIsRendered(t *testing.T) {
	msg := surface{Where: "message", Channel: "C0APPROVALS", TS: "1.000002"}
	approve := slack.NewButtonBlockElement("approve", "42", txt("plain_text", "Approve"))
	approve.Style = slack.StylePrimary
	hold := slack.NewButtonBlockElement("hold", "42", txt("plain_text", "Hold"))
	hold.Style = slack.StyleDanger
	all := slack.NewButtonBlockElement("approve_all", "c1", txt("plain_text", "Approve all remaining"))
	all.Confirm = slack.NewConfirmationBlockObject(txt("plain_text", "Approve all?"), txt("mrkdwn", "Approves *3* rows"),
		txt("plain_text", "Approve all"), txt("plain_text", "Cancel"))
	tests := []struct {
		name  string
		block slack.Block
		want  []string
	}{
		{"a header is a heading", slack.NewHeaderBlock(slack.NewTextBlockObject("plain_text", "Offboarding #1 :wave:", true, false)),
			[]string{`<h3 class="blk-header"`, "Offboarding #1 👋"}},
		{"a section shows its mrkdwn text", slack.NewSectionBlock(txt("mrkdwn", "*Person:* <@U0DANA>"), nil, nil),
			[]string{`class="blk-section"`, "<b>Person:</b>", `@dana</span>`}},
		{"a section shows its fields side by side",
			slack.NewSectionBlock(nil, []*slack.TextBlockObject{txt("mrkdwn", "*Role*"), txt("plain_text", "member")}, nil),
			[]string{`class="blk-fields"`, `<div class="blk-field"><b>Role</b></div>`, `<div class="blk-field">member</div>`}},
		{"a section's button accessory is a real button",
			slack.NewSectionBlock(txt("mrkdwn", "row"), nil, slack.NewAccessory(slack.NewButtonBlockElement("mark_done", "7", txt("plain_text", "Mark done")))),
			[]string{`<div class="blk-accessory"><button type="button" class="btn"`, `data-action="mark_done"`, ">Mark done</button>"}},
		{"a context shows its elements small", slack.NewContextBlock("ctx", txt("mrkdwn", "linked by _config_"), slack.NewImageBlockElement("https://x/y.png", "logo")),
			[]string{`class="blk-context"`, "linked by <i>config</i>", "[image: logo]"}},
		{"a divider is a rule", slack.NewDividerBlock(), []string{`<hr class="blk-divider">`}},
		{"actions are buttons with their styles and where they are",
			slack.NewActionBlock("a1.act", approve, hold),
			[]string{`class="btn primary" data-where="message" data-channel="C0APPROVALS" data-ts="1.000002" data-block="a1.act" data-action="approve">Approve</button>`,
				`class="btn danger"`, `>Hold</button>`}},
		{"a button with a confirmation carries the dialog's words",
			slack.NewActionBlock("c1.all", all),
			[]string{`data-confirm="{&#34;confirm&#34;:&#34;Approve all&#34;,&#34;deny&#34;:&#34;Cancel&#34;,&#34;text&#34;:&#34;Approves *3* rows&#34;,&#34;title&#34;:&#34;Approve all?&#34;}"`}},
		{"an image block is named, never fetched", slack.NewImageBlock("https://example.com/a.png", "a chart", "", nil),
			[]string{`[image: a chart]`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := render(t, msg, nil, tc.block)
			wantAll(t, got, tc.want...)
			if strings.Contains(got, "blk-unknown") {
				t.Errorf("a known type was shown as unknown:\n%s", got)
			}
		})
	}
}

func TestModalInputsAreLabelledFormControls(t *testing.T) {
	reason := slack.NewPlainTextInputBlockElement(txt("plain_text", "why"), "reason")
	reason.Multiline = true
	line := slack.NewPlainTextInputBlockElement(nil, "note")
	line.InitialValue = `"quoted" <b>`
	date := slack.NewDatePickerBlockElement("until")
	date.InitialDate = "2026-12-24"
	tm := slack.NewTimePickerBlockElement("at")
	user := slack.NewOptionsSelectBlockElement(slack.OptTypeUser, txt("plain_text", "Who"), "who")
	static := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "acct",
		slack.NewOptionBlockObject("prod", txt("plain_text", "prod"), nil), slack.NewOptionBlockObject("dev", txt("plain_text", "dev <x>"), nil))
	until := slack.NewInputBlock("until", txt("plain_text", "Hold until"), txt("plain_text", "On that date it comes back"), date)
	until.Optional = true
	got := render(t, surface{Where: "modal"}, map[string]string{"reason": "A reason is required."},
		slack.NewInputBlock("reason", txt("plain_text", "Why hold it?"), nil, reason),
		slack.NewInputBlock("note", txt("plain_text", "Note"), nil, line),
		until,
		slack.NewInputBlock("at", txt("plain_text", "Time"), nil, tm),
		slack.NewInputBlock("who", txt("plain_text", "Person"), nil, user),
		slack.NewInputBlock("acct", txt("plain_text", "Account"), nil, static),
	)
	wantAll(t, got,
		`<label for="in-reason">Why hold it?</label><textarea id="in-reason" name="reason" data-kind="plain_text_input" placeholder="why" required></textarea>`,
		`<div class="field-error" role="alert">A reason is required.</div>`,
		`<input type="text" id="in-note" name="note" data-kind="plain_text_input" required value="&#34;quoted&#34; &lt;b&gt;">`,
		`<label for="in-until">Hold until <span class="optional">(optional)</span></label><input type="date" id="in-until" name="until" data-kind="datepicker" value="2026-12-24">`,
		`<div class="hint">On that date it comes back</div>`,
		`<input type="time" id="in-at" name="at" data-kind="timepicker" required value="">`,
		`<select id="in-who" name="who" data-kind="users_select" required>`, `<option value="U0ALEX">@alex</option>`,
		`<select id="in-acct" name="acct" data-kind="static_select" required>`, `<option value="dev">dev &lt;x&gt;</option>`)
}

func TestUnknownTypesAreShownNeverDropped(t *testing.T) {
	raw := `[{"type":"rich_text","block_id":"r","elements":[]},
		{"type":"actions","block_id":"x","elements":[{"type":"workflow_button","text":{"type":"plain_text","text":"Run"}}]},
		{"type":"context","elements":[{"type":"sparkle"}]},
		{"type":"section","text":{"type":"markdown","text":"hi"}},
		{"type":"input","block_id":"i","label":{"type":"plain_text","text":"Files"},"element":{"type":"file_input"}},
		{"type":"<script>"}]`
	got := names.renderBlocks(json.RawMessage(raw), surface{Where: "message"}, nil)
	for _, want := range []string{"Unsupported block type “rich_text”", "Unsupported element type “workflow_button”",
		"Unsupported context element type “sparkle”", "Unsupported text type “markdown”",
		"Unsupported input element type “file_input”", "Unsupported block type “&lt;script&gt;”"} {
		if !strings.Contains(got, want) {
			t.Errorf("no placeholder %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<script>") {
		t.Errorf("an unknown type's name became markup:\n%s", got)
	}
	if got := names.renderBlocks(json.RawMessage(`{"not":"a list"}`), surface{}, nil); !strings.Contains(got, "blk-unknown") {
		t.Errorf("blocks that are not a list vanished: %q", got)
	}
}
