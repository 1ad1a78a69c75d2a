package glossary

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/tolkdev/tolk"
	"go.etcd.io/bbolt"
)

// ConceptPage is one page of ListConcepts.
type ConceptPage struct {
	Concepts      []Concept
	NextPageToken string // "" on the last page
}

func checkPageSize(n int) (int, error) {
	if n < 0 || n > MaxSearchLimit {
		return 0, tolk.Invalidf("page_size", "%d is out of range: use 1 to %d (0 means %d)", n, MaxSearchLimit, DefaultSearchLimit)
	}
	if n == 0 {
		return DefaultSearchLimit, nil
	}
	return n, nil
}

// ListConcepts returns a page of the concepts that pass f, in id order;
// pass NextPageToken back as token for the next. A filter no concept
// passes gives an empty page. It returns EINVALID for a bad page size or
// a token of another query.
func (s *Store) ListConcepts(ctx context.Context, f Filter, pageSize int, token string) (ConceptPage, error) {
	size, err := checkPageSize(pageSize)
	if err != nil {
		return ConceptPage{}, err
	}
	hash := tolk.PageHash("concepts", f.Subject, f.Status, f.ChangedSince.UTC().Unix())
	after, err := tolk.ParsePageToken(token, hash)
	if err != nil {
		return ConceptPage{}, err
	}
	var page ConceptPage
	err = s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketConcepts).Cursor()
		k, v := c.First()
		if after != nil {
			if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
		}
		for n := 0; k != nil; k, v = c.Next() {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var con Concept
			if err := decodeInto(v, &con); err != nil {
				return fmt.Errorf("decoding concept %q: %w", k, err)
			}
			if !f.match(&con) {
				continue
			}
			if len(page.Concepts) == size {
				page.NextPageToken = tolk.MakePageToken(hash, []byte(page.Concepts[size-1].ID))
				return nil
			}
			page.Concepts = append(page.Concepts, con)
		}
		return nil
	})
	if err != nil {
		return ConceptPage{}, fmt.Errorf("listing concepts: %w", err)
	}
	return page, nil
}

// SearchPage is Search in pages of q.Limit concepts: token is the
// previous page's next token ("" for the first). Search's order is kept,
// and pages reach as far as its first MaxSearchLimit concepts.
func (s *Store) SearchPage(ctx context.Context, q SearchQuery, token string) ([]Concept, string, error) {
	size, err := checkPageSize(q.Limit)
	if err != nil {
		return nil, "", tolk.Invalidf("limit", "%d is out of range: use 1 to %d (0 means %d)", q.Limit, MaxSearchLimit, DefaultSearchLimit)
	}
	hash := tolk.PageHash("search", FoldTerm(q.Text), NormLang(q.Lang), q.Fuzzy)
	after, err := tolk.ParsePageToken(token, hash)
	if err != nil {
		return nil, "", err
	}
	offset := 0
	if after != nil {
		if len(after) != 4 {
			return nil, "", tolk.BadPageToken()
		}
		offset = int(binary.BigEndian.Uint32(after))
	}
	q.Limit = min(offset+size+1, MaxSearchLimit)
	cs, err := s.Search(ctx, q)
	if err != nil {
		return nil, "", err
	}
	if offset >= len(cs) {
		return nil, "", nil
	}
	cs = cs[offset:]
	next := ""
	if len(cs) > size {
		cs = cs[:size]
		next = tolk.MakePageToken(hash, binary.BigEndian.AppendUint32(nil, uint32(offset+size)))
	}
	return cs, next, nil
}
