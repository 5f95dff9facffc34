package aws

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestTheObserverSeesEveryAttemptTheFakeAnswered(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	seedEverything(t, e.fake, acctID, "dev")
	var mu sync.Mutex
	seen := map[string]int{}
	failed := 0
	opts := e.fastOptions()
	opts.Observer = func(s connectors.System, op string, _ time.Duration, err error) {
		mu.Lock()
		defer mu.Unlock()
		if s != connectors.AWS {
			t.Errorf("observed system %s", s)
		}
		seen[op]++
		if err != nil {
			failed++
		}
	}
	cs, err := New(context.Background(), Config{}, opts)
	must(t, err)
	e.fake.Throttle(2)
	_, err = cs[0].Grants(context.Background(), connectors.Account{ID: "dev"})
	must(t, err)

	mu.Lock()
	defer mu.Unlock()
	total := 0
	for op, n := range seen {
		total += n
		if want := e.fake.Count("", op); n != want {
			t.Errorf("%s observed %d times, the fake answered %d", op, n, want)
		}
	}
	if total != e.fake.Count("", "") || failed != 2 {
		t.Errorf("observed %d calls (%d failed), the fake answered %d (2 throttled)", total, failed, e.fake.Count("", ""))
	}
}
