package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the browser test's screenshots to docs/")

// chromium finds Debian's chromium. Outside CI a machine without it skips
// the browser test, saying so; in CI (.ci/run installs it) it must run.
func chromium(t testing.TB) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI must run the browser test (.ci/run installs it)")
	}
	t.Skip("SKIPPED: the sandbox browser test needs chromium (apt-get install -y chromium); CI installs it")
	return ""
}

// startSandboxCLI runs `offboard sandbox` as the command line would and
// returns the page's URL and how long it took from start until the page
// was served.
func startSandboxCLI(t testing.TB) (string, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var errs strings.Builder
	var mu sync.Mutex
	done := make(chan int, 1)
	start := time.Now()
	go func() {
		env := func(k string) string {
			if k == "OFFBOARD_LOG_LEVEL" {
				return "error"
			}
			return ""
		}
		done <- runCLI(ctx, []string{"sandbox", "--addr", "127.0.0.1:0"}, cliEnv{stdout: pw, stderr: lockedWriter{&mu, &errs}, getenv: env})
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				mu.Lock()
				t.Errorf("sandbox exited %d:\n%s", code, errs.String())
				mu.Unlock()
			}
		case <-time.After(10 * time.Second):
			t.Error("the sandbox did not stop within 10 s of Ctrl-C")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("the sandbox printed no URL: %v", err)
	}
	go io.Copy(io.Discard, pr)
	_, rest, _ := strings.Cut(line, "open ")
	url, _, _ := strings.Cut(rest, " ")
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	resp.Body.Close()
	took := time.Since(start)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	return url, took
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// browser is one headless Chromium tab on the sandbox page.
type browser struct {
	t   testing.TB
	ctx context.Context

	mu      sync.Mutex
	console []string // JavaScript errors, exceptions and dialogs
}

func newBrowser(t testing.TB, exe string) *browser {
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.WindowSize(1500, 1000), chromedp.Flag("disable-gpu", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	// The first run starts the browser and must not carry a deadline.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(cancelT)
	b := &browser{t: t, ctx: ctx}
	messages := chromedp.Console(bctx)
	dialogs := chromedp.Events(bctx, page.JavascriptDialogOpening)
	var wg sync.WaitGroup
	wg.Add(2)
	t.Cleanup(wg.Wait)
	t.Cleanup(cancelC) // ends the two readers before waiting for them
	go func() {
		defer wg.Done()
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.note(m.String())
			}
		}
	}()
	go func() {
		defer wg.Done()
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			// No page of ours opens alert(); one that opens is a script a
			// user smuggled in.
			b.note("a JavaScript dialog opened: " + ev.Message)
			_, _ = chromedp.Call(bctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return b
}

func (b *browser) note(s string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.console = append(b.console, s)
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// evalT runs JavaScript in the page and returns its result.
func evalT[T any](b *browser, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *browser) evalBool(js string) bool { b.t.Helper(); return evalT[bool](b, "!!("+js+")") }

// waitJS waits until the expression is true, polling as a person looking
// at the screen would; it fails after timeout, saying what it waited for.
func (b *browser) waitJS(what, expr string, timeout time.Duration) {
	b.t.Helper()
	// The page checks for itself, so waiting costs no round trips.
	js := fmt.Sprintf(`new Promise((resolve) => {
		const t0 = performance.now();
		const check = () => {
			let ok = false;
			try { ok = !!(%s); } catch (e) { ok = false; }
			if (ok) return resolve(true);
			if (performance.now() - t0 > %d) return resolve(false);
			setTimeout(check, 20);
		};
		check();
	})`, expr, timeout.Milliseconds())
	ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if !ok {
		body := evalT[string](b, `document.querySelector("main").innerText + "\n---\n" + document.getElementById("thread").innerText`)
		b.t.Fatalf("timed out after %s waiting for %s; the page shows:\n%s", timeout, what, body)
	}
}

// actAs picks a person in the switcher.
func (b *browser) actAs(user string) {
	b.t.Helper()
	b.do("switch to "+user, chromedp.SetValue(chromedp.ID("as"), user))
	evalT[bool](b, `document.getElementById("as").dispatchEvent(new Event("change"))`)
}

// click clicks the element sel finds with the mouse, where the person
// sees it; the page may swap a node for an identical one at any moment, so
// the test aims at the spot, not at a node.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.clickAt("click "+sel, fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return [];
		return aim(el);
	})()`, sel))
}

// clickAt clicks where the script says, waiting a while for it to find
// its element.
func (b *browser) clickAt(what, locate string) {
	b.t.Helper()
	// aim scrolls the element into view and gives its centre, but only once
	// the element is what a click there would hit: scrolling renders
	// messages that were out of view, which can move it.
	locate = `(() => {
		const aim = (el) => {
			el.scrollIntoView({block: "center"});
			const r = el.getBoundingClientRect();
			const x = r.left + r.width / 2, y = r.top + r.height / 2;
			const hit = document.elementFromPoint(x, y);
			return hit && (hit === el || el.contains(hit)) ? [x, y] : [];
		};
		return ` + locate + `;
	})()`
	deadline := time.Now().Add(5 * time.Second)
	for {
		at := evalT[[]float64](b, locate)
		if len(at) == 2 {
			b.do(what, chromedp.MouseClickXY(at[0], at[1]))
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("%s: nothing to click", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// clickIn clicks the button labelled label in the checklist row whose
// text contains row, in the open thread, with the mouse where the person
// sees it. (The page may swap in an identical node at any moment, so the
// test aims at the spot, not at a node.)
func (b *browser) clickIn(row, label string) {
	b.t.Helper()
	locate := fmt.Sprintf(`(() => {
		for (const s of document.querySelectorAll("#thread .blk-section")) {
			if (!s.textContent.includes(%q)) continue;
			const acts = s.nextElementSibling;
			if (!acts || !acts.classList.contains("blk-actions")) continue;
			for (const btn of acts.querySelectorAll("button")) {
				if (btn.textContent.trim() !== %q) continue;
				return aim(btn);
			}
		}
		return [];
	})()`, row, label)
	// A message that grows above the button between aiming and clicking
	// moves it; a person whose click missed clicks again.
	for try := 0; ; try++ {
		before := evalT[int](b, `window.sandboxClicks`)
		b.clickAt("click "+label+" in "+row, locate)
		took, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`new Promise(r => { const t0 = performance.now(); const f = () => window.sandboxClicks > %d ? r(true) : performance.now() - t0 > 1000 ? r(false) : setTimeout(f, 10); f(); })`, before), chromedp.EvalAwaitPromise))
		if err != nil {
			b.t.Fatalf("click %s in %s: %v", label, row, err)
		}
		if took {
			return
		}
		if try == 3 {
			b.t.Fatalf("four clicks on %q in the row %q missed", label, row)
		}
	}
}

func (b *browser) screenshot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	b.artifact(name, png)
	if *updateScreenshots && name != "sandbox-narrow.png" {
		if err := os.WriteFile(filepath.Join("docs", name), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

// artifact keeps a file of the run where CI can pick it up:
// $SANDBOX_ARTIFACTS, else offboard-sandbox in the temporary directory.
func (b *browser) artifact(name string, data []byte) {
	b.t.Helper()
	dir := os.Getenv("SANDBOX_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "offboard-sandbox")
	}
	_ = os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("artifact: %s", path)
}

// rowHas is JavaScript: does the checklist row whose text has row also
// have text?
func rowHas(row, text string) string {
	return fmt.Sprintf(`[...document.querySelectorAll("#thread .blk-section")].some(s => s.textContent.includes(%q) && s.textContent.includes(%q))`, row, text)
}
