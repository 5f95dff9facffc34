package main

import (
	"fmt"
	"strings"
)

// A judge turns a benchmark's metrics into the figure shown and whether
// the target is met; when it is not, why says so.
type judge func(m metrics) (figure string, met bool, why string)

// metrics are one benchmark line's values by unit (b.ReportMetric).
type metrics map[string]float64

func (m metrics) need(units ...string) error {
	var missing []string
	for _, u := range units {
		if _, ok := m[u]; !ok {
			missing = append(missing, u)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the benchmark reported no %s", strings.Join(missing, ", "))
	}
	return nil
}

func atMost(unit string, limit float64, format string) judge {
	return func(m metrics) (string, bool, string) {
		if err := m.need(unit); err != nil {
			return "", false, err.Error()
		}
		fig := fmt.Sprintf(format, m[unit])
		if m[unit] > limit {
			return fig, false, fmt.Sprintf("%s over the target", fig)
		}
		return fig, true, ""
	}
}

func atLeast(unit string, limit float64, format string) judge {
	return func(m metrics) (string, bool, string) {
		if err := m.need(unit); err != nil {
			return "", false, err.Error()
		}
		fig := fmt.Sprintf(format, m[unit])
		if m[unit] < limit {
			return fig, false, fmt.Sprintf("%s under the target", fig)
		}
		return fig, true, ""
	}
}

// all checks several conditions and names each that failed.
func all(fig string, conds map[string]bool) (string, bool, string) {
	var missed []string
	for what, ok := range conds {
		if !ok {
			missed = append(missed, what)
		}
	}
	sortStrings(missed)
	return fig, len(missed) == 0, strings.Join(missed, "; ")
}

// ackFlood judges the flood against the raw slack-go bot measured in the
// same run; seconds over 3 s and losses are in the line it prints, and
// judged here when it reports them as metrics.
func ackFlood(m metrics) (string, bool, string) {
	if err := m.need("p99_ms", "ref_p99_ms"); err != nil {
		return "", false, err.Error()
	}
	fig := fmt.Sprintf("p99 %.1f ms; the raw slack-go bot's p99 %.1f ms (ratio %.2f)", m["p99_ms"], m["ref_p99_ms"], m["p99_ms"]/m["ref_p99_ms"])
	conds := map[string]bool{"p99 over 100 ms": m["p99_ms"] <= 100, "p99 over 0.3 × the reference's": m["p99_ms"] <= 0.3*m["ref_p99_ms"]}
	if v, ok := m["over_3s"]; ok {
		conds["acks over 3 s"] = v == 0
	}
	if v, ok := m["lost"]; ok {
		conds["envelopes lost"] = v == 0
	}
	return all(fig, conds)
}

func idcDiscovery(m metrics) (string, bool, string) {
	if err := m.need("calls/op", "worst-ms"); err != nil {
		return "", false, err.Error()
	}
	fig := fmt.Sprintf("%.0f calls, %.0f ms", m["calls/op"], m["worst-ms"])
	return all(fig, map[string]bool{"over 50 calls": m["calls/op"] <= 50, "over 2 s": m["worst-ms"] <= 2000})
}

func dormancyScan(m metrics) (string, bool, string) {
	if err := m.need("github_calls", "github_budget", "iam_calls", "wall_s", "peak_rss_MB"); err != nil {
		return "", false, err.Error()
	}
	fig := fmt.Sprintf("GitHub %.0f calls, IAM %.0f calls, %.1f s, peak RSS %.1f MB", m["github_calls"], m["iam_calls"], m["wall_s"], m["peak_rss_MB"])
	return all(fig, map[string]bool{
		"GitHub calls over budget": m["github_calls"] <= m["github_budget"], "IAM calls over 5": m["iam_calls"] <= 5,
		"over 30 s": m["wall_s"] <= 30, "peak RSS over 150 MB": m["peak_rss_MB"] <= 150,
	})
}

func approveBurst(m metrics) (string, bool, string) {
	// The benchmark fails, and reports nothing, unless every action is done.
	if err := m.need("burst_s", "iam_max_in_flight", "revoked_twice"); err != nil {
		return "", false, err.Error()
	}
	fig := fmt.Sprintf("all 800 done in %.1f s; at most %.0f IAM calls in flight (connector limit 10); %.0f grant kinds revoked more than once",
		m["burst_s"], m["iam_max_in_flight"], m["revoked_twice"])
	return all(fig, map[string]bool{
		"IAM concurrency over the connector's 10": m["iam_max_in_flight"] <= 10,
		"grants revoked twice":                    m["revoked_twice"] == 0,
	})
}

func idle(m metrics) (string, bool, string) {
	if err := m.need("peak_rss_MB", "connect_ms"); err != nil {
		return "", false, err.Error()
	}
	fig := fmt.Sprintf("peak RSS %.1f MB; start to socket open %.0f ms", m["peak_rss_MB"], m["connect_ms"])
	anon, split := m["anon_MB"]
	if split {
		fig += fmt.Sprintf(" (RSS: %.1f MB heap and stacks, %.1f MB the binary's mapped pages)", anon, m["file_MB"])
	}
	fig, ok, why := all(fig, map[string]bool{"peak RSS over 30 MB": m["peak_rss_MB"] <= 30, "start to socket open over 500 ms": m["connect_ms"] <= 500})
	if split && m["peak_rss_MB"] > 30 && anon <= 30 {
		why += fmt.Sprintf("; cause: the process's own memory (heap, stacks) is %.1f MB; the rest is the executable's code and read-only data, mapped from the file (shared with the page cache), nearly all of which this machine's kernel maps in at start", anon)
	}
	return fig, ok, why
}

func sandbox(m metrics) (string, bool, string) {
	if err := m.need("start_ms", "click_p95_ms"); err != nil {
		return "", false, err.Error()
	}
	fig := fmt.Sprintf("start to page %.0f ms; click to updated message p95 %.0f ms", m["start_ms"], m["click_p95_ms"])
	return all(fig, map[string]bool{"start to page over 2 s": m["start_ms"] <= 2000, "click p95 over 300 ms": m["click_p95_ms"] <= 300})
}
