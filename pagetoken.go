package tolk

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
)

// Page tokens of the list calls (AIP-158): base64 of the hash of the call
// and query they were given for (8 bytes), then the key of the last item
// given. A token is accepted only by the call and query it was given for,
// so a client cannot resume one listing with another's token.

// PageHash hashes the kind of listing and what selects its results (not
// the page size, which may change from page to page).
func PageHash(kind string, query ...any) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s", kind)
	for _, p := range query {
		fmt.Fprintf(h, " %q", fmt.Sprint(p))
	}
	return h.Sum64()
}

// MakePageToken returns the token of the page after the item with key
// after, for the query with hash.
func MakePageToken(hash uint64, after []byte) string {
	b := binary.BigEndian.AppendUint64(nil, hash)
	return base64.RawURLEncoding.EncodeToString(append(b, after...))
}

// ParsePageToken returns the key after which the page starts, or nil for
// "" (the first page); INVALID_PAGE_TOKEN, field page_token, for a token
// not given for the query with hash.
func ParsePageToken(token string, hash uint64) ([]byte, error) {
	if token == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) <= 8 || binary.BigEndian.Uint64(b) != hash {
		return nil, BadPageToken()
	}
	return b[8:], nil
}

// BadPageToken is the error for a page token not given for the query.
func BadPageToken() *Error {
	return &Error{Code: EINVALID, Reason: ReasonInvalidPageToken, Field: "page_token",
		Message: "the page token was not given out for this query: send the same name and filters as for the first page with it"}
}
