package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/tolkdev/tolk/client"
	"github.com/tolkdev/tolk/internal/cli"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// TestGracefulShutdown sends SIGTERM to a server process while the CLI
// imports a file that arrives slowly (through a FIFO), and checks the
// order of the shutdown: a health watch sees NOT_SERVING at once, calls
// still succeed during the drain, the import is then ended and the CLI
// told how many units were committed, and the process exits 0. The import
// is then resumed with --skip and completes the memory.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a server process; skipped with -short")
	}
	const units, drain = 40000, time.Second
	bin := buildTolk(t)
	tmxPath := writeTMX(t, units)
	doc, err := os.ReadFile(tmxPath)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "tolk.db")
	p := startProcess(t, bin, db, "--drain", drain.String())
	cl, err := client.New(p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	watch, err := healthpb.NewHealthClient(clientConn(t, p.addr)).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if st := recvHealth(t, watch); st != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health before SIGTERM = %v", st)
	}

	fifo := filepath.Join(t.TempDir(), "slow.tmx")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("cannot make a FIFO here: %v", err)
	}
	go feedSlowly(fifo, doc) // ~800 KB/s: the whole file would take ~5 s
	done := make(chan string, 1)
	go func() {
		_, _, stderr := runCLI(p.addr, "tm", "import", fifo, "--memory", "m")
		done <- stderr
	}()
	committed := 0
	for committed == 0 {
		n, ok := <-p.committed
		if !ok {
			t.Fatal("the server ended before it committed a batch")
		}
		committed = n
	}

	term := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if st := recvHealth(t, watch); st != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Fatalf("health after SIGTERM = %v; want NOT_SERVING", st)
	}
	if _, err := cl.Memory.ListMemories(ctx, &tolkv1.ListMemoriesRequest{}); err != nil {
		t.Errorf("a call during the drain failed: %v", err)
	}
	if took := time.Since(term); took > drain/2 {
		t.Errorf("NOT_SERVING and a call took %v after SIGTERM; the drain is %v", took, drain)
	}

	stderr := <-done
	m := regexp.MustCompile(`import stopped: (\d+) units were committed; resume with --skip (\d+)`).FindStringSubmatch(stderr)
	if m == nil || !strings.Contains(stderr, "Unavailable") {
		t.Fatalf("the CLI printed %q; want Unavailable and the committed count", stderr)
	}
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("the server exited with %v; want 0", err)
	}
	if took := time.Since(term); took < drain {
		t.Errorf("the server exited %v after SIGTERM, before the %v drain", took, drain)
	}
	resume, _ := strconv.Atoi(m[2])
	if m[1] != m[2] || resume < committed || resume >= units {
		t.Fatalf("CLI says %s committed, resume at %s; the server logged %d before SIGTERM", m[1], m[2], committed)
	}

	// Resume on a restarted server: the memory ends with every unit once.
	p2 := startProcess(t, bin, db)
	defer func() { p2.cmd.Process.Signal(syscall.SIGTERM); p2.cmd.Wait() }()
	code, _, stderr := runCLI(p2.addr, "tm", "import", tmxPath, "--memory", "m", "--skip", m[2])
	want := fmt.Sprintf("imported into m: %d added, 0 updated", units-resume)
	if code != 0 || !strings.Contains(stderr, want) {
		t.Fatalf("resumed import: exit %d, %q; want %q", code, stderr, want)
	}
	code, out, _ := runCLI(p2.addr, "tm", "list")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("%d units", units)) {
		t.Errorf("after resuming, tm list = %q; want m with %d units", out, units)
	}
}

// feedSlowly writes doc into the FIFO at path in 16 KiB pieces, 20 ms
// apart, until the reader goes away.
func feedSlowly(path string, doc []byte) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	for i := 0; i < len(doc); i += 16 << 10 {
		if _, err := f.Write(doc[i:min(i+16<<10, len(doc))]); err != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// runCLI runs one tolk command against the server at addr.
func runCLI(addr string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	err := cli.Run(context.Background(), append(args, "--addr", addr), cli.Env{Stdout: &out, Stderr: &errOut,
		Getenv: func(string) string { return "" }})
	if err != nil {
		errOut.WriteString(cli.Message(err))
	}
	return cli.ExitCode(err), out.String(), errOut.String()
}

func recvHealth(t *testing.T, w healthpb.Health_WatchClient) healthpb.HealthCheckResponse_ServingStatus {
	t.Helper()
	resp, err := w.Recv()
	if err != nil {
		t.Fatalf("health watch: %v", err)
	}
	return resp.GetStatus()
}

// clientConn returns a plaintext connection to addr, closed with the test.
func clientConn(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
