package bot_test

import (
	"strings"
	"testing"

	"github.com/offboard/offboard/bot"
)

func TestSlackSocketsIsOneToTen(t *testing.T) {
	for _, tc := range []struct {
		sockets int
		ok      bool
	}{{0, true}, {1, true}, {10, true}, {11, false}, {-1, false}} {
		c := bot.Config{ApprovalsChannel: "C0APPROVALS", Requesters: []string{"S0MGR"}, Approvers: []string{"S0SEC"}, Sockets: tc.sockets}
		err := c.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("sockets %d: Validate = %v, want ok %v", tc.sockets, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "slack.sockets") {
			t.Errorf("sockets %d: %v does not name the key", tc.sockets, err)
		}
	}
}
