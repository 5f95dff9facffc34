package fakeslack

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// checklist posts a message with two rows of Approve/Hold buttons.
func checklist(t *testing.T, srv *Server) string {
	t.Helper()
	row := func(id string) slack.Block {
		return slack.NewActionBlock(id,
			slack.NewButtonBlockElement("approve", "act-"+id, slack.NewTextBlockObject("plain_text", "Approve", false, false)),
			slack.NewButtonBlockElement("hold", "act-"+id, slack.NewTextBlockObject("plain_text", "Hold", false, false)))
	}
	_, ts, err := api(srv).PostMessage(appro, slack.MsgOptionText("checklist", false), slack.MsgOptionBlocks(row("a1"), row("a2")))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestClickSendsBlockActionsFromStoredBlocks(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	ts := checklist(t, srv)
	if _, err := srv.Click(alex, InMessage(appro, ts), "Approve"); err == nil {
		t.Error("an ambiguous label was clicked")
	}
	id, err := srv.ClickButton(alex, InMessage(appro, ts), LabelIn("a2", "Approve"))
	if err != nil {
		t.Fatal(err)
	}
	ev := b.next(t, socketmode.EventTypeInteractive)
	cb := ev.Data.(slack.InteractionCallback)
	acts := cb.ActionCallback.BlockActions
	if ev.Request.EnvelopeID != id || cb.Type != slack.InteractionTypeBlockActions || cb.User.ID != alex ||
		cb.Channel.ID != appro || cb.Container.MessageTs != ts || cb.Message.Timestamp != ts ||
		cb.TriggerID == "" || cb.ResponseURL == "" || len(acts) != 1 {
		t.Fatalf("callback = %+v", cb)
	}
	if a := acts[0]; a.BlockID != "a2" || a.ActionID != "approve" || a.Value != "act-a2" || a.Text.Text != "Approve" {
		t.Errorf("action = %+v", a)
	}
	if len(cb.Message.Blocks.BlockSet) != 2 {
		t.Errorf("message blocks = %d, want the stored 2", len(cb.Message.Blocks.BlockSet))
	}
	_ = b.sm.Ack(*ev.Request)
	if a, err := srv.WaitAck(id, wait); err != nil || a.Kind != "block_actions" {
		t.Errorf("ack = %+v, %v", a, err)
	}
}

func TestClickInLatestMessageAndErrors(t *testing.T) {
	srv := newServer(t, Options{})
	startBot(t, srv)
	checklist(t, srv)
	_, _, _ = api(srv).PostMessage(appro, slack.MsgOptionText("no buttons", false))
	pick := func(m Message) bool { return strings.HasPrefix(m.Text, "checklist") }
	if _, err := srv.ClickButton(alex, InLatest(appro, pick), LabelIn("a1", "Hold")); err != nil {
		t.Errorf("click in the latest checklist: %v", err)
	}
	if _, err := srv.Click(alex, InLatest(appro, nil), "Approve"); err == nil {
		t.Error("clicked a button the newest message does not have")
	}
	if _, err := srv.Click("U0NOBODY", InLatest(appro, pick), "Approve"); err == nil {
		t.Error("an unknown user clicked")
	}
}

func TestClickInEphemeralAndReplaceIt(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	blocks := slack.MsgOptionBlocks(slack.NewActionBlock("confirm",
		slack.NewButtonBlockElement("yes", "1", slack.NewTextBlockObject("plain_text", "Start offboarding", false, false))))
	ts, err := api(srv).PostEphemeral(appro, alex, slack.MsgOptionText("start?", false), blocks)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Click(alex, InEphemeral(""), "Start offboarding"); err != nil {
		t.Fatal(err)
	}
	cb := b.next(t, socketmode.EventTypeInteractive).Data.(slack.InteractionCallback)
	if !cb.Container.IsEphemeral || cb.Container.MessageTs != ts {
		t.Fatalf("container = %+v", cb.Container)
	}
	_, _, err = api(srv).PostMessage("", slack.MsgOptionReplaceOriginal(cb.ResponseURL), slack.MsgOptionText("Started.", false))
	if err != nil {
		t.Fatal(err)
	}
	if e := srv.Ephemerals(alex); len(e) != 1 || e[0].Text != "Started." {
		t.Errorf("ephemerals = %+v, want the original replaced", e)
	}
}

func TestResponseURL(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	ts := checklist(t, srv)
	_, _ = srv.ClickButton(alex, InMessage(appro, ts), LabelIn("a1", "Approve"))
	cb := b.next(t, socketmode.EventTypeInteractive).Data.(slack.InteractionCallback)
	c := api(srv)
	if _, _, err := c.PostMessage("", slack.MsgOptionResponseURL(cb.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("noted", false)); err != nil {
		t.Fatal(err)
	}
	if e := srv.Ephemerals(alex); len(e) != 1 || e[0].Source != "response_url" || e[0].Text != "noted" {
		t.Errorf("ephemerals = %+v", e)
	}
	if _, _, err := c.PostMessage("", slack.MsgOptionReplaceOriginal(cb.ResponseURL), slack.MsgOptionText("approved", false)); err != nil {
		t.Fatal(err)
	}
	if m, _ := srv.Message(appro, ts); m.Text != "approved" || len(m.Edits) != 1 {
		t.Errorf("original = %+v, want it replaced", m)
	}
	if _, _, err := c.PostMessage("", slack.MsgOptionResponseURL(cb.ResponseURL, slack.ResponseTypeInChannel), slack.MsgOptionText("for all", false)); err != nil {
		t.Fatal(err)
	}
	if ms := srv.Messages(appro); ms[len(ms)-1].Text != "for all" {
		t.Errorf("last channel message %q, want the in_channel reply", ms[len(ms)-1].Text)
	}
	for range 2 {
		_, _, _ = c.PostMessage("", slack.MsgOptionResponseURL(cb.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("x", false))
	}
	_, _, err := c.PostMessage("", slack.MsgOptionResponseURL(cb.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("sixth", false))
	if err == nil {
		t.Error("a sixth use of a response_url succeeded")
	}
	if calls := srv.CallsTo("response_url"); len(calls) != 6 || calls[5].Error != "used_url" {
		t.Errorf("calls = %d, last %+v", len(calls), calls[len(calls)-1])
	}
}

func TestResponseURLExpires(t *testing.T) {
	clock := newClock()
	srv := newServer(t, Options{Clock: clock.Now})
	b := startBot(t, srv)
	_, _ = srv.Slash(sam, appro, "help")
	cmd := b.next(t, socketmode.EventTypeSlashCommand).Data.(slack.SlashCommand)
	clock.Advance(31 * 60 * 1e9)
	_, _, err := api(srv).PostMessage("", slack.MsgOptionResponseURL(cmd.ResponseURL, slack.ResponseTypeEphemeral), slack.MsgOptionText("late", false))
	if err == nil {
		t.Error("an expired response_url worked")
	}
}

func TestEscapeTypedAndMention(t *testing.T) {
	srv := newServer(t, Options{})
	got := srv.EscapeTyped("@dana on tomorrow <b> & @here #approvals @security @ghost a@dana")
	want := "<@U0DANA|dana> on tomorrow &lt;b&gt; &amp; <!here> <#C0APPROVALS|approvals> <!subteam^S0SEC|@security> @ghost a@dana"
	if got != want {
		t.Errorf("EscapeTyped =\n%q, want\n%q", got, want)
	}
	if m := srv.Mention(dana); m != "<@U0DANA|dana>" {
		t.Errorf("Mention = %q", m)
	}
}
