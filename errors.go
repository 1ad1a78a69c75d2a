// Package tolk holds what every part of the Tolk translation-memory service
// shares: the error kinds that domain packages return and that the server
// maps onto gRPC status codes in one place.
//
// Domain packages (memory, glossary, segment, translate, align) return
// *Error values, or wrap them, so the transport never has to guess what went
// wrong from an error string.
package tolk

import (
	"context"
	"errors"
	"fmt"
)

// Code classifies an error by what the caller can do about it.
type Code string

// The error codes. They mirror the gRPC codes the server maps them to.
const (
	EINTERNAL  Code = "internal"           // a bug or an I/O failure: the caller cannot fix it
	EINVALID   Code = "invalid"            // the request is malformed; Field names the culprit
	ENOTFOUND  Code = "not_found"          // a named memory, unit, concept... does not exist
	EEXISTS    Code = "already_exists"     // creating something that is already there
	ELIMIT     Code = "resource_exhausted" // a size or count limit was exceeded
	ECANCELED  Code = "canceled"           // the context was canceled or its deadline passed
	EFAILEDPRE Code = "failed_precondition"
	// EUNAUTHENTICATED: no valid credentials; EPERMISSION: valid, but not allowed.
	EUNAUTHENTICATED Code = "unauthenticated"
	EPERMISSION      Code = "permission_denied"
	// EUNAVAILABLE: the service cannot do it now (shutting down, a
	// read-only or failing disk); the same request may succeed later.
	EUNAVAILABLE Code = "unavailable"
)

// Reason is the machine-readable cause of an error: the reason of the
// google.rpc.ErrorInfo that the server attaches to every error status, in
// the domain ErrorDomain. Clients branch on it instead of parsing messages.
// The reasons are stable: one is never renamed or given another meaning.
type Reason string

// ErrorDomain is the ErrorInfo domain of every Tolk error.
const ErrorDomain = "tolk.dev"

// The reasons. The first group are the defaults of the codes, used when an
// error names no reason; the second are specific causes. Each belongs to
// one Code (see Reason.Code). Reasons lists them all; the .proto comments
// (proto/tolk/v1/errors.proto) and the README list the same set, and a test
// checks that they do.
const (
	ReasonInvalidArgument    Reason = "INVALID_ARGUMENT"    // EINVALID: a field is missing or wrong
	ReasonNotFound           Reason = "NOT_FOUND"           // ENOTFOUND
	ReasonAlreadyExists      Reason = "ALREADY_EXISTS"      // EEXISTS
	ReasonLimitExceeded      Reason = "LIMIT_EXCEEDED"      // ELIMIT
	ReasonCanceled           Reason = "CANCELED"            // ECANCELED: the caller canceled
	ReasonFailedPrecondition Reason = "FAILED_PRECONDITION" // EFAILEDPRE
	ReasonUnauthenticated    Reason = "UNAUTHENTICATED"     // EUNAUTHENTICATED
	ReasonPermissionDenied   Reason = "PERMISSION_DENIED"   // EPERMISSION
	ReasonInternal           Reason = "INTERNAL"            // EINTERNAL
	ReasonUnavailable        Reason = "UNAVAILABLE"         // EUNAVAILABLE: try again later

	ReasonDeadlineExceeded Reason = "DEADLINE_EXCEEDED"  // ECANCELED: the deadline passed
	ReasonInvalidEncoding  Reason = "INVALID_ENCODING"   // EINVALID: a string is not valid UTF-8
	ReasonUnknownEnum      Reason = "UNKNOWN_ENUM_VALUE" // EINVALID: an enum field holds a value this server does not know
	ReasonInvalidPageToken Reason = "INVALID_PAGE_TOKEN" // EINVALID: the page token is not one given for this query
	ReasonMalformedFile    Reason = "MALFORMED_FILE"     // EINVALID: an imported file is not valid; the message says where
	ReasonMemoryNotFound   Reason = "MEMORY_NOT_FOUND"   // ENOTFOUND
	ReasonUnitNotFound     Reason = "UNIT_NOT_FOUND"     // ENOTFOUND
	ReasonConceptNotFound  Reason = "CONCEPT_NOT_FOUND"  // ENOTFOUND
	ReasonTokenNotFound    Reason = "TOKEN_NOT_FOUND"    // ENOTFOUND
	ReasonGlossaryNotFound Reason = "GLOSSARY_NOT_FOUND" // ENOTFOUND
	ReasonMemoryExists     Reason = "MEMORY_EXISTS"      // EEXISTS
	ReasonTokenExists      Reason = "TOKEN_EXISTS"       // EEXISTS
	ReasonGlossaryExists   Reason = "GLOSSARY_EXISTS"    // EEXISTS
	ReasonTextTooLong      Reason = "TEXT_TOO_LONG"      // ELIMIT: a text is over its size limit
	ReasonTooManyItems     Reason = "TOO_MANY_ITEMS"     // ELIMIT: too many units, concepts or segments in one request
	ReasonTokenRequired    Reason = "TOKEN_REQUIRED"     // EUNAUTHENTICATED: the server has tokens and the call has none
	ReasonTokenInvalid     Reason = "TOKEN_INVALID"      // EUNAUTHENTICATED: unknown or revoked token
	ReasonScopeMissing     Reason = "SCOPE_MISSING"      // EPERMISSION: the token lacks the method's scope
	ReasonLastAdminToken   Reason = "LAST_ADMIN_TOKEN"   // EFAILEDPRE: removing it would open the server
)

// Reasons returns every reason, defaults first.
func Reasons() []Reason {
	return []Reason{
		ReasonInvalidArgument, ReasonNotFound, ReasonAlreadyExists, ReasonLimitExceeded, ReasonCanceled,
		ReasonFailedPrecondition, ReasonUnauthenticated, ReasonPermissionDenied, ReasonInternal, ReasonUnavailable,
		ReasonDeadlineExceeded, ReasonInvalidEncoding, ReasonUnknownEnum, ReasonInvalidPageToken, ReasonMalformedFile,
		ReasonMemoryNotFound, ReasonUnitNotFound, ReasonConceptNotFound, ReasonTokenNotFound,
		ReasonMemoryExists, ReasonTokenExists, ReasonTextTooLong, ReasonTooManyItems,
		ReasonTokenRequired, ReasonTokenInvalid, ReasonScopeMissing, ReasonLastAdminToken,
		ReasonGlossaryNotFound, ReasonGlossaryExists,
	}
}

// Code returns the code every error with reason r has ("" for an unknown
// reason).
func (r Reason) Code() Code {
	switch r {
	case ReasonInvalidArgument, ReasonInvalidEncoding, ReasonUnknownEnum, ReasonInvalidPageToken, ReasonMalformedFile:
		return EINVALID
	case ReasonNotFound, ReasonMemoryNotFound, ReasonUnitNotFound, ReasonConceptNotFound, ReasonTokenNotFound, ReasonGlossaryNotFound:
		return ENOTFOUND
	case ReasonAlreadyExists, ReasonMemoryExists, ReasonTokenExists, ReasonGlossaryExists:
		return EEXISTS
	case ReasonLimitExceeded, ReasonTextTooLong, ReasonTooManyItems:
		return ELIMIT
	case ReasonCanceled, ReasonDeadlineExceeded:
		return ECANCELED
	case ReasonFailedPrecondition, ReasonLastAdminToken:
		return EFAILEDPRE
	case ReasonUnauthenticated, ReasonTokenRequired, ReasonTokenInvalid:
		return EUNAUTHENTICATED
	case ReasonPermissionDenied, ReasonScopeMissing:
		return EPERMISSION
	case ReasonInternal:
		return EINTERNAL
	case ReasonUnavailable:
		return EUNAVAILABLE
	}
	return ""
}

// DefaultReason returns the reason of an error of code c that names none.
func (c Code) DefaultReason() Reason {
	switch c {
	case EINVALID:
		return ReasonInvalidArgument
	case ENOTFOUND:
		return ReasonNotFound
	case EEXISTS:
		return ReasonAlreadyExists
	case ELIMIT:
		return ReasonLimitExceeded
	case ECANCELED:
		return ReasonCanceled
	case EFAILEDPRE:
		return ReasonFailedPrecondition
	case EUNAUTHENTICATED:
		return ReasonUnauthenticated
	case EPERMISSION:
		return ReasonPermissionDenied
	case EUNAVAILABLE:
		return ReasonUnavailable
	}
	return ReasonInternal
}

// Error is a domain error. Message is written for a person and says what to
// do; Field, when set, is the request field (or input position, such as
// "line 12") that caused it; Reason, when set, is the machine-readable cause
// (Code.DefaultReason when not). Error() is "Field: Message", so a Message
// should not repeat the field's name.
type Error struct {
	Code    Code
	Reason  Reason
	Field   string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Reasonf returns an *Error with the given reason, its code, and a
// formatted message.
func Reasonf(reason Reason, format string, args ...any) *Error {
	return &Error{Code: reason.Code(), Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns an EINVALID *Error about the named field.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, ECANCELED
// for context cancellation, and EINTERNAL for anything else (nil gives "").
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ECANCELED
	}
	return EINTERNAL
}

// ErrorReason returns the reason of err: the Reason of the first *Error in
// its chain, or its code's default; DEADLINE_EXCEEDED for a passed
// deadline ("" for nil).
func ErrorReason(err error) Reason {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Reason != "" {
		return e.Reason
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return ReasonDeadlineExceeded
	}
	return ErrorCode(err).DefaultReason()
}

// ErrorField returns the Field of the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
