package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk/client"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// buildTolk builds the tolk binary into a temporary folder.
func buildTolk(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tolk")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("building tolk: %v\n%s", err, out)
	}
	return bin
}

// writeTMX writes a TMX file of n distinct synthetic units.
func writeTMX(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.tmx")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en" srclang="nl" datatype="plaintext"/><body>
`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "<tu><tuv xml:lang=\"nl\"><seg>De delegatie %d sprak over het verdrag nummer %d met de minister.</seg></tuv><tuv xml:lang=\"en\"><seg>Delegation %d discussed treaty number %d with the minister.</seg></tuv></tu>\n", i, i*7, i, i*7)
	}
	fmt.Fprint(w, "</body></tmx>\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

// process is a tolk server running as a child process.
type process struct {
	cmd       *exec.Cmd
	addr      string
	committed chan int // the committed counts the server logs, as they come
}

var (
	listenLine    = regexp.MustCompile(`msg="tolk listening" addr=(\S+)(?: http=(\S+))?`)
	committedLine = regexp.MustCompile(`msg="(?:glossary )?import batch committed" (?:\w+=\S+ )*committed=(\d+)`)
)

func startProcess(t *testing.T, bin, db string, flags ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--no-seed", "--drain", "0"}, flags...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, committed: make(chan int, 1000)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listenLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
			if m := committedLine.FindStringSubmatch(sc.Text()); m != nil {
				n, _ := strconv.Atoi(m[1])
				p.committed <- n
			}
		}
		close(p.committed)
	}()
	select {
	case p.addr = <-addr:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("server did not start within 20 s")
	}
	return p
}

// waitCommitted waits until the server has logged at least n committed
// units (or concepts) and returns the count it logged; it fails the test
// after a minute, or when the server ends first.
func (p *process) waitCommitted(t *testing.T, n int) int {
	t.Helper()
	timeout := time.After(time.Minute)
	reported := 0
	for reported < n {
		select {
		case c, ok := <-p.committed:
			if !ok {
				t.Fatalf("the server ended after logging %d committed, before %d", reported, n)
			}
			reported = c
		case <-timeout:
			p.cmd.Process.Kill()
			t.Fatalf("the server logged %d committed in a minute, want %d", reported, n)
		}
	}
	return reported
}

// TestKillDuringImport starts the server as a separate process, streams a
// large TMX import, kills the server with SIGKILL at several points, and
// checks that the file passes bbolt's consistency check, that every unit
// the server reported as committed is there, and that the index agrees
// with the units. It then restarts the server on the file.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server process; skipped with -short")
	}
	bin := buildTolk(t)
	const units = 40000
	tmxPath := writeTMX(t, units)
	for _, killAt := range []int{5000, 15000, 30000} {
		t.Run(fmt.Sprintf("kill after %d", killAt), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "tolk.db")
			p := startProcess(t, bin, db)
			cl, err := client.New(p.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			go importFile(cl, tmxPath)
			reported := p.waitCommitted(t, killAt)
			if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			p.cmd.Wait()
			if reported < killAt {
				t.Fatalf("the server reported only %d committed units before it ended", reported)
			}
			checkAfterCrash(t, db, reported)
			restart(t, bin, db)
		})
	}
}

func importFile(cl *client.Client, path string) {
	stream, err := cl.Memory.ImportTmx(context.Background())
	if err != nil {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	buf := make([]byte, 32<<10)
	first := true
	for {
		n, err := f.Read(buf)
		if n > 0 {
			msg := &tolkv1.ImportTmxRequest{Chunk: append([]byte(nil), buf[:n]...)}
			if first {
				msg.Memory, msg.Create, first = "crash", true, false
			}
			if stream.Send(msg) != nil {
				return
			}
		}
		if err == io.EOF {
			stream.CloseAndRecv()
			return
		}
	}
}

// checkAfterCrash opens the killed server's file directly and checks it.
func checkAfterCrash(t *testing.T, path string, reported int) {
	t.Helper()
	db := openChecked(t, path)
	defer db.Close()
	ctx := context.Background()
	mem, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mem.Memory(ctx, "crash")
	if err != nil {
		t.Fatal(err)
	}
	if m.Units < reported {
		t.Fatalf("%d units after the crash, but the server reported %d committed", m.Units, reported)
	}
	// The index agrees with the units: every stored unit is found by an
	// exact lookup of its own source.
	checked := 0
	err = mem.Export(ctx, "crash", func(u memory.Unit) error {
		checked++
		if checked%97 != 0 { // a spread sample keeps the test fast
			return nil
		}
		ms, err := mem.Lookup(ctx, memory.Query{Text: u.Source, Memories: []string{"crash"}, MinScore: 100, Limit: 1})
		if err != nil {
			return err
		}
		if len(ms) == 0 || ms[0].Unit.ID != u.ID {
			return fmt.Errorf("unit %d (%q) is stored but its exact lookup finds %v", u.ID, u.Source, ms)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked != m.Units {
		t.Errorf("export gave %d units, the memory counts %d", checked, m.Units)
	}
}

// openChecked opens a database file that no server holds and fails the
// test unless it passes bbolt's consistency check. The caller closes it.
func openChecked(t *testing.T, path string) *bbolt.DB {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	})
	if err != nil {
		db.Close()
		t.Fatalf("%s fails bbolt's consistency check: %v", path, err)
	}
	return db
}

// TestKillDuringBackupAndGlossaryImport kills the server with SIGKILL while
// a backup streams (its snapshot copy made, the client reading slowly, an
// import going on) and while a glossary import commits its batches: each
// time the file passes bbolt's consistency check, no snapshot copy is
// left beside it, what was reported committed is there, and the server
// starts again on the file.
func TestKillDuringBackupAndGlossaryImport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a server process; skipped with -short")
	}
	bin := buildTolk(t)
	ctx := context.Background()
	t.Run("backup", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "tolk.db")
		p := startProcess(t, bin, db)
		cl, err := client.New(p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		go importFile(cl, writeTMX(t, 40000))
		reported := p.waitCommitted(t, 10000) // the backup has something to copy, and the import goes on
		backup, err := cl.Admin.Backup(ctx, &tolkv1.BackupRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := backup.Recv(); err != nil { // the snapshot is taken, the stream under way
			t.Fatal(err)
		}
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		p.cmd.Wait()
		for n := range p.committed { // what the server logged before it died
			reported = max(reported, n)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Errorf("%d files beside the database after the kill, want none (the snapshot copy is unlinked)", len(ents)-1)
		}
		checkAfterCrash(t, db, reported)
		restart(t, bin, db)
	})
	t.Run("glossary import", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "tolk.db")
		p := startProcess(t, bin, db)
		cl, err := client.New(p.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		go importGlossaryFile(cl, 40000)
		reported := p.waitCommitted(t, 6000)
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		p.cmd.Wait()
		d := openChecked(t, db)
		gl, err := glossary.Open(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		concepts, _, err := gl.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if concepts < reported {
			t.Errorf("%d concepts after the kill, but the server reported %d committed", concepts, reported)
		}
		// The recognizer finds a term of the last reported batch.
		if hits := gl.Find(fmt.Sprintf("Het woord proefterm%d staat hier.", reported-1), time.Now()); len(hits) == 0 {
			t.Errorf("term %d of the committed batches is not recognized after the kill", reported-1)
		}
		d.Close()
		restart(t, bin, db)
	})
}

// importGlossaryFile streams a TSV glossary of n generated concepts.
func importGlossaryFile(cl *client.Client, n int) {
	stream, err := cl.Glossary.ImportGlossary(context.Background())
	if err != nil {
		return
	}
	var b []byte
	first := true
	for i := range n {
		b = fmt.Appendf(b, "proefterm%d\ttest term %d\n", i, i)
		if len(b) > 32<<10 || i == n-1 {
			msg := &tolkv1.ImportGlossaryRequest{Chunk: b}
			if first {
				msg.Format, msg.SourceLanguage, msg.TargetLanguage, first = tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TSV, "nl", "en", false
			}
			if stream.Send(msg) != nil {
				return
			}
			b = nil
		}
	}
	stream.CloseAndRecv()
}

// restart starts the server again on db and checks that it answers.
func restart(t *testing.T, bin, db string) {
	t.Helper()
	p := startProcess(t, bin, db)
	defer func() { p.cmd.Process.Signal(syscall.SIGTERM); p.cmd.Wait() }()
	cl, err := client.New(p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := cl.Admin.Stats(context.Background(), &tolkv1.StatsRequest{}); err != nil {
		t.Errorf("restarted server: %v", err)
	}
}
