package memory

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/tolkdev/tolk"
	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

func checkLang(field, lang, prefix string) error {
	l := strings.ToLower(lang)
	if l == prefix || (strings.HasPrefix(l, prefix+"-") && len(l) > len(prefix)+1) {
		return nil
	}
	return tolk.Invalidf(field, "language %q is not supported: use %q or %q followed by a region, such as %q", lang, prefix, prefix+"-XX", prefix+"-"+map[string]string{"nl": "NL", "en": "GB"}[prefix])
}

// CreateMemory creates a memory and returns it as stored. Name must be 1–64
// letters, digits, '.', '_' or '-' (starting with a letter or digit);
// SourceLang "nl" or "nl-XX", TargetLang "en" or "en-XX". It returns
// EINVALID for a bad field and EEXISTS when the name is taken.
func (s *Store) CreateMemory(ctx context.Context, m Memory) (Memory, error) {
	if !nameRE.MatchString(m.Name) {
		return Memory{}, tolk.Invalidf("name", "memory name %q is not valid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", m.Name)
	}
	if err := checkLang("source_lang", m.SourceLang, "nl"); err != nil {
		return Memory{}, err
	}
	if err := checkLang("target_lang", m.TargetLang, "en"); err != nil {
		return Memory{}, err
	}
	if err := ctx.Err(); err != nil {
		return Memory{}, err
	}
	if m.Created.IsZero() {
		m.Created = tolk.Now(ctx, time.Now)
	}
	m.Created = m.Created.UTC().Round(0)
	m.Units = 0
	rec := memoryRecord{Memory: m}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		mems := tx.Bucket(bucketMemories)
		if mems.Get([]byte(m.Name)) != nil {
			return tolk.Reasonf(tolk.ReasonMemoryExists, "memory %q already exists", m.Name)
		}
		meta := tx.Bucket(bucketMeta)
		no := uint32(0)
		if v := meta.Get(keyMemSeq); len(v) == 8 {
			no = uint32(beUint64(v))
		}
		no++
		if no == deletedMem {
			return tolk.Errorf(tolk.ELIMIT, "too many memories have been created in this database")
		}
		if err := meta.Put(keyMemSeq, idKey(uint64(no))); err != nil {
			return err
		}
		rec.no = no
		if _, err := tx.Bucket(bucketUnits).CreateBucket([]byte(m.Name)); err != nil {
			return err
		}
		if _, err := tx.Bucket(bucketIndex).CreateBucket([]byte(m.Name)); err != nil {
			return err
		}
		return mems.Put([]byte(m.Name), encodeMemory(&rec))
	})
	if err != nil {
		return Memory{}, fmt.Errorf("creating memory %q: %w", m.Name, err)
	}
	s.mu.Lock()
	s.names[m.Name] = rec.no
	s.nos[rec.no] = m.Name
	s.mu.Unlock()
	return m, nil
}

// Memories returns every memory, sorted by name.
func (s *Store) Memories(ctx context.Context) ([]Memory, error) {
	var out []Memory
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketMemories).ForEach(func(k, v []byte) error {
			m, err := decodeMemory(v)
			if err != nil {
				return fmt.Errorf("memory %q: %w", k, err)
			}
			out = append(out, m.Memory)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("listing memories: %w", err)
	}
	return out, nil
}

// Memory returns the named memory, or ENOTFOUND.
func (s *Store) Memory(ctx context.Context, name string) (Memory, error) {
	var m memoryRecord
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		m, err = getMemory(tx, name)
		return err
	})
	if err != nil {
		return Memory{}, err
	}
	return m.Memory, nil
}

func getMemory(tx *bbolt.Tx, name string) (memoryRecord, error) {
	v := tx.Bucket(bucketMemories).Get([]byte(name))
	if v == nil {
		return memoryRecord{}, tolk.Reasonf(tolk.ReasonMemoryNotFound, "memory %q does not exist", name)
	}
	m, err := decodeMemory(v)
	if err != nil {
		return m, fmt.Errorf("memory %q: %w", name, err)
	}
	return m, nil
}

// DeleteMemory deletes a memory with all its units, or returns ENOTFOUND.
func (s *Store) DeleteMemory(ctx context.Context, name string) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var no uint32
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		m, err := getMemory(tx, name)
		if err != nil {
			return err
		}
		no = m.no
		for _, b := range [][]byte{bucketUnits, bucketIndex} {
			if err := tx.Bucket(b).DeleteBucket([]byte(name)); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return err
			}
		}
		return tx.Bucket(bucketMemories).Delete([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("deleting memory %q: %w", name, err)
	}
	s.ix.apply(&indexDelta{dropMem: []uint32{no}})
	s.mu.Lock()
	delete(s.names, name)
	delete(s.nos, no)
	s.mu.Unlock()
	return nil
}

// memoryNos resolves names (empty: all memories) to an allowed table
// indexed by memory number, holding each one's priority (position in
// names, 0 for all when names is empty) or -1.
func (s *Store) memoryNos(names []string) ([]int, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	maxNo := uint32(0)
	for no := range s.nos {
		maxNo = max(maxNo, no)
	}
	allowed := make([]int, maxNo+1)
	for i := range allowed {
		allowed[i] = -1
	}
	if len(names) == 0 {
		for no := range s.nos {
			allowed[no] = 0
		}
		return allowed, nil
	}
	for i, n := range names {
		no, ok := s.names[n]
		if !ok {
			return nil, tolk.Reasonf(tolk.ReasonMemoryNotFound, "memory %q does not exist", n)
		}
		if allowed[no] < 0 {
			allowed[no] = i
		}
	}
	return allowed, nil
}

// memoryOrder lists memory names in the order results are given: names as
// asked, or all sorted.
func (s *Store) memoryOrder(names []string) []string {
	if len(names) > 0 {
		return names
	}
	s.mu.RLock()
	out := make([]string, 0, len(s.names))
	for n := range s.names {
		out = append(out, n)
	}
	s.mu.RUnlock()
	sort.Strings(out)
	return out
}
