package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// reportRowsPerMessage keeps a dormancy report message within 50 blocks.
const reportRowsPerMessage = 20

func scanStream(id int64) string { return fmt.Sprintf("scan:%d", id) }
func scanKey(id int64, part int) string {
	return fmt.Sprintf("scan:%d:part:%d", id, part)
}

// reportRow is one row of the report: one account, or one person whose
// every linked account is dormant.
type reportRow struct {
	findings []storage.Finding
	identity storage.Identity
}

// reportRows groups a scan's findings: a person whose every linked account
// is dormant is one row.
func reportRows(ctx context.Context, q storage.Querier, findings []storage.Finding) []reportRow {
	var rows []reportRow
	byIdentity := map[int64]int{}
	for _, f := range findings {
		if f.IdentityID != 0 {
			if i, ok := byIdentity[f.IdentityID]; ok {
				rows[i].findings = append(rows[i].findings, f)
				continue
			}
		}
		r := reportRow{findings: []storage.Finding{f}}
		if f.IdentityID != 0 {
			r.identity, _ = storage.LoadIdentity(ctx, q, f.IdentityID)
			byIdentity[f.IdentityID] = len(rows)
		}
		rows = append(rows, r)
	}
	return rows
}

// scanReport posts a dormancy report: one message, continued in more when
// it has more rows than a message holds.
func (r *Renderer) scanReport(ctx context.Context, out *batch, n notice) error {
	findings, err := storage.ListFindings(ctx, out.q, n.ScanID)
	if err != nil {
		return err
	}
	rows := reportRows(ctx, out.q, findings)
	total := max(1, (len(rows)+reportRowsPerMessage-1)/reportRowsPerMessage)
	for p := 0; p < total; p++ {
		text, blocks := r.reportPart(n.ScanID, rows, p, total, n.Text, out)
		if err := out.enqueue(storage.OutMsg{Stream: scanStream(n.ScanID), Op: storage.OpPost, Channel: r.cfg.ApprovalsChannel,
			MsgKey: scanKey(n.ScanID, p)}, payload{Text: text, Blocks: blocksJSON(blocks)}); err != nil {
			return err
		}
	}
	if extras := r.reportExtras(n); len(extras) > 0 {
		// A reply of its own, so that updates of the report's rows keep it.
		if err := out.enqueue(storage.OutMsg{Stream: scanStream(n.ScanID), Op: storage.OpPost, Channel: r.cfg.ApprovalsChannel, ThreadKey: scanKey(n.ScanID, 0)},
			payload{Text: "What this scan could not decide or see", Blocks: blocksJSON(extras)}); err != nil {
			return err
		}
	}
	if n.Trigger == "schedule" {
		// The daily anchor: the scan's own event and hash, in the
		// report's thread, so that no event is more than a day from a
		// statement outside the database.
		line := fmt.Sprintf(":anchor: Audit log anchor: event %d, hash `%s`. Check it with `offboard audit verify --anchor %d:%s`.", n.Seq, n.Hash, n.Seq, n.Hash)
		return out.enqueue(storage.OutMsg{Stream: scanStream(n.ScanID), Op: storage.OpPost, Channel: r.cfg.ApprovalsChannel, ThreadKey: scanKey(n.ScanID, 0)},
			payload{Text: line, Blocks: blocksJSON([]slack.Block{section("", line)})})
	}
	return nil
}

func (r *Renderer) reportPart(scanID int64, rows []reportRow, p, total int, failed string, out *batch) (string, []slack.Block) {
	if len(rows) == 0 {
		text := ":sparkles: Dormancy scan: no dormant accounts."
		if failed != "" {
			text += "\n:warning: Some systems could not be scanned:\n" + escClip(failed, 2000)
		}
		return text, []slack.Block{section(fmt.Sprintf("s%d.head", scanID), text)}
	}
	lo, hi := p*reportRowsPerMessage, min((p+1)*reportRowsPerMessage, len(rows))
	head := fmt.Sprintf(":zzz: *Dormancy scan:* %s with no activity in the window.", plural(len(rows), "dormant account or person", "dormant accounts or people"))
	if total > 1 {
		head += fmt.Sprintf(" Part %d of %d.", p+1, total)
	}
	if p == 0 && failed != "" {
		head += "\n:warning: Some systems could not be scanned:\n" + escClip(failed, 1500)
	}
	blocks := []slack.Block{section(fmt.Sprintf("s%d.p%d.head", scanID, p), head)}
	for _, row := range rows[lo:hi] {
		blocks = append(blocks, r.reportRow(row, out)...)
	}
	return fmt.Sprintf("Dormancy scan: %s (part %d of %d)", plural(len(rows), "row", "rows"), p+1, total), blocks
}

func (r *Renderer) reportRow(row reportRow, out *batch) []slack.Block {
	first := row.findings[0]
	var lines []string
	for _, f := range row.findings {
		acct := fmt.Sprintf("%s · %s", connectors.System(f.System).Title(), esc(f.Account))
		if f.Scope != "" {
			acct = fmt.Sprintf("%s · %s · %s", connectors.System(f.System).Title(), esc(f.Scope), esc(f.Account))
		}
		last := "no activity recorded"
		if !f.LastActivity.IsZero() {
			last = "last activity " + r.instant(f.LastActivity)
		}
		lines = append(lines, fmt.Sprintf("*%s* — %s (%s)", acct, esc(f.Why), last))
	}
	who := "not linked to anyone"
	if row.identity.ID != 0 {
		who = "linked to " + escClip(row.identity.Name, 100)
		if row.identity.SlackUser != "" {
			who = "linked to " + mention(row.identity.SlackUser)
		}
	}
	text := strings.Join(lines, "\n") + "\n" + who
	state := first.State
	blocks := []slack.Block{section(fmt.Sprintf("f%d.row", first.ID), text)}
	switch state {
	case "reported":
		v := fmt.Sprintf("f%d", first.ID)
		blocks = append(blocks, slack.NewActionBlock(fmt.Sprintf("f%d.act", first.ID),
			button(actStart, v, "Start offboarding", slack.StyleDanger), button(actSnooze, v, "Snooze 30 days", "")))
	case "started":
		blocks = append(blocks, contextBlock(fmt.Sprintf("f%d.state", first.ID), ":arrow_forward: Offboarding started."))
	case "snoozed":
		blocks = append(blocks, contextBlock(fmt.Sprintf("f%d.state", first.ID), ":zzz: Snoozed for 30 days."))
	}
	return blocks
}

// reportExtras says what the scan could not see and which accounts a
// person must check by hand, so that silence is never read as "nothing".
func (r *Renderer) reportExtras(n notice) []slack.Block {
	var blocks []slack.Block
	if len(n.Checks) > 0 {
		var lines []string
		for i, c := range n.Checks {
			if i == 20 {
				lines = append(lines, fmt.Sprintf("… and %d more", len(n.Checks)-20))
				break
			}
			lines = append(lines, "• "+escClip(c, 200))
		}
		blocks = append(blocks, section(fmt.Sprintf("s%d.check", n.ScanID), ":mag: *Check by hand* (not reported as dormant):\n"+strings.Join(lines, "\n")))
	}
	if len(n.Notes) > 0 {
		var lines []string
		for _, note := range n.Notes {
			lines = append(lines, ":information_source: "+escClip(note, 300))
		}
		blocks = append(blocks, contextBlock(fmt.Sprintf("s%d.notes", n.ScanID), strings.Join(lines, "\n")))
	}
	return blocks
}

// dormantChanged updates the report message holding a row someone acted on.
func (r *Renderer) dormantChanged(ctx context.Context, out *batch, n notice) error {
	findings, err := storage.ListFindings(ctx, out.q, n.ScanID)
	if err != nil {
		return err
	}
	rows := reportRows(ctx, out.q, findings)
	total := max(1, (len(rows)+reportRowsPerMessage-1)/reportRowsPerMessage)
	for i, row := range rows {
		for _, f := range row.findings {
			if f.ID == n.FindingID {
				p := i / reportRowsPerMessage
				text, blocks := r.reportPart(n.ScanID, rows, p, total, "", out)
				return out.enqueue(storage.OutMsg{Stream: scanStream(n.ScanID), Op: storage.OpUpdate, Channel: r.cfg.ApprovalsChannel,
					MsgKey: scanKey(n.ScanID, p)}, payload{Text: text, Blocks: blocksJSON(blocks)})
			}
		}
	}
	return nil
}
