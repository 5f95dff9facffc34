package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const testPEM = "-----BEGIN RSA PRIVATE KEY-----\n" +
	"MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n" +
	"VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n" +
	"-----END RSA PRIVATE KEY-----"

func TestRedactionCatchesEncodedForms(t *testing.T) {
	aws := "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	quoted := `pa"ss\word-1234567`
	red := newRedactor(&bytes.Buffer{}, []string{testPEM, aws, "xoxb-1111-2222-abcdefABCDEF", quoted})
	jsonPEM, _ := json.Marshal(map[string]string{"key": testPEM})
	jsonQuoted, _ := json.Marshal(map[string]string{"password": quoted})
	cases := []struct{ name, text, leak string }{
		{"a PEM key in a JSON log line, its line breaks escaped", string(jsonPEM), "MIIEowIBAAKCAQEAu1SU1Lf"},
		{"a secret with quotes and backslashes in a JSON log line", string(jsonQuoted), `word-1234567`},
		{"a secret with quotes and backslashes quoted by %q", fmt.Sprintf("%q", "x"+quoted), `word-1234567`},
		{"a PEM key quoted by %q", fmt.Sprintf("bad key %q", testPEM), "MIIEowIBAAKCAQEAu1SU1Lf"},
		{"a PEM key with other line breaks", strings.ReplaceAll(testPEM, "\n", "\r\n"), "VTLw7onLRnrq0"},
		{"one line of a PEM key", "line 2: VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK", "VTLw7onLRnrq0"},
		{"a JSON string inside a JSON string", func() string { in, _ := json.Marshal(testPEM); out, _ := json.Marshal(string(in)); return string(out) }(), "MIIEowIBAAKCAQEAu1SU1Lf"},
		{"a key in a URL query", "GET https://x/?secret=" + url.QueryEscape(aws), "wJalrXUtnFEMI"},
		{"a key in a URL path", "GET https://x/" + url.PathEscape(aws), "wJalrXUtnFEMI"},
		{"a token in a Basic auth header, at every offset", "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:xoxb-1111-2222-abcdefABCDEF")), "eG94Yi0xMTExLTIyMjItYWJjZGVmQUJDREVG"},
		{"offset 1", base64.StdEncoding.EncodeToString([]byte("u:xoxb-1111-2222-abcdefABCDEF")), "MTExMS0yMjIyLWFiY2RlZkFC"},
		{"offset 2", base64.URLEncoding.EncodeToString([]byte("ab:xoxb-1111-2222-abcdefABCDEF!")), "xMTExLTIyMjItYWJjZGVmQUJDREVG"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := red.String(tc.text)
			if strings.Contains(got, tc.leak) || !strings.Contains(got, placeholder) {
				t.Errorf("redacted %q to %q", tc.text, got)
			}
		})
	}
	if got := red.String("the app 12345 in acme, installation 678"); got != "the app 12345 in acme, installation 678" {
		t.Errorf("plain text changed: %q", got)
	}
}

func TestSecretsMintedAtRunTimeAreRedactedFromThenOn(t *testing.T) {
	var buf bytes.Buffer
	red := newRedactor(&buf, nil)
	log, _ := newLogger(func(string) string { return "" }, red)
	minted := "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				log.Info().Msg("working")
				red.Add(fmt.Sprintf("ASIAEXAMPLE%08d", i*100+j))
			}
		}()
	}
	red.Add(minted)
	wg.Wait()
	log.Error().Str("header", "token "+minted).Msg("request failed with ASIAEXAMPLE00000742")
	if strings.Contains(buf.String(), minted) || strings.Contains(buf.String(), "ASIAEXAMPLE00000742") {
		t.Errorf("a minted secret reached the log: %s", buf.String()[strings.LastIndex(buf.String(), "{"):])
	}
}

func TestEveryCommandLineErrorPathIsRedacted(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key.pem")
	os.WriteFile(keyFile, []byte(testPEM), 0o600)
	tok := "xoxb-4444-5555-SecretSecretSecret"
	vars := map[string]string{
		"SLACK_BOT_TOKEN": tok, "SLACK_APP_TOKEN": "xapp-1-A111-2222-abcdefabcdef",
		"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "SLACK_ADMIN_TOKEN": "xoxp-9999-8888-adminadminadmin",
		"GITHUB_APP_PRIVATE_KEY_FILE": keyFile, "GITHUB_APP_ID": "1", "GITHUB_APP_INSTALLATION_ID": "2",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range vars {
			m[a] = b
		}
		m[k] = v
		return m
	}
	// GITHUB_TOKEN instead of the App: both at once is a mistake.
	ghVars := with("GITHUB_TOKEN", "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
	for _, k := range []string{"GITHUB_APP_PRIVATE_KEY_FILE", "GITHUB_APP_ID", "GITHUB_APP_INSTALLATION_ID"} {
		delete(ghVars, k)
	}
	leaks := []string{"SecretSecretSecret", "ABCDEFGHIJKLMNOP", "wJalrXUtnFEMI", "adminadminadmin", "MIIEowIBAAKCAQEAu1SU1Lf", "abcdefabcdef"}
	cases := []struct {
		name string
		vars map[string]string
		args []string
	}{
		{"an unknown command", vars, []string{tok}},
		{"an unknown flag", vars, []string{"scan", "--" + tok}},
		{"a bad flag value", vars, []string{"audit", "export", "--case", tok}},
		{"an unknown audit subcommand", ghVars, []string{"audit", ghVars["GITHUB_TOKEN"]}},
		{"a bad anchor", vars, []string{"audit", "verify", "--anchor", "1:" + vars["AWS_SECRET_ACCESS_KEY"]}},
		{"audit verify of a missing database", with("OFFBOARD_DB", filepath.Join(dir, tok, "db")), []string{"audit", "verify"}},
		{"audit export of a missing database", with("OFFBOARD_DB", filepath.Join(dir, vars["SLACK_ADMIN_TOKEN"])), []string{"audit", "export"}},
		{"run with a missing config", vars, []string{"run", "--config", filepath.Join(dir, tok+".yml")}},
		{"scan with a missing config", ghVars, []string{"scan", "--config", filepath.Join(dir, ghVars["GITHUB_TOKEN"])}},
		{"doctor with a missing config", vars, []string{"doctor", "--config", filepath.Join(dir, "x"+vars["SLACK_APP_TOKEN"])}},
		{"healthcheck of an address", with("OFFBOARD_HTTP_ADDR", "127.0.0.1:1/"+tok), []string{"healthcheck"}},
		{"a bad log level", with("OFFBOARD_LOG_LEVEL", tok), []string{"run", "--config", writeConfig(t, dir)}},
		{"the PEM key pasted as an argument", vars, []string{"scan", "--format", testPEM}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runWith(t, tc.vars, tc.args...)
			if code == 0 {
				t.Fatalf("exit 0; the case was meant to fail")
			}
			for _, l := range leaks {
				if strings.Contains(out+errs, l) {
					t.Errorf("exit %d leaked %q:\nstdout: %s\nstderr: %s", code, l, out, errs)
				}
			}
			if !strings.Contains(out+errs, placeholder) {
				t.Errorf("exit %d, nothing redacted; the case was meant to echo a secret:\n%s%s", code, out, errs)
			}
		})
	}
}

func writeConfig(t *testing.T, dir string) string {
	p := filepath.Join(dir, "offboard.yml")
	os.WriteFile(p, []byte(minimal), 0o600)
	return p
}
