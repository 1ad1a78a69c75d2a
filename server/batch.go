package server

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/translate"
)

// LookupSegments looks up a CAT tool's own segments in one call.
func (t *memoryService) LookupSegments(ctx context.Context, req *tolkv1.LookupSegmentsRequest) (*tolkv1.LookupSegmentsResponse, error) {
	results, err := t.lookupSegments(ctx, req.GetSegments(), req.GetOptions())
	if err != nil {
		return nil, err
	}
	return &tolkv1.LookupSegmentsResponse{Results: results}, nil
}

// LookupSegmentsStream answers each batch of the stream as it comes. A bad
// batch ends the stream with its error; the batches before it have been
// answered.
func (t *memoryService) LookupSegmentsStream(stream tolkv1.MemoryService_LookupSegmentsStreamServer) error {
	ctx := stream.Context()
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		results, err := t.lookupSegments(ctx, req.GetSegments(), req.GetOptions())
		if err != nil {
			return err
		}
		if err := stream.Send(&tolkv1.LookupSegmentsStreamResponse{Results: results}); err != nil {
			return err
		}
	}
}

// lookupSegments validates one batch and looks it up.
func (t *memoryService) lookupSegments(ctx context.Context, segs []*tolkv1.SegmentQuery, o *tolkv1.TranslateOptions) ([]*tolkv1.SegmentResult, error) {
	unit, err := offsetUnitFromProto("options.offset_unit", o.GetOffsetUnit())
	if err != nil {
		return nil, err
	}
	qs := make([]translate.SegmentQuery, len(segs))
	for i, s := range segs {
		qs[i] = translate.SegmentQuery{ID: s.GetId(), Text: s.GetText(), Prev: s.GetPrev(), Next: s.GetNext()}
	}
	if err := translate.CheckSegments("segments", qs, t.s.limits.MaxSegments); err != nil {
		return nil, err
	}
	res, err := t.s.pipeline.LookupSegments(ctx, qs, optionsFromProto(o))
	if err != nil {
		return nil, err
	}
	out := make([]*tolkv1.SegmentResult, len(res))
	convert := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			p := alignedToProto(res[i].AlignedSegment)
			newOffsets(qs[i].Text, unit).aligned(p)
			out[i] = &tolkv1.SegmentResult{Id: res[i].ID, Segment: p}
		}
	}
	// The conversion is a fifth of a batch's work: shared among the cores
	// as the lookups are, so that it does not run on one while the others
	// wait for the answer.
	workers := max(1, min(runtime.GOMAXPROCS(0), len(res)/convertPerWorker))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { convert(w*len(res)/workers, (w+1)*len(res)/workers) })
	}
	wg.Wait()
	return out, nil
}

// convertPerWorker is the fewest results worth a converting goroutine.
const convertPerWorker = 64
