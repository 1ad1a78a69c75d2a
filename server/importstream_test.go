package server_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/server"
)

// reportTMX has four units: the second lacks its English, the third has
// a usage count that is not one; the XML is sound throughout.
const reportTMX = `<tmx version="1.4"><header srclang="nl"/><body>
<tu><tuv xml:lang="nl"><seg>Een.</seg></tuv><tuv xml:lang="en"><seg>One.</seg></tuv></tu>
<tu><tuv xml:lang="nl"><seg>Twee.</seg></tuv></tu>
<tu usagecount="-1"><tuv xml:lang="nl"><seg>Drie.</seg></tuv><tuv xml:lang="en"><seg>Three.</seg></tuv></tu>
<tu><tuv xml:lang="nl"><seg>Vier.</seg></tuv><tuv xml:lang="en"><seg>Four.</seg></tuv></tu>
</body></tmx>`

// importStream runs ImportTmxStream of doc into a new memory and returns
// the progress reports, the summary and the error.
func importStream(ctx context.Context, mem tolkv1.MemoryServiceClient, name string, onError tolkv1.OnError) ([]*tolkv1.ImportProgress, *tolkv1.ImportSummary, error) {
	s, err := mem.ImportTmxStream(ctx)
	if err != nil {
		return nil, nil, err
	}
	// Send in small chunks while the server answers: both at once.
	go func() {
		for i := 0; i < len(reportTMX); i += 64 {
			msg := &tolkv1.ImportTmxStreamRequest{Chunk: []byte(reportTMX[i:min(i+64, len(reportTMX))])}
			if i == 0 {
				msg.Memory, msg.Create, msg.OnError = name, true, onError
			}
			if s.Send(msg) != nil {
				return
			}
		}
		s.CloseSend()
	}()
	var progress []*tolkv1.ImportProgress
	var summary *tolkv1.ImportSummary
	for {
		resp, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return progress, summary, nil
		}
		if err != nil {
			return progress, summary, err
		}
		if p := resp.GetProgress(); p != nil {
			progress = append(progress, p)
		}
		if sm := resp.GetSummary(); sm != nil {
			summary = sm
		}
	}
}

func TestImportTmxStreamReports(t *testing.T) {
	ctx := context.Background()
	mem := tolkv1.NewMemoryServiceClient(startServer(t, server.Limits{ImportBatch: 1}))

	progress, summary, err := importStream(ctx, mem, "skip", tolkv1.OnError_ON_ERROR_SKIP)
	if err != nil {
		t.Fatal(err)
	}
	if summary == nil || summary.GetAdded() != 2 || summary.GetSkipped() != 2 || len(summary.GetWarnings()) != 2 {
		t.Fatalf("summary %v, want 2 added, 2 skipped, 2 warnings", summary)
	}
	for i, want := range []string{"(unit 2)", "(unit 3)"} {
		w := summary.GetWarnings()[i]
		if !strings.Contains(w.GetPosition(), want) || !strings.Contains(w.GetPosition(), "line ") {
			t.Errorf("warning %d at %q, want %s with its line", i, w.GetPosition(), want)
		}
	}
	if !strings.Contains(summary.GetWarnings()[1].GetMessage(), "usagecount") {
		t.Errorf("warning about the usage count says %q", summary.GetWarnings()[1].GetMessage())
	}
	if len(progress) != 2 || progress[0].GetAdded() != 1 || progress[1].GetAdded() != 2 || progress[1].GetUnitsRead() != 2 {
		t.Errorf("progress %v, want one report per committed batch of 1", progress)
	}
	if m, err := mem.GetMemory(ctx, &tolkv1.GetMemoryRequest{Name: "skip"}); err != nil || m.GetMemory().GetUnitCount() != 2 {
		t.Errorf("memory skip: %v, %v; want 2 units", m, err)
	}

	// Stop (the default): the import ends at the third unit with where and
	// why, keeping the first.
	_, summary, err = importStream(ctx, mem, "stop", tolkv1.OnError_ON_ERROR_UNSPECIFIED)
	st := status.Convert(err)
	if st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), "usagecount") || !strings.Contains(st.Message(), "unit 3") || summary != nil {
		t.Fatalf("stop: %v, summary %v", err, summary)
	}
	if m, err := mem.GetMemory(ctx, &tolkv1.GetMemoryRequest{Name: "stop"}); err != nil || m.GetMemory().GetUnitCount() != 1 {
		t.Errorf("memory stop: %v, %v; want 1 unit", m, err)
	}

	// ImportTmx stops too, as before.
	if err := importTMX(ctx, mem, "plain", reportTMX); status.Code(err) != codes.InvalidArgument {
		t.Errorf("ImportTmx of the same file: %v", err)
	}
}
