package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/offboard/offboard/storage"
)

// actionChanged records one step of an action in the thread, updates its
// row in place and refreshes the parent's status line.
func (r *Renderer) actionChanged(ctx context.Context, out *batch, n notice) error {
	c := n.Case
	var names []string
	for _, id := range n.Actions {
		a, err := storage.LoadAction(ctx, out.q, id)
		if err != nil {
			return err
		}
		names = append(names, "*"+describe(decodeGrant(a), out.now)+"*")
	}
	what := strings.Join(names, "\n")
	if len(names) > 1 {
		what = "\n" + what
	}
	if line := r.trailLine(n, what); line != "" {
		if err := r.threadReply(ctx, out, c.ID, line); err != nil {
			return err
		}
	}
	if n.Event == storage.EventDenied {
		return nil // the refusal changed nothing: the clicker is told, rows stay
	}
	if err := r.refreshRows(ctx, out, c, n.Actions); err != nil {
		return err
	}
	return r.updateParent(ctx, out, c)
}

// trailLine is the thread reply for one event: what a security reviewer
// reads months later without the database.
func (r *Renderer) trailLine(n notice, what string) string {
	who := mention(n.Actor)
	switch n.Event {
	case storage.EventApproved:
		s := fmt.Sprintf(":ballot_box_with_check: %s approved %s", who, what)
		if n.Of > 1 {
			s += fmt.Sprintf(" (%d of %d approvals)", n.Attempt, n.Of)
		}
		return s
	case storage.EventAutoApproved:
		return fmt.Sprintf(":robot_face: Auto-approved by policy: %s", what)
	case storage.EventHeld:
		s := fmt.Sprintf(":double_vertical_bar: %s held %s: %s", who, what, escClip(n.Text, 1000))
		if !n.Until.IsZero() {
			s += fmt.Sprintf(" (until %s)", r.instant(n.Until))
		}
		return s
	case storage.EventResurfaced:
		return fmt.Sprintf(":bell: The hold on %s has ended; it needs a decision again. %s", what, mentions(r.cfg.Approvers))
	case storage.EventDenied:
		return fmt.Sprintf(":no_entry: %s was refused (%s): %s", who, what, escClip(n.Text, 500))
	case storage.EventExecuting:
		return fmt.Sprintf(":arrows_counterclockwise: Executing %s", what)
	case storage.EventRevoked:
		return fmt.Sprintf(":white_check_mark: Revoked %s in %s", what, humanDuration(n.Took))
	case storage.EventAlreadyGone:
		return fmt.Sprintf(":white_check_mark: %s was already gone; nothing to do", what)
	case storage.EventFailed:
		if n.Attempt >= n.Of {
			return fmt.Sprintf(":x: Attempt %d of %d failed for %s: %s\nNo attempts left. %s: click *Retry* once the cause is fixed, or *Mark done* if it was done by hand.",
				n.Attempt, n.Of, what, escClip(n.Text, 1000), mentions(r.cfg.Approvers))
		}
		return fmt.Sprintf(":warning: Attempt %d of %d failed for %s: %s\nNext try at %s.", n.Attempt, n.Of, what, escClip(n.Text, 1000), r.instant(n.Until))
	case storage.EventRetried:
		return fmt.Sprintf(":repeat: %s asked to retry %s", who, what)
	case storage.EventMarkedDone:
		return fmt.Sprintf(":heavy_check_mark: %s marked %s done by hand: %s", who, what, escClip(n.Text, 1000))
	}
	return ""
}

// reminder calls the approvers back to actions that have waited too long.
func (r *Renderer) reminder(ctx context.Context, out *batch, n notice) error {
	var names []string
	for _, id := range n.Actions {
		a, err := storage.LoadAction(ctx, out.q, id)
		if err != nil {
			return err
		}
		names = append(names, "• "+describe(decodeGrant(a), out.now))
		if len(names) == 20 {
			names = append(names, fmt.Sprintf("… and %d more", len(n.Actions)-20))
			break
		}
	}
	line := fmt.Sprintf(":alarm_clock: %s: %s of offboarding #%d %s waiting for a decision:\n%s",
		mentions(r.cfg.Approvers), plural(len(n.Actions), "action", "actions"), n.Case.ID,
		map[bool]string{true: "is", false: "are"}[len(n.Actions) == 1], strings.Join(names, "\n"))
	return r.threadReply(ctx, out, n.Case.ID, line)
}
