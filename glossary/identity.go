package glossary

import (
	"bytes"
	"slices"

	"go.etcd.io/bbolt"
)

// The identity rule of a concept written without an id (an OmegaT line, a
// TBX entry without one), within its glossary (a concept of another
// glossary is never the same concept): it is the stored concept that already has, for
// each language of the written concept, that language's first term
// (compared folded, see FoldTerm); the written terms are merged into it.
// Failing that, it is an earlier id-less concept of the same batch that
// matches the same way, else a new concept. So importing the same file
// twice, or a file exported from the glossary, changes no concept's terms
// and adds none. A concept written with an id is the concept of that id.

// identityKey is one (language, folded first term) pair a match needs.
type identityKey struct{ lang, folded string }

// identityKeys returns the first term of each language of c, folded.
func identityKeys(c *Concept) []identityKey {
	var keys []identityKey
	for _, t := range c.Terms {
		if !containsLang(keys, t.Lang) {
			keys = append(keys, identityKey{t.Lang, FoldTerm(t.Text)})
		}
	}
	return keys
}

func containsLang(keys []identityKey, lang string) bool {
	for _, k := range keys {
		if k.lang == lang {
			return true
		}
	}
	return false
}

// hasKeys reports whether c has a term for every key.
func hasKeys(c *Concept, keys []identityKey) bool {
	for _, k := range keys {
		found := false
		for _, t := range c.Terms {
			if t.Lang == k.lang && FoldTerm(t.Text) == k.folded {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// identify resolves the id-less concepts of norm by the identity rule. It
// returns into: into[i] is the index of the other concept of norm that
// concept i was merged into, or -1. Earlier id-less concepts of the batch
// are tried first, then stored ones; a concept matched to a stored one gets
// its id and the union of both term lists, or is merged into the concept
// of the batch that carries that id. The caller holds s.mu.
func (s *Store) identify(tx *bbolt.Tx, norm []Concept) []int {
	into := make([]int, len(norm))
	byID := make(map[string]int)
	for i := range norm {
		if norm[i].ID != "" {
			byID[norm[i].ID] = i
		}
	}
	idless := make(map[identityKey][]int) // a term of an earlier id-less concept of the batch → its index
	for i := range norm {
		into[i] = -1
		c := &norm[i]
		if c.ID != "" || len(c.Terms) == 0 {
			continue
		}
		keys := identityKeys(c)
		for _, j := range idless[keys[0]] {
			if norm[j].Glossary == c.Glossary && hasKeys(&norm[j], keys) {
				into[i] = j
				break
			}
		}
		if into[i] < 0 {
			if id := s.storedMatch(tx, c.Glossary, keys); id != "" {
				if j, ok := byID[id]; ok {
					into[i] = j
				} else {
					*c = merge(s.concepts[id], *c)
				}
			}
		}
		j := into[i]
		if j >= 0 {
			norm[j] = merge(norm[j], *c)
		} else {
			j = i
		}
		for _, t := range c.Terms {
			k := identityKey{t.Lang, FoldTerm(t.Text)}
			if !slices.Contains(idless[k], j) {
				idless[k] = append(idless[k], j)
			}
		}
	}
	return into
}

// storedMatch returns the id of the first stored concept having every key,
// found through the term index by the first key, or "".
func (s *Store) storedMatch(tx *bbolt.Tx, glossary string, keys []identityKey) string {
	if len(keys) == 0 {
		return ""
	}
	prefix := termKey(Term{Lang: keys[0].lang, Text: keys[0].folded}, "")
	c := tx.Bucket(bucketTerms).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		_, _, id, ok := splitTermKey(k)
		if !ok {
			continue
		}
		if stored, ok := s.concepts[id]; ok && stored.Glossary == glossary && hasKeys(&stored, keys) {
			return id
		}
	}
	return ""
}

// merge returns base with the terms of add that it lacks appended and the
// non-empty concept fields of add taking precedence.
func merge(base, add Concept) Concept {
	out := base
	out.Terms = append([]Term(nil), base.Terms...)
	for _, t := range add.Terms {
		if !hasKeys(&out, []identityKey{{t.Lang, FoldTerm(t.Text)}}) {
			out.Terms = append(out.Terms, t)
		}
	}
	if add.Subject != "" {
		out.Subject = add.Subject
	}
	if add.Definition != "" {
		out.Definition = add.Definition
	}
	if add.Note != "" {
		out.Note = add.Note
	}
	if !add.ValidFrom.IsZero() {
		out.ValidFrom = add.ValidFrom
	}
	if !add.ValidUntil.IsZero() {
		out.ValidUntil = add.ValidUntil
	}
	return out
}
