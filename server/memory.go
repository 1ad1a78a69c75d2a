package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmx"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/translate"
	"github.com/tolkdev/tolk/translate/xliff"
)

type memoryService struct {
	tolkv1.UnimplementedMemoryServiceServer
	s *Server
}

func (m *memoryService) Lookup(ctx context.Context, req *tolkv1.LookupRequest) (*tolkv1.LookupResponse, error) {
	const method = "Lookup"
	if err := checkText("text", req.GetText(), m.s.limits.MaxTextBytes); err != nil {
		return nil, m.s.toStatus(ctx, method, err)
	}
	if s := req.GetMinScore(); s != 0 && (s < 50 || s > 101) {
		return nil, invalid("min_score", fmt.Sprintf("must be between 50 and 101 (or 0 for the default 70), got %d", s))
	}
	if l := req.GetLimit(); l < 0 || l > 100 {
		return nil, invalid("limit", fmt.Sprintf("must be between 1 and 100 (or 0 for the default 5), got %d", l))
	}
	matches, err := m.s.mem.Lookup(ctx, memory.Query{
		Text:     req.GetText(),
		Prev:     req.GetPrev(),
		Next:     req.GetNext(),
		Memories: req.GetMemories(),
		MinScore: int(req.GetMinScore()),
		Limit:    int(req.GetLimit()),
	})
	if err != nil {
		return nil, m.s.toStatus(ctx, method, err)
	}
	resp := &tolkv1.LookupResponse{Matches: make([]*tolkv1.Match, len(matches))}
	for i, mt := range matches {
		resp.Matches[i] = matchToProto(mt)
	}
	return resp, nil
}

func (m *memoryService) Concordance(ctx context.Context, req *tolkv1.ConcordanceRequest) (*tolkv1.ConcordanceResponse, error) {
	const method = "Concordance"
	if err := checkText("query", req.GetQuery(), m.s.limits.MaxTextBytes); err != nil {
		return nil, m.s.toStatus(ctx, method, err)
	}
	if n := req.GetPageSize(); n < 0 || n > 1000 {
		return nil, invalid("page_size", fmt.Sprintf("must be between 1 and 1000 (or 0 for 50), got %d", n))
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
		return nil, m.s.toStatus(ctx, method, err)
	}
	resp := &tolkv1.ConcordanceResponse{NextPageToken: page.NextPageToken, TotalSize: int32(page.Total)}
	for _, u := range page.Units {
		resp.Units = append(resp.Units, unitToProto(u))
	}
	return resp, nil
}

func (m *memoryService) AddUnits(ctx context.Context, req *tolkv1.AddUnitsRequest) (*tolkv1.AddUnitsResponse, error) {
	const method = "AddUnits"
	if req.GetMemory() == "" {
		return nil, invalid("memory", "required: name the memory to add the units to")
	}
	units := req.GetUnits()
	if len(units) == 0 {
		return nil, invalid("units", "required: send at least one unit")
	}
	if len(units) > m.s.limits.MaxUnits {
		return nil, m.s.toStatus(ctx, method, &tolk.Error{Code: tolk.ELIMIT, Field: "units",
			Message: fmt.Sprintf("%d units in one request is more than the limit of %d; send them in batches or use ImportTmx", len(units), m.s.limits.MaxUnits)})
	}
	batch := make([]memory.Unit, len(units))
	for i, p := range units {
		if p.GetSource() == "" {
			return nil, invalid(fieldIndex("units", i, "source"), "required: every unit needs a source text")
		}
		if p.GetTarget() == "" {
			return nil, invalid(fieldIndex("units", i, "target"), "required: every unit needs a target text")
		}
		batch[i] = unitFromProto(p)
		if batch[i].Origin == "" {
			batch[i].Origin = "human"
		}
	}
	res, err := m.s.mem.Add(ctx, req.GetMemory(), batch, policyFromProto(req.GetPolicy()))
	if err != nil {
		return nil, m.s.toStatus(ctx, method, err)
	}
	return &tolkv1.AddUnitsResponse{Added: int32(res.Added), Updated: int32(res.Updated), Skipped: int32(res.Skipped), UnitIds: res.IDs}, nil
}

func (m *memoryService) DeleteUnit(ctx context.Context, req *tolkv1.DeleteUnitRequest) (*tolkv1.DeleteUnitResponse, error) {
	if req.GetMemory() == "" {
		return nil, invalid("memory", "required: name the memory")
	}
	if req.GetUnitId() == 0 {
		return nil, invalid("unit_id", "required: the id of the unit to delete")
	}
	if err := m.s.mem.Delete(ctx, req.GetMemory(), req.GetUnitId()); err != nil {
		return nil, m.s.toStatus(ctx, "DeleteUnit", err)
	}
	return &tolkv1.DeleteUnitResponse{}, nil
}

func (m *memoryService) CreateMemory(ctx context.Context, req *tolkv1.CreateMemoryRequest) (*tolkv1.CreateMemoryResponse, error) {
	p := req.GetMemory()
	if p.GetName() == "" {
		return nil, invalid("memory.name", "required: the name of the new memory")
	}
	created, err := m.s.mem.CreateMemory(ctx, memory.Memory{
		Name:        p.GetName(),
		SourceLang:  p.GetSourceLanguage(),
		TargetLang:  p.GetTargetLanguage(),
		Description: p.GetDescription(),
	})
	if err != nil {
		return nil, m.s.toStatus(ctx, "CreateMemory", err)
	}
	return &tolkv1.CreateMemoryResponse{Memory: memoryToProto(created)}, nil
}

func (m *memoryService) ListMemories(ctx context.Context, _ *tolkv1.ListMemoriesRequest) (*tolkv1.ListMemoriesResponse, error) {
	ms, err := m.s.mem.Memories(ctx)
	if err != nil {
		return nil, m.s.toStatus(ctx, "ListMemories", err)
	}
	resp := &tolkv1.ListMemoriesResponse{}
	for _, mm := range ms {
		resp.Memories = append(resp.Memories, memoryToProto(mm))
	}
	return resp, nil
}

func (m *memoryService) DeleteMemory(ctx context.Context, req *tolkv1.DeleteMemoryRequest) (*tolkv1.DeleteMemoryResponse, error) {
	if req.GetName() == "" {
		return nil, invalid("name", "required: the name of the memory to delete")
	}
	if err := m.s.mem.DeleteMemory(ctx, req.GetName()); err != nil {
		return nil, m.s.toStatus(ctx, "DeleteMemory", err)
	}
	return &tolkv1.DeleteMemoryResponse{}, nil
}

// ImportTmx reads the TMX document from the stream through a pipe, so the
// file is never held whole in memory, and commits every ImportBatch units.
// On a bad record it stops and answers with where and why, and how many
// units were committed before it.
func (m *memoryService) ImportTmx(stream tolkv1.MemoryService_ImportTmxServer) error {
	const method = "ImportTmx"
	ctx := stream.Context()
	first, err := stream.Recv()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return invalid("memory", "the stream was empty: the first message must name the memory")
		}
		return err
	}
	name := first.GetMemory()
	if name == "" {
		return invalid("memory", "required in the first message")
	}
	if err := m.s.ensureMemory(ctx, name, first.GetCreate()); err != nil {
		return m.s.toStatus(ctx, method, err)
	}
	pr := chunkReader(first.GetChunk(), func() ([]byte, error) {
		msg, err := stream.Recv()
		return msg.GetChunk(), err
	})
	ictx, cancel := m.s.importContext(ctx)
	defer cancel()
	total := importProgress{Resume: int(max(first.GetSkipUnits(), 0))}
	err = m.importUnits(ictx, name, policyFromProto(first.GetPolicy()), pr, &total)
	total.setTrailer(stream)
	resp := &tolkv1.ImportTmxResponse{Added: int64(total.Added), Updated: int64(total.Updated), Skipped: int64(total.Skipped)}
	if err != nil {
		return m.s.toStatus(ctx, method, importCut(ictx, err, total))
	}
	return stream.SendAndClose(resp)
}

// unitReader is what importUnits reads from: a TMX reader, or the units of
// an XLIFF document.
type unitReader interface {
	Next() (memory.Unit, error)
	Skipped() int
}

// isXLIFF reports whether a file's first bytes are an XLIFF document.
func isXLIFF(head []byte) bool {
	return bytes.Contains(bytes.ReplaceAll(head, []byte{0}, nil), []byte("<xliff"))
}

// newUnitReader returns a reader of the units in r: TMX, or XLIFF whose
// translated segments become units of origin "confirmed". An XLIFF file
// is read whole, so it must fit within the stream limit.
func (m *memoryService) newUnitReader(r io.Reader) (unitReader, error) {
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(2048)
	if !isXLIFF(head) {
		return tmx.NewReader(br, tmx.Options{})
	}
	doc, err := xliff.Read(io.LimitReader(br, int64(m.s.limits.MaxStreamBytes)))
	if err != nil {
		return nil, err
	}
	if err := translate.CheckLanguages(doc); err != nil {
		return nil, tolk.Invalidf("chunk", "%v", err)
	}
	units := translate.UnitsFromXLIFF(doc)
	for i := range units {
		units[i].Origin = "confirmed"
	}
	return &sliceReader{units: units}, nil
}

type sliceReader struct{ units []memory.Unit }

func (s *sliceReader) Next() (memory.Unit, error) {
	if len(s.units) == 0 {
		return memory.Unit{}, io.EOF
	}
	u := s.units[0]
	s.units = s.units[1:]
	return u, nil
}

func (s *sliceReader) Skipped() int { return 0 }

// importUnits imports the units of r after the first total.Resume, and
// counts what it committed in total.
func (m *memoryService) importUnits(ctx context.Context, name string, policy memory.Policy, r io.Reader, total *importProgress) error {
	tr, err := m.newUnitReader(r)
	if err != nil {
		return err
	}
	batch := make([]memory.Unit, 0, m.s.limits.ImportBatch)
	read, skip := 0, total.Resume // units of the file read, and to leave out
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := m.s.mem.Add(ctx, name, batch, policy)
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
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		u, err := tr.Next()
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
	const method = "ExportTmx"
	ctx := stream.Context()
	if req.GetMemory() == "" {
		return invalid("memory", "required: name the memory to export")
	}
	mem, err := m.s.mem.Memory(ctx, req.GetMemory())
	if err != nil {
		return m.s.toStatus(ctx, method, err)
	}
	cw := newChunkWriter(func(b []byte) error {
		return stream.Send(&tolkv1.ExportTmxResponse{Chunk: b})
	})
	w, err := tmx.NewWriter(cw, tmx.Header{SrcLang: mem.SourceLang, CreationTool: "tolk"})
	if err != nil {
		return m.s.toStatus(ctx, method, err)
	}
	if err := m.s.mem.Export(ctx, mem.Name, w.Write); err != nil {
		return m.s.toStatus(ctx, method, err)
	}
	if err := w.Close(); err != nil {
		return m.s.toStatus(ctx, method, err)
	}
	return m.s.toStatus(ctx, method, cw.Flush())
}

// ensureMemory checks that the named memory exists and, when create is
// set, creates it (Dutch to English) if it does not.
func (s *Server) ensureMemory(ctx context.Context, name string, create bool) error {
	_, err := s.mem.Memory(ctx, name)
	if tolk.ErrorCode(err) != tolk.ENOTFOUND || !create {
		return err
	}
	_, err = s.mem.CreateMemory(ctx, memory.Memory{Name: name, SourceLang: "nl", TargetLang: "en"})
	if tolk.ErrorCode(err) == tolk.EEXISTS {
		return nil // created meanwhile by another request
	}
	return err
}
