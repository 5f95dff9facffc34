package manual

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
)

func TestEachTaskIsAGrantThatOnlyAPersonCanFinish(t *testing.T) {
	c := New(Config{Tasks: []string{"Collect laptop", "Transfer Drive"}})
	gs, err := c.Grants(context.Background(), connectors.Account{System: connectors.Slack, ID: "U0DEV"})
	if err != nil || len(gs) != 2 || gs[0].Title != "Collect laptop" || gs[1].Kind != Kind || gs[1].Account.System != connectors.Manual {
		t.Fatalf("grants = %+v, %v", gs, err)
	}
	if _, err := c.Revoke(context.Background(), gs[0]); !errors.Is(err, ErrByHand) || connectors.IsRetryable(err) {
		t.Errorf("Revoke = %v; want ErrByHand, not retryable", err)
	}
	if New(Config{}) != nil {
		t.Error("no tasks must mean no connector")
	}
}

func TestTaskListMistakesAreNamed(t *testing.T) {
	cfg := Config{Tasks: []string{"Collect laptop", " ", "Collect laptop"}}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"manual_tasks[1]: empty", "manual_tasks[2]: \"Collect laptop\" is listed twice"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
}
