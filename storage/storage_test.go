package storage

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "offboard.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsApplyToAnEmptyDatabaseAndAgainAsNoop(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "offboard.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("first open: %v", err)
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil || v != latestVersion() {
		t.Fatalf("schema version = %d, %v; want %d", v, err, latestVersion())
	}
	if err := db.Write(ctx, func(tx *Tx) error { return tx.Audit(ctx, &Event{Type: EventConfigLoaded}) }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer db.Close()
	var applied int
	db.read.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&applied)
	if applied != len(migrations()) {
		t.Errorf("schema_migrations has %d rows, want %d (each migration once)", applied, len(migrations()))
	}
	n, broken, err := db.VerifyAudit(ctx)
	if err != nil || broken != nil || n != 1 {
		t.Errorf("after reopen verify = %d, %v, %v; want 1 event intact", n, broken, err)
	}
}

func TestTheDatabaseIsInWALModeWithForeignKeysOn(t *testing.T) {
	db := openTemp(t)
	var mode string
	var fk int
	db.write.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	db.write.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	if mode != "wal" || fk != 1 {
		t.Errorf("journal_mode=%q foreign_keys=%d; want wal and 1", mode, fk)
	}
	err := db.Write(context.Background(), func(tx *Tx) error {
		_, err := tx.Exec(context.Background(), `INSERT INTO accounts(identity_id, system, account, linked_by, linked_at) VALUES (999,'github','x','config',0)`)
		return err
	})
	if err == nil {
		t.Error("an account pointing at no identity was accepted; foreign keys are not enforced")
	}
}

func TestADatabaseNewerThanTheBinaryIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "offboard.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	future := latestVersion() + 1
	db.write.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, 'future', 0)`, future)
	db.Close()

	_, err = Open(ctx, path)
	var newer *NewerSchemaError
	if !errors.As(err, &newer) || newer.Have != future {
		t.Fatalf("open of a newer database: err = %v; want *NewerSchemaError with Have=%d", err, future)
	}
	if _, err := OpenExisting(ctx, path); !errors.As(err, &newer) {
		t.Errorf("OpenExisting of a newer database: err = %v; want *NewerSchemaError", err)
	}
}

func TestOpenExistingRefusesAFileThatIsNotAnOffboardDatabase(t *testing.T) {
	_, err := OpenExisting(context.Background(), filepath.Join(t.TempDir(), "nothing.db"))
	if err == nil {
		t.Fatal("OpenExisting of a missing database succeeded")
	}
}

func TestAuditRowsCannotBeUpdatedOrDeleted(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	db.Write(ctx, func(tx *Tx) error { return tx.Audit(ctx, &Event{Type: EventRequested, Actor: "U1"}) })
	for _, stmt := range []string{
		`UPDATE audit_events SET actor='U2'`,
		`DELETE FROM audit_events`,
	} {
		err := db.Write(ctx, func(tx *Tx) error { _, err := tx.Exec(ctx, stmt); return err })
		if err == nil {
			t.Errorf("%s: accepted; the audit log must be append-only", stmt)
		}
	}
}
