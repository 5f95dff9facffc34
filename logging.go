package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/rs/zerolog"
)

// redactor replaces every configured secret by a placeholder in whatever
// passes through it, so a token that slips into an error text still never
// reaches a log line.
type redactor struct {
	mu      sync.Mutex
	w       io.Writer
	secrets [][]byte
}

func newRedactor(w io.Writer, secrets []string) *redactor {
	r := &redactor{w: w}
	for _, s := range secrets {
		if len(s) >= 8 { // shorter values (an app ID) are not secrets and would redact noise
			r.secrets = append(r.secrets, []byte(s))
		}
	}
	return r
}

func (r *redactor) Write(p []byte) (int, error) {
	out := p
	for _, s := range r.secrets {
		if bytes.Contains(out, s) {
			out = bytes.ReplaceAll(out, s, []byte("[REDACTED]"))
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, err := r.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// String redacts a string, for error texts shown to people.
func (r *redactor) String(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, string(sec), "[REDACTED]")
	}
	return s
}

// newLogger builds the process logger from OFFBOARD_LOG_LEVEL and
// OFFBOARD_LOG_FORMAT (json by default, or console).
func newLogger(e env, w io.Writer) (zerolog.Logger, error) {
	level := zerolog.InfoLevel
	if v := e("OFFBOARD_LOG_LEVEL"); v != "" {
		l, err := zerolog.ParseLevel(strings.ToLower(v))
		if err != nil || v == "" {
			return zerolog.Nop(), fmt.Errorf("OFFBOARD_LOG_LEVEL: %q is not a level (trace, debug, info, warn, error)", v)
		}
		level = l
	}
	switch f := e("OFFBOARD_LOG_FORMAT"); f {
	case "", "json":
	case "console":
		w = zerolog.ConsoleWriter{Out: w, NoColor: !isTerminal(w)}
	default:
		return zerolog.Nop(), fmt.Errorf("OFFBOARD_LOG_FORMAT: %q is not json or console", f)
	}
	return zerolog.New(w).Level(level).With().Timestamp().Logger(), nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
