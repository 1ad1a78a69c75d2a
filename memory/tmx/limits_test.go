package tmx

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/internal/race"
)

// repeat is a reader of pattern repeated up to n bytes, so that a test can
// feed a reader gigabytes without holding them.
type repeat struct {
	pattern []byte
	off     int
	n       int64
}

func (r *repeat) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for k := 0; k < len(p); {
		c := copy(p[k:], r.pattern[r.off:])
		r.off = (r.off + c) % len(r.pattern)
		k += c
	}
	r.n -= int64(len(p))
	return len(p), nil
}

func rep(s string, n int64) io.Reader { return &repeat{pattern: []byte(s), n: n} }

// gzipBomb returns head compressed, followed by gzip members of pattern
// repeated until the file is about size bytes compressed: gzip.Reader
// reads concatenated members as one stream.
func gzipBomb(t *testing.T, head, pattern string, size int) []byte {
	t.Helper()
	member := func(r io.Reader) []byte {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		if _, err := io.Copy(zw, r); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	out := member(strings.NewReader(head))
	m := member(rep(pattern, 32<<20))
	for len(out) < size {
		out = append(out, m...)
	}
	return out
}

// drain reads every unit of a TMX stream and drops it.
func drain(in io.Reader, opt Options) error {
	rd, err := NewReader(in, opt)
	if err != nil {
		return err
	}
	for {
		if _, err := rd.Next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// peakHeap runs f and returns how far the live heap rose above its level
// before f, sampled every millisecond.
func peakHeap(t *testing.T, f func()) uint64 {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return peak - min(peak, base)
}

// TestHostileInput feeds the Reader documents built to exhaust memory or
// time: each must be refused quickly, with an ELIMIT error that names the
// limit and says where, while the heap stays within a few megabytes.
func TestHostileInput(t *testing.T) {
	if race.Enabled {
		t.Skip("reads hundreds of MB: too slow under the race detector; .ci/run runs it without")
	}
	const head = `<?xml version="1.0"?><tmx version="1.4"><header srclang="nl"/><body>`
	const seg = `<tu><tuv xml:lang="nl"><seg>`
	const tail = `</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu></body></tmx>`
	const rest = `<tuv xml:lang="en"><seg>b</seg></tuv></tu></body></tmx>`
	const unit = `<tu><tuv xml:lang="nl"><seg>a</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu>`
	words := func(n int64) io.Reader { // text that gzip compresses about 3 times
		r := rand.New(rand.NewPCG(1, 2))
		var b bytes.Buffer
		for int64(b.Len()) < n {
			fmt.Fprintf(&b, "<tu><tuv xml:lang=\"nl\"><seg>w%d</seg></tuv><tuv xml:lang=\"en\"><seg>w%d</seg></tuv></tu>", r.Int64(), r.Int64())
		}
		return &b
	}
	gz := func(r io.Reader) io.Reader {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		io.Copy(zw, r)
		zw.Close()
		return &b
	}
	for _, tc := range []struct {
		name  string
		in    func(t *testing.T) io.Reader
		opt   Options
		limit string
	}{
		{"gzip bomb of zeros, 1 MB", func(t *testing.T) io.Reader {
			return bytes.NewReader(gzipBomb(t, "", "\x00", 1<<20))
		}, Options{}, "MaxTokenBytes"},
		{"gzip bomb of zeros, 10 MB", func(t *testing.T) io.Reader {
			return bytes.NewReader(gzipBomb(t, "", "\x00", 10<<20))
		}, Options{}, "MaxTokenBytes"},
		{"gzip bomb of text without <, 10 MB", func(t *testing.T) io.Reader {
			return bytes.NewReader(gzipBomb(t, head+seg, "de kat ", 10<<20))
		}, Options{}, "MaxTokenBytes"},
		{"gzip bomb of units, 1 MB", func(t *testing.T) io.Reader {
			return bytes.NewReader(gzipBomb(t, head, unit, 1<<20))
		}, Options{}, "MaxGzipRatio"},
		{"gzip bomb of units, 10 MB", func(t *testing.T) io.Reader {
			return bytes.NewReader(gzipBomb(t, head, unit, 10<<20))
		}, Options{}, "MaxGzipRatio"},
		{"gzip past the decompressed limit", func(t *testing.T) io.Reader {
			return gz(io.MultiReader(strings.NewReader(head), words(8<<20), strings.NewReader("</body></tmx>")))
		}, Options{maxDecompressed: 2 << 20}, "MaxDecompressedBytes"},
		{"a 100 MB segment", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+seg), rep("de kat ", 100<<20), strings.NewReader(tail))
		}, Options{}, "MaxTokenBytes"},
		{"a segment of many runs", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+seg), rep(strings.Repeat("de kat ", 1000)+"<ph/>", 10<<20), strings.NewReader(tail))
		}, Options{}, "MaxSegmentBytes"},
		{"a 50 MB tuid", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+`<tu tuid="`), rep("x", 50<<20), strings.NewReader(`">`+rest))
		}, Options{}, "MaxTokenBytes"},
		{"a 100 kB tuid", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+`<tu tuid="`), rep("x", 100<<10), strings.NewReader(`">`+rest))
		}, Options{}, "MaxAttrBytes"},
		{"a 10 MB comment", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+"<!--"), rep("x", 10<<20), strings.NewReader("-->"+unit+"</body></tmx>"))
		}, Options{}, "MaxTokenBytes"},
		{"a 1 MB name", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+"<tu"), rep("x", 1<<20), strings.NewReader(">"))
		}, Options{}, "MaxNameBytes"},
		{"an element with a million attributes", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+"<tu"), rep(` a="b"`, 6<<20), strings.NewReader(">"))
		}, Options{}, "MaxAttrs"},
		{"a million nested elements", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+seg), rep("<x>", 3<<20), rep("</x>", 4<<20), strings.NewReader(tail))
		}, Options{}, "MaxDepth"},
		{"a unit of a million notes", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(head+"<tu>"), rep("<note>n</note>", 14<<20), strings.NewReader(rest))
		}, Options{}, "MaxUnitBytes"},
		{"a header of a million properties", func(t *testing.T) io.Reader {
			return io.MultiReader(strings.NewReader(`<tmx version="1.4"><header srclang="nl">`), rep(`<prop type="x">p</prop>`, 23<<20), strings.NewReader("</header><body></body></tmx>"))
		}, Options{}, "MaxUnitBytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in(t)
			var err error
			start := time.Now()
			grew := peakHeap(t, func() {
				err = drain(in, tc.opt)
			})
			took := time.Since(start)
			var te *tolk.Error
			if !errors.As(err, &te) || te.Code != tolk.ELIMIT {
				t.Fatalf("error %v, want an ELIMIT *tolk.Error", err)
			}
			if !strings.Contains(te.Message, tc.limit) || !strings.HasPrefix(te.Field, "line ") {
				t.Errorf("error %q (field %q), want one naming %s and the position", err, te.Field, tc.limit)
			}
			if grew > 32<<20 {
				t.Errorf("the heap grew by %d MiB, want at most 32", grew>>20)
			}
			// Unrefused, each input would read for minutes; 30 s leaves room
			// for a machine busy with other builds.
			if took > 30*time.Second {
				t.Errorf("refused after %v, want within 30 s", took)
			}
			t.Logf("%v, heap +%.1f MiB: %v", took.Round(time.Millisecond), float64(grew)/(1<<20), err)
		})
	}
}
