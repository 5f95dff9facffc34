package fakeslack

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

func TestConnectGetsHello(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	b.next(t, socketmode.EventTypeConnected)
	ev := b.next(t, socketmode.EventTypeHello)
	if ev.Request == nil || ev.Request.ConnectionInfo.AppID != "A0FAKE" || ev.Request.NumConnections != 1 {
		t.Errorf("hello = %+v, want app A0FAKE and 1 connection", ev.Request)
	}
	calls := srv.CallsTo("apps.connections.open")
	if len(calls) != 1 || calls[0].TokenIn != "header" || calls[0].Error != "" {
		t.Errorf("apps.connections.open calls = %+v, want one with the token in the header", calls)
	}
}

func TestPingsKeepTheSocketAlive(t *testing.T) {
	srv := newServer(t, Options{PingInterval: 50 * time.Millisecond})
	startBot(t, srv, socketmode.OptionPingInterval(300*time.Millisecond))
	time.Sleep(time.Second) // several of slack-go's ping deadlines pass
	if n := len(srv.CallsTo("apps.connections.open")); n != 1 {
		t.Errorf("apps.connections.open called %d times, want 1: slack-go saw a ping timeout", n)
	}
}

func TestSlashCommandEnvelopeAndAckWithoutPayload(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	id, err := srv.Slash(sam, appro, srv.Mention(dana)+" on 2024-07-01 contract &amp; done")
	if err != nil {
		t.Fatal(err)
	}
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	cmd := ev.Data.(slack.SlashCommand)
	if ev.Request.EnvelopeID != id || !ev.Request.AcceptsResponsePayload {
		t.Errorf("request = %+v, want envelope %s accepting a payload", ev.Request, id)
	}
	if cmd.Command != "/offboard" || cmd.Text != "<@U0DANA|dana> on 2024-07-01 contract &amp; done" ||
		cmd.UserID != sam || cmd.ChannelID != appro || cmd.TriggerID == "" || cmd.ResponseURL == "" {
		t.Errorf("slash command = %+v", cmd)
	}
	if err := b.sm.Ack(*ev.Request); err != nil {
		t.Fatal(err)
	}
	ack, err := srv.WaitAck(id, wait)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Payload != nil || ack.Late || ack.Latency <= 0 || ack.Type != "slash_commands" {
		t.Errorf("ack = %+v, want an on-time ack without payload", ack)
	}
	if got := srv.Ephemerals(sam); len(got) != 0 {
		t.Errorf("ephemerals = %+v, want none for an ack without payload", got)
	}
}

func TestSlashAckPayloadBecomesEphemeral(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	id, _ := srv.Slash(sam, appro, "help")
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	reply := slack.Msg{Text: "Usage: /offboard @user", Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject("mrkdwn", "*Usage*", false, false), nil, nil),
	}}}
	if err := b.sm.Ack(*ev.Request, reply); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitAck(id, wait); err != nil {
		t.Fatal(err)
	}
	eph := srv.Ephemerals(sam)
	if len(eph) != 1 || eph[0].Source != "ack" || eph[0].Text != "Usage: /offboard @user" || eph[0].Channel != appro {
		t.Fatalf("ephemerals = %+v, want the ack's reply", eph)
	}
	if got := eph[0].AllText(); got != "Usage: /offboard @user\n*Usage*" {
		t.Errorf("ephemeral text = %q", got)
	}
}

func TestSlashAckWithInvalidBlocksShowsNothing(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	id, _ := srv.Slash(sam, appro, "help")
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	long := make([]byte, 3001)
	for i := range long {
		long[i] = 'x'
	}
	reply := map[string]any{"text": "t", "blocks": []any{map[string]any{
		"type": "section", "text": map[string]any{"type": "mrkdwn", "text": string(long)}}}}
	_ = b.sm.Ack(*ev.Request, reply)
	ack, err := srv.WaitAck(id, wait)
	if err != nil {
		t.Fatal(err)
	}
	if ack.Error == "" || len(srv.Ephemerals(sam)) != 0 {
		t.Errorf("ack = %+v, ephemerals %d; want the invalid reply recorded and not shown", ack, len(srv.Ephemerals(sam)))
	}
}

func TestUnackedSlashTimesOut(t *testing.T) {
	srv := newServer(t, Options{AckTimeout: 100 * time.Millisecond})
	b := startBot(t, srv)
	id, _ := srv.Slash(sam, appro, "list")
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	err := srv.WaitFor(wait, func() bool {
		e := srv.Ephemerals(sam)
		return len(e) == 1 && e[0].Source == "slack"
	})
	if err != nil {
		t.Fatalf("no operation_timeout shown: %v", err)
	}
	_ = b.sm.Ack(*ev.Request, map[string]any{"text": "too late"})
	ack, _ := srv.WaitAck(id, wait)
	if !ack.Late || len(srv.Ephemerals(sam)) != 1 {
		t.Errorf("late ack = %+v; the late reply must not be shown", ack)
	}
}

func TestDroppedSocketReconnects(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	b.next(t, socketmode.EventTypeHello)
	srv.DropSockets()
	b.next(t, socketmode.EventTypeConnecting)
	b.next(t, socketmode.EventTypeHello)
	if n := len(srv.CallsTo("apps.connections.open")); n != 2 {
		t.Errorf("apps.connections.open called %d times, want 2", n)
	}
	if _, err := srv.Slash(sam, appro, "list"); err != nil {
		t.Errorf("slash after reconnect: %v", err)
	}
	b.next(t, socketmode.EventTypeSlashCommand)
}

func TestDisconnectFrameMakesClientReconnect(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	b.next(t, socketmode.EventTypeHello)
	srv.Disconnect("refresh_requested")
	b.next(t, socketmode.EventTypeHello)
	if n := len(srv.CallsTo("apps.connections.open")); n != 2 {
		t.Errorf("apps.connections.open called %d times, want 2", n)
	}
}

func TestRefusedConnectionsAreRetried(t *testing.T) {
	srv := newServer(t, Options{})
	srv.RefuseConnections(Fault{Status: http.StatusServiceUnavailable, Times: 1})
	b := startBot(t, srv)
	b.next(t, socketmode.EventTypeHello)
	calls := srv.CallsTo("apps.connections.open")
	if len(calls) != 2 || calls[0].Status != 503 || calls[1].Error != "" {
		t.Errorf("calls = %+v, want a 503 then success", calls)
	}
}

func TestEventsAreRedeliveredUntilAcked(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	first, err := srv.OpenHome(dana)
	if err != nil {
		t.Fatal(err)
	}
	var attempts []int
	for len(attempts) < 3 {
		ev := b.next(t, socketmode.EventTypeEventsAPI)
		attempts = append(attempts, ev.Request.RetryAttempt)
		if ev.Request.RetryAttempt > 0 && ev.Request.RetryReason != "timeout" {
			t.Errorf("retry_reason = %q, want timeout", ev.Request.RetryReason)
		}
		if len(attempts) == 3 {
			_ = b.sm.Ack(*ev.Request)
		}
	}
	if attempts[0] != 0 || attempts[1] != 1 || attempts[2] != 2 {
		t.Errorf("retry attempts = %v, want 0 1 2", attempts)
	}
	time.Sleep(200 * time.Millisecond) // long past the next retry delay
	envs := srv.Envelopes()
	if n := len(envs); n != 3 {
		t.Errorf("%d envelopes, want 3: the ack must stop redelivery", n)
	}
	if envs[0].ID != first || envs[0].EventID == "" || envs[2].EventID != envs[0].EventID {
		t.Errorf("envelopes = %+v, want one event delivered three times", envs)
	}
}

func TestEventsWaitForASocket(t *testing.T) {
	srv := newServer(t, Options{})
	if _, err := srv.OpenHome(dana); err != nil {
		t.Fatalf("an event without a socket is kept for later: %v", err)
	}
	b := startBot(t, srv)
	ev := b.next(t, socketmode.EventTypeEventsAPI)
	if ev.Request.RetryAttempt == 0 {
		t.Errorf("retry_attempt = 0, want a retry for an event held while offline")
	}
}

func TestOversizedAckIsDropped(t *testing.T) {
	srv := newServer(t, Options{})
	wsURL := openSocket(t, srv)
	conn, _, err := websocket.DefaultDialer.Dial(wsURL, http.Header{"Origin": {"https://api.slack.com"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	id, _ := srv.Slash(sam, appro, "help")
	big, _ := json.Marshal(map[string]any{"envelope_id": id, "payload": map[string]any{"text": string(make([]byte, maxAckBytes))}})
	if err := conn.WriteMessage(websocket.TextMessage, big); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitFor(wait, func() bool { return len(srv.Acks()) == 1 }); err != nil {
		t.Fatal(err)
	}
	if a := srv.Acks()[0]; !a.Dropped || a.Size < maxAckBytes {
		t.Errorf("ack = %+v, want it dropped", a)
	}
	if _, ok := srv.AckOf(id); ok {
		t.Error("a dropped ack must not count as the envelope's ack")
	}
}

// openSocket gets a WebSocket URL the way slack-go does.
func openSocket(t *testing.T, srv *Server) string {
	t.Helper()
	_, u, err := api(srv).StartSocketModeContext(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPausedDeliveryHoldsEnvelopes(t *testing.T) {
	srv := newServer(t, Options{})
	b := startBot(t, srv)
	srv.PauseDelivery()
	id, _ := srv.Slash(sam, appro, "list")
	select {
	case ev := <-b.sm.Events:
		if ev.Type == socketmode.EventTypeSlashCommand {
			t.Fatal("delivered while paused")
		}
	case <-time.After(100 * time.Millisecond):
	}
	srv.ResumeDelivery()
	ev := b.next(t, socketmode.EventTypeSlashCommand)
	if ev.Request.EnvelopeID != id {
		t.Errorf("envelope %s, want %s", ev.Request.EnvelopeID, id)
	}
}

func TestSlashWithoutSocketFailsForTheUser(t *testing.T) {
	srv := newServer(t, Options{})
	if _, err := srv.Slash(sam, appro, "list"); err != ErrNotConnected {
		t.Fatalf("err = %v, want ErrNotConnected", err)
	}
	if e := srv.Ephemerals(sam); len(e) != 1 || e[0].Source != "slack" {
		t.Errorf("ephemerals = %+v, want Slack's dispatch_failed", e)
	}
}

func TestPayloadsAreSharedAcrossSockets(t *testing.T) {
	srv := newServer(t, Options{})
	b1 := startBot(t, srv)
	b2 := startBot(t, srv)
	if err := srv.WaitSockets(2, wait); err != nil {
		t.Fatal(err)
	}
	for range 4 {
		if _, err := srv.Slash(sam, appro, "list"); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range []*bot{b1, b2} {
		for range 2 {
			b.next(t, socketmode.EventTypeSlashCommand)
		}
	}
	sockets := map[int]int{}
	for _, e := range srv.Envelopes() {
		sockets[e.Socket]++
	}
	if len(sockets) != 2 {
		t.Errorf("envelopes per socket = %v, want 2 on each of 2 sockets", sockets)
	}
}

func TestRefusedWithInvalidAuthStopsTheClient(t *testing.T) {
	srv := newServer(t, Options{})
	srv.RefuseConnections(Fault{Error: "invalid_auth"})
	sm := socketmode.New(api(srv))
	done := make(chan error, 1)
	go func() { done <- sm.RunContext(t.Context()) }()
	select {
	case err := <-done:
		if err == nil || err.Error() != "invalid_auth" {
			t.Errorf("Run returned %v, want invalid_auth", err)
		}
	case <-time.After(wait):
		t.Fatal("slack-go kept retrying a fatal error")
	}
}
