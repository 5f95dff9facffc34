package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func cmdVersion(_ context.Context, e cliEnv, args []string) error {
	f := newFlags("version", "offboard version", "Prints the version, the commit it was built from and the Go version.")
	if err := f.parse(e, args, 0); err != nil {
		return err
	}
	commit := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				commit = " " + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(e.stdout, "offboard %s%s %s\n", version, commit, runtime.Version())
	return nil
}
