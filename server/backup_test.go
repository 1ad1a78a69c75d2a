package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// startTCPServer runs a real, seeded server over a real bbolt file on
// 127.0.0.1 and returns the address it listens on.
func startTCPServer(t *testing.T) string {
	t.Helper()
	db, mem, gl := openStores(t, true)
	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	return serveTCP(t, g)
}

// dial connects to addr. The client's flow-control windows are the
// smallest gRPC allows, so a client that stops reading stops the server's
// sends within 64 KiB.
func dial(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithInitialWindowSize(64<<10), grpc.WithInitialConnWindowSize(64<<10))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// tmxDoc is a TMX document of n units numbered from first.
func tmxDoc(first, n int) string {
	var b strings.Builder
	b.WriteString(`<tmx version="1.4"><header srclang="nl"/><body>`)
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, `<tu><tuv xml:lang="nl"><seg>De minister van Buitenlandse Zaken sprak op dag %d met de ambassadeur over het verdrag.</seg></tuv><tuv xml:lang="en"><seg>On day %d the minister of foreign affairs spoke with the ambassador about the treaty.</seg></tuv></tu>`, i, i)
	}
	b.WriteString(`</body></tmx>`)
	return b.String()
}

// TestStalledBackupBlocksNobody opens a backup whose client never reads
// past the first message, then imports enough units that bbolt must grow
// (and remap) its file: the import finishes, and lookups, AddUnits and
// Stats made meanwhile each answer within normal latency.
func TestStalledBackupBlocksNobody(t *testing.T) {
	addr := startTCPServer(t)
	conn := dial(t, addr)
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(conn)
	admin := tolkv1.NewAdminServiceClient(conn)
	stats, err := admin.Stats(ctx, &tolkv1.StatsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	before := stats.GetDatabaseBytes()

	bctx, stopBackup := context.WithCancel(ctx)
	defer stopBackup()
	backup, err := tolkv1.NewAdminServiceClient(dial(t, addr)).Backup(bctx, &tolkv1.BackupRequest{})
	if err != nil {
		t.Fatal(err)
	}
	first, err := backup.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if first.GetTotalSize() <= 256<<10 {
		t.Fatalf("the backup is %d bytes: too small to fill the flow-control windows", first.GetTotalSize())
	}
	// The client reads nothing more: the server's sends block.

	imported := make(chan error, 1)
	go func() {
		ictx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		imported <- importTMX(ictx, mem, "grow", tmxDoc(0, 40000))
	}()
	// Quiet, the slowest call takes ~0.15 s. AddUnits queues behind the
	// import's batch commits, which under -race on a busy machine take
	// seconds. The bounds leave room for that, while on the old Backup
	// every call waited for the backup, forever.
	var slowest time.Duration
	call := func(what string, bound time.Duration, f func(context.Context) error) {
		t.Helper()
		cctx, cancel := context.WithTimeout(ctx, 2*bound)
		defer cancel()
		start := time.Now()
		err := f(cctx)
		took := time.Since(start)
		slowest = max(slowest, took)
		if err != nil || took > bound {
			t.Fatalf("%s during a stalled backup: %v after %v, want an answer within %v", what, err, took, bound)
		}
	}
	for i := 0; ; i++ {
		call("Lookup", 10*time.Second, func(ctx context.Context) error {
			_, err := mem.Lookup(ctx, &tolkv1.LookupRequest{Text: "De minister sprak met de ambassadeur over het verdrag."})
			return err
		})
		call("AddUnits", 20*time.Second, func(ctx context.Context) error {
			_, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: seeds.MemoryName, Units: []*tolkv1.Unit{
				{Source: fmt.Sprintf("Zin %d tijdens de back-up.", i), Target: fmt.Sprintf("Sentence %d during the backup.", i)}}})
			return err
		})
		call("Stats", 10*time.Second, func(ctx context.Context) error {
			stats, err = admin.Stats(ctx, &tolkv1.StatsRequest{})
			return err
		})
		select {
		case err := <-imported:
			if err != nil {
				t.Fatalf("import during a stalled backup: %v", err)
			}
			if after := stats.GetDatabaseBytes(); after < 2*before {
				t.Errorf("the database grew from %d to %d bytes only: bbolt did not have to remap", before, after)
			}
			t.Logf("import of 40,000 units done; database %d → %d bytes; %d rounds of calls, slowest %v", before, stats.GetDatabaseBytes(), i+1, slowest)
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}
