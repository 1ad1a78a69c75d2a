package server

import (
	"github.com/tolkdev/tolk"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
)

// MaxImportWarnings bounds the warnings an ImportSummary lists; the rest
// are counted in warnings_dropped.
const MaxImportWarnings = 1000

// ImportTmxStream is ImportTmx with progress after each committed batch
// and a summary with the warnings at the end (see the .proto).
func (m *memoryService) ImportTmxStream(stream tolkv1.MemoryService_ImportTmxStreamServer) error {
	var warnings []*tolkv1.ImportWarning
	dropped := 0
	var sendErr error
	opts := func(first importMsg) (importOptions, error) {
		var opt importOptions
		switch oe := first.(*tolkv1.ImportTmxStreamRequest).GetOnError(); oe {
		case tolkv1.OnError_ON_ERROR_UNSPECIFIED, tolkv1.OnError_ON_ERROR_STOP:
		case tolkv1.OnError_ON_ERROR_SKIP:
			opt.skipBad = true
		default:
			return opt, unknownEnum("on_error", oe)
		}
		opt.check = true
		opt.warn = func(unit int, where, msg string) {
			if len(warnings) == MaxImportWarnings {
				dropped++
				return
			}
			warnings = append(warnings, &tolkv1.ImportWarning{Unit: int64(unit), Position: where, Message: msg})
		}
		return opt, nil
	}
	progress := func(read int, total importProgress) {
		if sendErr != nil {
			return
		}
		sendErr = stream.Send(&tolkv1.ImportTmxStreamResponse{Report: &tolkv1.ImportTmxStreamResponse_Progress{Progress: &tolkv1.ImportProgress{
			UnitsRead: int64(read), Added: int64(total.Added), Updated: int64(total.Updated), Skipped: int64(total.Skipped),
			Warnings: int64(len(warnings) + dropped)}}})
	}
	p, err := m.runImport(stream, func() (importMsg, error) { return stream.Recv() }, func(first importMsg) (importOptions, error) {
		opt, err := opts(first)
		opt.progress = progress
		return opt, err
	})
	if err != nil {
		return err
	}
	if sendErr != nil {
		return tolk.Errorf(tolk.EUNAVAILABLE, "sending progress: %v", sendErr)
	}
	return stream.Send(&tolkv1.ImportTmxStreamResponse{Report: &tolkv1.ImportTmxStreamResponse_Summary{Summary: &tolkv1.ImportSummary{
		Added: int64(p.Added), Updated: int64(p.Updated), Skipped: int64(p.Skipped), Warnings: warnings, WarningsDropped: int64(dropped)}}})
}
