package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1 // a check failed (verify, doctor), or the command could not do its work
	exitUsage  = 2 // bad usage or configuration
)

// cliEnv is what a command may touch of the outside world.
type cliEnv struct {
	stdout, stderr io.Writer
	getenv         env
	// red redacts both writers; commands add the secrets they come to
	// know (loadSetup, tokens minted at run time).
	red *redactor
}

// redacted routes both of e's writers through one redactor that knows the
// secrets in the environment, before any command runs: every path to the
// terminal, usage mistakes and failures included, is redacted, even one
// that echoes a secret the user pasted into an argument.
func (e cliEnv) redacted() cliEnv {
	red := newRedactor(e.stderr, environmentSecrets(e.getenv))
	return cliEnv{stdout: red.to(e.stdout), stderr: red, getenv: e.getenv, red: red}
}

// usageError is bad usage: the command prints why and its usage, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// configError is an invalid configuration: exit 2.
type configError struct{ err error }

func (e *configError) Error() string { return e.err.Error() }
func (e *configError) Unwrap() error { return e.err }

// checkFailed is a check that ran and found a problem: exit 1, its report
// already printed.
type checkFailed struct{ msg string }

func (e *checkFailed) Error() string { return e.msg }

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e cliEnv, args []string) error
}

func commands() []command {
	return []command{
		{"run", "run the bot: Socket Mode, scheduler, workers, health and metrics", cmdRun},
		{"scan", "report dormant accounts now", cmdScan},
		{"audit", "verify or export the audit log (audit verify | audit export)", cmdAudit},
		{"sandbox", "the whole bot against a simulated company, in a browser", cmdSandbox},
		{"doctor", "check config, tokens, scopes and reachability of every connector", cmdDoctor},
		{"version", "print the version", cmdVersion},
		{"healthcheck", "probe a running bot's /readyz (for the container's HEALTHCHECK)", cmdHealthcheck},
	}
}

func usage() string {
	var b strings.Builder
	b.WriteString("offboard takes a departing developer's access away, one approved step at a time.\n\n")
	b.WriteString("Usage: offboard <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-11s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'offboard <command> --help' for a command's flags.\n")
	b.WriteString("Exit codes: 0 success, 1 a check failed, 2 bad usage or configuration.\n")
	return b.String()
}

// runCLI runs one command line and returns the process exit code.
func runCLI(ctx context.Context, args []string, e cliEnv) int {
	e = e.redacted()
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage())
		return exitUsage
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		fmt.Fprint(e.stdout, usage())
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return exitCode(e, c.run(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(e.stderr, "offboard: unknown command %q\n\n%s", name, usage())
	return exitUsage
}

func exitCode(e cliEnv, err error) int {
	var (
		ue *usageError
		ce *configError
		cf *checkFailed
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(e.stderr, "offboard: %s\n", ue.msg)
		return exitUsage
	case errors.As(err, &ce):
		fmt.Fprintf(e.stderr, "offboard: invalid configuration:\n%s\n", indent(ce.err.Error()))
		return exitUsage
	case errors.As(err, &cf):
		if cf.msg != "" {
			fmt.Fprintf(e.stderr, "offboard: %s\n", cf.msg)
		}
		return exitFailed
	default:
		fmt.Fprintf(e.stderr, "offboard: %v\n", err)
		return exitFailed
	}
}

func indent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "  - " + l
	}
	return strings.Join(lines, "\n")
}

// cmdFlags is a command's flag set with the texts its --help prints.
type cmdFlags struct {
	*flag.FlagSet
	synopsis, about string
}

// newFlags makes the flag set of one command. --help prints its usage on
// stdout (exit 0); a mistake returns a usageError carrying it (exit 2).
func newFlags(name, synopsis, about string) *cmdFlags {
	fs := flag.NewFlagSet("offboard "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &cmdFlags{FlagSet: fs, synopsis: synopsis, about: about}
}

func (f *cmdFlags) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n\n%s\n", f.synopsis, f.about)
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		b.WriteString("\nFlags:\n")
		f.SetOutput(&b)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
	return b.String()
}

// parse parses args, and refuses positional arguments beyond maxArgs.
func (f *cmdFlags) parse(e cliEnv, args []string, maxArgs int) error {
	err := f.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(e.stdout, f.usage())
		return flag.ErrHelp
	}
	if err == nil && f.NArg() > maxArgs {
		err = fmt.Errorf("unexpected argument %q", f.Arg(maxArgs))
	}
	if err != nil {
		return &usageError{msg: err.Error() + "\n\n" + f.usage()}
	}
	return nil
}

// configFlag adds the --config flag every command that reads the file has.
func (f *cmdFlags) configFlag() *string {
	return f.String("config", "", "configuration file (default $OFFBOARD_CONFIG, else ./offboard.yml)")
}
