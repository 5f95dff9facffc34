package storage

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// writeFor appends audit events and inbox rows until d has passed, and
// returns how many transactions it committed.
func writeFor(ctx context.Context, db *DB, who string, d time.Duration) (int, error) {
	deadline := time.Now().Add(d)
	n := 0
	for time.Now().Before(deadline) {
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO inbox(envelope_id, type, payload, received_at) VALUES (?,?,?,?)`,
				fmt.Sprintf("%s-%d", who, n), "test", []byte("{}"), 0); err != nil {
				return err
			}
			return tx.Audit(ctx, &Event{Type: EventConfigLoaded, Actor: who})
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// TestHelperWriterProcess is not a test: the concurrency test runs the test
// binary again with OFFBOARD_TEST_WRITER set, to write from another process.
func TestHelperWriterProcess(t *testing.T) {
	path := os.Getenv("OFFBOARD_TEST_WRITER")
	if path == "" {
		t.Skip("helper process only")
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(3)
	}
	n, err := writeFor(ctx, db, "child", 2*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "write:", err)
		os.Exit(4)
	}
	fmt.Println(n)
}

func TestTwoProcessesWritingAtOnceSeeNoLockErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("writes for two seconds")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "offboard.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	child := exec.Command(os.Args[0], "-test.run=^TestHelperWriterProcess$")
	child.Env = append(os.Environ(), "OFFBOARD_TEST_WRITER="+path)
	out := make(chan []byte, 1)
	childErr := make(chan error, 1)
	go func() {
		b, err := child.Output()
		out <- b
		childErr <- err
	}()
	// A second handle in this process as well: three writers in all.
	db2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	done := make(chan error, 1)
	go func() { _, err := writeFor(ctx, db2, "second", 2*time.Second); done <- err }()

	n, err := writeFor(ctx, db, "parent", 2*time.Second)
	if err != nil {
		t.Fatalf("parent writer: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("second writer: %v", err)
	}
	b := <-out
	if err := <-childErr; err != nil {
		t.Fatalf("child writer: %v (%s)", err, b)
	}
	t.Logf("parent committed %d transactions; child printed %s", n, b)

	count, broken, err := db.VerifyAudit(ctx)
	if err != nil || broken != nil {
		t.Fatalf("verify after concurrent writers: %v %v", broken, err)
	}
	var inbox int64
	db.read.QueryRow(`SELECT count(*) FROM inbox`).Scan(&inbox)
	if inbox != count {
		t.Errorf("inbox rows %d != audit events %d: some transaction was half-applied", inbox, count)
	}
}
