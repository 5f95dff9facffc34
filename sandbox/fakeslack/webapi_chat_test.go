package fakeslack

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", text, false, false), nil, nil)
}

func TestPostMessageStoresMessageAsSent(t *testing.T) {
	srv := newServer(t, Options{})
	c := api(srv)
	md := slack.SlackMetadata{EventType: "offboarding", EventPayload: map[string]any{"case": "42"}}
	ch, ts, err := c.PostMessage(appro, slack.MsgOptionText("Offboarding <@U0DANA> &lt;x&gt;", false),
		slack.MsgOptionBlocks(section("*Dana* &amp; co")), slack.MsgOptionMetadata(md))
	if err != nil {
		t.Fatal(err)
	}
	m, ok := srv.Message(ch, ts)
	if !ok || m.Text != "Offboarding <@U0DANA> &lt;x&gt;" || m.BotID != "B0BOT" || m.Metadata == nil ||
		m.Metadata.EventType != "offboarding" || string(m.Metadata.EventPayload) != `{"case":"42"}` {
		t.Fatalf("stored message = %+v", m)
	}
	if !strings.Contains(m.AllText(), "*Dana* &amp; co") {
		t.Errorf("blocks text = %q, want the mrkdwn as sent", m.AllText())
	}
	if !strings.Contains(string(m.Blocks), `"block_id":"fk`) {
		t.Errorf("blocks = %s, want a block_id filled in as Slack does", m.Blocks)
	}
	_, ts2, _ := c.PostMessage(appro, slack.MsgOptionText("second", false))
	if ts2 <= ts || len(ts) != len("1700000000.000100") {
		t.Errorf("ts %q then %q, want increasing Slack timestamps", ts, ts2)
	}
}

func TestPostMessageErrors(t *testing.T) {
	srv := newServer(t, Options{})
	srv.AddChannel(Channel{ID: "C0NOBOT", Name: "nobot", Members: []string{dana}})
	c := api(srv)
	_, parent, _ := c.PostMessage(appro, slack.MsgOptionText("parent", false))
	_, reply, _ := c.PostMessage(appro, slack.MsgOptionText("reply", false), slack.MsgOptionTS(parent))
	tests := []struct {
		name string
		ch   string
		opts []slack.MsgOption
		want string
	}{
		{"unknown channel", "C0NOPE", []slack.MsgOption{slack.MsgOptionText("x", false)}, "channel_not_found"},
		{"bot not in channel", "C0NOBOT", []slack.MsgOption{slack.MsgOptionText("x", false)}, "not_in_channel"},
		{"neither text nor blocks", appro, nil, "no_text"},
		{"thread_ts of no message", appro, []slack.MsgOption{slack.MsgOptionText("x", false), slack.MsgOptionTS("1.000001")}, "thread_not_found"},
		{"thread_ts of a reply", appro, []slack.MsgOption{slack.MsgOptionText("x", false), slack.MsgOptionTS(reply)}, "thread_not_found"},
		{"text too long", appro, []slack.MsgOption{slack.MsgOptionText(strings.Repeat("x", 40001), false)}, "msg_too_long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := c.PostMessage(tc.ch, tc.opts...)
			if err == nil || err.Error() != tc.want {
				t.Errorf("err = %v, want %s", err, tc.want)
			}
		})
	}
	if n := len(srv.AllMessages(appro)); n != 2 {
		t.Errorf("%d messages stored, want 2: a refused post must store nothing", n)
	}
}

func TestInvalidBlocksAreRejected(t *testing.T) {
	srv := newServer(t, Options{})
	_, _, err := api(srv).PostMessage(appro, slack.MsgOptionText("fallback", false),
		slack.MsgOptionBlocks(slack.NewHeaderBlock(slack.NewTextBlockObject("plain_text", strings.Repeat("h", 151), false, false))))
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_blocks" || len(se.Errors) == 0 || se.Errors[0].Message == nil ||
		!strings.Contains(*se.Errors[0].Message, "/blocks/0/text/text") {
		t.Fatalf("err = %#v, want invalid_blocks naming /blocks/0/text/text", err)
	}
	if len(srv.AllMessages(appro)) != 0 {
		t.Error("an invalid message was stored")
	}
}

func TestMissingTextFallbackIsAWarning(t *testing.T) {
	srv := newServer(t, Options{})
	resp, err := http.PostForm(srv.APIURL()+"chat.postMessage", url.Values{
		"token": {srv.BotToken()}, "channel": {appro},
		"blocks": {`[{"type":"section","text":{"type":"mrkdwn","text":"only blocks"}}]`},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body slack.SlackResponse
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if !body.Ok || body.Warning != "missing_text_in_blocks" {
		t.Errorf("reply = %+v, want ok with the warning", body)
	}
	if w := srv.Warnings(); len(w) != 1 || w[0].Code != "missing_text_in_blocks" {
		t.Errorf("warnings = %+v", w)
	}
}

func TestUpdateKeepsHistoryAndRefusesOthersMessages(t *testing.T) {
	srv := newServer(t, Options{})
	c := api(srv)
	_, ts, _ := c.PostMessage(appro, slack.MsgOptionText("v1", false))
	if _, _, _, err := c.UpdateMessage(appro, ts, slack.MsgOptionText("v2", false)); err != nil {
		t.Fatal(err)
	}
	m, _ := srv.Message(appro, ts)
	if m.Text != "v2" || len(m.Edits) != 1 || m.Edits[0].Text != "v1" || m.EditedTS == "" {
		t.Errorf("message = %+v, want v2 with v1 in its history", m)
	}
	if _, _, _, err := c.UpdateMessage(appro, "1.000002", slack.MsgOptionText("x", false)); err == nil || err.Error() != "message_not_found" {
		t.Errorf("update of no message: %v, want message_not_found", err)
	}
	srv.mu.Lock()
	srv.messages[appro] = append(srv.messages[appro], &Message{Channel: appro, TS: "1.000003", User: dana, Text: "mine"})
	srv.mu.Unlock()
	if _, _, _, err := c.UpdateMessage(appro, "1.000003", slack.MsgOptionText("x", false)); err == nil || err.Error() != "cant_update_message" {
		t.Errorf("update of a user's message: %v, want cant_update_message", err)
	}
}

// chat.delete with a bot token deletes only the bot's own messages
// (cant_delete_message otherwise); a deleted message is not found again,
// to chat.delete or chat.update.
func TestDeleteRemovesTheBotsMessageAndRefusesOthers(t *testing.T) {
	srv := newServer(t, Options{})
	c := api(srv)
	_, ts, _ := c.PostMessage(appro, slack.MsgOptionText("v1", false))
	if _, _, err := c.DeleteMessage(appro, ts); err != nil {
		t.Fatal(err)
	}
	if m, _ := srv.Message(appro, ts); !m.Deleted {
		t.Errorf("message = %+v, want it deleted", m)
	}
	if _, _, err := c.DeleteMessage(appro, ts); err == nil || err.Error() != "message_not_found" {
		t.Errorf("second delete: %v, want message_not_found", err)
	}
	if _, _, _, err := c.UpdateMessage(appro, ts, slack.MsgOptionText("x", false)); err == nil || err.Error() != "message_not_found" {
		t.Errorf("update of a deleted message: %v, want message_not_found", err)
	}
	if _, _, err := c.DeleteMessage("C0NOPE", ts); err == nil || err.Error() != "channel_not_found" {
		t.Errorf("delete in no channel: %v, want channel_not_found", err)
	}
	srv.mu.Lock()
	srv.messages[appro] = append(srv.messages[appro], &Message{Channel: appro, TS: "1.000003", User: dana, Text: "mine"})
	srv.mu.Unlock()
	if _, _, err := c.DeleteMessage(appro, "1.000003"); err == nil || err.Error() != "cant_delete_message" {
		t.Errorf("delete of a user's message: %v, want cant_delete_message", err)
	}
}

func TestPostEphemeral(t *testing.T) {
	srv := newServer(t, Options{})
	srv.AddChannel(Channel{ID: "C0OTHER", Name: "other", Members: []string{srv.BotUserID()}})
	c := api(srv)
	ts, err := c.PostEphemeral(appro, dana, slack.MsgOptionText("only you", false))
	if err != nil || ts == "" {
		t.Fatalf("post ephemeral: %q %v", ts, err)
	}
	if e := srv.Ephemerals(dana); len(e) != 1 || e[0].Text != "only you" || e[0].TS != ts {
		t.Errorf("ephemerals = %+v", e)
	}
	if _, err := c.PostEphemeral("C0OTHER", dana, slack.MsgOptionText("x", false)); err == nil || err.Error() != "user_not_in_channel" {
		t.Errorf("err = %v, want user_not_in_channel", err)
	}
	if _, err := c.PostEphemeral(appro, "U0NOBODY", slack.MsgOptionText("x", false)); err == nil || err.Error() != "user_not_found" {
		t.Errorf("err = %v, want user_not_found", err)
	}
}

func TestRateLimitSurfacesAsRateLimitedError(t *testing.T) {
	srv := newServer(t, Options{})
	srv.RateLimit("chat.postMessage", 7*time.Second, 1)
	c := api(srv)
	_, _, err := c.PostMessage(appro, slack.MsgOptionText("x", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second {
		t.Fatalf("err = %#v, want RateLimitedError with RetryAfter 7s", err)
	}
	if _, _, err := c.PostMessage(appro, slack.MsgOptionText("x", false)); err != nil {
		t.Errorf("second call: %v, want the fault used up", err)
	}
	if calls := srv.CallsTo("chat.postMessage"); len(calls) != 2 || calls[0].Status != http.StatusTooManyRequests {
		t.Errorf("calls = %+v", calls)
	}
}

func TestServerErrorsAndTimedFaults(t *testing.T) {
	clock := newClock()
	srv := newServer(t, Options{Clock: clock.Now})
	srv.FailNext("users.info", http.StatusServiceUnavailable, 2)
	srv.InjectFault("auth.test", Fault{Error: "fatal_error", For: time.Minute})
	c := api(srv)
	for i := range 2 {
		var sc slack.StatusCodeError
		if _, err := c.GetUserInfo(dana); !errors.As(err, &sc) || sc.Code != 503 {
			t.Errorf("call %d: %v, want a 503", i, err)
		}
	}
	if _, err := c.GetUserInfo(dana); err != nil {
		t.Errorf("third call: %v", err)
	}
	if _, err := c.AuthTest(); err == nil || err.Error() != "fatal_error" {
		t.Errorf("auth.test: %v, want fatal_error", err)
	}
	clock.Advance(2 * time.Minute)
	if _, err := c.AuthTest(); err != nil {
		t.Errorf("auth.test after the fault's span: %v", err)
	}
}

func TestChannelPostRateLimit(t *testing.T) {
	srv := newServer(t, Options{ChannelPostInterval: time.Second, ChannelPostBurst: 2})
	c := api(srv)
	var rl *slack.RateLimitedError
	for i := range 3 {
		_, _, err := c.PostMessage(appro, slack.MsgOptionText("x", false))
		if i < 2 && err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
		if i == 2 && (!errors.As(err, &rl) || rl.RetryAfter != time.Second) {
			t.Errorf("third post: %v, want a 429 with Retry-After 1", err)
		}
	}
}

func TestAuthAndScopes(t *testing.T) {
	srv := newServer(t, Options{Scopes: []string{"chat:write", "users:read"}})
	resp, err := api(srv).AuthTest()
	if err != nil || resp.TeamID != "T0FAKE" || resp.UserID != "U0BOT" || resp.BotID != "B0BOT" {
		t.Fatalf("auth.test = %+v, %v", resp, err)
	}
	if got := resp.Header.Get("X-OAuth-Scopes"); got != "chat:write,users:read" {
		t.Errorf("X-OAuth-Scopes = %q", got)
	}
	if _, err := slack.New("xoxb-wrong", slack.OptionAPIURL(srv.APIURL())).AuthTest(); err == nil || err.Error() != "invalid_auth" {
		t.Errorf("wrong token: %v, want invalid_auth", err)
	}
	if _, err := slack.New("", slack.OptionAPIURL(srv.APIURL())).AuthTest(); err == nil || err.Error() != "not_authed" {
		t.Errorf("no token: %v, want not_authed", err)
	}
	_, err = api(srv).GetUserGroups()
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "missing_scope" || se.Needed != "usergroups:read" {
		t.Errorf("usergroups.list without the scope: %#v", err)
	}
	if _, _, err := slack.New(srv.AppToken(), slack.OptionAPIURL(srv.APIURL())).PostMessage(appro, slack.MsgOptionText("x", false)); err == nil || err.Error() != "not_allowed_token_type" {
		t.Errorf("app token on chat.postMessage: %v", err)
	}
}

func TestUnknownMethod(t *testing.T) {
	srv := newServer(t, Options{})
	resp, err := http.PostForm(srv.APIURL()+"chat.nope", map[string][]string{"token": {srv.BotToken()}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if c := srv.CallsTo("chat.nope"); len(c) != 1 || c[0].Error != "unknown_method" {
		t.Errorf("calls = %+v", c)
	}
}
