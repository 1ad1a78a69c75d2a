package tolk_test

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"github.com/tolkdev/tolk"
)

// TestReasonsDocumented checks that the reasons listed in errors.proto's
// comment and in the README's table are exactly tolk.Reasons().
func TestReasonsDocumented(t *testing.T) {
	for _, doc := range []struct {
		file string
		re   *regexp.Regexp
	}{
		{"proto/tolk/v1/errors.proto", regexp.MustCompile(`(?m)^//   ([A-Z_]+) `)},
		{"README.md", regexp.MustCompile(`(?m)^\| \x60([A-Z_]+)\x60 \| `)},
	} {
		b, err := os.ReadFile(doc.file)
		if err != nil {
			t.Fatal(err)
		}
		var listed []tolk.Reason
		for _, m := range doc.re.FindAllSubmatch(b, -1) {
			listed = append(listed, tolk.Reason(m[1]))
		}
		for _, r := range tolk.Reasons() {
			if !slices.Contains(listed, r) {
				t.Errorf("%s does not list reason %s", doc.file, r)
			}
		}
		for _, r := range listed {
			if !slices.Contains(tolk.Reasons(), r) {
				t.Errorf("%s lists %s, which is not one of tolk.Reasons()", doc.file, r)
			}
		}
	}
}

// TestReasonCodes checks that every reason belongs to a code and that each
// code's default reason belongs to that code.
func TestReasonCodes(t *testing.T) {
	for _, r := range tolk.Reasons() {
		c := r.Code()
		if c == "" {
			t.Errorf("reason %s has no code", r)
			continue
		}
		if d := c.DefaultReason(); d.Code() != c {
			t.Errorf("default reason of %s is %s, which belongs to %s", c, d, d.Code())
		}
	}
}
