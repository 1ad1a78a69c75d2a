package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/memory"
)

// Trailer keys of an import's answer, success or not.
const (
	trailerCommitted = "tolk-committed-units" // units added or updated
	trailerResume    = "tolk-resume-skip"     // the skip_units to resume from
)

// importProgress is how far an import got.
type importProgress struct {
	memory.AddResult
	// Resume counts the file's units up to the last committed batch
	// (stored, or skipped by the policy): the skip_units that resumes the
	// import where it stopped.
	Resume int
}

func (p importProgress) committed() int { return p.Added + p.Updated }

// setTrailer tells the client what the import committed, whether it
// finished or not.
func (p importProgress) setTrailer(stream grpc.ServerStream) {
	stream.SetTrailer(metadata.Pairs(
		trailerCommitted, strconv.Itoa(p.committed()),
		trailerResume, strconv.Itoa(p.Resume)))
}

// Why importContext's context ends before the call's own.
var (
	errShuttingDown = errors.New("the server is shutting down")
	errDeadlineNear = errors.New("the call's deadline is near")
)

// importContext returns the context an import runs in: it ends when the
// server stops (Stop) and shortly before the call's deadline, so that the
// import can still answer with what it committed before the client gives
// up. Call cancel when the import is done.
func (s *Server) importContext(ctx context.Context) (context.Context, context.CancelFunc) {
	cancels := []context.CancelFunc{}
	if d, ok := ctx.Deadline(); ok {
		margin := min(2*time.Second, time.Until(d)/4)
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadlineCause(ctx, d.Add(-margin), errDeadlineNear)
		cancels = append(cancels, cancel)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	stop := context.AfterFunc(s.stopping, func() { cancel(errShuttingDown) })
	return ctx, func() {
		stop()
		cancel(nil)
		for _, c := range cancels {
			c()
		}
	}
}

// importCut returns the error an import answers with when err stopped it
// after p: why, what was committed and how to resume.
func importCut(ctx context.Context, err error, p importProgress) error {
	if ctx.Err() == nil {
		return fmt.Errorf("%w (%d units were committed before the error; resume with skip_units (--skip) %d)", err, p.committed(), p.Resume)
	}
	e := &cutError{code: tolk.ECANCELED, why: "the call was canceled", p: p}
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errShuttingDown):
		e.code, e.why = tolk.EUNAVAILABLE, "the server is shutting down"
	case errors.Is(cause, errDeadlineNear), errors.Is(cause, context.DeadlineExceeded):
		e.deadline, e.why = true, "the call's deadline passed"
	}
	return e
}

// cutError is an import cut short by a shutdown, a deadline or a cancel.
type cutError struct {
	code     tolk.Code
	deadline bool // answered with DeadlineExceeded
	why      string
	p        importProgress
}

func (e *cutError) Error() string {
	return fmt.Sprintf("import stopped: %s; %d units were committed; resume with skip_units (--skip) %d", e.why, e.p.committed(), e.p.Resume)
}

func (e *cutError) Unwrap() []error {
	errs := []error{&tolk.Error{Code: e.code, Message: e.Error()}}
	if e.deadline {
		errs = append(errs, context.DeadlineExceeded)
	}
	return errs
}
