package server

import (
	"context"
	"errors"
	"log/slog"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk"
)

// toStatus maps an error from a domain package onto a gRPC status. It is the
// one place where domain errors meet gRPC codes: an EINVALID error carries a
// google.rpc.BadRequest field violation naming the field; an internal error
// is logged and answered without its details.
func (s *Server) toStatus(ctx context.Context, method string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err // already a status, e.g. from a stream's Recv
	}
	msg := err.Error()
	var code codes.Code
	switch tolk.ErrorCode(err) {
	case tolk.EINVALID:
		return invalidStatus(tolk.ErrorField(err), msg, err)
	case tolk.ENOTFOUND:
		code = codes.NotFound
	case tolk.EEXISTS:
		code = codes.AlreadyExists
	case tolk.ELIMIT:
		code = codes.ResourceExhausted
	case tolk.EFAILEDPRE:
		code = codes.FailedPrecondition
	case tolk.EUNAUTHENTICATED:
		code = codes.Unauthenticated
	case tolk.EPERMISSION:
		code = codes.PermissionDenied
	case tolk.EUNAVAILABLE:
		code = codes.Unavailable
	case tolk.ECANCELED:
		code = codes.Canceled
		if errors.Is(err, context.DeadlineExceeded) {
			code = codes.DeadlineExceeded
		}
	default:
		s.log.ErrorContext(ctx, "request failed", "method", method, "err", err)
		code, msg = codes.Internal, "internal error; the server log has the details"
	}
	return status.Error(code, msg)
}

// invalid returns an InvalidArgument status "field: msg" with a field
// violation for field. msg should not repeat the field's name.
func invalid(field, msg string) error {
	return invalidStatus(field, field+": "+msg, &tolk.Error{Code: tolk.EINVALID, Field: field, Message: msg})
}

// invalidStatus returns an InvalidArgument status with message msg and,
// when field is set, a field violation whose description is the message of
// the *tolk.Error in err.
func invalidStatus(field, msg string, err error) error {
	st := status.New(codes.InvalidArgument, msg)
	if field == "" {
		return st.Err()
	}
	desc := msg
	var e *tolk.Error
	if errors.As(err, &e) {
		desc = e.Message
	}
	detailed, err := st.WithDetails(&errdetails.BadRequest{
		FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: field, Description: desc}},
	})
	if err != nil {
		return st.Err()
	}
	return detailed.Err()
}

// logger returns l, or a logger that discards when l is nil.
func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}
