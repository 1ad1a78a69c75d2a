package memory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tolkdev/tolk"
	"go.etcd.io/bbolt"
)

// UnitFilter selects units of a memory for ListUnits and Export. The zero
// filter selects every unit. A filter no unit meets selects none: that is
// an empty result, not an error.
type UnitFilter struct {
	// Props: the unit must have each of them (TMX <prop> of the unit). An
	// entry with an empty Value asks for the type with any value.
	Props []Prop
	// ChangedSince: only units changed at or after this time (zero: any).
	ChangedSince time.Time
	// ChangedBy: only units last changed by this user ("" any).
	ChangedBy string
}

// Match reports whether u meets the filter.
func (f *UnitFilter) Match(u *Unit) bool {
	if !f.ChangedSince.IsZero() && u.Changed.Before(f.ChangedSince) {
		return false
	}
	if f.ChangedBy != "" && u.ChangedBy != f.ChangedBy {
		return false
	}
outer:
	for _, want := range f.Props {
		for _, p := range u.Props {
			if p.Type == want.Type && (want.Value == "" || p.Value == want.Value) {
				continue outer
			}
		}
		return false
	}
	return true
}

func (f *UnitFilter) check(field string) error {
	for i, p := range f.Props {
		if strings.TrimSpace(p.Type) == "" {
			return tolk.Invalidf(fmt.Sprintf("%s[%d].type", field, i), "a property filter needs a type")
		}
	}
	return nil
}

// ListQuery asks for one page of a memory's units, in id order.
type ListQuery struct {
	Memory    string
	Filter    UnitFilter
	PageSize  int    // 0 means DefaultPageSize; at most MaxLimit
	PageToken string // from the previous page's NextPageToken; "" for the first
}

// UnitPage is one page of ListUnits.
type UnitPage struct {
	Units         []Unit
	NextPageToken string // "" on the last page
}

func checkPageSize(n int) (int, error) {
	if n == 0 {
		return DefaultPageSize, nil
	}
	if n < 0 || n > MaxLimit {
		return 0, tolk.Invalidf("page_size", "%d is out of range: use 1 to %d (0 means %d)", n, MaxLimit, DefaultPageSize)
	}
	return n, nil
}

// ListUnits returns a page of the memory's units that meet q.Filter, in id
// order. It returns ENOTFOUND for an unknown memory, EINVALID for a bad
// page size, filter or page token.
func (s *Store) ListUnits(ctx context.Context, q ListQuery) (UnitPage, error) {
	size, err := checkPageSize(q.PageSize)
	if err != nil {
		return UnitPage{}, err
	}
	if err := q.Filter.check("props"); err != nil {
		return UnitPage{}, err
	}
	hash := tolk.PageHash("units", q.Memory, q.Filter.Props, q.Filter.ChangedSince.UTC().Unix(), q.Filter.ChangedBy)
	after, err := tolk.ParsePageToken(q.PageToken, hash)
	if err != nil {
		return UnitPage{}, err
	}
	if after != nil && len(after) != 8 {
		return UnitPage{}, tolk.BadPageToken()
	}
	var page UnitPage
	err = s.db.View(func(tx *bbolt.Tx) error {
		if _, err := getMemory(tx, q.Memory); err != nil {
			return err
		}
		c := tx.Bucket(bucketUnits).Bucket([]byte(q.Memory)).Cursor()
		k, v := c.First()
		if after != nil {
			k, v = c.Seek(after)
			if k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
		}
		for n := 0; k != nil; k, v = c.Next() {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			u := Unit{ID: beUint64(k), Memory: q.Memory}
			if err := decodeUnit(v, &u); err != nil {
				return fmt.Errorf("unit %d: %w", u.ID, err)
			}
			if !q.Filter.Match(&u) {
				continue
			}
			if len(page.Units) == size {
				page.NextPageToken = tolk.MakePageToken(hash, idKey(page.Units[size-1].ID))
				return nil
			}
			page.Units = append(page.Units, u)
		}
		return nil
	})
	if err != nil {
		return UnitPage{}, fmt.Errorf("listing units of %q: %w", q.Memory, err)
	}
	return page, nil
}

// UnitUpdate lists what UpdateUnit changes; nil fields are kept. The
// source (and its context) is what identifies a unit: a different source
// is a different unit, to be added and the old one deleted.
type UnitUpdate struct {
	Target *string
	Props  *[]Prop
	Notes  *[]string
	User   string // becomes ChangedBy
}

// UpdateUnit changes a unit's target, properties or notes in place,
// keeping its id, source, creation and usage, and sets Changed to now and
// ChangedBy to upd.User. It returns the unit as stored, ENOTFOUND for an
// unknown memory or unit, EINVALID for an empty or too long target (then
// nothing is written).
func (s *Store) UpdateUnit(ctx context.Context, memory string, id uint64, upd UnitUpdate) (Unit, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var u Unit
	var b *addBatch
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var err error
		if b, err = s.newAddBatch(tx, memory, Overwrite, 1); err != nil {
			return err
		}
		v := b.ub.Get(idKey(id))
		if v == nil {
			return tolk.Reasonf(tolk.ReasonUnitNotFound, "memory %q has no unit %d", memory, id)
		}
		if err := decodeUnit(v, &u); err != nil {
			return fmt.Errorf("unit %d: %w", id, err)
		}
		u.ID, u.Memory = id, memory
		old := u
		if upd.Target != nil {
			u.Target = *upd.Target
		}
		if upd.Props != nil {
			u.Props = *upd.Props
		}
		if upd.Notes != nil {
			u.Notes = *upd.Notes
		}
		if err := CheckUnit(&u); err != nil {
			return err
		}
		u.Changed, u.ChangedBy = tolk.Now(ctx, time.Now).UTC().Truncate(time.Second), upd.User
		prepareInto(&b.src, u.Source, false)
		prepareInto(&b.tgt, u.Target, false)
		rec := makeIndexRecord(&u, &b.src, &b.tgt)
		b.res.Updated++
		if err := b.write(&u, rec, &old, nil); err != nil {
			return err
		}
		return b.finish(tx)
	})
	if err != nil {
		return Unit{}, fmt.Errorf("updating unit %d of %q: %w", id, memory, err)
	}
	s.ix.apply(&b.delta)
	return u, nil
}

// CheckUnit returns the error Add would refuse u with, its Field relative
// to the unit ("target", "source_codes"), or nil.
func CheckUnit(u *Unit) error {
	err := checkUnit(0, u)
	var e *tolk.Error
	if errors.As(err, &e) {
		e.Field = strings.TrimPrefix(e.Field, "units[0].")
	}
	return err
}

// MemoryUpdate lists what UpdateMemory changes; nil fields are kept.
type MemoryUpdate struct {
	Description            *string
	SourceLang, TargetLang *string // only while the memory has no units
}

// UpdateMemory changes a memory's description, and its languages while it
// is empty. It returns the memory as stored, ENOTFOUND for an unknown
// memory, EINVALID for a bad language, EFAILEDPRE for a language change of
// a memory that holds units (then nothing is written).
func (s *Store) UpdateMemory(ctx context.Context, name string, upd MemoryUpdate) (Memory, error) {
	for _, l := range []struct {
		field, prefix string
		v             *string
	}{{"source_lang", "nl", upd.SourceLang}, {"target_lang", "en", upd.TargetLang}} {
		if l.v != nil {
			if err := checkLang(l.field, *l.v, l.prefix); err != nil {
				return Memory{}, err
			}
		}
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var m memoryRecord
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		var err error
		if m, err = getMemory(tx, name); err != nil {
			return err
		}
		if upd.Description != nil {
			m.Description = *upd.Description
		}
		for _, l := range []struct {
			field string
			v     *string
			cur   *string
		}{{"source_lang", upd.SourceLang, &m.SourceLang}, {"target_lang", upd.TargetLang, &m.TargetLang}} {
			if l.v == nil || *l.v == *l.cur {
				continue
			}
			if m.Units > 0 {
				return &tolk.Error{Code: tolk.EFAILEDPRE, Reason: tolk.ReasonFailedPrecondition, Field: l.field,
					Message: fmt.Sprintf("memory %q holds %d units: its languages can only be changed while it is empty", name, m.Units)}
			}
			*l.cur = *l.v
		}
		return tx.Bucket(bucketMemories).Put([]byte(name), encodeMemory(&m))
	})
	if err != nil {
		return Memory{}, fmt.Errorf("updating memory %q: %w", name, err)
	}
	return m.Memory, nil
}

// MemoryPage is one page of ListMemories.
type MemoryPage struct {
	Memories      []Memory
	NextPageToken string
}

// ListMemories returns a page of the memories, by name; pageSize 0 means
// all of them.
func (s *Store) ListMemories(ctx context.Context, pageSize int, pageToken string) (MemoryPage, error) {
	if pageSize < 0 || pageSize > MaxLimit {
		return MemoryPage{}, tolk.Invalidf("page_size", "%d is out of range: use 1 to %d (0 means all)", pageSize, MaxLimit)
	}
	hash := tolk.PageHash("memories")
	after, err := tolk.ParsePageToken(pageToken, hash)
	if err != nil {
		return MemoryPage{}, err
	}
	var page MemoryPage
	err = s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketMemories).Cursor()
		k, v := c.First()
		if after != nil {
			k, v = c.Seek(after)
			if k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
		}
		for ; k != nil; k, v = c.Next() {
			if pageSize > 0 && len(page.Memories) == pageSize {
				page.NextPageToken = tolk.MakePageToken(hash, []byte(page.Memories[pageSize-1].Name))
				return nil
			}
			m, err := decodeMemory(v)
			if err != nil {
				return fmt.Errorf("memory %q: %w", k, err)
			}
			page.Memories = append(page.Memories, m.Memory)
		}
		return nil
	})
	if err != nil {
		return MemoryPage{}, fmt.Errorf("listing memories: %w", err)
	}
	return page, nil
}
