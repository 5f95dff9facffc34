// Package storage owns the SQLite database: the schema and its migrations,
// the tamper-evident audit log, and the queries every other package needs.
// A state change, its audit event and the messages it causes are written in
// one transaction through Write.
//
// It must not know about Slack, Block Kit or connectors' wire protocols.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

// busyTimeout is how long SQLite itself waits for another writer before it
// reports SQLITE_BUSY; Write retries past it, so callers never see "locked".
const busyTimeout = 5 * time.Second

// DB is the offboard database: one writer connection, which serialises every
// write in this process, and a pool of readers that WAL lets run beside it.
type DB struct {
	path  string
	write *sql.DB
	read  *sql.DB
	now   func() time.Time
	// onOutbox is called after a commit that enqueued messages, to wake
	// the sender without polling.
	onOutbox func()
	// onAudit is called after a commit that appended audit events, to
	// wake the projector that renders them.
	onAudit func()
	// onHeld, when set, is told how long each write transaction held the
	// write lock (benchmarks measure it).
	onHeld atomic.Pointer[func(time.Duration)]

	// The write gate: one write transaction at a time in this process,
	// urgent ones (storing envelopes before they are acknowledged) first.
	gate     sync.Mutex
	gateCond *sync.Cond
	busy     bool
	urgent   int
	waiting  int // writes waiting at the gate, urgent or not

	// Background WAL checkpoints (checkpoint.go), off the write path.
	stopCheckpoints, checkpointsDone chan struct{}
}

// Open opens (creating if needed) the database at path and applies the
// embedded migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open database: empty path")
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	db, err := open(path)
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	db.startCheckpointer()
	return db, nil
}

// OpenExisting opens a database without creating or migrating it, for the
// read-only commands (audit verify and export) that may run beside the bot.
func OpenExisting(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open database: empty path")
	}
	if err := mustExist(path); err != nil {
		return nil, err
	}
	db, err := open(path)
	if err != nil {
		return nil, err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if v == 0 {
		db.Close()
		return nil, fmt.Errorf("open %s: no offboard database there (no schema)", path)
	}
	if v > latestVersion() {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, &NewerSchemaError{Have: v, Know: latestVersion()})
	}
	return db, nil
}

func open(path string) (*DB, error) {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	// FULL: a committed approval survives a power cut, not only a crash.
	q.Set("_synchronous", "FULL")
	wq := url.Values{}
	for k, v := range q {
		wq[k] = v
	}
	// Take the write lock at BEGIN, so a transaction never has to upgrade
	// a read lock (which SQLite cannot wait for: it fails at once).
	wq.Set("_txlock", "immediate")

	w, err := sql.Open("sqlite3", "file:"+path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	w.SetConnMaxLifetime(0)

	r, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)

	db := &DB{path: path, write: w, read: r, now: time.Now}
	db.gateCond = sync.NewCond(&db.gate)
	// Fail now, with the path in the message, rather than at first use.
	if err := w.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	return db, nil
}

// Close closes both pools.
func (db *DB) Close() error {
	db.stopCheckpointer()
	return errors.Join(db.read.Close(), db.write.Close())
}

// Path is the database file's path.
func (db *DB) Path() string { return db.path }

// SetClock replaces the clock used for timestamps written by storage itself
// (audit event times, lease checks). Tests move it.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// OnOutbox sets a function called after every commit that enqueued
// outbox messages. It must not block.
func (db *DB) OnOutbox(fn func()) { db.onOutbox = fn }

// OnWriteHeld sets a function told how long each write transaction held
// the write lock, from BEGIN to COMMIT or ROLLBACK. It must be fast.
func (db *DB) OnWriteHeld(fn func(time.Duration)) { db.onHeld.Store(&fn) }

// OnAudit sets a function called after every commit that appended audit
// events. It must not block.
func (db *DB) OnAudit(fn func()) { db.onAudit = fn }

// Now is the database's clock.
func (db *DB) Now() time.Time { return db.now() }

// Write runs fn in one write transaction and commits it when fn returns nil.
// It retries the whole transaction while another process holds the database
// locked, so a caller never sees SQLITE_BUSY; fn may therefore run more than
// once and must not have side effects outside tx.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	return db.write_(ctx, false, fn)
}

// WriteUrgent is Write for work someone is waiting on in real time (an
// envelope to store before Slack's 3 s run out): it goes before the
// writes already waiting in this process.
func (db *DB) WriteUrgent(ctx context.Context, fn func(tx *Tx) error) error {
	return db.write_(ctx, true, fn)
}

func (db *DB) enter(urgent bool) {
	db.gate.Lock()
	db.waiting++
	if urgent {
		db.urgent++
		for db.busy {
			db.gateCond.Wait()
		}
		db.urgent--
	} else {
		for db.busy || db.urgent > 0 {
			db.gateCond.Wait()
		}
	}
	db.waiting--
	db.busy = true
	db.gate.Unlock()
}

// WritesWaiting is how many writes wait for the write lock now, the urgent
// ones (envelopes to store) and all of them: a gauge for the operator, and
// the signal a test waits on to know a writer is blocked.
func (db *DB) WritesWaiting() (urgent, all int) {
	db.gate.Lock()
	defer db.gate.Unlock()
	return db.urgent, db.waiting
}

func (db *DB) leave() {
	db.gate.Lock()
	db.busy = false
	db.gate.Unlock()
	db.gateCond.Broadcast()
}

func (db *DB) write_(ctx context.Context, urgent bool, fn func(tx *Tx) error) error {
	wait := 10 * time.Millisecond
	for {
		db.enter(urgent)
		err := db.writeOnce(ctx, fn)
		db.leave()
		if err == nil || !isBusy(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("write: database busy: %w", ctx.Err())
		case <-time.After(wait):
		}
		if wait < time.Second {
			wait *= 2
		}
	}
}

func (db *DB) writeOnce(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if held := db.onHeld.Load(); held != nil {
		start := time.Now()
		defer func() { (*held)(time.Since(start)) }()
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{tx: sqlTx, db: db}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if tx.enqueued && db.onOutbox != nil {
		db.onOutbox()
	}
	if tx.audited && db.onAudit != nil {
		db.onAudit()
	}
	return nil
}

// Reader is the pool of read connections. Reads do not wait for writers
// (WAL); a read sees what was committed when it started.
func (db *DB) Reader() Querier { return db.read }

// Querier is what both a Tx and the reader pool offer for queries.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is one write transaction.
type Tx struct {
	tx       *sql.Tx
	db       *DB
	enqueued bool // the transaction added outbox messages
	audited  bool // the transaction appended audit events
}

// Now is the database clock, for timestamps written in this transaction.
func (tx *Tx) Now() time.Time { return tx.db.now() }

// Exec runs a statement in the transaction.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a one-row query in the transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, query, args...)
}

func isBusy(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
	}
	return false
}

// IsUniqueViolation says whether err is a UNIQUE or PRIMARY KEY conflict.
func IsUniqueViolation(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
	}
	return false
}

// ms converts a time to the integer milliseconds the schema stores.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS converts stored milliseconds back to a UTC time.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }
