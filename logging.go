package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rs/zerolog"
)

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
	if r, ok := w.(*redactor); ok {
		w = r.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
