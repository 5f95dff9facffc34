package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkIdleFootprint runs `offboard run` as a process against the fake
// workspace and measures it from outside: start to connected is from just
// before the fork to the WebSocket upgrade as the fake Slack recorded it,
// and memory is the kernel's peak resident set (VmHWM) after five seconds
// idle, connected (targets: ≤ 500 ms and ≤ 30 MB).
//
//	go test . -run XXX -bench IdleFootprint -benchtime 1x
func BenchmarkIdleFootprint(b *testing.B) {
	offboardBinary(b) // built before the clock starts
	for i := 0; i < b.N; i++ {
		connect, peak, rss, anon, file := idleFootprint(b)
		b.ReportMetric(float64(anon)/1024, "anon_MB")
		b.ReportMetric(float64(file)/1024, "file_MB")
		b.ReportMetric(float64(connect.Microseconds())/1000, "connect_ms")
		b.ReportMetric(float64(peak)/1024, "peak_rss_MB")
		b.ReportMetric(float64(rss)/1024, "rss_MB")
		fmt.Printf("idle process: start to socket open %s (the fake's record); after 5 s idle peak RSS (VmHWM) %.1f MB, RSS %.1f MB\n",
			connect.Round(100*time.Microsecond), float64(peak)/1024, float64(rss)/1024)
	}
}

func idleFootprint(b *testing.B) (connect time.Duration, peakKB, rssKB, anonKB, fileKB int) {
	fs, env, _ := crashWorld(b, "")
	bot := startOffboard(b, append(env, "OFFBOARD_LOG_LEVEL=info"), "run")
	deadline := time.Now().Add(20 * time.Second)
	var opened []time.Time
	for opened = fs.SocketsOpenedAt(); len(opened) == 0; opened = fs.SocketsOpenedAt() {
		if time.Now().After(deadline) {
			b.Fatalf("never connected: %s", bot.logs)
		}
		time.Sleep(time.Millisecond)
	}
	connect = opened[0].Sub(bot.started)
	time.Sleep(5 * time.Second)
	status, ok := procStatus(bot.cmd.Process.Pid)
	if !ok {
		b.Fatalf("the process is gone: %s", bot.logs)
	}
	fmt.Printf("idle process memory: %d kB anonymous (heap, stacks), %d kB file-backed (the binary's pages), %d kB shared memory\n",
		status["RssAnon"], status["RssFile"], status["RssShmem"])
	return connect, status["VmHWM"], status["VmRSS"], status["RssAnon"], status["RssFile"]
}

// procStatus reads the kB figures of /proc/PID/status (VmHWM, VmRSS …).
func procStatus(pid int) (map[string]int, bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, false
	}
	out := map[string]int{}
	for _, line := range strings.Split(string(raw), "\n") {
		k, v, ok := strings.Cut(line, ":")
		f := strings.Fields(v)
		if !ok || len(f) != 2 || f[1] != "kB" {
			continue
		}
		if n, err := strconv.Atoi(f[0]); err == nil {
			out[k] = n
		}
	}
	return out, true
}

// peakWatcher follows a child's VmHWM until it exits: the kernel drops
// /proc/PID/status's memory lines at exit, so the last reading stands.
// wait4's maxrss is no substitute: exec folds the forking process's own
// high-water mark into it, so it reports this test process, not the child.
type peakWatcher struct {
	done chan int
}

func watchPeak(p *botProcess) *peakWatcher {
	w := &peakWatcher{done: make(chan int, 1)}
	go func() {
		peak := 0
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			if st, ok := procStatus(p.cmd.Process.Pid); ok && st["VmHWM"] > peak {
				peak = st["VmHWM"]
			}
			select {
			case <-p.exited:
				w.done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// peakKB is the highest VmHWM read before the process exited.
func (w *peakWatcher) peakKB() int { return <-w.done }
