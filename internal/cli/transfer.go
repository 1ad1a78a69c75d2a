package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// chunkSize is the size of the chunks uploaded to the server.
const chunkSize = 64 << 10

// progress returns a reader over r that draws a progress bar of size bytes
// on stderr when stderr is a terminal, and r itself otherwise. Call the
// returned finish function when done.
func (c *cli) progress(r io.Reader, size int64, what string) (io.Reader, func()) {
	if !c.onTerminal() {
		return r, func() {}
	}
	f := c.env.Stderr.(*os.File)
	bar := progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100e6),
		progressbar.OptionClearOnFinish(),
	)
	pr := progressbar.NewReader(r, bar)
	return &pr, func() { _ = bar.Finish() }
}

// upload sends the file at path in chunks through send, with a progress bar.
func (c *cli) upload(path string, send func(chunk []byte, first bool) error) error {
	return c.uploadFile(path, true, send)
}

// uploadQuiet is upload without the progress bar of bytes sent, for a
// call whose server reports its own progress.
func (c *cli) uploadQuiet(path string, send func(chunk []byte, first bool) error) error {
	return c.uploadFile(path, false, send)
}

// onTerminal reports whether the command's stderr is a terminal.
func (c *cli) onTerminal() bool {
	f, ok := c.env.Stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (c *cli) uploadFile(path string, bar bool, send func(chunk []byte, first bool) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	var r io.Reader = f
	if bar {
		var finish func()
		r, finish = c.progress(f, fi.Size(), "uploading "+path)
		defer finish()
	}
	buf := make([]byte, chunkSize)
	first := true
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 || first {
			if serr := send(append([]byte(nil), buf[:n]...), first); serr != nil {
				return serr
			}
			first = false
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", path, err)
		}
	}
}

// download writes the chunks that recv returns (until io.EOF) to the -o file.
func (c *cli) download(out string, recv func() ([]byte, error)) error {
	w, closeOut, err := c.createOutput(out)
	if err != nil {
		return err
	}
	for {
		b, err := recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			closeOut()
			return err
		}
		if _, err := w.Write(b); err != nil {
			closeOut()
			return err
		}
	}
	return closeOut()
}

// reportCut tells the user of an import that failed what the server
// committed and how to resume, from the answer's trailer.
func (c *cli) reportCut(trailer metadata.MD) {
	committed, resume := trailer.Get("tolk-committed-units"), trailer.Get("tolk-resume-skip")
	if len(committed) == 1 && len(resume) == 1 {
		fmt.Fprintf(c.env.Stderr, "import stopped: %s units were committed; resume with --skip %s\n", committed[0], resume[0])
	}
}

func runTM(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usagef("tm needs a subcommand: list, get, update, create, delete, import or export")
	}
	sub, args := args[0], args[1:]
	fs := c.flags("tm "+sub, true)
	name := fs.String("memory", "main", "memory name")
	out := fs.String("o", "", "output file (default standard output)")
	asJSON := fs.Bool("json", false, "print protojson (list)")
	skip := fs.Int64("skip", 0, "leave out the file's first N units, to resume an import that was cut (import; the server says N)")
	policyName := fs.String("policy", "overwrite", "a unit whose source and context are already stored (import): overwrite it, keep-both (alternative translations), or keep-newer")
	var props, notes stringList
	fs.Var(&props, "prop", "TYPE=VALUE, or TYPE for any value: only units with this property (list NAME, export; repeatable); the unit's properties (update, replacing them)")
	fs.Var(&notes, "note", "a note of the unit (update, replacing its notes; repeatable)")
	since := fs.String("changed-since", "", "only units changed since this date, 2006-01-02 or RFC 3339 (list NAME, export)")
	by := fs.String("changed-by", "", "only units last changed by this user (list NAME, export)")
	pageSize := fs.Int("page-size", 0, "items per page (list; default all memories, 20 units)")
	pageToken := fs.String("page-token", "", "page token from a previous answer (list)")
	target := fs.String("target", "", "the unit's new target (update)")
	description := fs.String("description", "", "the memory's new description (update NAME)")
	user := fs.String("user", "", "who changes the unit (update)")
	noProps := fs.Bool("no-props", false, "remove the unit's properties (update)")
	onError := fs.String("on-error", "stop", "a unit that cannot be stored (import): stop, or skip it and list it with its position at the end")
	pos, cl, err := c.parseAndDial(fs, args)
	if err != nil {
		return err
	}
	policy, ok := map[string]tolkv1.UpdatePolicy{
		"overwrite": tolkv1.UpdatePolicy_UPDATE_POLICY_OVERWRITE, "keep-both": tolkv1.UpdatePolicy_UPDATE_POLICY_KEEP_BOTH,
		"keep-newer": tolkv1.UpdatePolicy_UPDATE_POLICY_KEEP_NEWER,
	}[*policyName]
	defer cl.Close()
	wire := func(ps []string) []*tolkv1.Prop {
		var out []*tolkv1.Prop
		for _, p := range ps {
			t, v, _ := strings.Cut(p, "=")
			out = append(out, &tolkv1.Prop{Type: t, Value: v})
		}
		return out
	}
	changedSince, err := parseSince(*since)
	if err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch sub {
	case "list":
		if len(pos) > 1 {
			return usagef("tm list takes at most one memory NAME")
		}
		if len(pos) == 1 {
			resp, err := cl.Memory.ListUnits(ctx, &tolkv1.ListUnitsRequest{Memory: pos[0], Props: wire(props), ChangedSince: changedSince,
				ChangedBy: *by, PageSize: int32(*pageSize), PageToken: *pageToken})
			if err != nil {
				return err
			}
			if *asJSON {
				return c.printJSON(resp)
			}
			for _, u := range resp.GetUnits() {
				c.printUnit(u)
			}
			c.printNextPage(resp.GetNextPageToken())
			return nil
		}
		resp, err := cl.Memory.ListMemories(ctx, &tolkv1.ListMemoriesRequest{PageSize: int32(*pageSize), PageToken: *pageToken})
		if err != nil {
			return err
		}
		if *asJSON {
			return c.printJSON(resp)
		}
		for _, m := range resp.GetMemories() {
			fmt.Fprintf(c.env.Stdout, "%s\t%s→%s\t%d units\t%s\n", m.GetName(), m.GetSourceLanguage(), m.GetTargetLanguage(), m.GetUnitCount(), m.GetDescription())
		}
		c.printNextPage(resp.GetNextPageToken())
		return nil
	case "get", "update":
		if len(pos) < 1 || len(pos) > 2 {
			return usagef("tm %s takes a memory NAME and, for a unit, its ID", sub)
		}
		var id uint64
		if len(pos) == 2 {
			if id, err = strconv.ParseUint(pos[1], 10, 64); err != nil || id == 0 {
				return usagef("tm %s: the unit ID must be a positive number, got %q", sub, pos[1])
			}
		}
		var msg proto.Message
		switch {
		case sub == "get" && id == 0:
			resp, err := cl.Memory.GetMemory(ctx, &tolkv1.GetMemoryRequest{Name: pos[0]})
			if err != nil {
				return err
			}
			msg = resp.GetMemory()
		case sub == "get":
			resp, err := cl.Memory.GetUnit(ctx, &tolkv1.GetUnitRequest{Memory: pos[0], UnitId: id})
			if err != nil {
				return err
			}
			msg = resp.GetUnit()
		case id == 0:
			if !set["description"] {
				return usagef("tm update NAME needs --description (a memory's languages: UpdateMemory)")
			}
			resp, err := cl.Memory.UpdateMemory(ctx, &tolkv1.UpdateMemoryRequest{Memory: &tolkv1.Memory{Name: pos[0], Description: *description},
				UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"description"}}})
			if err != nil {
				return err
			}
			msg = resp.GetMemory()
		default:
			u := &tolkv1.Unit{Memory: pos[0], Id: id, Target: *target, Props: wire(props), Notes: notes, ChangedBy: *user}
			var mask []string
			if set["target"] {
				mask = append(mask, "target")
			}
			if set["prop"] || *noProps {
				mask = append(mask, "props")
			}
			if set["note"] {
				mask = append(mask, "notes")
			}
			if len(mask) == 0 {
				return usagef("tm update NAME ID needs --target, --prop, --no-props or --note")
			}
			resp, err := cl.Memory.UpdateUnit(ctx, &tolkv1.UpdateUnitRequest{Unit: u, UpdateMask: &fieldmaskpb.FieldMask{Paths: mask}})
			if err != nil {
				return err
			}
			msg = resp.GetUnit()
		}
		if u, ok := msg.(*tolkv1.Unit); ok && !*asJSON {
			c.printUnit(u)
			return nil
		}
		return c.printJSON(msg)
	case "create", "delete":
		if len(pos) != 1 {
			return usagef("tm %s takes one NAME", sub)
		}
		if sub == "delete" {
			_, err = cl.Memory.DeleteMemory(ctx, &tolkv1.DeleteMemoryRequest{Name: pos[0]})
			return err
		}
		_, err = cl.Memory.CreateMemory(ctx, &tolkv1.CreateMemoryRequest{Memory: &tolkv1.Memory{Name: pos[0], SourceLanguage: "nl", TargetLanguage: "en"}})
		return err
	case "import":
		if len(pos) != 1 {
			return usagef("tm import takes one FILE")
		}
		if !ok {
			return usagef("--policy must be overwrite, keep-both or keep-newer, got %q", *policyName)
		}
		oe, ok := map[string]tolkv1.OnError{"stop": tolkv1.OnError_ON_ERROR_STOP, "skip": tolkv1.OnError_ON_ERROR_SKIP}[*onError]
		if !ok {
			return usagef("--on-error must be stop or skip, got %q", *onError)
		}
		return c.importReporting(ctx, cl.Memory, pos[0], &tolkv1.ImportTmxStreamRequest{Memory: *name, Create: true, SkipUnits: *skip, Policy: policy, OnError: oe})
	case "export":
		stream, err := cl.Memory.ExportTmx(ctx, &tolkv1.ExportTmxRequest{Memory: *name, Props: wire(props), ChangedSince: changedSince, ChangedBy: *by})
		if err != nil {
			return err
		}
		return c.download(*out, func() ([]byte, error) {
			m, err := stream.Recv()
			return m.GetChunk(), err
		})
	}
	return usagef("unknown tm subcommand %q: use list, get, update, create, delete, import or export", sub)
}

// importReporting imports file through ImportTmxStream, first carrying
// the options of first; on a terminal it shows the units the server has
// committed as it reports them, and at the end it prints the warnings and
// the summary.
func (c *cli) importReporting(ctx context.Context, mem tolkv1.MemoryServiceClient, file string, first *tolkv1.ImportTmxStreamRequest) error {
	stream, err := mem.ImportTmxStream(ctx)
	if err != nil {
		return err
	}
	sent := make(chan error, 1)
	go func() {
		err := c.uploadQuiet(file, func(chunk []byte, isFirst bool) error {
			msg := &tolkv1.ImportTmxStreamRequest{Chunk: chunk}
			if isFirst {
				first.Chunk = chunk
				msg = first
			}
			return stream.Send(msg)
		})
		stream.CloseSend()
		sent <- err
	}()
	var summary *tolkv1.ImportSummary
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			<-sent
			c.reportCut(stream.Trailer())
			return err
		}
		if s := resp.GetSummary(); s != nil {
			summary = s
		}
		if p := resp.GetProgress(); p != nil && c.onTerminal() {
			fmt.Fprintf(c.env.Stderr, "\rimporting %s: %d units read, %d committed", file, p.GetUnitsRead(), p.GetAdded()+p.GetUpdated())
		}
	}
	if c.onTerminal() {
		fmt.Fprintln(c.env.Stderr)
	}
	if err := <-sent; err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	for _, w := range summary.GetWarnings() {
		fmt.Fprintf(c.env.Stderr, "warning: %s: %s\n", w.GetPosition(), w.GetMessage())
	}
	if n := summary.GetWarningsDropped(); n > 0 {
		fmt.Fprintf(c.env.Stderr, "warning: %d more warnings not listed\n", n)
	}
	fmt.Fprintf(c.env.Stderr, "imported into %s: %d added, %d updated, %d skipped, %d warnings\n", first.GetMemory(),
		summary.GetAdded(), summary.GetUpdated(), summary.GetSkipped(), int64(len(summary.GetWarnings()))+summary.GetWarningsDropped())
	return nil
}

// parseSince reads a --changed-since value as the wire's timestamp; nil
// when s is empty.
func parseSince(s string) (*timestamppb.Timestamp, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339, s); err != nil {
			return nil, usagef("--changed-since must be a date such as 2026-01-31 or an RFC 3339 time, got %q", s)
		}
	}
	return timestamppb.New(t), nil
}

// printUnit prints a unit as tm list, get and update show it.
func (c *cli) printUnit(u *tolkv1.Unit) {
	fmt.Fprintf(c.env.Stdout, "#%d %s", u.GetId(), u.GetMemory())
	for _, p := range u.GetProps() {
		fmt.Fprintf(c.env.Stdout, " %s=%s", p.GetType(), p.GetValue())
	}
	if t := u.GetChangeTime(); t != nil {
		fmt.Fprintf(c.env.Stdout, " changed %s", t.AsTime().Format(time.RFC3339))
	}
	if by := u.GetChangedBy(); by != "" {
		fmt.Fprintf(c.env.Stdout, " by %s", by)
	}
	fmt.Fprintf(c.env.Stdout, "\n    nl: %s\n    en: %s\n", u.GetSource(), u.GetTarget())
	for _, n := range u.GetNotes() {
		fmt.Fprintf(c.env.Stdout, "    note: %s\n", n)
	}
}

// printNextPage tells how to get the next page, if there is one.
func (c *cli) printNextPage(token string) {
	if token != "" {
		fmt.Fprintf(c.env.Stdout, "next page: --page-token %s\n", token)
	}
}

func runGlossary(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usagef("glossary needs a subcommand: create, list, update, delete, import, export, search, concepts or get")
	}
	sub, args := args[0], args[1:]
	glossaryFormats := map[string]tolkv1.GlossaryFormat{
		"tbx":   tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TBX,
		"csv":   tolkv1.GlossaryFormat_GLOSSARY_FORMAT_CSV,
		"tsv":   tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TSV,
		"jsonl": tolkv1.GlossaryFormat_GLOSSARY_FORMAT_JSONL,
		"tbx2":  tolkv1.GlossaryFormat_GLOSSARY_FORMAT_TBX2,
	}

	termStatuses := map[string]tolkv1.TermStatus{
		"preferred":  tolkv1.TermStatus_TERM_STATUS_PREFERRED,
		"admitted":   tolkv1.TermStatus_TERM_STATUS_ADMITTED,
		"deprecated": tolkv1.TermStatus_TERM_STATUS_DEPRECATED,
		"forbidden":  tolkv1.TermStatus_TERM_STATUS_FORBIDDEN,
	}
	fs := c.flags("glossary "+sub, true)
	format := fs.String("format", "", "file format: tbx (v3), tbx2 (v2, for OmegaT 3.6 and tbx2po), csv, tsv or jsonl (import: detected when empty)")
	out := fs.String("o", "", "output file (default standard output)")
	subject := fs.String("subject", "", "export only this subject field")
	statusName := fs.String("status", "", "export only concepts with a term of this status")
	since := fs.String("changed-since", "", "export only concepts changed since this date (2006-01-02 or RFC 3339)")
	asJSON := fs.Bool("json", false, "print protojson (search)")
	fuzzy := fs.Bool("fuzzy", false, "approximate spelling (search)")
	pageSize := fs.Int("page-size", 0, "concepts per page (search, concepts; default 50)")
	pageToken := fs.String("page-token", "", "page token from a previous answer (search, concepts)")
	srcLang := fs.String("source-lang", "", "language of a header-less (OmegaT) glossary's first column (import; default: from the file's words)")
	tgtLang := fs.String("target-lang", "", "language of a header-less (OmegaT) glossary's second column (import; default: from the file's words)")
	encoding := fs.String("encoding", "", "character encoding of the file, e.g. windows-1252 (import; default: as its byte-order mark or declaration says, else UTF-8)")
	name := fs.String("glossary", "", "the glossary to import into (default main, created on demand) or to export (default all)")
	description := fs.String("description", "", "the glossary's description (create, update)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	f, ok := glossaryFormats[strings.ToLower(*format)]
	if !ok && *format != "" {
		return usagef("--format must be tbx, tbx2, csv, tsv or jsonl, got %q", *format)
	}
	st, ok := termStatuses[*statusName]
	if !ok && *statusName != "" {
		return usagef("--status must be preferred, admitted, deprecated or forbidden, got %q", *statusName)
	}
	cl, err := c.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	switch sub {
	case "create", "delete", "update":
		if len(pos) != 1 {
			return usagef("glossary %s takes one NAME", sub)
		}
		var g *tolkv1.Glossary
		switch sub {
		case "create":
			resp, err := cl.Glossary.CreateGlossary(ctx, &tolkv1.CreateGlossaryRequest{Glossary: &tolkv1.Glossary{Name: pos[0], Description: *description}})
			if err != nil {
				return err
			}
			g = resp.GetGlossary()
		case "update":
			req := &tolkv1.UpdateGlossaryRequest{Name: pos[0]}
			if flagSet(fs, "description") {
				req.Description = description
			}
			resp, err := cl.Glossary.UpdateGlossary(ctx, req)
			if err != nil {
				return err
			}
			g = resp.GetGlossary()
		case "delete":
			resp, err := cl.Glossary.DeleteGlossary(ctx, &tolkv1.DeleteGlossaryRequest{Name: pos[0]})
			if err != nil {
				return err
			}
			fmt.Fprintf(c.env.Stderr, "deleted glossary %s with %d concepts\n", pos[0], resp.GetConcepts())
			return nil
		}
		if *asJSON {
			return c.printJSON(g)
		}
		printGlossary(c, g)
		return nil
	case "list":
		var all []*tolkv1.Glossary
		token := ""
		for {
			resp, err := cl.Glossary.ListGlossaries(ctx, &tolkv1.ListGlossariesRequest{PageToken: token})
			if err != nil {
				return err
			}
			all = append(all, resp.GetGlossaries()...)
			if token = resp.GetNextPageToken(); token == "" {
				break
			}
		}
		if *asJSON {
			return c.printJSON(&tolkv1.ListGlossariesResponse{Glossaries: all})
		}
		for _, g := range all {
			printGlossary(c, g)
		}
		return nil
	case "import":
		if len(pos) != 1 {
			return usagef("glossary import takes one FILE")
		}
		stream, err := cl.Glossary.ImportGlossary(ctx)
		if err != nil {
			return err
		}
		err = c.upload(pos[0], func(chunk []byte, first bool) error {
			msg := &tolkv1.ImportGlossaryRequest{Chunk: chunk}
			if first {
				msg.Format, msg.SourceLanguage, msg.TargetLanguage, msg.Encoding, msg.Glossary = f, *srcLang, *tgtLang, *encoding, *name
			}
			return stream.Send(msg)
		})
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		resp, err := stream.CloseAndRecv()
		if err != nil {
			return err
		}
		for _, w := range resp.GetWarnings() {
			fmt.Fprintf(c.env.Stderr, "warning: %s\n", w)
		}
		fmt.Fprintf(c.env.Stderr, "imported %d concepts with %d terms (%d skipped)\n", resp.GetConcepts(), resp.GetTerms(), resp.GetSkipped())
		return nil
	case "export":
		if *format == "" {
			return usagef("glossary export needs --format tbx, tbx2, csv, tsv or jsonl")
		}
		since, err := parseSince(*since)
		if err != nil {
			return err
		}
		req := &tolkv1.ExportGlossaryRequest{Format: f, Subject: *subject, Status: st, Glossary: *name, ChangedSince: since}
		stream, err := cl.Glossary.ExportGlossary(ctx, req)
		if err != nil {
			return err
		}
		return c.download(*out, func() ([]byte, error) {
			m, err := stream.Recv()
			return m.GetChunk(), err
		})
	case "search":
		text, err := oneText(pos, "TEXT")
		if err != nil {
			return err
		}
		resp, err := cl.Glossary.SearchTerms(ctx, &tolkv1.SearchTermsRequest{Query: text, Fuzzy: *fuzzy, Limit: int32(*pageSize), PageToken: *pageToken})
		if err != nil {
			return err
		}
		if *asJSON {
			return c.printJSON(resp)
		}
		c.printConcepts(resp.GetConcepts())
		c.printNextPage(resp.GetNextPageToken())
		return nil
	case "concepts":
		since, err := parseSince(*since)
		if err != nil {
			return err
		}
		req := &tolkv1.ListConceptsRequest{Subject: *subject, Status: st, PageSize: int32(*pageSize), PageToken: *pageToken, ChangedSince: since}
		resp, err := cl.Glossary.ListConcepts(ctx, req)
		if err != nil {
			return err
		}
		if *asJSON {
			return c.printJSON(resp)
		}
		c.printConcepts(resp.GetConcepts())
		c.printNextPage(resp.GetNextPageToken())
		return nil
	case "get":
		if len(pos) != 1 {
			return usagef("glossary get takes one concept ID")
		}
		resp, err := cl.Glossary.GetConcept(ctx, &tolkv1.GetConceptRequest{ConceptId: pos[0]})
		if err != nil {
			return err
		}
		return c.printJSON(resp.GetConcept())
	}
	return usagef("unknown glossary subcommand %q: use create, list, update, delete, import, export, search, concepts or get", sub)
}

// printConcepts prints concepts one a line: id, Dutch terms, English terms.
func (c *cli) printConcepts(cs []*tolkv1.Concept) {
	for _, cp := range cs {
		var nl, en []string
		for _, t := range cp.GetTerms() {
			if strings.HasPrefix(t.GetLanguage(), "nl") {
				nl = append(nl, t.GetText())
			} else {
				en = append(en, t.GetText())
			}
		}
		fmt.Fprintf(c.env.Stdout, "%s\t%s\t→ %s\n", cp.GetId(), strings.Join(nl, "; "), strings.Join(en, "; "))
	}
}

// printGlossary prints one line of glossary list.
func printGlossary(c *cli, g *tolkv1.Glossary) {
	src, tgt := g.GetSourceLanguage(), g.GetTargetLanguage()
	if src == "" {
		src = "nl"
	}
	if tgt == "" {
		tgt = "en"
	}
	fmt.Fprintf(c.env.Stdout, "%s\t%s→%s\t%d concepts\t%s\n", g.GetName(), src, tgt, g.GetConcepts(), g.GetDescription())
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func runBackup(ctx context.Context, c *cli, args []string) error {
	fs := c.flags("backup", true)
	out := fs.String("o", "", "file to write the snapshot to (required)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || *out == "-" {
		return usagef("backup needs -o FILE")
	}
	cl, err := c.dial()
	if err != nil {
		return err
	}
	defer cl.Close()
	stream, err := cl.Admin.Backup(ctx, &tolkv1.BackupRequest{})
	if err != nil {
		return err
	}
	tmp := *out + ".partial"
	err = c.download(tmp, func() ([]byte, error) {
		m, err := stream.Recv()
		return m.GetChunk(), err
	})
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, *out)
}
