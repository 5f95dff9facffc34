package fakeslack

import (
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"
)

func TestSocketsOpenedAtIsWhenTheUpgradeCompleted(t *testing.T) {
	srv := newServer(t, Options{})
	if got := srv.SocketsOpenedAt(); len(got) != 0 {
		t.Fatalf("opened at %v before any connection", got)
	}
	before := time.Now()
	b := startBot(t, srv)
	b.next(t, socketmode.EventTypeHello)
	got := srv.SocketsOpenedAt()
	if len(got) != 1 || got[0].Before(before) || got[0].After(time.Now()) {
		t.Fatalf("opened at %v; want one time after %v", got, before)
	}
	// slack-go reconnects at once: the dropped socket's time must go, a
	// new one may come.
	srv.DropSockets()
	for _, at := range srv.SocketsOpenedAt() {
		if at.Equal(got[0]) {
			t.Errorf("the dropped socket is still listed, opened at %v", at)
		}
	}
}
