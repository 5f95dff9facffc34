package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/offboard/offboard/storage"
)

// runWith runs one command line with the given environment and returns the
// exit code, stdout and stderr.
func runWith(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runCLI(context.Background(), args, cliEnv{stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }})
	return code, out.String(), errb.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		code  int
		inOut string
		inErr string
	}{
		{"no command prints usage and is bad usage", nil, 2, "", "Usage: offboard <command>"},
		{"an unknown command is bad usage", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"help prints usage on stdout", []string{"--help"}, 0, "Commands:", ""},
		{"version works", []string{"version"}, 0, "offboard dev", ""},
		{"an unknown flag is bad usage with the command's usage", []string{"audit", "verify", "--bogus"}, 2, "", "Usage: offboard audit verify"},
		{"--help of a subcommand is help, on stdout", []string{"audit", "export", "--help"}, 0, "--format", ""},
		{"an unknown audit subcommand is bad usage", []string{"audit", "shred"}, 2, "", "verify or export"},
		{"a bad export format is bad usage", []string{"audit", "export", "--format", "xml"}, 2, "", "not jsonl or csv"},
		{"a bad since date is bad usage", []string{"audit", "export", "--since", "2024-13-45"}, 2, "", "YYYY-MM-DD"},
		{"run --help explains the tokens", []string{"run", "--help"}, 0, "SLACK_APP_TOKEN", ""},
		{"scan with a bad format is bad usage", []string{"scan", "--format", "yaml"}, 2, "", "table or json"},
		{"an extra argument is bad usage", []string{"version", "extra"}, 2, "", "unexpected argument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runWith(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.inOut) || !strings.Contains(errs, tc.inErr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant stdout containing %q, stderr containing %q", code, tc.code, out, errs, tc.inOut, tc.inErr)
			}
		})
	}
}

func TestRunRefusesAnInvalidConfigAndSaysWhy(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "offboard.yml")
	os.WriteFile(cfg, []byte(minimal+"remindrs: {after: 4h}\n"), 0o600)
	code, _, errs := runWith(t, map[string]string{"OFFBOARD_DB": filepath.Join(dir, "db")}, "run", "--config", cfg)
	if code != 2 || !strings.Contains(errs, `unknown key "remindrs"`) {
		t.Errorf("exit %d, stderr %s; want 2 naming the key", code, errs)
	}
	os.WriteFile(cfg, []byte(minimal), 0o600)
	code, _, errs = runWith(t, map[string]string{"OFFBOARD_CONFIG": cfg}, "run")
	if code != 2 || !strings.Contains(errs, "SLACK_APP_TOKEN") {
		t.Errorf("without tokens: exit %d, stderr %s; want 2 naming the tokens", code, errs)
	}
}

func TestAuditVerifyAndExportFromTheCommandLine(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "offboard.db")
	vars := map[string]string{"OFFBOARD_DB": path}
	if code, _, errs := runWith(t, vars, "audit", "verify"); code != 1 || !strings.Contains(errs, "no offboard database") {
		t.Errorf("verify of a missing database: exit %d, %s", code, errs)
	}
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		db.Write(ctx, func(tx *storage.Tx) error {
			return tx.Audit(ctx, &storage.Event{Type: storage.EventRequested, CaseID: int64(i%2 + 1), Actor: "U0MGR"})
		})
	}
	db.Close()

	code, out, _ := runWith(t, vars, "audit", "verify")
	if code != 0 || !strings.HasPrefix(out, "ok: 5 events") {
		t.Errorf("verify: exit %d, %q", code, out)
	}
	code, out, _ = runWith(t, vars, "audit", "export", "--case", "2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 {
		t.Fatalf("export --case 2: exit %d, %d lines: %s", code, len(lines), out)
	}
	var row map[string]any
	json.Unmarshal([]byte(lines[0]), &row)
	for _, k := range []string{"seq", "at", "type", "case_id", "action_id", "actor", "details", "prev_hash", "hash"} {
		if _, ok := row[k]; !ok {
			t.Errorf("export row lacks %q: %s", k, lines[0])
		}
	}
	code, out, _ = runWith(t, vars, "audit", "export", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "seq,at,type,case_id,action_id,actor,details,prev_hash,hash\n") || strings.Count(out, "\n") != 6 {
		t.Errorf("csv export: exit %d, %q", code, out)
	}

	raw, _ := sql.Open("sqlite3", path)
	raw.Exec(`DROP TRIGGER audit_events_no_update`)
	raw.Exec(`UPDATE audit_events SET actor='U0EVE' WHERE seq=3`)
	raw.Close()
	code, out, _ = runWith(t, vars, "audit", "verify")
	if code != 1 || !strings.Contains(out, "audit event 3") {
		t.Errorf("verify of a tampered log: exit %d, %q; want 1 naming event 3", code, out)
	}
}

func TestSecretsNeverReachTheLog(t *testing.T) {
	var buf bytes.Buffer
	red := newRedactor(&buf, []string{"xoxb-very-secret-token", "short"})
	log, err := newLogger(func(string) string { return "" }, red)
	if err != nil {
		t.Fatal(err)
	}
	log.Error().Str("url", "https://x/?token=xoxb-very-secret-token").Msg("failed with xoxb-very-secret-token")
	if strings.Contains(buf.String(), "very-secret") || !strings.Contains(buf.String(), "[REDACTED]") {
		t.Errorf("log line = %s", buf.String())
	}
	if got := red.String("err: xoxb-very-secret-token"); got != "err: [REDACTED]" {
		t.Errorf("redacted error = %q", got)
	}
}
