// Package translate composes the segmenter, the translation memory and the
// glossary into Tolk's main job: a Dutch text in, aligned bilingual
// segments out. It knows nothing of gRPC; the server converts its types.
package translate

import (
	"context"
	"errors"
	"fmt"
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
	Find(text string, at time.Time) []glossary.Hit
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
	return p.each(ctx, split(text), opt, fn)
}

type lookupKey struct{ text, prev, next string }

// lookup is the result of one segment's lookup: its matches, or why it
// was skipped.
type lookup struct {
	matches []memory.Match
	skipped string
}

func (p *Pipeline) each(ctx context.Context, segs []segment.Segment, opt Options, fn func(AlignedSegment) error) error {
	if err := opt.Validate(); err != nil {
		return err
	}
	if opt.MaxSegments > 0 && len(segs) > opt.MaxSegments {
		return &tolk.Error{Code: tolk.ELIMIT, Reason: tolk.ReasonTooManyItems, Field: "text", Message: fmt.Sprintf(
			"%d segments is more than the limit of %d per request; use TranslateStream for long documents", len(segs), opt.MaxSegments)}
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
	seen := make(map[lookupKey]lookup)
	for i, sg := range segs {
		if err := ctx.Err(); err != nil {
			return err
		}
		k := lookupKey{text: sg.Text}
		if i > 0 {
			k.prev = segs[i-1].Text
		}
		if i+1 < len(segs) {
			k.next = segs[i+1].Text
		}
		l, ok := seen[k]
		if !ok {
			matches, err := p.Memory.Lookup(ctx, memory.Query{
				Text: k.text, Prev: k.prev, Next: k.next,
				Memories: opt.Memories, MinScore: opt.MinScore, Limit: alts + 1,
			})
			switch {
			case tolk.ErrorReason(err) == tolk.ReasonTextTooLong:
				var e *tolk.Error
				errors.As(err, &e)
				l.skipped = "not looked up in memory: " + e.Message // one over-long sentence does not fail the text
			case err != nil:
				return fmt.Errorf("looking up segment %d: %w", i, err)
			}
			l.matches = matches
			seen[k] = l
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
		if !opt.SkipGlossary && p.Glossary != nil {
			a.Terms = p.Glossary.Find(sg.Text, at)
			for i := range a.Terms { // offsets into the segment → into the text
				a.Terms[i].Start += sg.Start
				a.Terms[i].End += sg.Start
			}
			if a.Target != "" && len(a.Terms) > 0 {
				d := draftWords(words(a.Target))
				a.Checks = make([]TermCheck, len(a.Terms))
				for i, h := range a.Terms {
					a.Checks[i] = d.check(h)
				}
			}
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
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
