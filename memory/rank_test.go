package memory

import "testing"

// TestCompareRank checks each key of the ranking order of SCORING.md §4 in
// turn: every row's first rank comes before its second only because of the
// key the row names.
func TestCompareRank(t *testing.T) {
	base := rank{score: 90, prio: 1, changed: 1000, mem: 2, id: 50}
	for _, tc := range []struct {
		key          string
		first, after rank
	}{
		{"higher score", rank{91, 9, 1, 9, 99}, base},
		{"lower memory position", rank{90, 0, 1, 9, 99}, base},
		{"more recently changed", rank{90, 1, 1001, 9, 99}, base},
		{"memory created first", rank{90, 1, 1000, 1, 99}, base},
		{"lower id", rank{90, 1, 1000, 2, 49}, base},
	} {
		if c := compareRank(tc.first, tc.after); c >= 0 {
			t.Errorf("%s: compareRank(%+v, %+v) = %d, want < 0", tc.key, tc.first, tc.after, c)
		}
		if c := compareRank(tc.after, tc.first); c <= 0 {
			t.Errorf("%s: compareRank(%+v, %+v) = %d, want > 0", tc.key, tc.after, tc.first, c)
		}
	}
	if c := compareRank(base, base); c != 0 {
		t.Errorf("compareRank of equal ranks = %d, want 0", c)
	}
}
