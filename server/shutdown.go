package server

// Stop ends the running imports, which answer Unavailable with what they
// committed and where to resume. Call it when the server stops, before
// grpc.Server.GracefulStop, so that no import keeps the stop waiting and
// no client is left without its count.
func (s *Server) Stop() { s.stop() }
