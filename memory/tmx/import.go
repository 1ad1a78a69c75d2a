package tmx

import (
	"context"
	"fmt"
	"io"

	"github.com/tolkdev/tolk/memory"
)

// ImportBatch is how many units Import writes per transaction.
const ImportBatch = 10000

// ImportResult reports what Import did.
type ImportResult struct {
	memory.AddResult        // over all committed batches (IDs left empty)
	Read             int    // units read from the file
	Skipped          int    // TUs without both languages or with an empty segment
	Header           Header // the file's header
}

// Import reads a TMX document from r and adds its units to the named
// memory with policy p, in transactions of ImportBatch units. Reading and
// parsing run concurrently with the writes. progress, when not nil, is
// called after each committed batch with the result so far.
//
// On error, the batches committed before it stay committed: the returned
// result counts them (Added+Updated+Skipped units are in the memory), and
// the error says where in the file the import stopped and why.
func Import(ctx context.Context, s *memory.Store, mem string, r io.Reader, opt Options, p memory.Policy, progress func(ImportResult)) (ImportResult, error) {
	var res ImportResult
	if _, err := s.Memory(ctx, mem); err != nil {
		return res, err
	}
	rd, err := NewReader(r, opt)
	if err != nil {
		return res, err
	}
	res.Header = rd.Header()
	type batch struct {
		units   []memory.Unit
		err     error
		skipped int
	}
	ch := make(chan batch, 2)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		defer close(ch)
		units := make([]memory.Unit, 0, ImportBatch)
		for {
			u, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				select {
				case ch <- batch{units, err, rd.Skipped()}:
				case <-ctx.Done():
				}
				return
			}
			units = append(units, u)
			if len(units) == ImportBatch {
				select {
				case ch <- batch{units: units, skipped: rd.Skipped()}:
				case <-ctx.Done():
					return
				}
				units = make([]memory.Unit, 0, ImportBatch)
			}
		}
		if len(units) > 0 {
			select {
			case ch <- batch{units: units, skipped: rd.Skipped()}:
			case <-ctx.Done():
			}
		}
	}()
	for b := range ch {
		if len(b.units) > 0 {
			ar, err := s.Add(ctx, mem, b.units, p)
			if err != nil {
				return res, fmt.Errorf("importing after %d units were committed: %w", res.Added+res.Updated+res.AddResult.Skipped, err)
			}
			res.Read += len(b.units)
			res.Added += ar.Added
			res.Updated += ar.Updated
			res.AddResult.Skipped += ar.Skipped
			res.Skipped = b.skipped
			if progress != nil {
				progress(res)
			}
		}
		if b.err != nil {
			return res, fmt.Errorf("import stopped after %d committed units: %w", res.Added+res.Updated+res.AddResult.Skipped, b.err)
		}
	}
	return res, ctx.Err()
}
