package server

import (
	"context"
	"errors"
	"log/slog"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	"github.com/tolkdev/tolk"
)

// Handlers return plain errors: *tolk.Error values from the domain packages
// or their own validation, wrapped or not, or the status errors of a
// stream's Send and Recv. errorsUnary and errorsStream map them onto a gRPC
// status once, in toStatus.

func (s *Server) errorsUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	resp, err := handler(ctx, req)
	if err != nil {
		return nil, s.toStatus(ctx, info.FullMethod, err)
	}
	return resp, nil
}

func (s *Server) errorsStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	err := handler(srv, decodeCheckingStream{ss})
	return s.toStatus(ss.Context(), info.FullMethod, err)
}

// codeOf maps the domain codes onto gRPC codes.
func codeOf(c tolk.Code) codes.Code {
	switch c {
	case tolk.EINVALID:
		return codes.InvalidArgument
	case tolk.ENOTFOUND:
		return codes.NotFound
	case tolk.EEXISTS:
		return codes.AlreadyExists
	case tolk.ELIMIT:
		return codes.ResourceExhausted
	case tolk.EFAILEDPRE:
		return codes.FailedPrecondition
	case tolk.EUNAUTHENTICATED:
		return codes.Unauthenticated
	case tolk.EPERMISSION:
		return codes.PermissionDenied
	case tolk.ECANCELED:
		return codes.Canceled
	case tolk.EUNAVAILABLE:
		return codes.Unavailable
	}
	return codes.Internal
}

// toStatus maps an error onto a gRPC status. It is the one place where
// errors meet gRPC codes. Every status it returns carries a
// google.rpc.ErrorInfo with the error's reason (tolk.ErrorReason) in the
// domain tolk.ErrorDomain; an EINVALID error with a field also carries a
// google.rpc.BadRequest field violation naming it. An internal error is
// logged and answered without its details. A status error from gRPC itself
// (a stream's Recv or Send) keeps its code and message and gets the
// reason of that code.
func (s *Server) toStatus(ctx context.Context, method string, err error) error {
	if err == nil {
		return nil
	}
	if st, ok := status.FromError(err); ok {
		return grpcStatus(ctx, st)
	}
	reason := tolk.ErrorReason(err)
	code, msg := codeOf(tolk.ErrorCode(err)), err.Error()
	switch {
	case code == codes.Canceled && (errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded)):
		code, reason = codes.DeadlineExceeded, tolk.ReasonDeadlineExceeded
	case code == codes.Internal:
		s.log.ErrorContext(ctx, "request failed", "method", method, "err", err)
		msg = "internal error; the server log has the details"
	}
	return withDetails(status.New(code, msg), reason, err)
}

// grpcStatus gives a status that gRPC made the reason of its code. A stream
// whose deadline passed is reported as DeadlineExceeded even when gRPC saw
// only its context canceled.
func grpcStatus(ctx context.Context, st *status.Status) error {
	for _, d := range st.Details() {
		if _, ok := d.(*errdetails.ErrorInfo); ok {
			return st.Err()
		}
	}
	code := st.Code()
	if code == codes.Canceled && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		code = codes.DeadlineExceeded
	}
	var reason tolk.Reason
	switch code {
	case codes.DeadlineExceeded:
		reason = tolk.ReasonDeadlineExceeded
	case codes.ResourceExhausted:
		reason = tolk.ReasonMessageTooLarge
	case codes.InvalidArgument:
		reason = tolk.ReasonInvalidArgument
	case codes.Canceled:
		reason = tolk.ReasonCanceled
	case codes.Unavailable:
		reason = tolk.ReasonUnavailable
	default:
		reason = tolk.ReasonInternal
	}
	return withDetails(status.New(code, st.Message()), reason, nil)
}

// withDetails adds the ErrorInfo of reason to st and, when err is an
// EINVALID *tolk.Error with a field, a BadRequest field violation whose
// description is the error's message.
func withDetails(st *status.Status, reason tolk.Reason, err error) error {
	info := &errdetails.ErrorInfo{Reason: string(reason), Domain: tolk.ErrorDomain}
	details := []protoadapt.MessageV1{info}
	var e *tolk.Error
	if errors.As(err, &e) && e.Field != "" {
		info.Metadata = map[string]string{"field": e.Field}
		if e.Code == tolk.EINVALID {
			details = append(details, &errdetails.BadRequest{
				FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: e.Field, Description: e.Message}},
			})
		}
	}
	detailed, derr := st.WithDetails(details...)
	if derr != nil {
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

// fileError re-roots an EINVALID error about a place in a streamed file
// ("line 12: ...") onto field, the request field that carried the file, as
// a MALFORMED_FILE error whose message keeps the place. Other errors pass.
func fileError(field string, err error) error {
	var e *tolk.Error
	if !errors.As(err, &e) || e.Code != tolk.EINVALID {
		return err
	}
	msg := err.Error()
	if e.Field == field {
		msg = e.Message
	}
	return &tolk.Error{Code: tolk.EINVALID, Reason: tolk.ReasonMalformedFile, Field: field, Message: msg}
}

// inRequest renames the field of the domain *tolk.Error in err's chain to
// its path in the request, path(field), for the domain packages whose
// field names differ from the .proto's or that name no field ("") where the
// request has one. Other errors are left as they are.
func inRequest(err error, path func(field string) string) error {
	var e *tolk.Error
	if errors.As(err, &e) {
		e.Field = path(e.Field)
	}
	return err
}

// renamed returns a path function for inRequest that maps the fields in
// paths and leaves the others.
func renamed(paths map[string]string) func(string) string {
	return func(f string) string {
		if p, ok := paths[f]; ok {
			return p
		}
		return f
	}
}
