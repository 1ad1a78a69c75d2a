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
	// EUNAVAILABLE: the service cannot do it now (a read-only or failing
	// disk); the same request may succeed later.
	EUNAVAILABLE Code = "unavailable"
)

// Error is a domain error. Message is written for a person and says what to
// do; Field, when set, is the request field (or input position, such as
// "line 12") that caused it. Error() is "Field: Message", so a Message
// should not repeat the field's name.
type Error struct {
	Code    Code
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

// ErrorField returns the Field of the first *Error in err's chain, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
