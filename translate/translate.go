// Package translate composes the segmenter, the translation memory and the
// glossary into Tolk's main job: a Dutch text in, aligned bilingual
// segments out. It knows nothing of gRPC; the server converts its types.
package translate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/translate/diff"
)

// Memory is what the pipeline needs of a translation memory.
type Memory interface {
	Lookup(ctx context.Context, q memory.Query) ([]memory.Match, error)
}

// Glossary is what the pipeline needs of a glossary.
type Glossary interface {
	// FindIn finds the terms of the named glossaries, in priority order
	// (none: all); see glossary.Matcher.FindIn.
	FindIn(text string, at time.Time, glossaries []string) []glossary.Hit
	// CheckGlossaries returns a NotFound error naming field[i] for an
	// unknown glossary name.
	CheckGlossaries(field string, names []string) error
}

// Status says how well a segment was matched.
type Status int

// Segment statuses, from worst to best.
const (
	None    Status = iota // nothing reached the minimum score
	Fuzzy                 // best score below 100
	Exact                 // identical source
	Context               // identical source and neighbouring segments (101)
)

// String returns the status in lower case.
func (s Status) String() string {
	return [...]string{"none", "fuzzy", "exact", "context"}[s]
}

// Options tune a translation. The zero value asks for the defaults.
type Options struct {
	Memories        []string // in priority order; empty means all
	MinScore        int      // see memory.CheckMinScore; 0 means memory.DefaultMinScore
	MaxAlternatives int      // 1–MaxAlternatives; 0 means DefaultAlternatives; -1 means none
	SkipGlossary    bool
	Glossaries      []string  // glossaries to find terms in, in priority order; none: all
	At              time.Time // date for term validity; zero means now
	MaxSegments     int       // refuse a text of more segments (ELIMIT); 0 means no limit
}

// DefaultAlternatives is the number of alternatives when Options leaves it
// 0; MaxAlternatives is the most Options may ask for.
const (
	DefaultAlternatives = 3
	MaxAlternatives     = 20
)

// Validate checks the options and returns an EINVALID *tolk.Error naming
// the request field to fix.
func (o Options) Validate() error {
	if err := memory.CheckMinScore("options.min_score", o.MinScore); err != nil {
		return err
	}
	if o.MaxAlternatives < -1 || o.MaxAlternatives > MaxAlternatives {
		return tolk.Invalidf("options.max_alternatives", "%d is out of range: use 1 to %d, 0 for the default %d or -1 for none", o.MaxAlternatives, MaxAlternatives, DefaultAlternatives)
	}
	return nil
}

// AlignedSegment is one Dutch sentence with its English draft.
type AlignedSegment struct {
	Index int
	segment.Segment
	Target       string // the draft: Best's target with placeables adapted, or ""
	Status       Status
	Best         *memory.Match
	Alternatives []memory.Match
	Terms        []glossary.Hit
	Checks       []TermCheck // Checks[i] is the check of Target for Terms[i]
	// Diff is the word-level diff from this segment to the best match's
	// source, for a fuzzy match; nil otherwise.
	Diff []diff.Op
	// Skipped says why the segment was not looked up in memory (it is
	// longer than a lookup takes); "" when it was. Its Status is None.
	Skipped string
	// Codes is the check of Target's inline codes against the segment's
	// (see CheckCodes); zero without a draft.
	Codes CodeCheck
}

// Pipeline translates texts. Memory is required; Glossary may be nil.
// A Pipeline is safe for concurrent use if its parts are.
type Pipeline struct {
	Memory   Memory
	Glossary Glossary
	Split    func(string) []segment.Segment // nil means segment.Split
}

// Translate splits text into sentences and looks each one up. Offsets in
// the result are UTF-8 byte offsets into text. Repeated sentences are looked
// up once per distinct (sentence, context).
func (p *Pipeline) Translate(ctx context.Context, text string, opt Options) ([]AlignedSegment, error) {
	var out []AlignedSegment
	err := p.Each(ctx, text, opt, func(a AlignedSegment) error {
		out = append(out, a)
		return nil
	})
	return out, err
}

// Each is Translate for long documents: it calls fn with each segment in
// order as soon as it is ready, and stops at the first error fn returns.
func (p *Pipeline) Each(ctx context.Context, text string, opt Options, fn func(AlignedSegment) error) error {
	split := p.Split
	if split == nil {
		split = segment.Split
	}
	segs := split(text)
	if opt.MaxSegments > 0 && len(segs) > opt.MaxSegments {
		return &tolk.Error{Code: tolk.ELIMIT, Reason: tolk.ReasonTooManyItems, Field: "text", Message: fmt.Sprintf(
			"%d segments is more than the limit of %d per request; use TranslateStream for long documents", len(segs), opt.MaxSegments)}
	}
	tr, err := p.newTranslator(opt)
	if err != nil {
		return err
	}
	for i, sg := range segs {
		var prev, next string
		if i > 0 {
			prev = segs[i-1].Text
		}
		if i+1 < len(segs) {
			next = segs[i+1].Text
		}
		if err := tr.send(ctx, i, sg, prev, next, fn); err != nil {
			return err
		}
	}
	return nil
}

// Stream is Each for a document of any length read from r: it splits the
// text with the built-in Dutch rules as it reads (segment.Segmenter.Stream,
// which cuts a segment longer than segment.MaxStreamSegment) and translates
// each segment as soon as its next neighbour is known. It holds one segment
// ahead and a bounded cache of lookups, never the document's segments or
// their matches, so its memory does not grow with the document.
// opt.MaxSegments does not apply.
func (p *Pipeline) Stream(ctx context.Context, r io.Reader, opt Options, fn func(AlignedSegment) error) error {
	tr, err := p.newTranslator(opt)
	if err != nil {
		return err
	}
	var (
		cur, prev segment.Segment
		i         int
	)
	err = segment.Dutch().Stream(ctx, r, func(next segment.Segment) error {
		defer func() { prev, cur = cur, next }()
		if i++; i == 1 {
			return nil // cur is not known yet
		}
		return tr.send(ctx, i-2, cur, prev.Text, next.Text, fn)
	})
	if err != nil || i == 0 {
		return err
	}
	return tr.send(ctx, i-1, cur, prev.Text, "", fn)
}

type lookupKey struct{ text, prev, next string }

// maxCached bounds the lookups a translator remembers: repeated sentences
// of a document are looked up once while the cache holds them, and the
// cache starts afresh when it is full.
const maxCached = 4096

// translator translates the segments of one text in order.
type translator struct {
	p    *Pipeline
	opt  Options
	alts int       // matches per segment besides the best
	at   time.Time // date for term validity
	seen map[lookupKey]lookup
}

// lookup is the result of one segment's lookup: its matches, or why it
// was skipped.
type lookup struct {
	matches []memory.Match
	skipped string
}

// newTranslator checks opt and returns a translator for one text.
func (p *Pipeline) newTranslator(opt Options) (*translator, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	if p.Glossary != nil && !opt.SkipGlossary && len(opt.Glossaries) > 0 {
		if err := p.Glossary.CheckGlossaries("options.glossaries", opt.Glossaries); err != nil {
			return nil, err
		}
	}
	alts := opt.MaxAlternatives
	switch alts {
	case 0:
		alts = DefaultAlternatives
	case -1:
		alts = 0
	}
	at := opt.At
	if at.IsZero() {
		at = time.Now()
	}
	return &translator{p: p, opt: opt, alts: alts, at: at, seen: make(map[lookupKey]lookup)}, nil
}

// send translates segment i, whose neighbours are prev and next ("" at
// either end), and calls fn with it.
func (t *translator) send(ctx context.Context, i int, sg segment.Segment, prev, next string, fn func(AlignedSegment) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l, err := t.lookup(ctx, lookupKey{text: sg.Text, prev: prev, next: next})
	if err != nil {
		return fmt.Errorf("looking up segment %d: %w", i, err)
	}
	matches := l.matches
	a := AlignedSegment{Index: i, Segment: sg, Skipped: l.skipped}
	if len(matches) > 0 {
		best := matches[0]
		a.Best = &best
		a.Target = best.Target
		a.Alternatives = matches[1:]
		a.Status = statusOf(best.Type)
		if a.Status == Fuzzy {
			a.Diff = diff.Words(sg.Text, best.Unit.Source)
		}
	}
	if !t.opt.SkipGlossary && t.p.Glossary != nil {
		t.terms(&a)
	}
	if a.Target != "" {
		a.Codes = CheckCodes(sg.Text, a.Target)
	}
	return fn(a)
}

// lookup returns the matches of k, from the cache when it holds them. A
// segment too long to look up is not an error: the lookup says why it was
// skipped, so one over-long sentence does not fail the text.
func (t *translator) lookup(ctx context.Context, k lookupKey) (lookup, error) {
	if l, ok := t.seen[k]; ok {
		return l, nil
	}
	var l lookup
	m, err := t.p.Memory.Lookup(ctx, memory.Query{
		Text: k.text, Prev: k.prev, Next: k.next,
		Memories: t.opt.Memories, MinScore: t.opt.MinScore, Limit: t.alts + 1,
	})
	var e *tolk.Error
	switch {
	case tolk.ErrorReason(err) == tolk.ReasonTextTooLong && errors.As(err, &e):
		l.skipped = "not looked up in memory: " + e.Message
	case err != nil:
		return l, err
	}
	l.matches = m
	if len(t.seen) >= maxCached {
		clear(t.seen)
	}
	t.seen[k] = l
	return l, nil
}

// terms adds the glossary hits of a's text to a, with offsets into the
// text, and checks the draft against them.
func (t *translator) terms(a *AlignedSegment) {
	a.Terms = t.p.Glossary.FindIn(a.Text, t.at, t.opt.Glossaries)
	for i := range a.Terms { // offsets into the segment → into the text
		a.Terms[i].Start += a.Start
		a.Terms[i].End += a.Start
		for j := range a.Terms[i].Others {
			a.Terms[i].Others[j].Start += a.Start
			a.Terms[i].Others[j].End += a.Start
		}
	}
	if a.Target != "" && len(a.Terms) > 0 {
		d := draftWords(words(a.Target))
		a.Checks = make([]TermCheck, len(a.Terms))
		for i, h := range a.Terms {
			a.Checks[i] = d.check(h)
		}
	}
}

func statusOf(t memory.MatchType) Status {
	switch t {
	case memory.Context:
		return Context
	case memory.Exact:
		return Exact
	case memory.Fuzzy:
		return Fuzzy
	}
	return None
}
