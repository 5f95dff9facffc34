package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	simco "github.com/offboard/offboard/sandbox/company"
	"github.com/offboard/offboard/sandbox/web"
)

const sandboxAbout = `Runs the real bot, storage and connectors against a simulated company on
loopback: a Slack workspace (Web API and Socket Mode), a GitHub org and an
AWS account, seeded with managers, approvers, developers, dormant accounts
and a service account. Serves a page that shows the workspace the way Slack
would: act as anyone, type /offboard, click Approve and Hold, move the clock,
inject faults, and watch GitHub, AWS and the audit log change.

Nothing leaves the machine and no credentials are needed. Stops on Ctrl-C.`

func cmdSandbox(ctx context.Context, e cliEnv, args []string) error {
	f := newFlags("sandbox", "offboard sandbox [--addr 127.0.0.1:8080] [--db PATH]", sandboxAbout)
	addr := f.String("addr", "127.0.0.1:8080", "where the page is served; loopback only")
	db := f.String("db", "", "the bot's SQLite file, kept after exit (default: a new one, removed at exit); the simulated company starts afresh on every run")
	if err := f.parse(e, args, 0); err != nil {
		return err
	}
	if err := loopback(*addr); err != nil {
		return &usageError{msg: err.Error() + "\n\n" + f.usage()}
	}
	return runSandbox(ctx, e, *addr, *db)
}

// loopback refuses an address other machines could reach: the sandbox
// serves a page that acts as anyone, with no login.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q is not a loopback address (127.0.0.1, ::1, localhost)", addr)
	}
	return nil
}

// runSandbox starts the page first (so it is served within moments), then
// the company and the bot, and runs until ctx ends.
func runSandbox(ctx context.Context, e cliEnv, addr, dbFile string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	if dbFile == "" {
		dir, err := os.MkdirTemp(scratchDir(), "offboard-sandbox-")
		if err != nil {
			ln.Close()
			return fmt.Errorf("temporary directory: %w", err)
		}
		defer os.RemoveAll(dir)
		dbFile = filepath.Join(dir, "offboard.db")
	}
	co, err := startCompany()
	if err != nil {
		ln.Close()
		return err
	}
	defer co.close()

	link := &sandboxBot{clock: co.clock}
	page := web.New(web.Options{Slack: co.slack, GitHub: co.github, AWS: co.aws, Clock: co.clock,
		Location: mustLocation("Europe/Berlin"), Config: simco.Config, Bot: link.get})
	srv := &http.Server{Handler: page, ReadHeaderTimeout: 10 * time.Second}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	run := func(name string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(runCtx); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
			cancel()
		}()
	}
	run("page", func(ctx context.Context) error { return servePage(ctx, srv, ln) })
	run("page watcher", page.Run)
	fmt.Fprintf(e.stdout, "offboard sandbox: open http://%s/ (Ctrl-C stops it)\n", ln.Addr())

	s, err := co.setup(e, dbFile, link)
	if err != nil {
		cancel()
		wg.Wait()
		return err
	}
	link.log = s.setup.log
	run("bot", func(ctx context.Context) error { return runBot(ctx, s.env, s.setup) })
	<-runCtx.Done()
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// servePage serves until ctx ends; the page's event streams never go idle,
// so they are cut after a short grace.
func servePage(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
		<-errc
		return nil
	case err := <-errc:
		return err
	}
}

// scratchDir is where the default, throw-away database goes: memory-backed
// /dev/shm where there is one, since every click is a few SQLite commits
// and a busy disk's fsync would show on the page as lag.
func scratchDir() string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		if f, err := os.CreateTemp("/dev/shm", ".offboard-probe-"); err == nil {
			f.Close()
			os.Remove(f.Name())
			return "/dev/shm"
		}
	}
	return os.TempDir()
}

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}
