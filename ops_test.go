package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/offboard/offboard/bot"
	"github.com/offboard/offboard/storage"
)

func TestHealthReadinessAndMetrics(t *testing.T) {
	db, err := storage.Open(context.Background(), filepath.Join(t.TempDir(), "offboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reg := prometheus.NewRegistry()
	m := bot.NewMetrics(reg)
	m.AckLatency.Observe(0.002)
	newCalls(reg).observe("github", "remove member", 0, nil)
	var connected atomic.Bool
	srv := httptest.NewServer(opsServer(reg, db, connected.Load).Handler)
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "socket") {
		t.Errorf("/readyz while disconnected = %d %q", code, body)
	}
	connected.Store(true)
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz while connected = %d", code)
	}
	_, metrics := get("/metrics")
	for _, want := range []string{"offboard_ack_latency_seconds_bucket", "offboard_outbox_depth 0", "offboard_queue_depth 0",
		"offboard_inbox_depth 0", `offboard_connector_call_seconds_count{op="remove member",system="github"} 1`, "go_goroutines"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	db.Close()
	if code, _ := get("/readyz"); code != 503 {
		t.Errorf("/readyz with the database closed = %d", code)
	}
}
