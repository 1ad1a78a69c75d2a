package translate_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/translate"
	"go.etcd.io/bbolt"
)

// TestDraftCodesFollowQuery stores the real badgr XLIFF file (Angular <x/>
// codes around "rugzak") in a real memory and looks up segments whose codes
// stand elsewhere, carry other numbers or are missing: the draft's codes
// are the query's, moved to where the query has them, and what could not
// be placed is reported (memory/SCORING.md §7).
func TestDraftCodesFollowQuery(t *testing.T) {
	f, err := os.Open(filepath.Join(shareddata.Path(t, "xliff/real_nl"), "badgr-ui-messages.nl.xlf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	units, _, err := translate.ReadXLIFFUnits(f, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	const stored = "Bewaar je badges in je \U00100000 rugzak \U00100001"
	if !slices.ContainsFunc(units, func(u memory.Unit) bool {
		return u.Source == stored && u.Target == "Store your badges in your \U00100000Backpack\U00100001"
	}) {
		t.Fatalf("the badgr file has no unit %q any more", stored)
	}
	mem := openMemory(t, units)
	p := &translate.Pipeline{Memory: mem}
	for _, tc := range []struct {
		name, query, draft     string
		moved, unplaced, dropd []int
		missing                int
	}{
		{name: "same places", query: stored, draft: "Store your badges in your \U00100000Backpack\U00100001"},
		{name: "other numbers", query: "Bewaar al je badges in je \U00100005 rugzak \U00100006", draft: "Store your badges in your \U00100005Backpack\U00100006"},
		{name: "numbers swapped", query: "Bewaar al je badges in je \U00100001 rugzak \U00100000", draft: "Store your badges in your \U00100001Backpack\U00100000"},
		{name: "moved", query: "Bewaar je \U00100000badges\U00100001 in je rugzak", draft: "Store your \U00100000badges\U00100001 in your Backpack", moved: []int{0, 1}},
		{name: "no codes", query: "Bewaar je badges in je rugzak", draft: "Store your badges in your Backpack", dropd: []int{0, 1}},
		{name: "one more", query: "Bewaar je badges \U00100002 in je \U00100000 rugzak \U00100001", draft: "Store your badges in your \U00100000Backpack\U00100001", unplaced: []int{2}, missing: 1},
		{name: "one less", query: "Bewaar je badges in je \U00100000 rugzak", draft: "Store your badges in your \U00100000Backpack", dropd: []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := p.LookupSegments(context.Background(), []translate.SegmentQuery{{ID: "1", Text: tc.query}}, translate.Options{})
			if err != nil {
				t.Fatal(err)
			}
			a := res[0].AlignedSegment
			if a.Best == nil {
				t.Fatalf("no match for %q", tc.query)
			}
			if a.Target != tc.draft {
				t.Errorf("draft %q, want %q", a.Target, tc.draft)
			}
			c := a.Best.Codes
			if !slices.Equal(c.Moved, tc.moved) || !slices.Equal(c.Unplaced, tc.unplaced) || !slices.Equal(c.Dropped, tc.dropd) {
				t.Errorf("codes moved %v, unplaced %v, dropped %v; want %v, %v, %v", c.Moved, c.Unplaced, c.Dropped, tc.moved, tc.unplaced, tc.dropd)
			}
			if a.Codes.Missing != tc.missing || a.Codes.Extra != 0 {
				t.Errorf("code check %+v, want %d missing", a.Codes, tc.missing)
			}
			if strings.Contains(a.Best.Unit.Target, "\U00100005") {
				t.Errorf("the stored target changed: %q", a.Best.Unit.Target)
			}
		})
	}
}

// openMemory stores units in memory "m" of a real bbolt file.
func openMemory(t *testing.T, units []memory.Unit) *memory.Store {
	t.Helper()
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mem, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mem.CreateMemory(ctx, memory.Memory{Name: "m", SourceLang: "nl", TargetLang: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Add(ctx, "m", units, memory.KeepBoth); err != nil {
		t.Fatal(err)
	}
	return mem
}
