package storage

import (
	"context"
	"fmt"
)

// Ready checks that the database file is readable and carries the schema
// this binary expects. It reads only, from the reader pool: a health probe
// must neither wait for nor take the write lock, or a long write would make
// the bot look dead and a probe every few seconds would queue behind real
// work.
func (db *DB) Ready(ctx context.Context) error {
	var v int
	if err := db.read.QueryRowContext(ctx, `SELECT coalesce(max(version),0) FROM schema_migrations`).Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if want := latestVersion(); v != want {
		return fmt.Errorf("schema version %d, want %d", v, want)
	}
	return nil
}

// Writable checks that a write transaction can be taken and committed now,
// for doctor, which an operator runs by hand; probes use Ready.
func (db *DB) Writable(ctx context.Context) error {
	return db.Write(ctx, func(tx *Tx) error {
		_, err := tx.Exec(ctx, `UPDATE schema_migrations SET applied_at = applied_at WHERE version = 0`)
		return err
	})
}
