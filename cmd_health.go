package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// cmdHealthcheck probes /readyz of a running bot; the container image has
// no shell or curl, so its HEALTHCHECK runs this.
func cmdHealthcheck(ctx context.Context, e cliEnv, args []string) error {
	f := newFlags("healthcheck", "offboard healthcheck", "Probes http://$OFFBOARD_HTTP_ADDR/readyz of the running bot (for the container's\nHEALTHCHECK); exits 0 when it is ready, 1 otherwise.")
	if err := f.parse(e, args, 0); err != nil {
		return err
	}
	addr := e.getenv("OFFBOARD_HTTP_ADDR")
	if addr == "" {
		addr = "127.0.0.1:9090"
	}
	if len(addr) > 8 && addr[:8] == "0.0.0.0:" {
		addr = "127.0.0.1:" + addr[8:]
	}
	ctx, cancel := context.WithTimeout(ctx, 4*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/readyz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return &checkFailed{msg: "not ready: " + err.Error()}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &checkFailed{msg: fmt.Sprintf("not ready: /readyz answered %d", resp.StatusCode)}
	}
	fmt.Fprintln(e.stdout, "ready")
	return nil
}
