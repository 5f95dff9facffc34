package main

// lines are the performance targets the product must reach, in the order
// BENCHMARKS.md shows them. A line whose benchmark does not exist yet says
// why; measuring it is a one-line change: replace notYet with the bench
// and a judge (atMost, atLeast, or one of judge.go's).
var lines = []line{
	{what: "ack latency, flood of 1,000 slash commands + 1,000 clicks on one socket, real work behind it",
		target: "p99 ≤ 100 ms and ≤ 0.3 × a raw slack-go bot that only acks, in the same run; none over 3 s, none lost",
		bench:  bench{"./bot", "AckFlood"}, judge: ackFlood},
	{what: "ack latency at a steady 1,000 envelopes/s", target: "p99 ≤ 10 ms",
		bench: bench{"./bot", "AckSteady"}, judge: atMost("p99_ms", 10, "p99 %.2f ms")},
	{what: "Identity Center discovery, a person in 5 groups with assignments in 40 accounts, fakes at 50 ms",
		target: "≤ 50 calls, ≤ 2 s", bench: bench{"./connectors/aws/idc", "DiscoveryAt50msPerCall"}, judge: idcDiscovery},
	{what: "sandbox", target: "start to page ≤ 2 s; a click in the page to the updated message on screen p95 ≤ 300 ms",
		bench: bench{".", "Sandbox"}, judge: sandbox},
	{what: "`/offboard` to checklist posted, connector fakes answering in 100 ms per call", target: "p95 ≤ 1 s",
		bench: bench{"./bot", "RequestToChecklist"}, judge: atMost("p95_ms", 1000, "p95 %.0f ms")},
	{what: "dormancy scan, 10,000 GitHub members + 5,000 IAM users, fakes at 50 ms, one `offboard scan` process",
		target: "GitHub calls ≤ ⌈M/100⌉ + ⌈M/50⌉ + 5 (305); IAM calls ≤ 5; ≤ 30 s; peak RSS ≤ 150 MB",
		bench:  bench{".", "DormancyScanProcess"}, judge: dormancyScan},
	{what: "Approve click to access gone, connector fakes answering in 100 ms per call", target: "p95 ≤ 2 s",
		bench: bench{"./bot", "ApproveToGone"}, judge: atMost("p95_ms", 2000, "p95 %.0f ms")},
	{what: "100 cases × 8 actions approved in one burst", target: "all executed, connector limits respected, none twice",
		bench: bench{"./bot", "ApproveBurst"}, judge: approveBurst},
	{what: "idle process, connected (start to socket open by the fake; peak RSS from VmHWM)",
		target: "RSS ≤ 30 MB; process start to socket open ≤ 500 ms",
		bench:  bench{".", "IdleFootprint"}, judge: idle},
	{what: "`audit verify`", target: "≥ 200,000 events/s",
		bench: bench{"./storage", "AuditVerify"}, judge: atLeast("events/s", 200000, "%.0f events/s")},
}
