package main

import (
	"strings"
	"testing"

	simco "github.com/offboard/offboard/sandbox/company"
)

func TestSandboxServesOnLoopbackOnly(t *testing.T) {
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8080", true}, {"[::1]:0", true}, {"localhost:8080", true}, {"127.0.0.2:9000", true},
		{"0.0.0.0:8080", false}, {":8080", false}, {"192.168.1.10:8080", false}, {"example.com:80", false}, {"nonsense", false},
	} {
		if err := loopback(tc.addr); (err == nil) != tc.ok {
			t.Errorf("loopback(%q) = %v; want ok=%v", tc.addr, err, tc.ok)
		}
	}
	code, _, errs := runWith(t, nil, "sandbox", "--addr", "0.0.0.0:8080")
	if code != exitUsage || !strings.Contains(errs, "not a loopback address") {
		t.Errorf("sandbox --addr 0.0.0.0:8080: exit %d\n%s", code, errs)
	}
	code, out, _ := runWith(t, nil, "sandbox", "--help")
	if code != exitOK || !strings.Contains(out, "offboard sandbox [--addr 127.0.0.1:8080] [--db PATH]") {
		t.Errorf("sandbox --help: exit %d\n%s", code, out)
	}
	if _, out, _ := runWith(t, nil, "help"); !strings.Contains(out, "sandbox") {
		t.Errorf("the command list lacks sandbox:\n%s", out)
	}
}

func TestTheSandboxConfigurationIsValid(t *testing.T) {
	cfg, err := parseConfig([]byte(simco.Config))
	if err != nil {
		t.Fatalf("the built-in configuration: %v", err)
	}
	if cfg.GitHub == nil || cfg.AWS == nil || cfg.SlackConnector == nil || cfg.Slack.ApprovalsChannel != simco.Approvals {
		t.Errorf("a connector is off or the channel is wrong: %+v", cfg)
	}
}
