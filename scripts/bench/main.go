// Command bench runs the benchmarks behind the product's performance
// targets, reads the figures they report, and writes BENCHMARKS.md: each
// target beside its figure, the machine and the date, and why a target
// is missed or not measured yet.
//
//	go run ./scripts/bench                  # every benchmark, writes BENCHMARKS.md
//	go run ./scripts/bench -only Idle -o -  # one, to stdout
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// line is one target of the table.
type line struct {
	what, target string
	bench        bench
	judge        judge
	// notYet says why the line has no benchmark yet.
	notYet string
}

// bench names a benchmark: its package and its name without "Benchmark".
type bench struct{ pkg, name string }

// result is what one benchmark run gave.
type result struct {
	metrics metrics
	printed []string // the lines the benchmark printed for people
	took    time.Duration
	// load is the 1-minute load average when the benchmark ended: on a
	// shared machine, other work inflates the figures.
	load float64
	err  error
}

func main() {
	out := flag.String("o", "BENCHMARKS.md", "where to write the table (- for stdout)")
	only := flag.String("only", "", "run only the benchmarks whose name matches this regexp")
	timeout := flag.Duration("timeout", 30*time.Minute, "limit for each benchmark")
	notRun := flag.String("not-run-because", "not run this time (-only)", "what the table says of a benchmark -only left out")
	flag.Parse()
	filter, err := regexp.Compile(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench: -only:", err)
		os.Exit(2)
	}
	results := map[bench]result{}
	for _, l := range lines {
		if l.notYet != "" || !filter.MatchString(l.bench.name) {
			continue
		}
		if _, done := results[l.bench]; !done {
			fmt.Fprintf(os.Stderr, "bench: %s %s …\n", l.bench.pkg, l.bench.name)
			r := run(l.bench, *timeout)
			fmt.Fprintf(os.Stderr, "bench: %s took %s\n", l.bench.name, r.took.Round(time.Second))
			results[l.bench] = r
		}
	}
	var w io.Writer = os.Stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	write(w, machine(), results, *notRun)
}

// run runs one benchmark once (-benchtime 1x) and parses what it reported.
func run(b bench, timeout time.Duration) result {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", "test", b.pkg, "-run", "^$", "-bench", "^Benchmark"+b.name+"$",
		"-benchtime", "1x", "-count", "1", "-timeout", timeout.String())
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	r := result{metrics: metrics{}, took: time.Since(start)}
	for _, s := range strings.Split(buf.String(), "\n") {
		f := strings.Fields(s)
		switch {
		case len(f) >= 2 && (f[0] == "Benchmark"+b.name || strings.HasPrefix(f[0], "Benchmark"+b.name+"-")):
			r.printed = append(r.printed, s)
			// name, iterations, then value unit pairs.
			for i := 2; i+1 < len(f); i += 2 {
				if v, err := strconv.ParseFloat(f[i], 64); err == nil {
					r.metrics[f[i+1]] = v
				}
			}
		case s == "" || s == "PASS" || s == "FAIL" || strings.HasPrefix(s, "ok ") || strings.HasPrefix(s, "goos:") ||
			strings.HasPrefix(s, "goarch:") || strings.HasPrefix(s, "pkg:") || strings.HasPrefix(s, "cpu:"):
		default:
			r.printed = append(r.printed, s)
		}
	}
	if err != nil {
		r.err = fmt.Errorf("go test: %v", err)
	}
	r.load = loadAverage()
	return r
}

// loadAverage is the 1-minute load average, or -1 when unknown.
func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(raw))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}

// cpus is what nproc says, or 0.
func cpus() int {
	out, err := exec.Command("nproc").Output()
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

// machine describes where the figures were measured.
func machine() string {
	nproc := strconv.Itoa(cpus())
	cpu := "?"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, s := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(s, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	goVersion, commit := "?", "?"
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		goVersion = strings.TrimSpace(string(out))
	}
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		commit = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%s CPUs (`nproc`), %s, %s; commit %s; %s UTC", nproc, cpu, goVersion, commit,
		time.Now().UTC().Format("2006-01-02 15:04"))
}

func write(w io.Writer, where string, results map[bench]result, notRun string) {
	fmt.Fprintf(w, "# Benchmarks\n\nWritten by `go run ./scripts/bench`; do not edit by hand.\n\n")
	fmt.Fprintf(w, "Measured on %s.\nEach benchmark ran once (`-benchtime 1x`); processes are measured from outside (the fakes' records, `/proc/PID/status`).\n\n", where)
	fmt.Fprintf(w, "| what | target | measured | met | why missed, or what is left |\n|---|---|---|---|---|\n")
	for _, l := range lines {
		fig, met, why := "not measured yet", "—", l.notYet
		if l.notYet == "" {
			r, ok := results[l.bench]
			switch {
			case !ok:
				why = notRun
			case len(r.metrics) == 0:
				met, why = "no", fmt.Sprintf("Benchmark%s failed before reporting: %v", l.bench.name, r.err)
			default:
				var ok bool
				fig, ok, why = l.judge(r.metrics)
				met = map[bool]string{true: "yes", false: "no"}[ok]
				if r.err != nil {
					met, why = "no", strings.TrimPrefix(why+"; the benchmark failed: "+r.err.Error(), "; ")
				}
				switch {
				case ok, strings.Contains(why, "cause: "):
				case r.load > float64(cpus()):
					why += fmt.Sprintf("; the 1-minute load average was %.1f on %d CPUs when it ended (other sessions' tests shared the machine), which slows what is measured; no other cause was isolated", r.load, cpus())
				default:
					why += fmt.Sprintf("; the 1-minute load average was %.1f on %d CPUs, so not a busy machine; the cause is not isolated yet", r.load, cpus())
				}
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", cell(l.what), cell(l.target), cell(fig), met, cell(why))
	}
	fmt.Fprintf(w, "\n## What each benchmark printed\n")
	var names []bench
	for b := range results {
		names = append(names, b)
	}
	sort.Slice(names, func(i, j int) bool { return names[i].name < names[j].name })
	for _, b := range names {
		r := results[b]
		fmt.Fprintf(w, "\n`go test %s -run '^$' -bench '^Benchmark%s$' -benchtime 1x` (%s; load average %.1f at the end)\n\n", b.pkg, b.name, r.took.Round(time.Second), r.load)
		for _, s := range r.printed {
			fmt.Fprintf(w, "    %s\n", s)
		}
	}
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func sortStrings(s []string) { sort.Strings(s) }
