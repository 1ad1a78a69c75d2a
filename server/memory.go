package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmx"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/translate"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"
)

type memoryService struct {
	tolkv1.UnimplementedMemoryServiceServer
	s *Server
}

func (m *memoryService) Lookup(ctx context.Context, req *tolkv1.LookupRequest) (*tolkv1.LookupResponse, error) {
	if err := checkText("text", req.GetText(), m.s.limits.MaxTextBytes); err != nil {
		return nil, err
	}
	matches, err := m.s.mem.Lookup(ctx, memory.Query{
		Text:     req.GetText(),
		Prev:     req.GetPrev(),
		Next:     req.GetNext(),
		Memories: req.GetMemories(),
		MinScore: int(req.GetMinScore()),
		Limit:    int(req.GetLimit()),
		Props:    propsFromProto(req.GetProps()),
	})
	if err != nil {
		return nil, err
	}
	resp := &tolkv1.LookupResponse{Matches: make([]*tolkv1.Match, len(matches))}
	for i, mt := range matches {
		resp.Matches[i] = matchToProto(mt)
	}
	return resp, nil
}

func (m *memoryService) Concordance(ctx context.Context, req *tolkv1.ConcordanceRequest) (*tolkv1.ConcordanceResponse, error) {
	if err := checkText("query", req.GetQuery(), m.s.limits.MaxTextBytes); err != nil {
		return nil, err
	}
	page, err := m.s.mem.Concordance(ctx, memory.ConcordanceQuery{
		Text:      req.GetQuery(),
		Memories:  req.GetMemories(),
		Target:    req.GetSearchTarget(),
		Phrase:    req.GetPhrase(),
		PageSize:  int(req.GetPageSize()),
		PageToken: req.GetPageToken(),
	})
	if err != nil {
		return nil, inRequest(err, renamed(map[string]string{"text": "query"}))
	}
	resp := &tolkv1.ConcordanceResponse{NextPageToken: page.NextPageToken, TotalSize: int32(page.Total)}
	for _, u := range page.Units {
		resp.Units = append(resp.Units, unitToProto(u))
	}
	return resp, nil
}

func (m *memoryService) AddUnits(ctx context.Context, req *tolkv1.AddUnitsRequest) (*tolkv1.AddUnitsResponse, error) {
	if req.GetMemory() == "" {
		return nil, tolk.Invalidf("memory", "required: name the memory to add the units to")
	}
	units := req.GetUnits()
	if len(units) == 0 {
		return nil, tolk.Invalidf("units", "required: send at least one unit")
	}
	if len(units) > m.s.limits.MaxUnits {
		return nil, &tolk.Error{Code: tolk.ELIMIT, Reason: tolk.ReasonTooManyItems, Field: "units",
			Message: fmt.Sprintf("%d units in one request is more than the limit of %d; send them in batches or use ImportTmx", len(units), m.s.limits.MaxUnits)}
	}
	batch := make([]memory.Unit, len(units))
	for i, p := range units {
		u, err := unitFromProto(fieldIndex("units", i, ""), p)
		if err != nil {
			return nil, err
		}
		batch[i] = u
		if batch[i].Origin == "" {
			batch[i].Origin = "human"
		}
	}
	policy, err := policyFromProto("policy", req.GetPolicy())
	if err != nil {
		return nil, err
	}
	memory.Stamp(batch, time.Now()) // units made now; imports keep their own dates
	res, err := m.s.w.AddUnits(ctx, req.GetMemory(), batch, policy)
	if err != nil {
		return nil, err
	}
	return &tolkv1.AddUnitsResponse{Added: int32(res.Added), Updated: int32(res.Updated), Skipped: int32(res.Skipped), UnitIds: res.IDs}, nil
}

func (m *memoryService) DeleteUnit(ctx context.Context, req *tolkv1.DeleteUnitRequest) (*tolkv1.DeleteUnitResponse, error) {
	if req.GetMemory() == "" {
		return nil, tolk.Invalidf("memory", "required: name the memory")
	}
	if req.GetUnitId() == 0 {
		return nil, tolk.Invalidf("unit_id", "required: the id of the unit to delete")
	}
	if err := m.s.w.DeleteUnit(ctx, req.GetMemory(), req.GetUnitId()); err != nil {
		return nil, err
	}
	return &tolkv1.DeleteUnitResponse{}, nil
}

func (m *memoryService) CreateMemory(ctx context.Context, req *tolkv1.CreateMemoryRequest) (*tolkv1.CreateMemoryResponse, error) {
	p := req.GetMemory()
	created, err := m.s.w.CreateMemory(ctx, memory.Memory{
		Name:        p.GetName(),
		SourceLang:  p.GetSourceLanguage(),
		TargetLang:  p.GetTargetLanguage(),
		Description: p.GetDescription(),
	})
	if err != nil {
		return nil, inRequest(err, renamed(map[string]string{
			"name": "memory.name", "source_lang": "memory.source_language", "target_lang": "memory.target_language"}))
	}
	return &tolkv1.CreateMemoryResponse{Memory: memoryToProto(created)}, nil
}

func (m *memoryService) ListMemories(ctx context.Context, req *tolkv1.ListMemoriesRequest) (*tolkv1.ListMemoriesResponse, error) {
	page, err := m.s.mem.ListMemories(ctx, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	resp := &tolkv1.ListMemoriesResponse{NextPageToken: page.NextPageToken}
	for _, mm := range page.Memories {
		resp.Memories = append(resp.Memories, memoryToProto(mm))
	}
	return resp, nil
}

func (m *memoryService) DeleteMemory(ctx context.Context, req *tolkv1.DeleteMemoryRequest) (*tolkv1.DeleteMemoryResponse, error) {
	if req.GetName() == "" {
		return nil, tolk.Invalidf("name", "required: the name of the memory to delete")
	}
	if err := m.s.w.DeleteMemory(ctx, req.GetName()); err != nil {
		return nil, err
	}
	return &tolkv1.DeleteMemoryResponse{}, nil
}

// ImportTmx reads the TMX document from the stream through a pipe, so the
// file is never held whole in memory, and commits every ImportBatch units.
// On a bad record it stops and answers with where and why, and how many
// units were committed before it.
func (m *memoryService) ImportTmx(stream tolkv1.MemoryService_ImportTmxServer) error {
	total, err := m.runImport(stream, func() (importMsg, error) { return stream.Recv() }, nil)
	if err != nil {
		return err
	}
	return stream.SendAndClose(&tolkv1.ImportTmxResponse{Added: int64(total.Added), Updated: int64(total.Updated), Skipped: int64(total.Skipped)})
}

// importMsg is a message of ImportTmx or ImportTmxStream.
type importMsg interface {
	GetMemory() string
	GetPolicy() tolkv1.UpdatePolicy
	GetCreate() bool
	GetChunk() []byte
	GetSkipUnits() int64
}

// runImport runs an import whose messages recv returns, with the options
// opts makes of the first message (nil: none), sets the trailers and
// returns what it committed, or the error to answer with.
func (m *memoryService) runImport(stream grpc.ServerStream, recv func() (importMsg, error), opts func(first importMsg) (importOptions, error)) (importProgress, error) {
	ctx := stream.Context()
	first, err := recv()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return importProgress{}, tolk.Invalidf("memory", "the stream was empty: the first message must name the memory")
		}
		return importProgress{}, err
	}
	name := first.GetMemory()
	policy, err := policyFromProto("policy", first.GetPolicy())
	if err != nil {
		return importProgress{}, err
	}
	var opt importOptions
	if opts != nil {
		if opt, err = opts(first); err != nil {
			return importProgress{}, err
		}
	}
	if name == "" {
		return importProgress{}, tolk.Invalidf("memory", "required in the first message")
	}
	if err := m.s.ensureMemory(ctx, "memory", name, first.GetCreate()); err != nil {
		return importProgress{}, err
	}
	// recvErr is what stopped the stream, if not its end: the reader
	// reports it as a read error of the file, the client is told it.
	var recvErr error
	pr := chunkReader(first.GetChunk(), func() ([]byte, error) {
		msg, err := recv()
		switch {
		case err != nil && !errors.Is(err, io.EOF):
			recvErr = err
		case err == nil && msg.GetMemory() != "" && msg.GetMemory() != name:
			recvErr = tolk.Invalidf("memory", "a later message names memory %q, but this import goes to %q, named by the first message: send one import per memory", msg.GetMemory(), name)
			return nil, recvErr
		}
		return msg.GetChunk(), err
	})
	ictx, cancel := m.s.importContext(ctx)
	defer cancel()
	total := importProgress{Resume: int(max(first.GetSkipUnits(), 0))}
	err = m.importUnits(ictx, name, policy, pr, &total, opt)
	total.setTrailer(stream)
	if err != nil {
		if recvErr != nil {
			err = recvErr
		} else {
			err = fileError("chunk", err)
		}
		return total, importCut(ictx, err, total)
	}
	return total, nil
}

// unitReader is what importUnits reads from: a TMX reader, or the units of
// an XLIFF document.
type unitReader interface {
	Next() (memory.Unit, error)
	Skipped() int
}

// newUnitReader returns a reader of the units in r: TMX, or XLIFF whose
// translated segments become units of origin "confirmed". An XLIFF file
// is read whole, so it must fit within the stream limit.
func (m *memoryService) newUnitReader(r io.Reader, skipBad bool) (unitReader, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(2048)
	if !translate.IsXLIFFFile(head) {
		return tmx.NewReader(br, tmx.Options{SkipBadUnits: skipBad})
	}
	units, skipped, err := translate.ReadXLIFFUnits(br, int64(m.s.limits.MaxStreamBytes))
	if err != nil {
		return nil, err
	}
	return &sliceReader{units: units, skipped: skipped}, nil
}

type sliceReader struct {
	units   []memory.Unit
	skipped int
}

func (s *sliceReader) Next() (memory.Unit, error) {
	if len(s.units) == 0 {
		return memory.Unit{}, io.EOF
	}
	u := s.units[0]
	s.units = s.units[1:]
	return u, nil
}

func (s *sliceReader) Skipped() int { return s.skipped }

// importOptions are what ImportTmxStream adds to an import: units the
// store would refuse are checked one by one, and left out (skipBad) with a
// warning or stop the import at their position; warn receives each
// warning, progress is called after each committed batch.
type importOptions struct {
	check, skipBad bool
	warn           func(unit int, where, msg string)
	progress       func(read int, total importProgress)
}

// importUnits imports the units of r after the first total.Resume, and
// counts what it committed in total.
func (m *memoryService) importUnits(ctx context.Context, name string, policy memory.Policy, r io.Reader, total *importProgress, opt importOptions) error {
	tr, err := m.newUnitReader(r, opt.skipBad)
	if err != nil {
		return err
	}
	batch := make([]memory.Unit, 0, m.s.limits.ImportBatch)
	read, skip := 0, total.Resume // units of the file read, and to leave out
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := m.s.w.AddUnits(ctx, name, batch, policy)
		if err != nil {
			return err
		}
		total.Added += res.Added
		total.Updated += res.Updated
		total.Skipped += res.Skipped
		m.s.metrics.imported.WithLabelValues(name).Add(float64(res.Added + res.Updated))
		total.Resume = read
		m.s.log.InfoContext(ctx, "import batch committed", "memory", name, "committed", total.Added+total.Updated, "skipped", total.Skipped, "resume", read)
		batch = batch[:0]
		if opt.progress != nil {
			opt.progress(read, *total)
		}
		return nil
	}
	warnings, _ := tr.(interface{ Warnings() []tmx.Warning })
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		u, err := tr.Next()
		if warnings != nil && opt.warn != nil {
			for _, w := range warnings.Warnings() {
				opt.warn(0, w.Where, w.Message)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ferr := flush(); ferr != nil {
				return ferr
			}
			return err
		}
		if read++; read <= skip {
			continue
		}
		if u.Origin == "" {
			u.Origin = "imported"
		}
		if opt.check {
			if err := memory.CheckUnit(&u); err != nil {
				if !opt.skipBad {
					if ferr := flush(); ferr != nil {
						return ferr
					}
					total.Resume = read - 1
					return fmt.Errorf("unit %d: %w", read, err)
				}
				total.Skipped++
				opt.warn(read, fmt.Sprintf("unit %d", read), "left out: "+err.Error())
				continue
			}
		}
		batch = append(batch, u)
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	total.Skipped += tr.Skipped()
	return flush()
}

func (m *memoryService) ExportTmx(req *tolkv1.ExportTmxRequest, stream tolkv1.MemoryService_ExportTmxServer) error {
	ctx := stream.Context()
	if req.GetMemory() == "" {
		return tolk.Invalidf("memory", "required: name the memory to export")
	}
	f, err := unitFilter(req.GetProps(), req.GetChangedSince(), req.GetChangedBy())
	if err != nil {
		return err
	}
	mem, err := m.s.mem.Memory(ctx, req.GetMemory())
	if err != nil {
		return notFoundAt(err, map[tolk.Reason]string{tolk.ReasonMemoryNotFound: "memory"})
	}
	cw := newChunkWriter(func(b []byte) error {
		return stream.Send(&tolkv1.ExportTmxResponse{Chunk: b})
	})
	w, err := tmx.NewWriter(cw, tmx.Header{SrcLang: mem.SourceLang, TargetLang: mem.TargetLang, CreationTool: "tolk"})
	if err != nil {
		return err
	}
	write := func(u memory.Unit) error {
		if !f.Match(&u) {
			return nil
		}
		return w.Write(u)
	}
	if err := m.s.mem.Export(ctx, mem.Name, write); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cw.Flush()
}

// ensureMemory checks that the named memory exists and, when create is
// set, creates it (Dutch to English) if it does not. field is the request
// field that names it.
func (s *Server) ensureMemory(ctx context.Context, field, name string, create bool) error {
	_, err := s.mem.Memory(ctx, name)
	if tolk.ErrorCode(err) != tolk.ENOTFOUND || !create {
		return err
	}
	_, err = s.w.CreateMemory(ctx, memory.Memory{Name: name, SourceLang: "nl", TargetLang: "en"})
	if tolk.ErrorCode(err) == tolk.EEXISTS {
		return nil // created meanwhile by another request
	}
	return inRequest(err, renamed(map[string]string{"name": field}))
}

// propsFromProto converts wire props.
func propsFromProto(ps []*tolkv1.Prop) []memory.Prop {
	var out []memory.Prop
	for _, p := range ps {
		out = append(out, memory.Prop{Type: p.GetType(), Value: p.GetValue()})
	}
	return out
}

// notFoundAt names field as the culprit of a NotFound error: which name of
// the request was not found.
func notFoundAt(err error, fields map[tolk.Reason]string) error {
	var e *tolk.Error
	if errors.As(err, &e) && e.Field == "" {
		if f, ok := fields[e.Reason]; ok {
			e.Field = f
		}
	}
	return err
}

func (m *memoryService) GetMemory(ctx context.Context, req *tolkv1.GetMemoryRequest) (*tolkv1.GetMemoryResponse, error) {
	if req.GetName() == "" {
		return nil, tolk.Invalidf("name", "required: the name of the memory")
	}
	mem, err := m.s.mem.Memory(ctx, req.GetName())
	if err != nil {
		return nil, notFoundAt(err, map[tolk.Reason]string{tolk.ReasonMemoryNotFound: "name"})
	}
	return &tolkv1.GetMemoryResponse{Memory: memoryToProto(mem)}, nil
}

func (m *memoryService) UpdateMemory(ctx context.Context, req *tolkv1.UpdateMemoryRequest) (*tolkv1.UpdateMemoryResponse, error) {
	p := req.GetMemory()
	if p.GetName() == "" {
		return nil, tolk.Invalidf("memory.name", "required: the name of the memory to update")
	}
	var upd memory.MemoryUpdate
	paths := req.GetUpdateMask().GetPaths()
	if len(paths) == 0 {
		paths = []string{"description"}
	}
	for _, path := range paths {
		switch path {
		case "description":
			upd.Description = &p.Description
		case "source_language":
			upd.SourceLang = &p.SourceLanguage
		case "target_language":
			upd.TargetLang = &p.TargetLanguage
		default:
			return nil, tolk.Invalidf("update_mask", "%q cannot be updated: use description, source_language or target_language", path)
		}
	}
	mem, err := m.s.w.UpdateMemory(ctx, p.GetName(), upd)
	if err != nil {
		err = notFoundAt(err, map[tolk.Reason]string{tolk.ReasonMemoryNotFound: "memory.name"})
		return nil, inRequest(err, renamed(map[string]string{"source_lang": "memory.source_language", "target_lang": "memory.target_language"}))
	}
	return &tolkv1.UpdateMemoryResponse{Memory: memoryToProto(mem)}, nil
}

func (m *memoryService) GetUnit(ctx context.Context, req *tolkv1.GetUnitRequest) (*tolkv1.GetUnitResponse, error) {
	if req.GetMemory() == "" {
		return nil, tolk.Invalidf("memory", "required: name the memory")
	}
	if req.GetUnitId() == 0 {
		return nil, tolk.Invalidf("unit_id", "required: the id of the unit")
	}
	u, err := m.s.mem.Unit(ctx, req.GetMemory(), req.GetUnitId())
	if err != nil {
		return nil, notFoundAt(err, map[tolk.Reason]string{tolk.ReasonMemoryNotFound: "memory", tolk.ReasonUnitNotFound: "unit_id"})
	}
	return &tolkv1.GetUnitResponse{Unit: unitToProto(u)}, nil
}

func (m *memoryService) UpdateUnit(ctx context.Context, req *tolkv1.UpdateUnitRequest) (*tolkv1.UpdateUnitResponse, error) {
	p := req.GetUnit()
	if p.GetMemory() == "" {
		return nil, tolk.Invalidf("unit.memory", "required: name the memory")
	}
	if p.GetId() == 0 {
		return nil, tolk.Invalidf("unit.id", "required: the id of the unit to update")
	}
	upd := memory.UnitUpdate{User: p.GetChangedBy()}
	paths := req.GetUpdateMask().GetPaths()
	if len(paths) == 0 {
		paths = []string{"target", "props", "notes"}
	}
	for _, path := range paths {
		switch path {
		case "target":
			if err := checkText("unit.target", p.GetTarget(), m.s.limits.MaxTextBytes); err != nil {
				return nil, err
			}
			upd.Target = &p.Target
		case "props":
			props := propsFromProto(p.GetProps())
			upd.Props = &props
		case "notes":
			upd.Notes = &p.Notes
		case "source", "prev_source", "next_source":
			return nil, tolk.Invalidf("update_mask", "%q cannot be updated: the source and its context identify a unit, so a different source is a different unit; add it with AddUnits and delete this one", path)
		default:
			return nil, tolk.Invalidf("update_mask", "%q cannot be updated: use target, props or notes", path)
		}
	}
	u, err := m.s.w.UpdateUnit(ctx, p.GetMemory(), p.GetId(), upd)
	if err != nil {
		err = notFoundAt(err, map[tolk.Reason]string{tolk.ReasonMemoryNotFound: "unit.memory", tolk.ReasonUnitNotFound: "unit.id"})
		return nil, inRequest(err, renamed(map[string]string{"target": "unit.target"}))
	}
	return &tolkv1.UpdateUnitResponse{Unit: unitToProto(u)}, nil
}

// unitFilter converts the filters shared by ListUnits and ExportTmx.
func unitFilter(props []*tolkv1.Prop, since *timestamppb.Timestamp, by string) (memory.UnitFilter, error) {
	t, err := timeFromProto("changed_since", since)
	return memory.UnitFilter{Props: propsFromProto(props), ChangedSince: t, ChangedBy: by}, err
}

func (m *memoryService) ListUnits(ctx context.Context, req *tolkv1.ListUnitsRequest) (*tolkv1.ListUnitsResponse, error) {
	if req.GetMemory() == "" {
		return nil, tolk.Invalidf("memory", "required: name the memory")
	}
	f, err := unitFilter(req.GetProps(), req.GetChangedSince(), req.GetChangedBy())
	if err != nil {
		return nil, err
	}
	page, err := m.s.mem.ListUnits(ctx, memory.ListQuery{Memory: req.GetMemory(), Filter: f,
		PageSize: int(req.GetPageSize()), PageToken: req.GetPageToken()})
	if err != nil {
		return nil, notFoundAt(err, map[tolk.Reason]string{tolk.ReasonMemoryNotFound: "memory"})
	}
	resp := &tolkv1.ListUnitsResponse{NextPageToken: page.NextPageToken}
	for _, u := range page.Units {
		resp.Units = append(resp.Units, unitToProto(u))
	}
	return resp, nil
}
