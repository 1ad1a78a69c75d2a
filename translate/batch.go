package translate

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/segment"
)

// SegmentQuery is one segment a CAT tool has cut itself: its own id, the
// text, and the texts of its neighbours for in-context matching.
type SegmentQuery struct {
	ID         string
	Text       string
	Prev, Next string
}

// SegmentResult is the answer for one SegmentQuery: its id and the segment
// as Translate would align it, with offsets into the query's text.
type SegmentResult struct {
	ID string
	AlignedSegment
}

// CheckSegments validates a batch of segment queries given in the named
// request field: at most max of them (0: no limit), each with an id unique
// in the batch and a text that is UTF-8 and not blank. A text longer than a
// lookup takes is not an error: its result says why it was skipped.
func CheckSegments(field string, qs []SegmentQuery, max int) error {
	if len(qs) == 0 {
		return tolk.Invalidf(field, "required: send at least one segment")
	}
	if max > 0 && len(qs) > max {
		return &tolk.Error{Code: tolk.ELIMIT, Reason: tolk.ReasonTooManyItems, Field: field, Message: fmt.Sprintf(
			"%d segments is more than the limit of %d per request; send them in several requests, or on the stream", len(qs), max)}
	}
	seen := make(map[string]int, len(qs))
	for i, q := range qs {
		at := func(f string) string { return fmt.Sprintf("%s[%d].%s", field, i, f) }
		switch j, dup := seen[q.ID]; {
		case q.ID == "":
			return tolk.Invalidf(at("id"), "required: the caller's id of the segment, returned with its result")
		case dup:
			return tolk.Invalidf(at("id"), "%q is also the id of segment %d; ids must be unique in a request", q.ID, j)
		}
		seen[q.ID] = i
		for _, t := range []struct{ name, text string }{{"text", q.Text}, {"prev", q.Prev}, {"next", q.Next}} {
			if !utf8.ValidString(t.text) {
				return &tolk.Error{Code: tolk.EINVALID, Reason: tolk.ReasonInvalidEncoding, Field: at(t.name), Message: "not valid UTF-8"}
			}
		}
		if strings.TrimSpace(q.Text) == "" {
			return tolk.Invalidf(at("text"), "required, and must not be blank")
		}
	}
	return nil
}

// LookupSegments looks up segments that the caller has cut itself, as
// Translate looks up the sentences it finds: each gets its matches (the
// best with placeables adapted, and alternatives), its glossary hits and
// the check of the draft against them. Offsets are into each query's text.
// A (text, prev, next) that repeats in the batch is looked up once and its
// answer copied; the distinct queries are shared among up to GOMAXPROCS
// workers, each looking up a run of them. The caller owes queries that pass
// CheckSegments; opt.MaxSegments does not apply.
func (p *Pipeline) LookupSegments(ctx context.Context, qs []SegmentQuery, opt Options) ([]SegmentResult, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	first, of := distinct(qs)
	res := make([]SegmentResult, len(first))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(first)/minPerWorker))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			lo, hi := w*len(first)/workers, (w+1)*len(first)/workers
			if errs[w] = p.lookupRun(ctx, qs, first[lo:hi], opt, res[lo:hi]); errs[w] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]SegmentResult, len(qs))
	for i, q := range qs {
		out[i] = res[of[i]] // a repeat shares its first's slices: read-only
		out[i].ID, out[i].Index = q.ID, i
	}
	return out, nil
}

// distinct returns the positions in qs of the first query with each
// (text, prev, next), in order, and for each query the position in first
// of its own first.
func distinct(qs []SegmentQuery) (first, of []int) {
	seen := make(map[lookupKey]int, len(qs))
	of = make([]int, len(qs))
	for i, q := range qs {
		k := lookupKey{text: q.Text, prev: q.Prev, next: q.Next}
		j, ok := seen[k]
		if !ok {
			j = len(first)
			seen[k] = j
			first = append(first, i)
		}
		of[i] = j
	}
	return first, of
}

// lookupRun looks up the queries qs[at[i]] into out[i].
func (p *Pipeline) lookupRun(ctx context.Context, qs []SegmentQuery, at []int, opt Options, out []SegmentResult) error {
	tr, err := p.newTranslator(opt)
	if err != nil {
		return err
	}
	for i, n := range at {
		q := qs[n]
		sg := segment.Segment{Start: 0, End: len(q.Text), Text: q.Text}
		err := tr.send(ctx, n, sg, q.Prev, q.Next, func(a AlignedSegment) error {
			out[i] = SegmentResult{ID: q.ID, AlignedSegment: a}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// minPerWorker is the fewest segments worth a worker of their own.
const minPerWorker = 16
