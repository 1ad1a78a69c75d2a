// Command tolk is Tolk's one binary: `tolk serve` runs the gRPC server on a
// bbolt file; every other command is a client (see package client).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/tolkdev/tolk/client"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	args := os.Args[1:]
	var err error
	if len(args) > 0 && args[0] == "serve" {
		err = serve(ctx, args[1:], os.Stderr)
	} else {
		err = client.Run(ctx, args, client.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
	}
	if code := client.ExitCode(err); code != 0 {
		fmt.Fprintln(os.Stderr, "tolk:", client.Message(err))
		os.Exit(code)
	}
}
