package fakeslack

import (
	"errors"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func offboardModal() slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		Title:      slack.NewTextBlockObject("plain_text", "Offboard", false, false),
		Submit:     slack.NewTextBlockObject("plain_text", "Start", false, false),
		CallbackID: "offboard",
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("who", slack.NewTextBlockObject("plain_text", "Who", false, false), nil,
				slack.NewOptionsSelectBlockElement("users_select", nil, "user")),
			slack.NewInputBlock("when", slack.NewTextBlockObject("plain_text", "When", false, false), nil,
				slack.NewDatePickerBlockElement("date")),
			&slack.InputBlock{Type: slack.MBTInput, BlockID: "reason", Optional: true,
				Label:   slack.NewTextBlockObject("plain_text", "Reason", false, false),
				Element: slack.NewPlainTextInputBlockElement(nil, "text")},
		}},
	}
}

// openModal has sam type /offboard and the bot open the modal with its trigger.
func openModal(t *testing.T, srv *Server, b *bot) (*slack.ViewResponse, error) {
	t.Helper()
	if _, err := srv.Slash(sam, appro, ""); err != nil {
		t.Fatal(err)
	}
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	_ = b.sm.Ack(*ev.Request)
	return api(srv).OpenView(ev.Data.(slack.SlashCommand).TriggerID, offboardModal())
}

func TestTriggerOpensOneModal(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	if _, err := srv.Slash(sam, appro, ""); err != nil {
		t.Fatal(err)
	}
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	trig := ev.Data.(slack.SlashCommand).TriggerID
	resp, err := api(srv).OpenView(trig, offboardModal())
	if err != nil {
		t.Fatal(err)
	}
	v, ok := srv.OpenView(sam)
	if !ok || v.ID != resp.View.ID || v.CallbackID != "offboard" || v.Title != "Offboard" {
		t.Errorf("open view = %+v, want the modal for sam", v)
	}
	if _, err := api(srv).OpenView(trig, offboardModal()); err == nil || err.Error() != "exchanged_trigger_id" {
		t.Errorf("second use: %v, want exchanged_trigger_id", err)
	}
	if _, err := api(srv).OpenView("1.2.3", offboardModal()); err == nil || err.Error() != "invalid_trigger_id" {
		t.Errorf("made-up trigger: %v, want invalid_trigger_id", err)
	}
}

func TestTriggerExpires(t *testing.T) {
	clock := newClock()
	srv := newServer(t, Options{Clock: clock.Now})
	b := startBot(t, srv)
	_, _ = srv.Slash(sam, appro, "")
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	clock.Advance(3*time.Second + time.Millisecond)
	_, err := api(srv).OpenView(ev.Data.(slack.SlashCommand).TriggerID, offboardModal())
	if err == nil || err.Error() != "expired_trigger_id" {
		t.Errorf("err = %v, want expired_trigger_id", err)
	}
}

func TestInvalidViewIsRefused(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	_, _ = srv.Slash(sam, appro, "")
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	m := offboardModal()
	m.Title = slack.NewTextBlockObject("plain_text", "A title far longer than allowed", false, false)
	_, err := api(srv).OpenView(ev.Data.(slack.SlashCommand).TriggerID, m)
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_arguments" || len(se.ResponseMetadata.Messages) == 0 {
		t.Errorf("err = %#v, want invalid_arguments with messages", err)
	}
	if _, ok := srv.OpenView(sam); ok {
		t.Error("an invalid modal was opened")
	}
}

func TestSubmitViewSendsStateAndErrorsKeepItOpen(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	if _, err := openModal(t, srv, b); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SubmitView(sam, map[string]Input{"who": {SelectedUser: dana}}); err == nil {
		t.Error("a submission without the required date was sent")
	}
	id, err := srv.SubmitView(sam, map[string]Input{"who": {SelectedUser: dana}, "when": {SelectedDate: "2024-07-01"}})
	if err != nil {
		t.Fatal(err)
	}
	ev := b.next(t, socketmode.EventTypeInteractive)
	cb := ev.Data.(slack.InteractionCallback)
	vals := cb.View.State.Values
	if cb.Type != slack.InteractionTypeViewSubmission || vals["who"]["user"].SelectedUser != dana ||
		vals["when"]["date"].SelectedDate != "2024-07-01" || vals["reason"]["text"].Value != "" {
		t.Fatalf("submission = %+v, state %+v", cb, vals)
	}
	_ = b.sm.Ack(*ev.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"when": "That date is past"}))
	if _, err := srv.WaitAck(id, wait); err != nil {
		t.Fatal(err)
	}
	v, ok := srv.OpenView(sam)
	if !ok || v.Errors["when"] != "That date is past" {
		t.Errorf("view = %+v, want it open with the error", v)
	}
	id, _ = srv.SubmitView(sam, map[string]Input{"who": {SelectedUser: dana}, "when": {SelectedDate: "2024-08-01"}})
	ev = b.next(t, socketmode.EventTypeInteractive)
	_ = b.sm.Ack(*ev.Request)
	_, _ = srv.WaitAck(id, wait)
	if _, ok := srv.OpenView(sam); ok {
		t.Error("an empty ack must close the modal")
	}
}

func TestViewSubmissionUpdateAndBadErrorsKey(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	_, _ = openModal(t, srv, b)
	id, _ := srv.SubmitView(sam, map[string]Input{"who": {SelectedUser: dana}, "when": {SelectedDate: "2024-07-01"}})
	ev := b.next(t, socketmode.EventTypeInteractive)
	_ = b.sm.Ack(*ev.Request, slack.NewErrorsViewSubmissionResponse(map[string]string{"nope": "x"}))
	if a, _ := srv.WaitAck(id, wait); a.Error == "" {
		t.Errorf("ack = %+v, want the unknown errors key recorded", a)
	}
	id, _ = srv.SubmitView(sam, map[string]Input{"who": {SelectedUser: dana}, "when": {SelectedDate: "2024-07-01"}})
	ev = b.next(t, socketmode.EventTypeInteractive)
	done := offboardModal()
	done.Blocks = slack.Blocks{BlockSet: []slack.Block{section("Scheduled.")}}
	done.Submit = nil
	_ = b.sm.Ack(*ev.Request, slack.NewUpdateViewSubmissionResponse(&done))
	_, _ = srv.WaitAck(id, wait)
	if v, _ := srv.OpenView(sam); v.AllText() != "Offboard\nScheduled." {
		t.Errorf("view text = %q, want the update", v.AllText())
	}
}

func TestPublishHomeAndOpenIt(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{section("Pending: 0")}}}
	if _, err := api(srv).PublishView(dana, home, ""); err != nil {
		t.Fatal(err)
	}
	if v, ok := srv.HomeView(dana); !ok || v.AllText() != "Pending: 0" {
		t.Errorf("home = %+v", v)
	}
	if _, err := api(srv).PublishView("U0NOBODY", home, ""); err == nil || err.Error() != "user_not_found" {
		t.Errorf("publish for nobody: %v", err)
	}
	id, _ := srv.OpenHome(dana)
	ev := b.next(t, socketmode.EventTypeEventsAPI)
	if ev.Request.EnvelopeID != id {
		t.Errorf("envelope %s, want %s", ev.Request.EnvelopeID, id)
	}
}
