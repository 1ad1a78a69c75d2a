// Package cli is the tolk command line: every command but serve, each a
// gRPC client of a Tolk server built on package client (segment runs
// locally). Run parses the arguments and runs one command; ExitCode and
// Message turn its error into an exit status and a line for stderr.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tolkdev/tolk/client"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Env is what a command sees of the world: its streams and environment.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string // nil means os.Getenv
	// Dial, when set, replaces the network connection (tests use bufconn).
	Dial []grpc.DialOption
}

// UsageError is a mistake in the command line; tolk exits 2 on it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ExitCode returns the exit status for the error Run returned: 0 for nil,
// 2 for a usage error, 1 for anything else (a failed request).
func ExitCode(err error) int {
	var u *UsageError
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		return 2
	}
	return 1
}

// Message returns the text tolk prints for err: the server's message with
// its field violations for a gRPC error, the error itself otherwise.
func Message(err error) string {
	st, ok := status.FromError(err)
	if !ok {
		return err.Error()
	}
	msg := st.Code().String() + ": " + st.Message()
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				if !strings.Contains(st.Message(), v.GetDescription()) {
					msg += fmt.Sprintf("\n  %s: %s", v.GetField(), v.GetDescription())
				}
			}
		}
	}
	return msg
}

const usage = `tolk — Dutch→English translation memory and glossary

Usage:
  tolk serve [--db PATH] [--addr HOST:PORT] [--no-seed]
  tolk segment [FILE|-] [--json] [--lang nl|en] [--srx FILE]
  tolk translate [FILE|-] [--format text|json|xliff|xliff12|tmx] [-o FILE] [--memory NAME]... [--glossary NAME]... [--min-score S]
  tolk confirm FILE.xlf --memory NAME [--user USER] [--accept-state new]
  tolk align NL_FILE EN_FILE | --batch DIR [--import MEMORY] [--format text|json|tmx] [--min-confidence C]
  tolk lookup [--json] [--limit K] [--min-score S] [--memory NAME]... [--prop TYPE=VALUE]... TEXT
  tolk concordance [--json] [--target] [--phrase] [--memory NAME]... TEXT
  tolk terms [--json] [--glossary NAME]... TEXT
  tolk tm list [--page-size N] [--page-token T] | create NAME | delete NAME
  tolk tm list NAME [--prop TYPE[=VALUE]]... [--changed-since DATE] [--changed-by USER] [--page-size N] [--page-token T] [--json]
  tolk tm get NAME [ID] [--json]
  tolk tm update NAME ID [--target T] [--prop TYPE=VALUE]... [--no-props] [--note N]... [--user USER]
  tolk tm update NAME --description TEXT
  tolk tm import FILE [--memory NAME] [--skip N] [--policy overwrite|keep-both|keep-newer] [--on-error stop|skip]
  tolk tm export [--memory NAME] [-o FILE] [--prop TYPE[=VALUE]]... [--changed-since DATE] [--changed-by USER]
  tolk glossary list [--json] | create NAME [--description D] | update NAME --description D | delete NAME
  tolk glossary import FILE [--glossary NAME] [--format tbx|csv|tsv|jsonl] [--source-lang L --target-lang L] [--encoding E]
  tolk glossary export --format tbx|tbx2|csv|tsv|jsonl [--glossary NAME] [-o FILE] [--subject S] [--status S] [--changed-since DATE]
  tolk glossary search [--json] [--fuzzy] [--page-size N] [--page-token T] TEXT
  tolk glossary concepts [--json] [--subject S] [--status S] [--changed-since DATE] [--page-size N] [--page-token T]
  tolk glossary get ID
  tolk backup -o FILE
  tolk stats [--json]
  tolk token create --name NAME --scope read,write,admin | list [--page-size N] [--page-token T] | revoke [--allow-open] ID|NAME
  tolk cluster status [--json] | join --node-id ID --raft-addr HOST:PORT --grpc-addr HOST:PORT | remove ID

Every command but serve and segment talks to a server: --addr HOST:PORT or
TOLK_ADDR (default 127.0.0.1:50051), --token or TOLK_TOKEN, --tls, --ca FILE,
--cert FILE --key FILE (client certificate for mTLS).
Exit status: 0 success, 1 a failed
request (the server's message on stderr), 2 a usage error.
`

type command struct {
	name string
	run  func(ctx context.Context, c *cli, args []string) error
}

// cli carries one invocation's environment.
type cli struct {
	env   Env
	addr  string
	token string
	tls   bool
	ca    string
	cert  string // client certificate for mTLS, with key
	key   string
	// consistency is --consistency: sent as tolk.ConsistencyHeader.
	consistency string
}

func (c *cli) getenv(k string) string {
	if c.env.Getenv != nil {
		return c.env.Getenv(k)
	}
	return os.Getenv(k)
}

// Run runs the tolk command line (without "serve", which needs the stores
// and lives in cmd/tolk). args excludes the program name.
func Run(ctx context.Context, args []string, env Env) error {
	if env.Stdin == nil {
		env.Stdin = strings.NewReader("")
	}
	c := &cli{env: env}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(env.Stdout, usage)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	commands := []command{
		{"segment", runSegment},
		{"translate", runTranslate},
		{"confirm", runConfirm},
		{"align", runAlign},
		{"lookup", runLookup},
		{"concordance", runConcordance},
		{"terms", runTerms},
		{"tm", runTM},
		{"glossary", runGlossary},
		{"backup", runBackup},
		{"stats", runStats},
		{"token", runToken},
		{"cluster", runCluster},
	}
	for _, cmd := range commands {
		if cmd.name == args[0] {
			return cmd.run(ctx, c, args[1:])
		}
	}
	fmt.Fprint(env.Stderr, usage)
	return usagef("unknown command %q", args[0])
}

// flags returns a FlagSet for a command, with --addr when remote.
func (c *cli) flags(name string, remote bool) *flag.FlagSet {
	fs := flag.NewFlagSet("tolk "+name, flag.ContinueOnError)
	fs.SetOutput(c.env.Stderr)
	if remote {
		def := c.getenv("TOLK_ADDR")
		if def == "" {
			def = client.DefaultAddr
		}
		fs.StringVar(&c.addr, "addr", def, "server address HOST:PORT (env TOLK_ADDR)")
		fs.StringVar(&c.token, "token", c.getenv("TOLK_TOKEN"), "API token (env TOLK_TOKEN)")
		fs.BoolVar(&c.tls, "tls", false, "connect with TLS, verifying the server against the system roots or --ca")
		fs.StringVar(&c.ca, "ca", "", "PEM file of the CA that signed the server's certificate (implies --tls)")
		fs.StringVar(&c.cert, "cert", "", "PEM client certificate, for a server that requires one (mTLS; with --key, implies --tls)")
		fs.StringVar(&c.key, "key", "", "PEM private key of --cert")
		fs.StringVar(&c.consistency, "consistency", "", "on a cluster node: local (default) or leader (read your writes)")
	}
	return fs
}

// parse parses flags that may stand before, between or after the
// positional arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dial connects to the server named by --addr, with the token and TLS
// settings of the command line.
func (c *cli) dial() (*client.Client, error) {
	if (c.cert == "") != (c.key == "") {
		return nil, usagef("--cert and --key go together")
	}
	opts := c.env.Dial
	if len(opts) == 0 {
		creds := insecure.NewCredentials()
		if c.tls || c.ca != "" || c.cert != "" {
			var err error
			if creds, err = client.MutualTLSCredentials(c.ca, c.cert, c.key); err != nil {
				return nil, err
			}
		}
		opts = []grpc.DialOption{grpc.WithTransportCredentials(creds)}
	}
	if c.token != "" {
		opts = append(opts, grpc.WithPerRPCCredentials(client.WithToken(c.token)))
	}
	if c.consistency != "" {
		opts = append(opts, withConsistency(c.consistency)...)
	}
	return client.New(c.addr, opts...)
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// printJSON writes m to standard output as protojson with the proto field
// names, one object per line.
func (c *cli) printJSON(m proto.Message) error { return c.printJSONTo(c.env.Stdout, m) }

func (c *cli) printJSONTo(w io.Writer, m proto.Message) error {
	b, err := protojson.MarshalOptions{UseProtoNames: true, EmitUnpopulated: true}.Marshal(m)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// openInput opens FILE, or standard input for "-" or no argument.
func (c *cli) openInput(pos []string) (io.ReadCloser, string, error) {
	if len(pos) > 1 {
		return nil, "", usagef("expected one FILE, got %d arguments", len(pos))
	}
	if len(pos) == 0 || pos[0] == "-" {
		return io.NopCloser(c.env.Stdin), "-", nil
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return nil, "", err
	}
	return f, pos[0], nil
}

// createOutput opens the -o file, or standard output for "" or "-". The
// caller must call the returned close function and check its error.
func (c *cli) createOutput(path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return c.env.Stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// parseAndDial parses a command's flags and connects, returning the
// positional arguments. The caller closes the client.
func (c *cli) parseAndDial(fs *flag.FlagSet, args []string) ([]string, *client.Client, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, nil, err
	}
	cl, err := c.dial()
	return pos, cl, err
}

// textAndDial is parseAndDial for a command that takes one TEXT: the
// positional arguments joined. The caller closes the client.
func (c *cli) textAndDial(fs *flag.FlagSet, args []string) (string, *client.Client, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return "", nil, err
	}
	text, err := oneText(pos, "TEXT")
	if err != nil {
		return "", nil, err
	}
	cl, err := c.dial()
	return text, cl, err
}

// oneText joins the positional arguments into the one TEXT a command takes.
func oneText(pos []string, what string) (string, error) {
	text := strings.TrimSpace(strings.Join(pos, " "))
	if text == "" {
		return "", usagef("%s is required", what)
	}
	return text, nil
}
