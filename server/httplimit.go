package server

// MaxRequestBytes is the largest request message s accepts: a stream
// document (Limits.MaxStreamBytes) and 1 MiB for the rest of the message.
// It is gRPC's receive limit, and the HTTP face (package httpface) bounds a
// request body by it, so both faces refuse the same sizes.
func (s *Server) MaxRequestBytes() int64 { return int64(s.limits.MaxStreamBytes) + 1<<20 }
