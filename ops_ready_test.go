package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/offboard/offboard/storage"
)

func TestReadyzAnswersWhileTheWriteLockIsHeldAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "offboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := httptest.NewServer(opsServer(prometheus.NewRegistry(), db, func() bool { return true }).Handler)
	defer srv.Close()

	// A long write transaction holds this process's write gate and
	// SQLite's write lock until released.
	holding, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.Write(ctx, func(tx *storage.Tx) error {
			if err := tx.Audit(ctx, &storage.Event{Type: storage.EventConfigLoaded, Actor: "test"}); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	client := &http.Client{Timeout: time.Second}
	start := time.Now()
	resp, err := client.Get(srv.URL + "/readyz")
	took := time.Since(start)
	close(release)
	if err != nil {
		t.Fatalf("/readyz with the write lock held: %v (after %s)", err, took)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz with the write lock held = %d after %s; want 200", resp.StatusCode, took)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The probe itself left no trace: the only change is the held write.
	n, broken, err := db.VerifyAudit(ctx)
	if n != 1 || broken != nil || err != nil {
		t.Errorf("audit after the probe = %d %v %v", n, broken, err)
	}
}
