package memory

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/tolkdev/tolk"
	"go.etcd.io/bbolt"
)

// DefaultPageSize is the concordance page size when none is given.
const DefaultPageSize = 20

// Concordance returns the units whose source (or target, with q.Target)
// contains every word of q.Text (folded: case, typography and spacing do
// not count), or with q.Phrase the words in that order next to each other.
// Results are ordered by memory (as listed, or by name) then id, and paged:
// pass NextPageToken back as PageToken. It returns EINVALID for an empty
// text or a bad page token, ENOTFOUND for an unknown memory.
func (s *Store) Concordance(ctx context.Context, q ConcordanceQuery) (ConcordancePage, error) {
	if strings.TrimSpace(q.Text) == "" {
		return ConcordancePage{}, tolk.Invalidf("text", "the concordance text is empty")
	}
	if err := checkLength("text", q.Text); err != nil {
		return ConcordancePage{}, err
	}
	if q.PageSize == 0 {
		q.PageSize = DefaultPageSize
	}
	if q.PageSize < 0 || q.PageSize > MaxLimit {
		return ConcordancePage{}, tolk.Invalidf("page_size", "page size %d is out of range: use 1 to %d", q.PageSize, MaxLimit)
	}
	allowed, err := s.memoryNos(q.Memories)
	if err != nil {
		return ConcordancePage{}, err
	}
	order := s.memoryOrder(q.Memories)
	rank := map[uint32]int{}
	s.mu.RLock()
	for i, n := range order {
		if _, ok := rank[s.names[n]]; !ok {
			rank[s.names[n]] = i
		}
	}
	s.mu.RUnlock()
	var afterRank int
	var afterID uint64
	hasAfter := false
	if q.PageToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.PageToken)
		if err != nil || len(b) != 12 {
			return ConcordancePage{}, tolk.Invalidf("page_token", "the page token is not one this server gave out")
		}
		afterRank, afterID, hasAfter = int(binary.BigEndian.Uint32(b)), binary.BigEndian.Uint64(b[4:]), true
	}
	qp := prepare(q.Text, false)
	if len(qp.toks) == 0 {
		return ConcordancePage{}, tolk.Invalidf("text", "the text has no words, numbers or punctuation")
	}
	type hit struct {
		rank int
		mem  uint32
		id   uint64
	}
	var hits []hit
	if q.Target {
		if err := s.buildTargetPostings(ctx); err != nil {
			return ConcordancePage{}, fmt.Errorf("concordance: %w", err)
		}
	}
	err = s.db.View(func(tx *bbolt.Tx) error {
		s.ix.mu.RLock()
		defer s.ix.mu.RUnlock()
		sc := scorer{s: s, tx: tx, buckets: map[uint32]*bbolt.Bucket{}}
		post := s.ix.post
		if q.Target {
			post = s.ix.tpost
		}
		terms := distinctTerms(nil, qp.toks)
		var cand []uint32
		if len(terms) > 0 {
			lists := make([][]uint32, len(terms))
			for i, t := range terms {
				lists[i] = post[t]
			}
			slices.SortFunc(lists, func(a, b []uint32) int { return len(a) - len(b) })
			cand = append(cand, lists[0]...)
			for _, l := range lists[1:] {
				cand = slices.DeleteFunc(cand, func(d uint32) bool {
					_, ok := slices.BinarySearch(l, d)
					return !ok
				})
			}
		} else {
			for d := range s.ix.docs {
				cand = append(cand, uint32(d))
			}
		}
		var up prepared
		var u Unit
		for i, d := range cand {
			if i%256 == 255 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			di := &s.ix.docs[d]
			if di.mem == deletedMem || int(di.mem) >= len(allowed) || allowed[di.mem] < 0 {
				continue
			}
			r := rank[di.mem]
			b := sc.bucket(di.mem)
			if b == nil {
				continue
			}
			v := b.Get(idKey(di.id))
			if v == nil {
				continue
			}
			text, err := peekSource(v)
			if err != nil {
				return err
			}
			if q.Target {
				if err := decodeUnit(v, &u); err != nil {
					return err
				}
				text = u.Target
			}
			prepareInto(&up, text, false)
			if contains(&up, qp, q.Phrase) {
				hits = append(hits, hit{r, di.mem, di.id})
			}
		}
		return nil
	})
	if err != nil {
		return ConcordancePage{}, fmt.Errorf("concordance: %w", err)
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if a.id < b.id {
			return -1
		}
		if a.id > b.id {
			return 1
		}
		return 0
	})
	page := ConcordancePage{Total: len(hits)}
	if hasAfter {
		i, _ := slices.BinarySearchFunc(hits, hit{rank: afterRank, id: afterID}, func(a, b hit) int {
			if a.rank != b.rank {
				return a.rank - b.rank
			}
			if a.id <= b.id {
				return -1
			}
			return 1
		})
		hits = hits[i:]
	}
	if len(hits) > q.PageSize {
		last := hits[q.PageSize-1]
		var b [12]byte
		binary.BigEndian.PutUint32(b[:], uint32(last.rank))
		binary.BigEndian.PutUint64(b[4:], last.id)
		page.NextPageToken = base64.RawURLEncoding.EncodeToString(b[:])
		hits = hits[:q.PageSize]
	}
	s.mu.RLock()
	names := make([]string, len(hits))
	for i, h := range hits {
		names[i] = s.nos[h.mem]
	}
	s.mu.RUnlock()
	for i, h := range hits {
		u, err := s.Unit(ctx, names[i], h.id)
		if err != nil {
			if tolk.ErrorCode(err) == tolk.ENOTFOUND {
				continue
			}
			return ConcordancePage{}, err
		}
		page.Units = append(page.Units, u)
	}
	return page, nil
}

// contains reports whether u holds every token of q (folded), or with
// phrase q's tokens consecutively in order.
func contains(u, q *prepared, phrase bool) bool {
	if phrase {
	outer:
		for i := 0; i+len(q.toks) <= len(u.toks); i++ {
			for j := range q.toks {
				if u.toks[i+j].fold != q.toks[j].fold {
					continue outer
				}
			}
			return true
		}
		return false
	}
	for _, qt := range q.toks {
		found := false
		for _, ut := range u.toks {
			if ut.fold == qt.fold {
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
