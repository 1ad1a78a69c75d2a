package glossary

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
)

// Store is the persistent glossary: concepts in bbolt plus an in-memory
// recognizer rebuilt after every write. Its methods are safe for concurrent
// use; writes are serialized.
type Store struct {
	db      *bbolt.DB
	matcher atomic.Pointer[Matcher]

	mu         sync.Mutex                      // serializes writes and guards the fields below
	concepts   map[string]Concept              // every concept, for rebuilding the matcher
	glossaries map[string]Glossary             // every named glossary
	names      atomic.Pointer[map[string]bool] // the glossaries' names, for CheckGlossaries
	nTerms     int
	stems      map[string]string // Stem memo shared by rebuilds
	now        func() time.Time
}

// UpsertResult says what Upsert did.
type UpsertResult struct {
	Created  int      // concepts that did not exist before
	Updated  int      // concepts replaced, or merged into (see identity.go)
	IDs      []string // the id of every concept, in input order (assigned ones included)
	Warnings []string // Import: records stored otherwise than they said, with their position
}

// maxWarnings bounds UpsertResult.Warnings; the last one counts the rest.
const maxWarnings = 100

// SearchQuery selects concepts by their terms.
type SearchQuery struct {
	Text  string // prefix of a term (folded: case and diacritics do not count)
	Lang  string // only terms in this language ("nl", "en", "en-gb"); empty: any
	Fuzzy bool   // approximate spelling: terms within a small edit distance of Text
	Limit int    // at most this many concepts; 0 means DefaultSearchLimit; at most MaxSearchLimit
}

// The concepts Search returns by default and at most.
const (
	DefaultSearchLimit = 50
	MaxSearchLimit     = 1000
)

// Filter selects concepts for Each. Zero fields do not filter.
type Filter struct {
	Subject      string    // subject field, case-insensitive; "a" also selects "a/b"
	Status       Status    // concepts having a term with this status (StatusAdmitted also matches "")
	ChangedSince time.Time // concepts changed at or after this time
	Glossary     string    // concepts of this glossary
}

// Open opens the glossary in db, creating its buckets on first use, checks
// the schema version and loads every concept to build the recognizer. The
// caller owns db and closes it after it stops using the Store.
func Open(ctx context.Context, db *bbolt.DB) (*Store, error) {
	s := &Store{db: db, concepts: make(map[string]Concept), glossaries: make(map[string]Glossary), stems: make(map[string]string), now: time.Now}
	err := db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketConcepts, bucketTerms, bucketGlossaries} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("creating bucket %s: %w", b, err)
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get(schemaKey); {
		case v == nil:
			return meta.Put(schemaKey, []byte(schemaVersion))
		case string(v) == "1":
			if err := migrateV1(tx, s.now()); err != nil {
				return err
			}
			return meta.Put(schemaKey, []byte(schemaVersion))
		case string(v) != schemaVersion:
			return tolk.Errorf(tolk.EFAILEDPRE, "glossary schema version %q in the database, this build reads %q: upgrade Tolk or migrate the database", v, schemaVersion)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("opening glossary: %w", err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		err := tx.Bucket(bucketGlossaries).ForEach(func(k, v []byte) error {
			var g Glossary
			if err := json.Unmarshal(v, &g); err != nil {
				return fmt.Errorf("decoding glossary %q: %w", k, err)
			}
			s.glossaries[g.Name] = g
			return nil
		})
		if err != nil {
			return err
		}
		c := tx.Bucket(bucketConcepts).Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var con Concept
			if err := decodeInto(v, &con); err != nil {
				return fmt.Errorf("decoding concept %q: %w", k, err)
			}
			s.concepts[con.ID] = con
			s.nTerms += len(con.Terms)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("loading glossary: %w", err)
	}
	s.stems = make(map[string]string, 3*s.nTerms)
	s.publishNames()
	s.rebuild()
	return s, nil
}

// rebuild builds a matcher over s.concepts (sorted by id) and publishes it.
// The caller holds s.mu or is Open.
func (s *Store) rebuild() {
	ids := make([]string, 0, len(s.concepts))
	for id := range s.concepts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	cs := make([]Concept, len(ids))
	for i, id := range ids {
		cs[i] = s.concepts[id]
	}
	if len(s.stems) > 1<<20 {
		clear(s.stems)
	}
	s.matcher.Store(newMatcher(cs, s.stems))
}

// Matcher returns the current recognizer. It does not change after it is
// returned; later writes publish a new one.
func (s *Store) Matcher() *Matcher { return s.matcher.Load() }

// Find returns the glossary terms in text using the current recognizer (see
// Matcher.Find).
func (s *Store) Find(text string, at time.Time) []Hit { return s.matcher.Load().Find(text, at) }

// FindIn returns the terms of the named glossaries in text, in priority
// order (see Matcher.FindIn); no names means every glossary. Check the
// names first with CheckGlossaries.
func (s *Store) FindIn(text string, at time.Time, glossaries []string) []Hit {
	return s.matcher.Load().FindIn(text, at, glossaries)
}

// Upsert creates or replaces the concepts cs in one transaction. A concept
// with an empty ID is the concept the identity rule finds (see identity.go:
// the stored or earlier concept with its first term in every language,
// into which its terms are merged), else a new one with a new ID ("c" and
// a number). Each concept is
// normalized (Normalize) and validated (Validate) first: one invalid concept
// rejects the whole batch with an EINVALID error naming it
// ("concepts[3].terms[0].lang"). Each concept goes to the glossary its
// Glossary field names: "" is DefaultGlossary, created on demand; another
// name must exist (GLOSSARY_NOT_FOUND, field "glossary"); a concept
// written by the id of a stored concept and without a glossary stays in
// that concept's glossary. A concept id is unique across glossaries:
// writing an id that another glossary holds into a named glossary is
// EINVALID. Changed is set to the current time. The recognizer is rebuilt
// after the commit.
func (s *Store) Upsert(ctx context.Context, cs []Concept) (UpsertResult, error) {
	norm := make([]Concept, len(cs))
	for i, c := range cs {
		norm[i] = Normalize(c)
		if err := Validate(norm[i], "concepts["+strconv.Itoa(i)+"]"); err != nil {
			return UpsertResult{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.write(ctx, norm, func(i int) string { return "concepts[" + strconv.Itoa(i) + "]" }, "glossary", false)
	if err != nil {
		return UpsertResult{}, fmt.Errorf("storing %d concepts: %w", len(cs), err)
	}
	s.rebuild()
	return res, nil
}

// ImportBatch is how many concepts Import writes per transaction.
const ImportBatch = 2000

// Import upserts every concept src returns until io.EOF into the named
// glossary ("" is DefaultGlossary, and a record with a stored concept's id
// stays in that concept's glossary, see Upsert; a record into a named
// glossary whose id another glossary holds is stored by its terms, with a
// warning), in transactions
// of ImportBatch concepts, and rebuilds the recognizer once at the end
// (also after an error, so that the committed batches are recognized). It
// is Upsert for large streams: a 50,000-concept import costs one rebuild
// instead of one per batch. Validation errors name the record by its
// 1-based position in the stream ("record 12.terms[0].lang"). A record
// repeating an id of an earlier record of the stream is not fatal: it is
// stored by the identity rule as if it had no id, with a warning naming
// both records (by file position when src has Pos, see Source) in
// Result.Warnings. progress, if not nil, is called after each committed
// batch with the number of concepts stored so far. Result.IDs is left
// empty. src is read without the store's lock, which is held only to
// commit a batch, so a stream that stalls (a client that stops sending)
// blocks no other write.
func (s *Store) Import(ctx context.Context, glossary string, src Source, progress func(stored int)) (UpsertResult, error) {
	defer s.Rebuild()
	return ReadImport(src, progress, func(first int, batch []Concept) (UpsertResult, error) {
		return s.ImportBatch(ctx, glossary, first, batch)
	})
}

// ReadImport reads src as Import does (batches of ImportBatch normalized,
// validated records, a repeated id dropped with a warning) and passes each
// batch to commit with the stream index of its first record; it adds up
// commit's results and calls progress after each. It is Import with the
// commit left to the caller (package cluster proposes each batch as a log
// entry, and every node applies it with ImportBatch).
func ReadImport(src Source, progress func(stored int), commit func(first int, batch []Concept) (UpsertResult, error)) (UpsertResult, error) {
	var total UpsertResult
	in := importStream{src: src, ids: make(map[string]string), res: &total}
	in.pos, _ = src.(interface{ Pos() string })
	for {
		first := in.n // stream index of batch[0]
		batch, readErr := in.batch()
		if readErr != nil && readErr != io.EOF {
			return total, readErr // a bad record rejects its batch
		}
		if len(batch) > 0 {
			res, err := commit(first, batch)
			if err != nil {
				return total, fmt.Errorf("importing: %w", err)
			}
			total.Created += res.Created
			total.Updated += res.Updated
			for _, w := range res.Warnings {
				total.warn(w)
			}
			if progress != nil {
				progress(total.Created + total.Updated)
			}
		}
		if readErr == io.EOF {
			return total, nil
		}
	}
}

// ImportBatch commits one batch that ReadImport read, into the named
// glossary, in one transaction; first is the stream index of batch[0],
// for error messages. It does not rebuild the recognizer: the caller calls
// Rebuild after its last batch.
func (s *Store) ImportBatch(ctx context.Context, glossary string, first int, batch []Concept) (UpsertResult, error) {
	s.mu.Lock() // only to commit: the reader may wait on a client
	defer s.mu.Unlock()
	for i := range batch {
		batch[i].Glossary = glossary
	}
	return s.write(ctx, batch, func(i int) string { return "record " + strconv.Itoa(first+i+1) }, "glossary", glossary != "")
}

// Rebuild rebuilds the recognizer from the stored concepts (after
// ImportBatch).
func (s *Store) Rebuild() {
	s.mu.Lock()
	s.rebuild()
	s.mu.Unlock()
}

// Source is what Import reads: Next returns the next concept, or io.EOF
// after the last. A Source that also has a method Pos() string, giving the
// position of the concept Next returned last ("line 12", as
// termfile.Decoder does), gets its warnings named by it; others by the
// record's number in the stream.
type Source interface {
	Next() (Concept, error)
}

// SourceFunc is a function used as a Source.
type SourceFunc func() (Concept, error)

// Next calls f.
func (f SourceFunc) Next() (Concept, error) { return f() }

// importStream reads the records of an Import, without the store's lock.
type importStream struct {
	src Source
	pos interface{ Pos() string } // src's positions, or nil
	n   int                       // records read
	ids map[string]string         // id → where the record that used it first is
	res *UpsertResult             // for warnings
}

// where names the record read last: its position in the file when the
// source gives one, else its number in the stream.
func (in *importStream) where() string {
	if in.pos != nil {
		if p := in.pos.Pos(); p != "" {
			return p
		}
	}
	return "record " + strconv.Itoa(in.n)
}

// batch returns up to ImportBatch normalized, validated records and the
// error that ended the batch early (io.EOF at the end). A record repeating
// an earlier record's id loses the id, with a warning.
func (in *importStream) batch() ([]Concept, error) {
	batch := make([]Concept, 0, ImportBatch)
	for len(batch) < ImportBatch {
		c, err := in.src.Next()
		if err != nil {
			return batch, err
		}
		c = Normalize(c)
		in.n++
		if err := Validate(c, "record "+strconv.Itoa(in.n)); err != nil {
			return batch, err
		}
		if c.ID != "" {
			if prev, dup := in.ids[c.ID]; dup {
				in.res.warn(fmt.Sprintf("%s: concept id %q was already used at %s of this file; stored by its terms instead (see the identity rule)", in.where(), c.ID, prev))
				c.ID = ""
			} else {
				in.ids[c.ID] = in.where()
			}
		}
		batch = append(batch, c)
	}
	return batch, nil
}

// warn adds a warning, keeping at most maxWarnings.
func (r *UpsertResult) warn(w string) {
	switch n := len(r.Warnings); {
	case n < maxWarnings-1:
		r.Warnings = append(r.Warnings, w)
	case n == maxWarnings-1:
		r.Warnings = append(r.Warnings, "and more warnings, not listed")
	}
}

// write stores normalized, validated concepts in one transaction and
// updates s.concepts; it does not rebuild. The caller holds s.mu. field
// names concept i in errors. Keys are put in sorted order: bbolt inserts
// that append to a page are far cheaper than random ones.
//
// A concept with an id of a stored concept and no glossary stays in that
// concept's glossary. One with an id that another glossary holds is
// EINVALID, unless relabel is set (Import): then it loses the id, with a
// warning, and the identity rule places it.
func (s *Store) write(ctx context.Context, norm []Concept, field func(int) string, glossaryField string, relabel bool) (UpsertResult, error) {
	var res UpsertResult
	now := tolk.Now(ctx, s.now).UTC()
	res.IDs = make([]string, len(norm))
	type kv struct{ k, v []byte }
	var into []int
	var created *Glossary
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		meta, bc, bt := tx.Bucket(bucketMeta), tx.Bucket(bucketConcepts), tx.Bucket(bucketTerms)
		for i := range norm {
			c := &norm[i]
			if old, ok := s.concepts[c.ID]; ok && c.ID != "" {
				switch {
				case c.Glossary == "":
					c.Glossary = old.Glossary // a concept written by id without a glossary stays in its own
				case c.Glossary != old.Glossary && relabel:
					res.warn(fmt.Sprintf("%s: concept id %q belongs to glossary %q; stored in %q by its terms instead (see the identity rule)", field(i), c.ID, old.Glossary, c.Glossary))
					c.ID = ""
				}
			}
			g, ng, err := s.resolveGlossary(tx, now, glossaryField, c.Glossary)
			if err != nil {
				return err
			}
			if ng != nil {
				created = ng
				s.glossaries[ng.Name] = *ng // taken back if the transaction fails
			}
			norm[i].Glossary = g
		}
		seen := make(map[string]int, len(norm))
		var concepts, terms []kv
		into = s.identify(tx, norm)
		for i := range norm {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if into[i] >= 0 {
				res.Updated++ // merged into another concept of the batch
				continue
			}
			c := &norm[i]
			if c.ID == "" {
				for {
					seq, err := meta.NextSequence()
					if err != nil {
						return err
					}
					c.ID = "c" + strconv.FormatUint(seq, 10)
					if _, dup := seen[c.ID]; !dup && bc.Get([]byte(c.ID)) == nil {
						break
					}
				}
			}
			if j, dup := seen[c.ID]; dup {
				return tolk.Invalidf(field(i)+".id", "concept id %q appears twice in one batch (also at %s)", c.ID, field(j))
			}
			seen[c.ID] = i
			c.Changed = now
			if old := bc.Get([]byte(c.ID)); old != nil {
				var oc Concept
				if err := decodeInto(old, &oc); err != nil {
					return fmt.Errorf("decoding concept %q: %w", c.ID, err)
				}
				if oc.Glossary != c.Glossary {
					return tolk.Invalidf(field(i)+".id", "concept id %q belongs to glossary %q, not %q: concept ids are unique across glossaries; give this concept another id or none", c.ID, oc.Glossary, c.Glossary)
				}
				for _, t := range oc.Terms {
					if err := bt.Delete(termKey(t, oc.ID)); err != nil {
						return err
					}
				}
				res.Updated++
			} else {
				res.Created++
			}
			concepts = append(concepts, kv{[]byte(c.ID), encodeConcept(c)})
			for _, t := range c.Terms {
				terms = append(terms, kv{termKey(t, c.ID), nil})
			}
			res.IDs[i] = c.ID
		}
		for _, list := range [][]kv{concepts, terms} {
			slices.SortFunc(list, func(a, b kv) int { return bytes.Compare(a.k, b.k) })
		}
		for _, p := range concepts {
			if err := bc.Put(p.k, p.v); err != nil {
				return err
			}
		}
		for _, p := range terms {
			if err := bt.Put(p.k, p.v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if created != nil {
			delete(s.glossaries, created.Name)
		}
		return UpsertResult{}, err
	}
	if created != nil {
		s.publishNames()
	}
	for i, c := range norm {
		if into[i] >= 0 {
			res.IDs[i] = norm[into[i]].ID
			continue
		}
		if old, ok := s.concepts[c.ID]; ok {
			s.nTerms -= len(old.Terms)
		}
		s.concepts[c.ID] = c
		s.nTerms += len(c.Terms)
	}
	return res, nil
}

// termKey is the search-index key of one term.
func termKey(t Term, id string) []byte {
	f := FoldTerm(t.Text)
	k := make([]byte, 0, len(f)+len(t.Lang)+len(id)+2)
	k = append(k, f...)
	k = append(k, 0)
	k = append(k, t.Lang...)
	k = append(k, 0)
	return append(k, id...)
}

// splitTermKey undoes termKey.
func splitTermKey(k []byte) (folded, lang, id string, ok bool) {
	i := bytes.IndexByte(k, 0)
	if i < 0 {
		return "", "", "", false
	}
	j := bytes.IndexByte(k[i+1:], 0)
	if j < 0 {
		return "", "", "", false
	}
	return string(k[:i]), string(k[i+1 : i+1+j]), string(k[i+2+j:]), true
}

// update runs fn in a write transaction; a replicated write (ctx carries
// tolk.Applied) stores its log index in the same transaction.
func (s *Store) update(ctx context.Context, fn func(*bbolt.Tx) error) error {
	return s.db.Update(func(tx *bbolt.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return tolk.PutApplied(ctx, tx)
	})
}

// Delete removes the concept with the given id (ENOTFOUND if there is none).
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		bc, bt := tx.Bucket(bucketConcepts), tx.Bucket(bucketTerms)
		old := bc.Get([]byte(id))
		if old == nil {
			return tolk.Reasonf(tolk.ReasonConceptNotFound, "no concept with id %q", id)
		}
		var oc Concept
		if err := decodeInto(old, &oc); err != nil {
			return fmt.Errorf("decoding concept %q: %w", id, err)
		}
		for _, t := range oc.Terms {
			if err := bt.Delete(termKey(t, id)); err != nil {
				return err
			}
		}
		return bc.Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("deleting concept: %w", err)
	}
	if old, ok := s.concepts[id]; ok {
		s.nTerms -= len(old.Terms)
		delete(s.concepts, id)
	}
	s.rebuild()
	return nil
}

// Concept returns the concept with the given id (ENOTFOUND if none).
func (s *Store) Concept(ctx context.Context, id string) (Concept, error) {
	if err := ctx.Err(); err != nil {
		return Concept{}, err
	}
	var c Concept
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketConcepts).Get([]byte(id))
		if v == nil {
			return tolk.Reasonf(tolk.ReasonConceptNotFound, "no concept with id %q", id)
		}
		return decodeInto(v, &c)
	})
	return c, err
}

// Count returns the number of concepts and of terms in the glossary.
func (s *Store) Count(ctx context.Context) (concepts, terms int, err error) {
	if err := ctx.Err(); err != nil {
		return 0, 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.concepts), s.nTerms, nil
}

// Search returns the concepts having a term that starts with q.Text
// (folded), or with q.Fuzzy a term within a small edit distance of q.Text
// (1 for up to 4 letters, 2 up to 8, else 3; closest first). An empty
// q.Text is EINVALID.
func (s *Store) Search(ctx context.Context, q SearchQuery) ([]Concept, error) {
	text := FoldTerm(q.Text)
	if text == "" {
		return nil, tolk.Invalidf("text", "give a term or the start of one to search for")
	}
	limit := q.Limit
	if limit < 0 || limit > MaxSearchLimit {
		return nil, tolk.Invalidf("limit", "%d is out of range: use 1 to %d (0 means %d)", limit, MaxSearchLimit, DefaultSearchLimit)
	}
	if limit == 0 {
		limit = DefaultSearchLimit
	}
	lang := NormLang(q.Lang)
	langOK := func(l string) bool { return lang == "" || l == lang || PrimaryLang(l) == lang }
	var out []Concept
	err := s.db.View(func(tx *bbolt.Tx) error {
		bc := tx.Bucket(bucketConcepts)
		var ids []string
		seen := map[string]bool{}
		add := func(id string) {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		c := tx.Bucket(bucketTerms).Cursor()
		if !q.Fuzzy {
			p := []byte(text)
			for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p) && len(ids) < limit; k, _ = c.Next() {
				if _, l, id, ok := splitTermKey(k); ok && langOK(l) {
					add(id)
				}
			}
		} else {
			maxD := 3
			if n := len([]rune(text)); n <= 4 {
				maxD = 1
			} else if n <= 8 {
				maxD = 2
			}
			type cand struct {
				d      int
				folded string
				id     string
			}
			var cands []cand
			qr := []rune(text)
			n := 0
			for k, _ := c.First(); k != nil; k, _ = c.Next() {
				if n++; n%4096 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				f, l, id, ok := splitTermKey(k)
				if !ok || !langOK(l) {
					continue
				}
				if d := editDistance(qr, f, maxD); d <= maxD {
					cands = append(cands, cand{d, f, id})
				}
			}
			slices.SortStableFunc(cands, func(a, b cand) int {
				return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.folded, b.folded))
			})
			for _, cd := range cands {
				if len(ids) >= limit {
					break
				}
				add(cd.id)
			}
		}
		for _, id := range ids {
			v := bc.Get([]byte(id))
			if v == nil {
				continue
			}
			var con Concept
			if err := decodeInto(v, &con); err != nil {
				return fmt.Errorf("decoding concept %q: %w", id, err)
			}
			out = append(out, con)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("searching glossary: %w", err)
	}
	return out, nil
}

// editDistance returns the Levenshtein distance between a and b in runes,
// or maxD+1 as soon as it must exceed maxD.
func editDistance(a []rune, bs string, maxD int) int {
	b := []rune(bs)
	if d := len(a) - len(b); d > maxD || -d > maxD {
		return maxD + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > maxD {
			return maxD + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Each calls fn for every concept that passes f, in id order, reading the
// database in small batches so that memory stays constant however large
// the glossary; no transaction is open while fn runs. An error from fn
// stops the walk and is returned as is.
func (s *Store) Each(ctx context.Context, f Filter, fn func(Concept) error) error {
	const batch = 256
	var after []byte
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var page []Concept
		var last []byte
		done := false
		err := s.db.View(func(tx *bbolt.Tx) error {
			c := tx.Bucket(bucketConcepts).Cursor()
			var k, v []byte
			if after == nil {
				k, v = c.First()
			} else if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
			for ; k != nil && len(page) < batch; k, v = c.Next() {
				last = bytes.Clone(k)
				var con Concept
				if err := decodeInto(v, &con); err != nil {
					return fmt.Errorf("decoding concept %q: %w", k, err)
				}
				if f.match(&con) {
					page = append(page, con)
				}
			}
			done = k == nil
			return nil
		})
		if err != nil {
			return fmt.Errorf("reading glossary: %w", err)
		}
		for _, con := range page {
			if err := fn(con); err != nil {
				return err
			}
		}
		if done || last == nil {
			return nil
		}
		after = last
	}
}

func (f *Filter) match(c *Concept) bool {
	if f.Glossary != "" && c.Glossary != f.Glossary {
		return false
	}
	if f.Subject != "" {
		fs, cs := strings.ToLower(f.Subject), strings.ToLower(c.Subject)
		if cs != fs && !strings.HasPrefix(cs, fs+"/") {
			return false
		}
	}
	if !f.ChangedSince.IsZero() && c.Changed.Before(f.ChangedSince) {
		return false
	}
	if f.Status != "" {
		if !slices.ContainsFunc(c.Terms, func(t Term) bool {
			return t.Status == f.Status || (f.Status == StatusAdmitted && t.Status == "")
		}) {
			return false
		}
	}
	return true
}

// decodeInto decodes a stored concept into c.
func decodeInto(v []byte, c *Concept) error {
	d, err := decodeConcept(v)
	if err != nil {
		return err
	}
	*c = d
	return nil
}
