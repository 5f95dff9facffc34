package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// createPrivate makes sure the database file exists with mode 0600 before
// SQLite opens it. SQLite gives the -wal and -shm files it creates the
// database file's own permissions, so they are private too. The file holds
// who is being offboarded and why, which nobody else on the host should
// read. A file left group- or world-readable by an older version is
// tightened.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	st, err := f.Stat()
	f.Close()
	if err != nil {
		return fmt.Errorf("stat database %s: %w", path, err)
	}
	if st.Mode().Perm()&0o077 == 0 {
		return nil
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("make database %s private: %w", p, err)
		}
	}
	return nil
}

// mustExist refuses a path with no file, before SQLite would create an
// empty database there: a read-only command on a mistyped path must fail,
// not report an empty log as intact.
func mustExist(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("open %s: no offboard database there: %w", path, err)
	}
	if st.IsDir() {
		return fmt.Errorf("open %s: a directory, not an offboard database", path)
	}
	return nil
}
