// Package access holds Tolk's API tokens: named secrets with scopes, stored
// hashed in the database, and the check a request's token must pass.
//
// A token's secret is "tolk_" followed by its id and 32 random bytes in
// base64url. Only the SHA-256 of the secret is stored: the secret is shown
// once, when the token is created. A random 256-bit secret needs no slow
// password hash; SHA-256 keeps verification in the request path cheap.
package access

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
)

// Scope is a permission a token grants.
type Scope string

// The scopes. Each grants what the ones before it grant too: write implies
// read, admin implies both.
const (
	Read  Scope = "read"  // lookups, translation, exports
	Write Scope = "write" // adding, importing and deleting units and terms
	Admin Scope = "admin" // backups and tokens
)

// ParseScopes parses a comma-separated list of scopes.
func ParseScopes(s string) ([]Scope, error) {
	var out []Scope
	for _, f := range strings.Split(s, ",") {
		sc := Scope(strings.TrimSpace(strings.ToLower(f)))
		switch sc {
		case Read, Write, Admin:
			if !slices.Contains(out, sc) {
				out = append(out, sc)
			}
		case "":
		default:
			return nil, tolk.Invalidf("scopes", "unknown scope %q: use read, write or admin", sc)
		}
	}
	if len(out) == 0 {
		return nil, tolk.Invalidf("scopes", "at least one scope is required: read, write or admin")
	}
	return out, nil
}

// Token describes an API token. It never holds the secret.
type Token struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Scopes  []Scope   `json:"scopes"`
	Created time.Time `json:"created"`
	Hash    []byte    `json:"hash"` // SHA-256 of the secret
}

// Allows reports whether the token grants scope s.
func (t Token) Allows(s Scope) bool {
	for _, have := range t.Scopes {
		if have == s || have == Admin || (have == Write && s == Read) {
			return true
		}
	}
	return false
}

// Store keeps tokens in bbolt and a copy in memory for Verify.
type Store struct {
	db     *bbolt.DB
	tokens atomic.Pointer[[]Token]
}

// Open creates the store's buckets if needed, checks the schema version and
// loads the tokens.
func Open(ctx context.Context, db *bbolt.DB) (*Store, error) {
	s := &Store{db: db}
	err := db.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(bucketTokens); err != nil {
			return err
		}
		switch v := meta.Get(keySchema); {
		case v == nil:
			return meta.Put(keySchema, []byte(schemaVersion))
		case string(v) != schemaVersion:
			return fmt.Errorf("access schema %q, this build reads %q", v, schemaVersion)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("opening the token store: %w", err)
	}
	return s, s.reload()
}

// readTokens returns the tokens stored in tx, oldest first.
func readTokens(tx *bbolt.Tx) ([]Token, error) {
	var ts []Token
	err := tx.Bucket(bucketTokens).ForEach(func(_, v []byte) error {
		var t Token
		if err := json.Unmarshal(v, &t); err != nil { // Unmarshal copies out of the mmap
			return err
		}
		ts = append(ts, t)
		return nil
	})
	return ts, err
}

func (s *Store) reload() error {
	var ts []Token
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		ts, err = readTokens(tx)
		return err
	})
	if err != nil {
		return fmt.Errorf("loading tokens: %w", err)
	}
	s.tokens.Store(&ts)
	return nil
}

// Enabled reports whether any token exists. A server without tokens runs
// open (on loopback only; the command enforces that).
func (s *Store) Enabled() bool { return len(*s.tokens.Load()) > 0 }

// List returns the tokens, oldest first.
func (s *Store) List(context.Context) []Token { return slices.Clone(*s.tokens.Load()) }

// Create makes a token and returns it with its secret, which is not stored
// and cannot be shown again.
func (s *Store) Create(ctx context.Context, name string, scopes []Scope) (Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Token{}, "", tolk.Invalidf("name", "a token needs a name, such as the person or tool that uses it")
	}
	if len(scopes) == 0 {
		return Token{}, "", tolk.Invalidf("scopes", "at least one scope is required: read, write or admin")
	}
	var raw [32]byte
	if err := tolk.ReadRandom(ctx, raw[:]); err != nil {
		return Token{}, "", err
	}
	var (
		t      Token
		secret string
	)
	err := s.db.Update(func(tx *bbolt.Tx) error {
		for _, v := range *s.tokens.Load() {
			if v.Name == name {
				return tolk.Reasonf(tolk.ReasonTokenExists, "a token named %q exists; revoke it first or choose another name", name)
			}
		}
		b := tx.Bucket(bucketTokens)
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		t = Token{ID: fmt.Sprintf("t%d", seq), Name: name, Scopes: scopes, Created: tolk.Now(ctx, time.Now).UTC().Truncate(time.Second)}
		secret = "tolk_" + t.ID + "_" + base64.RawURLEncoding.EncodeToString(raw[:])
		sum := sha256.Sum256([]byte(secret))
		t.Hash = sum[:]
		v, err := json.Marshal(t)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(t.ID), v); err != nil {
			return err
		}
		return tolk.PutApplied(ctx, tx)
	})
	if err != nil {
		return Token{}, "", fmt.Errorf("creating token %q: %w", name, err)
	}
	return t, secret, s.reload()
}

// Revoke deletes the token with the given id or name. Unless allowOpen, it
// refuses (LAST_ADMIN_TOKEN) to delete the last admin token, after which no
// one could manage tokens, or the last token, after which the server runs
// open to anyone.
func (s *Store) Revoke(ctx context.Context, idOrName string, allowOpen bool) error {
	err := s.db.Update(func(tx *bbolt.Tx) error {
		ts, err := readTokens(tx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(ts, func(t Token) bool { return t.ID == idOrName || t.Name == idOrName })
		if i < 0 {
			return tolk.Reasonf(tolk.ReasonTokenNotFound, "no token with id or name %q; tolk token list shows them", idOrName)
		}
		t := ts[i]
		rest := slices.Delete(slices.Clone(ts), i, i+1)
		adminLeft := slices.ContainsFunc(rest, func(o Token) bool { return o.Allows(Admin) })
		switch {
		case allowOpen:
		case len(rest) == 0:
			return tolk.Reasonf(tolk.ReasonLastAdminToken, "%q is the last token: without tokens the server runs open to anyone; revoke it with --allow-open (allow_open) if that is what you want", t.Name)
		case t.Allows(Admin) && !adminLeft:
			return tolk.Reasonf(tolk.ReasonLastAdminToken, "%q is the last admin token: without one no one can create or revoke tokens; create another admin token first, or revoke it with --allow-open (allow_open)", t.Name)
		}
		if err := tx.Bucket(bucketTokens).Delete([]byte(t.ID)); err != nil {
			return err
		}
		return tolk.PutApplied(ctx, tx)
	})
	if err != nil {
		return fmt.Errorf("revoking token %s: %w", idOrName, err)
	}
	return s.reload()
}

// Verify returns the token whose secret is given, or an error with code
// EUNAUTHENTICATED. It runs in constant time in the secret's content.
func (s *Store) Verify(secret string) (Token, error) {
	if secret == "" {
		return Token{}, tolk.Reasonf(tolk.ReasonTokenRequired, "this server requires a token: pass --token or set TOLK_TOKEN (metadata authorization: Bearer TOKEN)")
	}
	sum := sha256.Sum256([]byte(secret))
	for _, t := range *s.tokens.Load() {
		if subtle.ConstantTimeCompare(sum[:], t.Hash) == 1 {
			return t, nil
		}
	}
	return Token{}, tolk.Reasonf(tolk.ReasonTokenInvalid, "the token is not valid: it may have been revoked")
}

// MaxPageSize bounds the page size of ListPage.
const MaxPageSize = 1000

// ListPage returns a page of the tokens by name; pageSize 0 means all.
// pass the next token back as pageToken; a token of another call is
// INVALID_PAGE_TOKEN.
func (s *Store) ListPage(ctx context.Context, pageSize int, pageToken string) ([]Token, string, error) {
	if pageSize < 0 || pageSize > MaxPageSize {
		return nil, "", tolk.Invalidf("page_size", "%d is out of range: use 1 to %d (0 means all)", pageSize, MaxPageSize)
	}
	hash := tolk.PageHash("tokens")
	after, err := tolk.ParsePageToken(pageToken, hash)
	if err != nil {
		return nil, "", err
	}
	ts := s.List(ctx)
	slices.SortFunc(ts, func(a, b Token) int { return strings.Compare(a.Name, b.Name) })
	if after != nil {
		i, found := slices.BinarySearchFunc(ts, string(after), func(t Token, name string) int { return strings.Compare(t.Name, name) })
		if found {
			i++
		}
		ts = ts[i:]
	}
	if pageSize == 0 || len(ts) <= pageSize {
		return ts, "", nil
	}
	return ts[:pageSize], tolk.MakePageToken(hash, []byte(ts[pageSize-1].Name)), nil
}
