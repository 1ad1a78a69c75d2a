package cluster_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// BenchmarkAddUnits compares a write through gRPC to a single node with
// the same write through the leader of a three-node cluster in the same
// process (so on the same cores): one unit (the latency of an
// acknowledged write) and 500 units. (With 5,000-unit batches three nodes in one process on 2 cores starve each other: the leader misses its lease and steps down; the soak in cmd/tolk measures import batches with one process a node.)
//
//	go test ./cluster -run '^$' -bench AddUnits -benchtime 20x
func BenchmarkAddUnits(b *testing.B) {
	for _, size := range []int{1, 500} {
		b.Run(fmt.Sprintf("single/%d", size), func(b *testing.B) {
			benchAdd(b, singleNode(b), size)
		})
		b.Run(fmt.Sprintf("cluster3/%d", size), func(b *testing.B) {
			nodes := []*testNode{newTestNode(b, "n1"), newTestNode(b, "n2"), newTestNode(b, "n3")}
			for _, n := range nodes {
				n.defaultTiming = true
			}
			if err := nodes[0].start(b, true, ""); err != nil {
				b.Fatal(err)
			}
			for _, n := range nodes[1:] {
				if err := n.start(b, false, nodes[0].grpcAddr); err != nil {
					b.Fatal(err)
				}
				converge(b, nodes)
			}
			benchAdd(b, leader(b, nodes).mem(), size)
		})
	}
}

// singleNode serves a node without cluster flags on loopback.
func singleNode(b *testing.B) tolkv1.MemoryServiceClient {
	tn := newTestNode(b, "single")
	st, err := tn.openStores(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.DB.Close() })
	srv := server.New(server.Config{DB: st.DB, Memory: st.Memory, Glossary: st.Glossary, Access: st.Access, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go g.Serve(lis)
	b.Cleanup(g.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return tolkv1.NewMemoryServiceClient(conn)
}

// benchAdd adds b.N batches of size units and reports units/s.
func benchAdd(b *testing.B, mem tolkv1.MemoryServiceClient, size int) {
	ctx := context.Background()
	if _, err := mem.CreateMemory(ctx, &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: "bench", SourceLanguage: "nl", TargetLanguage: "en"}}); err != nil {
		b.Fatal(err)
	}
	batches := make([][]*tolkv1.Unit, b.N)
	for i := range batches {
		batches[i] = batch(fmt.Sprintf("b%d", i), size)
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := mem.AddUnits(ctx, &tolkv1.AddUnitsRequest{Memory: "bench", Units: batches[i]}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "units/s")
}
