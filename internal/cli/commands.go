package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/translate"
	"github.com/tolkdev/tolk/translate/xliff"
)

// runSegment splits text locally, without a server.
func runSegment(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("segment", false)
	asJSON := fs.Bool("json", false, `one {"start","end","text"} object per line`)
	lang := fs.String("lang", "nl", "language of the rules: nl or en")
	srxPath := fs.String("srx", "", "SRX 2.0 file with rules to use instead of the built-in ones")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	sg, err := localSegmenter(*lang, *srxPath)
	if err != nil {
		return err
	}
	in, _, err := c.openInput(pos)
	if err != nil {
		return err
	}
	defer in.Close()
	enc := json.NewEncoder(c.env.Stdout)
	enc.SetEscapeHTML(false)
	return sg.Stream(ctx, in, func(s segment.Segment) error {
		if *asJSON {
			return enc.Encode(struct {
				Start int    `json:"start"`
				End   int    `json:"end"`
				Text  string `json:"text"`
			}{s.Start, s.End, s.Text})
		}
		_, err := fmt.Fprintln(c.env.Stdout, strings.TrimSpace(s.Text))
		return err
	})
}

func localSegmenter(lang, srxPath string) (*segment.Segmenter, error) {
	if lang != "nl" && lang != "en" {
		return nil, usagef("--lang must be nl or en, got %q", lang)
	}
	if srxPath == "" {
		if lang == "en" {
			if _, err := segment.EnglishPunkt(); err != nil {
				return nil, err
			}
			return segment.English(), nil
		}
		if _, err := segment.DutchPunkt(); err != nil {
			return nil, err
		}
		return segment.Dutch(), nil
	}
	f, err := os.Open(srxPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	x, err := segment.ParseSRX(f)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", srxPath, err)
	}
	return x.Segmenter(lang)
}

func runTranslate(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("translate", true)
	format := fs.String("format", "text", "output format: text, json, xliff (2.1), xliff12 (1.2, for OmegaT and translate-toolkit) or tmx")
	out := fs.String("o", "", "output file (default standard output)")
	var memories stringList
	fs.Var(&memories, "memory", "memory to search (repeat for a priority order; default all)")
	minScore := fs.Int("min-score", 0, "minimum match score, 50–101 (default 70)")
	alts := fs.Int("alternatives", 0, "alternatives per segment (default 3)")
	noTerms := fs.Bool("no-glossary", false, "leave out glossary terms")
	var glossaries stringList
	fs.Var(&glossaries, "glossary", "glossary to find terms in (repeat for a priority order; default all)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	docFormat, ok := map[string]tolkv1.DocumentFormat{
		"text": tolkv1.DocumentFormat_DOCUMENT_FORMAT_UNSPECIFIED, "json": tolkv1.DocumentFormat_DOCUMENT_FORMAT_UNSPECIFIED,
		"xliff": tolkv1.DocumentFormat_DOCUMENT_FORMAT_XLIFF, "tmx": tolkv1.DocumentFormat_DOCUMENT_FORMAT_TMX,
		"xliff12": tolkv1.DocumentFormat_DOCUMENT_FORMAT_XLIFF12,
	}[*format]
	if !ok {
		return usagef("--format must be text, json, xliff, xliff12 or tmx, got %q", *format)
	}
	in, name, err := c.openInput(pos)
	if err != nil {
		return err
	}
	defer in.Close()
	text, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	cl, err := c.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	resp, err := cl.Translation.Translate(ctx, &tolkv1.TranslateRequest{
		Text: string(text),
		Options: &tolkv1.TranslateOptions{
			Memories: memories, MinScore: int32(*minScore),
			MaxAlternatives: int32(*alts), SkipGlossary: *noTerms,
			Glossaries: glossaries,
		},
		DocumentFormat: docFormat,
		DocumentName:   name,
	})
	if err != nil {
		return err
	}
	w, closeOut, err := c.createOutput(*out)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		err = c.printJSONTo(w, resp)
	case "xliff", "xliff12", "tmx":
		_, err = w.Write(resp.GetDocument())
	default:
		if width := terminalWidth(w); width > 0 {
			err = renderSideBySide(w, width, resp.GetSegments())
		} else {
			err = renderSegments(w, resp.GetSegments())
		}
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return err
}

func runLookup(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("lookup", true)
	asJSON := fs.Bool("json", false, `print {"matches":[...]} as protojson`)
	limit := fs.Int("limit", 0, "maximum number of matches (default 5)")
	minScore := fs.Int("min-score", 0, "minimum score, 50–101 (default 70)")
	prev := fs.String("prev", "", "the segment before TEXT, for context matches")
	next := fs.String("next", "", "the segment after TEXT, for context matches")
	var memories, props stringList
	fs.Var(&memories, "memory", "memory to search (repeat for a priority order; default all)")
	fs.Var(&props, "prop", "TYPE=VALUE: a wanted unit property; units without it are penalised, not left out (repeatable)")
	text, cl, err := c.textAndDial(fs, args)
	if err != nil {
		return err
	}
	defer cl.Close()
	req := &tolkv1.LookupRequest{
		Text: text, Prev: *prev, Next: *next, Memories: memories,
		MinScore: int32(*minScore), Limit: int32(*limit),
	}
	for _, p := range props {
		t, v, _ := strings.Cut(p, "=")
		req.Props = append(req.Props, &tolkv1.Prop{Type: t, Value: v})
	}
	resp, err := cl.Memory.Lookup(ctx, req)
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(resp)
	}
	if len(resp.GetMatches()) == 0 {
		fmt.Fprintln(c.env.Stdout, "no match")
		return nil
	}
	for _, m := range resp.GetMatches() {
		fmt.Fprintf(c.env.Stdout, "%3d %-7s %s\n    nl: %s\n    en: %s\n", m.GetScore(), matchTypeName(m.GetType()), m.GetMemory(), m.GetSource(), m.GetAdaptedTarget())
	}
	return nil
}

func runConcordance(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("concordance", true)
	asJSON := fs.Bool("json", false, "print protojson")
	target := fs.Bool("target", false, "search the English targets")
	phrase := fs.Bool("phrase", false, "search TEXT as one phrase")
	size := fs.Int("page-size", 0, "units per page (default 50)")
	token := fs.String("page-token", "", "page token from a previous answer")
	var memories stringList
	fs.Var(&memories, "memory", "memory to search (repeatable; default all)")
	text, cl, err := c.textAndDial(fs, args)
	if err != nil {
		return err
	}
	defer cl.Close()
	resp, err := cl.Memory.Concordance(ctx, &tolkv1.ConcordanceRequest{
		Query: text, Memories: memories, SearchTarget: *target, Phrase: *phrase,
		PageSize: int32(*size), PageToken: *token,
	})
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(resp)
	}
	for _, u := range resp.GetUnits() {
		fmt.Fprintf(c.env.Stdout, "#%d %s\n    nl: %s\n    en: %s\n", u.GetId(), u.GetMemory(), u.GetSource(), u.GetTarget())
	}
	fmt.Fprintf(c.env.Stdout, "%d units", resp.GetTotalSize())
	if t := resp.GetNextPageToken(); t != "" {
		fmt.Fprintf(c.env.Stdout, "; next page: --page-token %s", t)
	}
	fmt.Fprintln(c.env.Stdout)
	return nil
}

func runTerms(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("terms", true)
	asJSON := fs.Bool("json", false, `print {"hits":[...]} as protojson`)
	var glossaries stringList
	fs.Var(&glossaries, "glossary", "glossary to find terms in (repeat for a priority order; default all)")
	text, cl, err := c.textAndDial(fs, args)
	if err != nil {
		return err
	}
	defer cl.Close()
	resp, err := cl.Glossary.LookupTerms(ctx, &tolkv1.LookupTermsRequest{Text: text, Glossaries: glossaries})
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(resp)
	}
	for _, h := range resp.GetHits() {
		fmt.Fprintf(c.env.Stdout, "%d-%d\t%s\t→ %s%s\n", h.GetStart(), h.GetEnd(), h.GetText(), h.GetTarget(), hitFlags(h))
	}
	return nil
}

func runStats(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("stats", true)
	asJSON := fs.Bool("json", false, "print protojson")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	cl, err := c.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	resp, err := cl.Admin.Stats(ctx, &tolkv1.StatsRequest{})
	if err != nil {
		return err
	}
	if *asJSON {
		return c.printJSON(resp)
	}
	for _, m := range resp.GetMemories() {
		fmt.Fprintf(c.env.Stdout, "memory %-20s %s→%s %8d units\n", m.GetName(), m.GetSourceLanguage(), m.GetTargetLanguage(), m.GetUnitCount())
	}
	fmt.Fprintf(c.env.Stdout, "glossary: %d concepts, %d terms\ndatabase: %d bytes\n", resp.GetConcepts(), resp.GetTerms(), resp.GetDatabaseBytes())
	return nil
}

func runToken(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usagef("token needs a subcommand: create, list or revoke")
	}
	sub, args := args[0], args[1:]
	fs := c.flags("token "+sub, true)
	name := fs.String("name", "", "token name (create)")
	scope := fs.String("scope", "read", "comma-separated scopes: read, write, admin (create)")
	asJSON := fs.Bool("json", false, "print protojson")
	allowOpen := fs.Bool("allow-open", false, "revoke even the last admin token or the last token, which opens the server (revoke)")
	pageSize := fs.Int("page-size", 0, "tokens per page (list; default all)")
	pageToken := fs.String("page-token", "", "page token from a previous answer (list)")
	pos, cl, err := c.parseAndDial(fs, args)
	if err != nil {
		return err
	}
	defer cl.Close()
	switch sub {
	case "create":
		if *name == "" {
			return usagef("token create needs --name")
		}
		resp, err := cl.Admin.CreateToken(ctx, &tolkv1.CreateTokenRequest{Name: *name, Scopes: strings.Split(*scope, ",")})
		if err != nil {
			return err
		}
		if *asJSON {
			return c.printJSON(resp)
		}
		fmt.Fprintln(c.env.Stdout, resp.GetSecret())
		fmt.Fprintf(c.env.Stderr, "token %s (%s) created with scopes %s; the secret above is shown only once\n",
			resp.GetToken().GetId(), resp.GetToken().GetName(), strings.Join(resp.GetToken().GetScopes(), ","))
		return nil
	case "list":
		resp, err := cl.Admin.ListTokens(ctx, &tolkv1.ListTokensRequest{PageSize: int32(*pageSize), PageToken: *pageToken})
		if err != nil {
			return err
		}
		if *asJSON {
			return c.printJSON(resp)
		}
		for _, t := range resp.GetTokens() {
			fmt.Fprintf(c.env.Stdout, "%s\t%s\t%s\t%s\n", t.GetId(), t.GetName(), strings.Join(t.GetScopes(), ","), t.GetCreateTime().AsTime().Format("2006-01-02"))
		}
		c.printNextPage(resp.GetNextPageToken())
		return nil
	case "revoke":
		if len(pos) != 1 {
			return usagef("token revoke takes one ID or NAME")
		}
		_, err := cl.Admin.RevokeToken(ctx, &tolkv1.RevokeTokenRequest{Token: pos[0], AllowOpen: *allowOpen})
		return err
	}
	return usagef("unknown token subcommand %q: use create, list or revoke", sub)
}

// runConfirm sends the translated segments of an XLIFF file (as a CAT tool
// returns what tolk translate --format xliff or xliff12 wrote) back as
// confirmed translations, counting the use of the memory units they were
// drafted from. Which segments are translated is translate.Translated's
// rule; --accept-state new also takes targets in state new/initial.
func runConfirm(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("confirm", true)
	name := fs.String("memory", "main", "memory to store the translations in")
	user := fs.String("user", c.getenv("USER"), "translator's name, stored with the units")
	accept := fs.String("accept-state", "", "also confirm targets in this state when they differ from their source: new (XLIFF 1.2) or initial (2.x), for tools that never set a state")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), confirmHelp)
		fs.PrintDefaults()
	}
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	acceptInitial, err := acceptState(*accept)
	if err != nil {
		return err
	}
	in, path, err := c.openInput(pos)
	if err != nil {
		return err
	}
	defer in.Close()
	doc, err := xliff.Read(in)
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	segs, skipped, err := translate.ConfirmedSegments(doc, acceptInitial)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	req := &tolkv1.ConfirmSegmentsRequest{Memory: *name, User: *user}
	for _, s := range segs {
		req.Segments = append(req.Segments, confirmedSegment(s))
	}
	if len(req.Segments) == 0 {
		return fmt.Errorf("%s has no translated segment to confirm (%d skipped: targets in state new/initial are drafts, unless --accept-state new; see tolk help confirm)", path, skipped)
	}
	cl, err := c.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	resp, err := cl.Translation.ConfirmSegments(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.env.Stderr, "confirmed into %s: %d added, %d updated; %d segments skipped as drafts or untranslated\n",
		*name, resp.GetAdded(), resp.GetUpdated(), skipped)
	return nil
}

const confirmHelp = `Usage: tolk confirm FILE.xlf --memory NAME [--user USER] [--accept-state new]

Confirms the translated segments of an XLIFF 1.2 or 2.x file into a memory.
Which targets are taken:
  - state translated, reviewed or final (1.2: translated, needs-review-*,
    signed-off, final, or approved="yes"): always;
  - state new/initial (1.2 also needs-translation, needs-l10n,
    needs-adaptation): a draft, skipped, except
      * in a file of tolk translate --format xliff12, whose targets are
        copies of the source (state-qualifier="x-tolk-source-copy"): a
        target that now differs from its source and from Tolk's draft
        (the <alt-trans tool-id="tolk">) is the translator's. OmegaT 3.6
        writes translations this way, leaving state="new";
      * with --accept-state new: every target that differs from its source
        (for tools that never set a state; this takes unedited drafts too).
A target equal to its source is never taken from a state new/initial.
The file must be Dutch→English, and each target taken must have the same
inline codes as its source: otherwise nothing is confirmed and the error
names the file, unit and segment to fix.

`

// acceptState parses confirm's --accept-state: whether targets in the
// initial state (1.2 new) are taken too.
func acceptState(v string) (bool, error) {
	switch v {
	case "":
		return false, nil
	case "new", "initial":
		return true, nil
	}
	return false, usagef("--accept-state %q: use new (XLIFF 1.2) or initial (XLIFF 2.x), which mean the same; translated and later states are always confirmed", v)
}

// confirmedSegment is the wire form of a translated XLIFF segment, with the
// memory unit its first candidate came from when the file names it.
func confirmedSegment(s xliff.Segment) *tolkv1.ConfirmedSegment {
	codes := inlineCodes(s.Codes) // source and target share the numbering
	cs := &tolkv1.ConfirmedSegment{Source: s.Source, Target: s.Target, PrevSource: s.PrevSource, NextSource: s.NextSource,
		SourceCodes: codes, TargetCodes: codes}
	if len(s.Matches) > 0 {
		if id, err := strconv.ParseUint(s.Matches[0].Ref, 10, 64); err == nil {
			cs.OriginUnitId, cs.OriginMemory = id, s.Matches[0].Origin
		}
	}
	return cs
}

// inlineCodes converts the inline codes of an XLIFF segment to the wire's.
func inlineCodes(cs []xliff.Code) []*tolkv1.InlineCode {
	var out []*tolkv1.InlineCode
	for _, c := range cs {
		p := &tolkv1.InlineCode{Id: c.ID, Data: c.Data}
		switch c.Kind {
		case xliff.CodeOpen:
			p.Kind = tolkv1.InlineCode_KIND_OPEN
		case xliff.CodeClose:
			p.Kind = tolkv1.InlineCode_KIND_CLOSE
		case xliff.CodeStandalone:
			p.Kind = tolkv1.InlineCode_KIND_STANDALONE
		}
		out = append(out, p)
	}
	return out
}
