package server_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmgen"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
	"github.com/tolkdev/tolk/translate"
)

// BenchmarkTranslate translates the NTREX news documents against a
// 100,000-unit generated memory and the seed glossary, over gRPC (a real
// server on an in-memory connection) and, as the baseline in the same run,
// through the pipeline directly. It reports segments per second.
//
//	go test ./server -run '^$' -bench Translate -benchtime 3x
func BenchmarkTranslate(b *testing.B) {
	ctx := context.Background()
	root, ok := shareddata.Root()
	if !ok {
		b.Skip("shared data folder not found: set TOLK_DATA")
	}
	db, err := bbolt.Open(b.TempDir()+"/bench.db", 0o600, &bbolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	mem, err := memory.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	gl, err := glossary.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	concepts, err := seeds.Concepts()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := gl.Upsert(ctx, concepts); err != nil {
		b.Fatal(err)
	}
	pairs, err := tmgen.LoadCorpus(root)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := mem.CreateMemory(ctx, memory.Memory{Name: "bench", SourceLang: "nl", TargetLang: "en"}); err != nil {
		b.Fatal(err)
	}
	gen := tmgen.New(pairs, 1)
	for i := 0; i < 100; i++ {
		batch := make([]memory.Unit, 0, 1000)
		for len(batch) < cap(batch) {
			if u := gen.Unit(); strings.TrimSpace(u.Source) != "" {
				batch = append(batch, u)
			}
		}
		if _, err := mem.Add(ctx, "bench", batch, memory.KeepBoth); err != nil {
			b.Fatal(err)
		}
	}
	nl, err := os.ReadFile(root + "/parallel/ntrex128/newstest2019-ref.nld.txt")
	if err != nil {
		b.Fatal(err)
	}
	// One document per 16 sentences, as news articles come.
	lines := strings.Split(strings.ReplaceAll(string(nl), "\r\n", "\n"), "\n")
	var docs []string
	for i := 0; i < len(lines); i += 16 {
		docs = append(docs, strings.Join(lines[i:min(i+16, len(lines))], " "))
	}

	srv := server.New(server.Config{DB: db, Memory: mem, Glossary: gl})
	g := grpc.NewServer(srv.ServerOptions()...)
	srv.Register(g)
	conn := dialBufconn(b, g)
	tr := tolkv1.NewTranslationServiceClient(conn)
	pipeline := &translate.Pipeline{Memory: mem, Glossary: gl}

	var grpcRate, directRate float64
	b.Run("grpc", func(b *testing.B) {
		segs := 0
		for b.Loop() {
			for _, d := range docs {
				resp, err := tr.Translate(ctx, &tolkv1.TranslateRequest{Text: d})
				if err != nil {
					b.Fatal(err)
				}
				segs += len(resp.GetSegments())
			}
		}
		grpcRate = float64(segs) / b.Elapsed().Seconds()
		b.ReportMetric(grpcRate, "segments/s")
	})
	b.Run("direct", func(b *testing.B) {
		segs := 0
		for b.Loop() {
			for _, d := range docs {
				out, err := pipeline.Translate(ctx, d, translate.Options{})
				if err != nil {
					b.Fatal(err)
				}
				segs += len(out)
			}
		}
		directRate = float64(segs) / b.Elapsed().Seconds()
		b.ReportMetric(directRate, "segments/s")
	})
	if directRate > 0 {
		b.Logf("gRPC %.0f segments/s, direct %.0f segments/s: gRPC costs %.0f%%", grpcRate, directRate, 100*(1-grpcRate/directRate))
	}
}
