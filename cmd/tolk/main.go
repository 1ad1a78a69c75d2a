// Command tolk is Tolk's one binary: `tolk serve` runs the gRPC server on a
// bbolt file; every other command is a client (see internal/cli).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/tolkdev/tolk/internal/cli"
	"github.com/tolkdev/tolk/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	var err error
	if len(args) > 0 && args[0] == "serve" {
		if os.Getenv("GOMEMLIMIT") == "" {
			followMemoryLimit(ctx, server.Limits{}.SoftMemoryLimit(), time.Second)
		}
		err = serve(ctx, args[1:], os.Stderr)
	} else {
		err = cli.Run(ctx, args, cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	}
	if code := cli.ExitCode(err); code != 0 {
		fmt.Fprintln(os.Stderr, "tolk:", cli.Message(err))
		os.Exit(code)
	}
}
