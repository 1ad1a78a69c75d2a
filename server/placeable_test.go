package server_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/seeds"
	"github.com/tolkdev/tolk/server"
)

// TestLookupPlaceables looks up the seed sentence on the 24-hour operation
// with 48 hours, then with a number added: the first is carried into
// adapted_target, the second is listed in unadapted_placeables.
func TestLookupPlaceables(t *testing.T) {
	conn := startServer(t, server.Limits{})
	units, err := seeds.Units()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(units, func(u memory.Unit) bool { return strings.Contains(u.Source, "24 uur") })
	if i < 0 {
		t.Fatal("no seed unit says 24 uur")
	}
	mem := tolkv1.NewMemoryServiceClient(conn)
	for _, tc := range []struct {
		query, target string
		unadapted     []string
	}{
		{strings.Replace(units[i].Source, "24 uur", "48 uur", 1), strings.Replace(units[i].Target, "24 hours", "48 hours", 1), nil},
		{strings.Replace(units[i].Source, "militaire", "3 militaire", 1), units[i].Target, []string{"3"}},
	} {
		resp, err := mem.Lookup(context.Background(), &tolkv1.LookupRequest{Text: tc.query, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.GetMatches()) != 1 {
			t.Fatalf("%q: %d matches, want 1", tc.query, len(resp.GetMatches()))
		}
		m := resp.GetMatches()[0]
		if m.GetAdaptedTarget() != tc.target || !slices.Equal(m.GetUnadaptedPlaceables(), tc.unadapted) {
			t.Errorf("%q: adapted_target %q, unadapted_placeables %q; want %q, %q", tc.query, m.GetAdaptedTarget(), m.GetUnadaptedPlaceables(), tc.target, tc.unadapted)
		}
	}
}
