package server

import (
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/termfile"
	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/translate"
	"github.com/tolkdev/tolk/translate/diff"
)

// numbers returns every number e's enum defines.
func numbers(e protoreflect.Enum) []protoreflect.EnumNumber {
	vs := e.Descriptor().Values()
	out := make([]protoreflect.EnumNumber, vs.Len())
	for i := range out {
		out[i] = vs.Get(i).Number()
	}
	return out
}

// unknown is a number no Tolk enum defines.
const unknown = 99

// checkFromProto checks a conversion from the wire over every value of its
// enum: each converts, the named ones (not UNSPECIFIED) to distinct domain
// values, which must be all of want; and an unknown number is refused
// naming the field.
func checkFromProto[E protoreflect.Enum, D comparable](t *testing.T, conv func(string, E) (D, error), enum func(protoreflect.EnumNumber) E, want []D) {
	t.Helper()
	seen := map[D]protoreflect.EnumNumber{}
	for _, n := range numbers(enum(0)) {
		d, err := conv("f", enum(n))
		if err != nil {
			t.Errorf("%v: %v", enum(n), err)
			continue
		}
		if prev, ok := seen[d]; ok && n != 0 && prev != 0 {
			t.Errorf("%v and %v both convert to %v", enum(prev), enum(n), d)
		}
		seen[d] = n
	}
	for _, d := range want {
		if _, ok := seen[d]; !ok {
			t.Errorf("no %T value converts to %v", enum(0), d)
		}
	}
	_, err := conv("f", enum(unknown))
	if tolk.ErrorReason(err) != tolk.ReasonUnknownEnum || tolk.ErrorField(err) != "f" {
		t.Errorf("%d: error %v (reason %s, field %q), want UNKNOWN_ENUM_VALUE on f", unknown, err, tolk.ErrorReason(err), tolk.ErrorField(err))
	}
}

// checkToProto checks a conversion to the wire: every named value of the
// proto enum comes from exactly one of domain, which are all the domain
// values, and a value outside them gives UNSPECIFIED.
func checkToProto[D any, E protoreflect.Enum](t *testing.T, conv func(D) E, domain []D, outside D) {
	t.Helper()
	got := map[protoreflect.EnumNumber]int{}
	for _, d := range domain {
		got[conv(d).Number()]++
	}
	for _, n := range numbers(conv(outside)) {
		if n != 0 && got[n] != 1 {
			t.Errorf("%v comes from %d domain values, want 1", conv(outside).Descriptor().Values().ByNumber(n).Name(), got[n])
		}
	}
	if n := conv(outside).Number(); n != 0 {
		t.Errorf("%v outside the domain values converts to %d, want UNSPECIFIED", outside, n)
	}
}

func TestEnumsFromProto(t *testing.T) {
	t.Run("UpdatePolicy", func(t *testing.T) {
		checkFromProto(t, policyFromProto, func(n protoreflect.EnumNumber) tolkv1.UpdatePolicy { return tolkv1.UpdatePolicy(n) },
			[]memory.Policy{memory.Overwrite, memory.KeepBoth, memory.KeepNewer})
	})
	t.Run("GlossaryFormat", func(t *testing.T) {
		checkFromProto(t, formatFromProto, func(n protoreflect.EnumNumber) tolkv1.GlossaryFormat { return tolkv1.GlossaryFormat(n) },
			[]termfile.Format{termfile.AutoDetect, termfile.TBX, termfile.CSV, termfile.TSV, termfile.JSONL, termfile.TBX2})
	})
	t.Run("TermStatus", func(t *testing.T) {
		checkFromProto(t, statusFromProto, func(n protoreflect.EnumNumber) tolkv1.TermStatus { return tolkv1.TermStatus(n) },
			[]glossary.Status{"", glossary.StatusPreferred, glossary.StatusAdmitted, glossary.StatusDeprecated, glossary.StatusForbidden})
	})
	t.Run("OffsetUnit", func(t *testing.T) {
		checkFromProto(t, offsetUnitFromProto, func(n protoreflect.EnumNumber) tolkv1.OffsetUnit { return tolkv1.OffsetUnit(n) },
			[]tolkv1.OffsetUnit{tolkv1.OffsetUnit_OFFSET_UNIT_UTF8, tolkv1.OffsetUnit_OFFSET_UNIT_UTF16, tolkv1.OffsetUnit_OFFSET_UNIT_CODE_POINTS})
	})
	t.Run("InlineCode.Kind", func(t *testing.T) {
		checkFromProto(t, codeKindFromProto, func(n protoreflect.EnumNumber) tolkv1.InlineCode_Kind { return tolkv1.InlineCode_Kind(n) },
			[]string{"ph", "bpt", "ept"})
	})
	t.Run("DocumentFormat", func(t *testing.T) {
		checkFromProto(t, func(f string, e tolkv1.DocumentFormat) (tolkv1.DocumentFormat, error) {
			return e, checkDocumentFormat(f, e)
		},
			func(n protoreflect.EnumNumber) tolkv1.DocumentFormat { return tolkv1.DocumentFormat(n) }, nil)
	})
}

func TestEnumsToProto(t *testing.T) {
	t.Run("SegmentStatus", func(t *testing.T) {
		checkToProto(t, segmentStatusToProto, []translate.Status{translate.None, translate.Fuzzy, translate.Exact, translate.Context}, unknown)
	})
	t.Run("TermCheck", func(t *testing.T) {
		checkToProto(t, termCheckToProto, []translate.TermCheck{translate.Unchecked, translate.TermOK, translate.TermMissing, translate.TermForbidden}, unknown)
	})
	t.Run("DiffOp.Kind", func(t *testing.T) {
		checkToProto(t, diffKindToProto, []diff.Kind{diff.Equal, diff.Insert, diff.Delete}, unknown)
	})
	t.Run("MatchType", func(t *testing.T) {
		checkToProto(t, matchTypeToProto, []memory.MatchType{memory.Fuzzy, memory.Exact, memory.Context}, unknown)
	})
	t.Run("InlineCode.Kind", func(t *testing.T) {
		checkToProto(t, codeKindToProto, []memory.Code{{Kind: "ph"}, {Kind: "bpt"}, {Kind: "ept"}}, memory.Code{Kind: "x-unknown"})
	})
	t.Run("TermStatus", func(t *testing.T) {
		checkToProto(t, statusToProto, []glossary.Status{glossary.StatusPreferred, glossary.StatusAdmitted, glossary.StatusDeprecated, glossary.StatusForbidden}, "unknown")
	})
}
