package segment

import (
	"testing"

	"github.com/dlclark/regexp2/v2"
)

func TestJavaClasses(t *testing.T) {
	tests := []struct {
		java string
		in   map[string]bool
	}{
		{`[\p{L}&&[^rwn]]`, map[string]bool{"a": true, "r": false, "é": true, "1": false}},
		{`[a-z&&[def]]`, map[string]bool{"d": true, "a": false, "D": false}},
		{`[^a-z&&[^x]]`, map[string]bool{"x": true, "a": false, "1": true}},
		{`[a[0-9]]`, map[string]bool{"a": true, "5": true, "b": false}},
		{`[^a[0-9]]`, map[string]bool{"a": false, "5": false, "b": true}},
		{`[\p{Lu}&&[^A-C]&&[^X]]`, map[string]bool{"A": false, "D": true, "X": false, "d": false}},
		{`[]a]`, map[string]bool{"]": true, "a": true, "b": false}},
	}
	for _, tt := range tests {
		net, err := javaToRegexp2(tt.java)
		if err != nil {
			t.Errorf("%s: %v", tt.java, err)
			continue
		}
		re, err := regexp2.Compile(`^`+net+`$`, regexp2.RE2)
		if err != nil {
			t.Errorf("%s → %s: %v", tt.java, net, err)
			continue
		}
		for in, want := range tt.in {
			if got, _ := re.MatchString(in); got != want {
				t.Errorf("%s (→ %s) on %q = %v, want %v", tt.java, net, in, got, want)
			}
		}
	}
}
