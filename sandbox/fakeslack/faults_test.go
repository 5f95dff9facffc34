package fakeslack

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

func TestACallBeforeRetryAfterIsRecordedAsAViolation(t *testing.T) {
	srv := newServer(t, Options{})
	c := api(srv)
	srv.RateLimit("chat.postMessage", time.Second, 1)
	_, _, err := c.PostMessage(appro, slack.MsgOptionText("one", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Fatalf("first post: %v, want a 429 with Retry-After 1 s", err)
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Fatalf("violations before any early call: %+v", v)
	}
	if _, _, err := c.PostMessage(appro, slack.MsgOptionText("two", false)); err != nil {
		t.Fatalf("second post (fault used up): %v", err)
	}
	v := srv.Violations()
	if len(v) != 1 || v[0].Method != "chat.postMessage" || v[0].Early <= 0 || v[0].Early > time.Second {
		t.Fatalf("violations = %+v, want the early second post", v)
	}
	time.Sleep(time.Until(time.Now().Add(v[0].Early + 10*time.Millisecond)))
	if _, _, err := c.PostMessage(appro, slack.MsgOptionText("three", false)); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Violations()); n != 1 {
		t.Errorf("a post after Retry-After counted as a violation (%d)", n)
	}
}

func TestThePerChannelLimitCountsAnEarlyRetryInThatChannelOnly(t *testing.T) {
	srv := newServer(t, Options{ChannelPostInterval: time.Second})
	srv.AddChannel(Channel{ID: "C0OTHER", Name: "other", Members: []string{srv.BotUserID()}})
	c := api(srv)
	if _, _, err := c.PostMessage(appro, slack.MsgOptionText("one", false)); err != nil {
		t.Fatal(err)
	}
	_, _, err := c.PostMessage(appro, slack.MsgOptionText("two", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("second post in a second: %v, want 429", err)
	}
	if _, _, err := c.PostMessage("C0OTHER", slack.MsgOptionText("elsewhere", false)); err != nil {
		t.Fatalf("another channel: %v", err)
	}
	if v := srv.Violations(); len(v) != 0 {
		t.Fatalf("a post in another channel is a violation: %+v", v)
	}
	_, _, _ = c.PostMessage(appro, slack.MsgOptionText("three", false))
	v := srv.Violations()
	if len(v) != 1 || v[0].Channel != appro {
		t.Errorf("violations = %+v, want one in %s", v, appro)
	}
}

func TestAHeldCallIsCountedAsItArrives(t *testing.T) {
	srv := newServer(t, Options{})
	c := api(srv)
	srv.AddLatency("users.info", time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.GetUserInfoContext(ctx, dana); done <- err }()
	if err := srv.WaitFor(10*time.Second, func() bool { return srv.Arrived("users.info") == 1 }); err != nil {
		t.Fatalf("the held call was not counted: %v", err)
	}
	if n := len(srv.CallsTo("users.info")); n != 0 {
		t.Errorf("%d users.info calls answered while the call is held", n)
	}
	cancel() // the client gives up; the fake stops holding the call
	<-done
}
