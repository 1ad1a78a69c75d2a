package access

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
)

func openStore(t *testing.T, path string) (*Store, *bbolt.DB) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tolk.db")
	s, db := openStore(t, path)
	if s.Enabled() {
		t.Fatal("a new store has tokens")
	}
	tok, secret, err := s.Create(ctx, "ci", []Scope{Read})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Create(ctx, "ci", []Scope{Read}); tolk.ErrorCode(err) != tolk.EEXISTS {
		t.Errorf("duplicate name: %v, want EEXISTS", err)
	}
	db.Close()

	// Tokens survive a restart, stored as hashes only.
	s, db = openStore(t, path)
	defer db.Close()
	got, err := s.Verify(secret)
	if err != nil || got.ID != tok.ID {
		t.Fatalf("Verify = %+v, %v", got, err)
	}
	if !got.Allows(Read) || got.Allows(Write) || got.Allows(Admin) {
		t.Errorf("read token scopes wrong: %+v", got.Scopes)
	}
	for _, bad := range []string{"", "tolk_t1_x", secret + "x"} {
		if _, err := s.Verify(bad); tolk.ErrorCode(err) != tolk.EUNAUTHENTICATED {
			t.Errorf("Verify(%q) = %v, want EUNAUTHENTICATED", bad, err)
		}
	}
	err = db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
			if string(v) == secret || len(v) == 0 {
				t.Errorf("token %s stored in the clear", k)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, "ci", false); tolk.ErrorReason(err) != tolk.ReasonLastAdminToken {
		t.Errorf("revoking the last token without allowOpen: %v, want LAST_ADMIN_TOKEN", err)
	}
	if err := s.Revoke(ctx, "ci", true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Verify(secret); err == nil {
		t.Error("a revoked token still verifies")
	}
	if err := s.Revoke(ctx, "ci", true); tolk.ErrorCode(err) != tolk.ENOTFOUND {
		t.Errorf("revoking twice: %v, want ENOTFOUND", err)
	}
}

func TestScopes(t *testing.T) {
	tests := []struct {
		in   string
		want []Scope
		ok   bool
	}{
		{"read", []Scope{Read}, true},
		{"read, write,read", []Scope{Read, Write}, true},
		{"ADMIN", []Scope{Admin}, true},
		{"", nil, false},
		{"root", nil, false},
	}
	for _, tt := range tests {
		got, err := ParseScopes(tt.in)
		if (err == nil) != tt.ok || len(got) != len(tt.want) {
			t.Errorf("ParseScopes(%q) = %v, %v", tt.in, got, err)
		}
	}
	w := Token{Scopes: []Scope{Write}}
	if !w.Allows(Read) || !w.Allows(Write) || w.Allows(Admin) {
		t.Error("write scope should imply read and not admin")
	}
	if a := (Token{Scopes: []Scope{Admin}}); !a.Allows(Read) || !a.Allows(Write) {
		t.Error("admin scope should imply all")
	}
}

// TestRevokeRefusesToOpen checks that the last admin token and the last
// token are revoked only with allowOpen.
func TestRevokeRefusesToOpen(t *testing.T) {
	ctx := context.Background()
	s, db := openStore(t, filepath.Join(t.TempDir(), "tolk.db"))
	defer db.Close()
	for _, tk := range []struct {
		name  string
		scope Scope
	}{{"root", Admin}, {"reader", Read}} {
		if _, _, err := s.Create(ctx, tk.name, []Scope{tk.scope}); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		token     string
		allowOpen bool
		reason    tolk.Reason // "" for success
	}{
		{"root", false, tolk.ReasonLastAdminToken}, // the reader could not manage tokens
		{"reader", false, ""},
		{"root", false, tolk.ReasonLastAdminToken}, // the last token: the server would open
		{"root", true, ""},
	}
	for i, st := range steps {
		err := s.Revoke(ctx, st.token, st.allowOpen)
		if st.reason == "" && err != nil || st.reason != "" && tolk.ErrorReason(err) != st.reason {
			t.Fatalf("step %d: Revoke(%q, %v) = %v, want reason %q", i, st.token, st.allowOpen, err, st.reason)
		}
	}
	if s.Enabled() {
		t.Error("tokens left after revoking both")
	}
}
