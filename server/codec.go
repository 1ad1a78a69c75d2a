package server

import (
	"context"
	"fmt"
	"strconv"
	"unicode/utf8"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	protocodec "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/tolkdev/tolk"
)

// A request whose string field is not valid UTF-8 fails proto.Unmarshal,
// and gRPC answers a codec's error, whatever it is, with Internal "failed
// to unmarshal" before any interceptor runs. So codec, gRPC's proto codec
// with one change, does not fail such a request: it leaves the message
// empty but for a mark, an unknown field (encodingMark) holding the path of
// the bad field, and decodeError, called on every request message by
// decodedUnary and decodeCheckingStream, turns the mark into an InvalidArgument INVALID_ENCODING
// error naming the field. It is installed with grpc.ForceServerCodecV2
// (per server, not gRPC's global codec registry).

// encodingMark is the field number of the mark: the largest valid number,
// which no Tolk message uses.
const encodingMark = protowire.MaxValidNumber

type codec struct{ encoding.CodecV2 }

func newCodec() grpc.ServerOption {
	return grpc.ForceServerCodecV2(codec{encoding.GetCodecV2(protocodec.Name)})
}

// Unmarshal decodes data into v; see the comment above for invalid UTF-8.
func (c codec) Unmarshal(data mem.BufferSlice, v any) error {
	err := c.CodecV2.Unmarshal(data, v)
	m, ok := v.(proto.Message)
	if err == nil || !ok {
		return err
	}
	path, bad := invalidUTF8(m.ProtoReflect().Descriptor(), data.Materialize())
	if !bad {
		return err
	}
	proto.Reset(m)
	mark := protowire.AppendTag(nil, encodingMark, protowire.BytesType)
	m.ProtoReflect().SetUnknown(protowire.AppendString(mark, path))
	return nil
}

// invalidUTF8 returns the path in md ("concepts[0].terms[1].text") of the
// first string field in the wire-format message b that is not valid UTF-8.
func invalidUTF8(md protoreflect.MessageDescriptor, b []byte) (string, bool) {
	seen := map[protowire.Number]int{}
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return "", false
		}
		b = b[n:]
		fd := md.Fields().ByNumber(num)
		if typ != protowire.BytesType || fd == nil || fd.IsMap() {
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return "", false
			}
			b = b[n:]
			continue
		}
		v, n := protowire.ConsumeBytes(b)
		if n < 0 {
			return "", false
		}
		b = b[n:]
		path := string(fd.Name())
		if fd.IsList() {
			path += "[" + strconv.Itoa(seen[num]) + "]"
			seen[num]++
		}
		switch {
		case fd.Kind() == protoreflect.StringKind && !utf8.Valid(v):
			return path, true
		case fd.Message() != nil:
			if p, ok := invalidUTF8(fd.Message(), v); ok {
				return path + "." + p, true
			}
		}
	}
	return "", false
}

// decodeError returns the INVALID_ENCODING error for a request message the
// codec marked, and nil for any other.
func decodeError(req any) error {
	m, ok := req.(proto.Message)
	if !ok {
		return nil
	}
	b := m.ProtoReflect().GetUnknown()
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil
		}
		b = b[n:]
		if num == encodingMark && typ == protowire.BytesType {
			path, _ := protowire.ConsumeString(b)
			return &tolk.Error{Code: tolk.EINVALID, Reason: tolk.ReasonInvalidEncoding, Field: path,
				Message: fmt.Sprintf("not valid UTF-8: send text as UTF-8 (this %s field is a protobuf string)", m.ProtoReflect().Descriptor().Name())}
		}
		if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
			return nil
		}
		b = b[n:]
	}
	return nil
}

// decodedUnary refuses a unary request the codec marked. It runs after
// the auth interceptor, so that a caller without a token learns that first.
func decodedUnary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := decodeError(req); err != nil {
		return nil, err
	}
	return handler(ctx, req)
}

// decodeCheckingStream is a server stream whose RecvMsg returns the
// decodeError of each message it receives.
type decodeCheckingStream struct{ grpc.ServerStream }

func (s decodeCheckingStream) RecvMsg(m any) error {
	if err := s.ServerStream.RecvMsg(m); err != nil {
		return err
	}
	return decodeError(m)
}
