package glossary

// Named glossaries: every concept belongs to one glossary (a house
// glossary, one per client or desk, the diplomatic one). A glossary is a
// record in bucketGlossaries; its concepts carry its name (Concept.Glossary).
// Concept ids stay unique across glossaries.

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
)

// DefaultGlossary is the glossary of concepts written without a glossary
// name. It is created on demand by the first such write, and the schema
// migration moves the concepts of a database from before named glossaries
// into it.
const DefaultGlossary = "main"

// Glossary is a named glossary.
type Glossary struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	SourceLang  string    `json:"source_lang,omitempty"` // "nl" or "nl-XX"; empty: "nl"
	TargetLang  string    `json:"target_lang,omitempty"` // "en" or "en-XX"; empty: "en"
	Created     time.Time `json:"created"`
	Changed     time.Time `json:"changed"`
	Concepts    int       `json:"-"` // filled in by the Store when it returns one
}

// GlossaryUpdate says what UpdateGlossary changes: nil fields stay.
type GlossaryUpdate struct {
	Description, SourceLang, TargetLang *string
}

var glossaryNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CheckGlossaryName returns EINVALID naming field when name is not a valid
// glossary name: 1 to 64 letters, digits, '.', '_' or '-', starting with a
// letter or digit.
func CheckGlossaryName(field, name string) error {
	if !glossaryNameRE.MatchString(name) {
		return tolk.Invalidf(field, "glossary name %q is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

func checkGlossaryLang(field, lang, prefix string) error {
	l := strings.ToLower(lang)
	if l == "" || l == prefix || (strings.HasPrefix(l, prefix+"-") && len(l) > len(prefix)+1 && validLang(NormLang(l))) {
		return nil
	}
	return tolk.Invalidf(field, "language %q is not supported: use %q or %q followed by a region", lang, prefix, prefix+"-XX")
}

func glossaryNotFound(field, name string) error {
	e := tolk.Reasonf(tolk.ReasonGlossaryNotFound, "glossary %q does not exist", name)
	e.Field = field
	return e
}

// CreateGlossary creates a glossary and returns it as stored: EINVALID for
// a bad name or language (fields "name", "source_lang", "target_lang"),
// EEXISTS (GLOSSARY_EXISTS) when the name is taken.
func (s *Store) CreateGlossary(ctx context.Context, g Glossary) (Glossary, error) {
	if err := CheckGlossaryName("name", g.Name); err != nil {
		return Glossary{}, err
	}
	if err := checkGlossaryLang("source_lang", g.SourceLang, SourceLang); err != nil {
		return Glossary{}, err
	}
	if err := checkGlossaryLang("target_lang", g.TargetLang, TargetLang); err != nil {
		return Glossary{}, err
	}
	if err := ctx.Err(); err != nil {
		return Glossary{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.glossaries[g.Name]; ok {
		return Glossary{}, tolk.Reasonf(tolk.ReasonGlossaryExists, "glossary %q already exists", g.Name)
	}
	g.Created = tolk.Now(ctx, s.now).UTC().Round(0)
	g.Changed = g.Created
	g.Concepts = 0
	err := s.update(ctx, func(tx *bbolt.Tx) error { return putGlossary(tx, g) })
	if err != nil {
		return Glossary{}, fmt.Errorf("creating glossary %q: %w", g.Name, err)
	}
	s.glossaries[g.Name] = g
	s.publishNames()
	return g, nil
}

func putGlossary(tx *bbolt.Tx, g Glossary) error {
	v, err := json.Marshal(g)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketGlossaries).Put([]byte(g.Name), v)
}

// Glossaries returns every glossary with its number of concepts, sorted by
// name.
func (s *Store) Glossaries(ctx context.Context) ([]Glossary, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := s.countByGlossary()
	out := make([]Glossary, 0, len(s.glossaries))
	for _, g := range s.glossaries {
		g.Concepts = counts[g.Name]
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b Glossary) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (s *Store) countByGlossary() map[string]int {
	counts := make(map[string]int, len(s.glossaries))
	for _, c := range s.concepts {
		counts[c.Glossary]++
	}
	return counts
}

// GetGlossary returns one glossary (GLOSSARY_NOT_FOUND naming field "name").
func (s *Store) GetGlossary(ctx context.Context, name string) (Glossary, error) {
	if err := ctx.Err(); err != nil {
		return Glossary{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.glossaries[name]
	if !ok {
		return Glossary{}, glossaryNotFound("name", name)
	}
	g.Concepts = s.countByGlossary()[name]
	return g, nil
}

// UpdateGlossary changes a glossary's description and languages.
func (s *Store) UpdateGlossary(ctx context.Context, name string, u GlossaryUpdate) (Glossary, error) {
	if u.SourceLang != nil {
		if err := checkGlossaryLang("source_lang", *u.SourceLang, SourceLang); err != nil {
			return Glossary{}, err
		}
	}
	if u.TargetLang != nil {
		if err := checkGlossaryLang("target_lang", *u.TargetLang, TargetLang); err != nil {
			return Glossary{}, err
		}
	}
	if err := ctx.Err(); err != nil {
		return Glossary{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.glossaries[name]
	if !ok {
		return Glossary{}, glossaryNotFound("name", name)
	}
	if u.Description != nil {
		g.Description = *u.Description
	}
	if u.SourceLang != nil {
		g.SourceLang = *u.SourceLang
	}
	if u.TargetLang != nil {
		g.TargetLang = *u.TargetLang
	}
	g.Changed = tolk.Now(ctx, s.now).UTC().Round(0)
	if err := s.update(ctx, func(tx *bbolt.Tx) error { return putGlossary(tx, g) }); err != nil {
		return Glossary{}, fmt.Errorf("updating glossary %q: %w", name, err)
	}
	s.glossaries[name] = g
	g.Concepts = s.countByGlossary()[name]
	return g, nil
}

// DeleteGlossary removes a glossary with all its concepts and returns how
// many concepts went with it (GLOSSARY_NOT_FOUND naming field "name").
func (s *Store) DeleteGlossary(ctx context.Context, name string) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.glossaries[name]; !ok {
		return 0, glossaryNotFound("name", name)
	}
	var gone []string
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		bc, bt := tx.Bucket(bucketConcepts), tx.Bucket(bucketTerms)
		for id, c := range s.concepts {
			if c.Glossary != name {
				continue
			}
			for _, t := range c.Terms {
				if err := bt.Delete(termKey(t, id)); err != nil {
					return err
				}
			}
			if err := bc.Delete([]byte(id)); err != nil {
				return err
			}
			gone = append(gone, id)
		}
		return tx.Bucket(bucketGlossaries).Delete([]byte(name))
	})
	if err != nil {
		return 0, fmt.Errorf("deleting glossary %q: %w", name, err)
	}
	for _, id := range gone {
		s.nTerms -= len(s.concepts[id].Terms)
		delete(s.concepts, id)
	}
	delete(s.glossaries, name)
	s.publishNames()
	s.rebuild()
	return len(gone), nil
}

// CheckGlossaries returns GLOSSARY_NOT_FOUND naming field[i] for the first
// name that is no glossary, and EINVALID for a name given twice. It reads
// a snapshot and takes no lock, so requests that find terms can call it.
func (s *Store) CheckGlossaries(field string, names []string) error {
	known := *s.names.Load()
	for i, n := range names {
		f := field + "[" + strconv.Itoa(i) + "]"
		if !known[n] {
			return glossaryNotFound(f, n)
		}
		if slices.Contains(names[:i], n) {
			return tolk.Invalidf(f, "glossary %q is named twice: name each glossary once, in priority order", n)
		}
	}
	return nil
}

// publishNames publishes the set of glossary names for CheckGlossaries.
// The caller holds s.mu or is Open.
func (s *Store) publishNames() {
	m := make(map[string]bool, len(s.glossaries))
	for n := range s.glossaries {
		m[n] = true
	}
	s.names.Store(&m)
}

// resolveGlossary returns the glossary a write names: "" is
// DefaultGlossary, created in tx when it does not exist (created reports
// that, for the caller to record after the commit); another name must
// exist (GLOSSARY_NOT_FOUND naming field). The caller holds s.mu.
func (s *Store) resolveGlossary(tx *bbolt.Tx, now time.Time, field, name string) (g string, created *Glossary, err error) {
	if name == "" {
		name = DefaultGlossary
	}
	if _, ok := s.glossaries[name]; ok {
		return name, nil, nil
	}
	if name != DefaultGlossary {
		return "", nil, glossaryNotFound(field, name)
	}
	now = now.Round(0)
	ng := Glossary{Name: name, Description: "concepts written without a glossary name", Created: now, Changed: now}
	if err := putGlossary(tx, ng); err != nil {
		return "", nil, err
	}
	return name, &ng, nil
}

// migrateV1 moves the concepts of a schema-1 database (one global
// glossary) into DefaultGlossary and records it. It runs in Open's
// transaction.
func migrateV1(tx *bbolt.Tx, now time.Time) error {
	bc := tx.Bucket(bucketConcepts)
	type kv struct{ k, v []byte }
	var out []kv
	c := bc.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		con, err := decodeConcept(v)
		if err != nil {
			return fmt.Errorf("migrating concept %q: %w", k, err)
		}
		if con.Glossary == "" {
			con.Glossary = DefaultGlossary
			out = append(out, kv{bytesClone(k), encodeConcept(&con)})
		}
	}
	for _, p := range out {
		if err := bc.Put(p.k, p.v); err != nil {
			return err
		}
	}
	if tx.Bucket(bucketGlossaries).Get([]byte(DefaultGlossary)) == nil {
		now = now.UTC().Round(0)
		return putGlossary(tx, Glossary{Name: DefaultGlossary, Description: "the glossary before named glossaries", Created: now, Changed: now})
	}
	return nil
}

func bytesClone(b []byte) []byte { return append([]byte(nil), b...) }

// GlossaryQuery asks for a page of glossaries.
type GlossaryQuery struct {
	Prefix    string // names starting with this
	PageSize  int    // 0 means DefaultGlossaryPage; at most MaxGlossaryPage
	PageToken string // NextPageToken of the previous page of the same query
}

// The page sizes of ListGlossaries.
const (
	DefaultGlossaryPage = 100
	MaxGlossaryPage     = 1000
)

// GlossaryPage is one page of glossaries, by name.
type GlossaryPage struct {
	Glossaries    []Glossary
	NextPageToken string // empty on the last page
}

// queryHash binds a page token to its query (the prefix).
func (q GlossaryQuery) hash() uint64 {
	h := fnv.New64a()
	h.Write([]byte("glossaries\x00"))
	h.Write([]byte(q.Prefix))
	return h.Sum64()
}

// ListGlossaries returns a page of glossaries whose names start with
// q.Prefix, by name. A page token not given out for this query (another
// prefix, or garbage) is EINVALID with reason INVALID_PAGE_TOKEN on field
// "page_token"; a bad page size EINVALID on "page_size".
func (s *Store) ListGlossaries(ctx context.Context, q GlossaryQuery) (GlossaryPage, error) {
	size := q.PageSize
	if size < 0 || size > MaxGlossaryPage {
		return GlossaryPage{}, tolk.Invalidf("page_size", "%d is out of range: use 1 to %d (0 means %d)", size, MaxGlossaryPage, DefaultGlossaryPage)
	}
	if size == 0 {
		size = DefaultGlossaryPage
	}
	after := ""
	if q.PageToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.PageToken)
		if err != nil || len(b) < 9 || binary.BigEndian.Uint64(b[:8]) != q.hash() {
			return GlossaryPage{}, &tolk.Error{Code: tolk.EINVALID, Reason: tolk.ReasonInvalidPageToken, Field: "page_token",
				Message: "the page token was not given out for this query: send the next_page_token of the previous page with the same name_prefix"}
		}
		after = string(b[8:])
	}
	all, err := s.Glossaries(ctx)
	if err != nil {
		return GlossaryPage{}, err
	}
	var page GlossaryPage
	for _, g := range all {
		if !strings.HasPrefix(g.Name, q.Prefix) || (after != "" && g.Name <= after) {
			continue
		}
		if len(page.Glossaries) == size {
			last := page.Glossaries[size-1].Name
			b := binary.BigEndian.AppendUint64(nil, q.hash())
			page.NextPageToken = base64.RawURLEncoding.EncodeToString(append(b, last...))
			break
		}
		page.Glossaries = append(page.Glossaries, g)
	}
	return page, nil
}

// CheckGlossary returns GLOSSARY_NOT_FOUND naming field when name is not
// empty and no glossary. Like CheckGlossaries, it takes no lock.
func (s *Store) CheckGlossary(field, name string) error {
	if name != "" && !(*s.names.Load())[name] {
		return glossaryNotFound(field, name)
	}
	return nil
}
