package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkIdleFootprint runs the bot as a process against the fake
// workspace and reports start-to-connected and the resident memory after
// it has idled, connected, for a few seconds (PRODUCT §12: ≤ 500 ms and
// ≤ 30 MB). The process is this test binary, so its code is a little
// larger than the offboard binary's.
//
//	go test . -run XXX -bench IdleFootprint -benchtime 1x
func BenchmarkIdleFootprint(b *testing.B) {
	for i := 0; i < b.N; i++ {
		connect, rss := idleFootprint(b)
		b.ReportMetric(float64(connect.Microseconds())/1000, "connect_ms")
		b.ReportMetric(float64(rss)/1024, "rss_MB")
		fmt.Printf("idle process: start to connected %s, resident memory after 5 s idle %.1f MB\n", connect.Round(100*time.Microsecond), float64(rss)/1024)
	}
}

func idleFootprint(b *testing.B) (time.Duration, int) {
	fs, env, _ := crashWorld(b, "")
	bot := startBot(b, env)
	deadline := time.Now().Add(20 * time.Second)
	for fs.Sockets() != 1 {
		if time.Now().After(deadline) {
			b.Fatalf("never connected: %s", bot.logs)
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(5 * time.Second)
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", bot.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	rss := 0
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			rss, _ = strconv.Atoi(strings.Fields(line)[1])
		}
	}
	var connect time.Duration
	for _, line := range strings.Split(bot.logs.String(), "\n") {
		var l struct {
			Ms float64 `json:"start_to_connected"`
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Ms > 0 {
			connect = time.Duration(l.Ms * float64(time.Millisecond))
		}
	}
	return connect, rss
}
