package tmx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/memory"
)

// smallDisk mounts a tmpfs of size bytes in a temporary folder, skipping
// the test where the machine does not allow it.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// unitsTMX streams a TMX document of n units numbered from first; closing
// it stops the stream.
func unitsTMX(first, n int) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, `<tmx version="1.4"><header srclang="nl"/><body>`)
		for i := first; i < first+n; i++ {
			fmt.Fprintf(pw, `<tu><tuv xml:lang="nl"><seg>De commissie besprak op vergadering %d het voorstel over de begroting.</seg></tuv><tuv xml:lang="en"><seg>At meeting %d the committee discussed the budget proposal.</seg></tuv></tu>`, i, i)
		}
		pw.CloseWithError(func() error { _, err := fmt.Fprint(pw, `</body></tmx>`); return err }())
	}()
	return pr
}

func openOn(t *testing.T, path string) (*bbolt.DB, *memory.Store) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s, err := memory.Open(context.Background(), db)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, s
}

// TestDiskFull imports into a database on a small tmpfs until the disk is
// full: the error is ELIMIT, says the cause and how many units were
// committed, and those are in the memory; once space is freed, writes
// resume, and after a reopen the file is consistent with nothing lost.
func TestDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := smallDisk(t, "24m")
	ballast := filepath.Join(dir, "ballast")
	if err := os.WriteFile(ballast, make([]byte, 8<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tolk.db")
	db, s := openOn(t, path)
	defer func() { db.Close() }()
	if _, err := s.CreateMemory(ctx, memory.Memory{Name: "m", SourceLang: "nl", TargetLang: "en"}); err != nil {
		t.Fatal(err)
	}
	in := unitsTMX(0, 500000)
	res, err := Import(ctx, s, "m", in, Options{}, memory.KeepBoth, nil)
	in.Close()
	committed := res.Added + res.Updated + res.AddResult.Skipped
	var te *tolk.Error
	if !errors.As(err, &te) || te.Code != tolk.ELIMIT || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("import on a full disk: %v, want an ELIMIT *tolk.Error for ENOSPC", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "disk full: no space left on device") || !strings.Contains(msg, fmt.Sprintf("after %d units were committed", committed)) || committed == 0 {
		t.Fatalf("error %q, want the cause and the %d units committed", msg, committed)
	}
	t.Logf("%v", err)
	count := func(want int) {
		t.Helper()
		m, err := s.Memory(ctx, "m")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		if err := s.Export(ctx, "m", func(memory.Unit) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		if m.Units != want || n != want {
			t.Fatalf("memory m counts %d units and exports %d, want %d", m.Units, n, want)
		}
	}
	count(committed)

	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	more, err := Import(ctx, s, "m", unitsTMX(1000000, 5000), Options{}, memory.KeepBoth, nil)
	if err != nil || more.Added != 5000 {
		t.Fatalf("import after freeing space: %+v, %v", more, err)
	}
	count(committed + 5000)
	db.Close()

	db, s = openOn(t, path)
	if err := db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}); err != nil {
		t.Fatalf("after reopening, bbolt's check: %v", err)
	}
	count(committed + 5000)
	ms, err := s.Lookup(ctx, memory.Query{Text: fmt.Sprintf("De commissie besprak op vergadering %d het voorstel over de begroting.", committed-1), Limit: 1})
	if err != nil || len(ms) != 1 || ms[0].Score != 100 {
		t.Fatalf("lookup of the last unit committed before the disk was full: %+v, %v", ms, err)
	}
}
