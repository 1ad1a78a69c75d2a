package tbx

import (
	"strings"
	"time"
)

// dialectRules are the checks of one TBX v3 dialect: which data categories
// each element may carry, the picklists, and the levels some categories are
// confined to (from the TBX-Basic and TBX-Min Schematron rules, relaxed
// where the LTAC reference samples use the earlier vocabulary: TBX-Min's
// usageStatus, free transactionType values).
type dialectRules struct {
	name    string
	allowed map[string][]string // element kind (DCA) → permitted types; "dct" → every category
	levels  map[string][]string // category → levels it may appear at
}

var picklists = map[string][]string{
	"administrativeStatus": {"admittedTerm-admn-sts", "deprecatedTerm-admn-sts", "supersededTerm-admn-sts", "preferredTerm-admn-sts"},
	"partOfSpeech":         {"adjective", "noun", "other", "verb", "adverb"},
	"grammaticalGender":    {"masculine", "feminine", "neuter", "other"},
	"termType":             {"fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase"},
	"usageStatus":          {"preferred", "admitted", "deprecated", "notRecommended", "obsolete"},
}

var basicRules = &dialectRules{
	name: "TBX-Basic",
	allowed: map[string][]string{
		"admin":       {"customerSubset", "projectSubset", "source"},
		"descrip":     {"subjectField", "context", "definition"},
		"termNote":    {"administrativeStatus", "partOfSpeech", "geographicalUsage", "grammaticalGender", "termLocation", "termType", "usageStatus"},
		"transac":     {"transactionType"},
		"transacNote": {"responsibility"},
		"xref":        {"externalCrossReference", "xGraphic"},
		"ref":         {"crossReference"},
	},
	levels: map[string][]string{
		"subjectField": {levelEntry},
		"definition":   {levelEntry, levelLang},
		"context":      {levelTerm},
	},
}

var minRules = &dialectRules{
	name: "TBX-Min",
	allowed: map[string][]string{
		"admin":    {"customerSubset"},
		"descrip":  {"subjectField"},
		"termNote": {"administrativeStatus", "partOfSpeech", "usageStatus"},
		"xref":     {"externalCrossReference"},
	},
	levels: map[string][]string{"subjectField": {levelEntry}},
}

func init() {
	for _, r := range []*dialectRules{basicRules, minRules} {
		var all []string
		for _, v := range r.allowed {
			all = append(all, v...)
		}
		r.allowed["dct"] = append(all, "date")
	}
}

// rulesFor returns the rules of a declared dialect, nil for others.
func rulesFor(dialect string) *dialectRules {
	switch strings.ToLower(dialect) {
	case "tbx-basic":
		return basicRules
	case "tbx-min":
		return minRules
	}
	return nil
}

func (r *dialectRules) check(t *Reader, kind, cat, v, level string) error {
	allowed, known := r.allowed[kind]
	if !known {
		return t.errorf("<%s> is not part of %s", kind, r.name)
	}
	if !contains(allowed, cat) {
		if kind == "dct" {
			return t.errorf("data category %q is not part of %s (permitted: %s)", cat, r.name, strings.Join(allowed, ", "))
		}
		return t.errorf("<%s type=%q>: %s permits %s", kind, cat, r.name, strings.Join(allowed, ", "))
	}
	if pl, ok := picklists[cat]; ok && !contains(pl, v) {
		return t.errorf("%s %q is not in the %s picklist: use one of %s", cat, v, r.name, strings.Join(pl, ", "))
	}
	if lv, ok := r.levels[cat]; ok && !contains(lv, level) {
		return t.errorf("%s may appear only in %s, not in <%s>", cat, strings.Join(lv, " or "), level)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseDate accepts YYYY-MM-DD or RFC 3339.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}
