// Package server is Tolk's gRPC transport. It is thin: each RPC validates
// its request, converts it to domain types, calls the domain package and
// converts the answer back. Handlers return plain errors; one interceptor
// maps them onto gRPC statuses (errors.go).
package server

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"

	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
	tolkv1 "github.com/tolkdev/tolk/proto/tolk/v1"
	"github.com/tolkdev/tolk/translate"
)

// Limits bound what one request may ask. The zero value of a field means
// its default (1 MiB text, 64 MiB stream document, 10,000 units or
// concepts per request, 5,000 segments per Translate, 5,000 units per import
// transaction, 256 concurrent calls per connection, 8 heavy calls counted
// to hold 512 MiB waiting up to 10 s for a turn, and the connection and
// stream times in withDefaults).
type Limits struct {
	MaxTextBytes   int // text of one Translate, Segment or LookupTerms request
	MaxStreamBytes int // one document of TranslateStream
	MaxUnits       int // units in one AddUnits request
	MaxConcepts    int // concepts in one UpsertTerms request
	MaxSegments    int // segments in one Translate request
	MaxStreams     int // concurrent streams (calls) per client connection
	ImportBatch    int // units committed per transaction on a TMX or XLIFF import
	// MaxHeavyCalls and MaxHeavyBytes bound the heavy calls (imports,
	// exports, TranslateStream, Align, Backup) running at once in the whole
	// server, and the memory they are counted to hold (see heavyBytes); the
	// next one waits up to HeavyWait for a turn, then gets
	// ResourceExhausted.
	MaxHeavyCalls int
	MaxHeavyBytes int64
	HeavyWait     time.Duration

	// StreamRecvTimeout ends a client stream (ImportTmx, ImportGlossary)
	// whose client sends nothing for so long, with DeadlineExceeded;
	// StreamSendTimeout a server stream (TranslateStream, exports, Backup)
	// whose client reads nothing for so long, with Unavailable.
	StreamRecvTimeout, StreamSendTimeout time.Duration
	// MaxConnIdle closes a connection without calls for so long;
	// MaxConnAge closes any connection after so long, letting its calls
	// finish for MaxConnAgeGrace. PingAfter pings a silent client, which
	// must answer within PingTimeout; a client pinging more often than
	// MinPingInterval is disconnected.
	MaxConnIdle, MaxConnAge, MaxConnAgeGrace time.Duration
	PingAfter, PingTimeout, MinPingInterval  time.Duration
}

// withDefaults returns l with each zero field set to its default.
func (l Limits) withDefaults() Limits {
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	set(&l.MaxTextBytes, 1<<20)
	set(&l.MaxStreamBytes, 64<<20)
	set(&l.MaxUnits, 10000)
	set(&l.MaxConcepts, 10000)
	set(&l.MaxSegments, 5000)
	set(&l.MaxStreams, 256)
	set(&l.ImportBatch, 5000)
	set(&l.MaxHeavyCalls, 8)
	if l.MaxHeavyBytes == 0 {
		l.MaxHeavyBytes = 512 << 20
	}
	setDuration := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	setDuration(&l.HeavyWait, 10*time.Second)
	setDuration(&l.StreamRecvTimeout, time.Minute)
	setDuration(&l.StreamSendTimeout, time.Minute)
	setDuration(&l.MaxConnIdle, 15*time.Minute)
	setDuration(&l.MaxConnAge, 2*time.Hour)
	setDuration(&l.MaxConnAgeGrace, 10*time.Minute)
	setDuration(&l.PingAfter, 2*time.Minute)
	setDuration(&l.PingTimeout, 20*time.Second)
	setDuration(&l.MinPingInterval, 10*time.Second)
	return l
}

// Config is what a Server needs. DB, Memory and Glossary are required.
type Config struct {
	DB       *bbolt.DB
	Memory   *memory.Store
	Glossary *glossary.Store
	Access   *access.Store // nil, or a store without tokens, means open
	Logger   *slog.Logger
	Limits   Limits
	Version  string
	Now      func() time.Time // nil means time.Now
	// Writer takes the services' writes; nil means the stores above
	// (LocalWriter). A cluster node gives its cluster.Node.
	Writer Writer
	// Ready, when set, is asked by the health checks (WatchHealth) too:
	// health is NOT_SERVING while it returns an error (a cluster node that
	// has not caught up with the log).
	Ready func() error
}

// Server holds the services. Create it with New and attach it to a
// grpc.Server with Register.
type Server struct {
	db       *bbolt.DB
	mem      *memory.Store
	gl       *glossary.Store
	access   *access.Store
	w        Writer       // every write goes through it (writer.go)
	ready    func() error // nil, or Config.Ready
	pipeline *translate.Pipeline
	log      *slog.Logger
	limits   Limits
	version  string
	now      func() time.Time
	health   *health.Server
	metrics  *metrics

	// Bounds and life cycle: admission.go, importcut.go, health.go.
	heavy      *admission
	stopping   context.Context // ends when Stop is called
	stop       context.CancelFunc
	probe      chan struct{} // asks WatchHealth to probe a write now
	writesFail atomic.Bool   // the last write probe failed
}

// New returns a Server over the given stores.
func New(cfg Config) *Server {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{
		db:       cfg.DB,
		mem:      cfg.Memory,
		gl:       cfg.Glossary,
		access:   cfg.Access,
		pipeline: &translate.Pipeline{Memory: cfg.Memory, Glossary: cfg.Glossary},
		log:      logger(cfg.Logger),
		limits:   cfg.Limits.withDefaults(),
		version:  cfg.Version,
		now:      now,
		health:   health.NewServer(),
	}
	s.ready = cfg.Ready
	if s.w = cfg.Writer; s.w == nil {
		s.w = LocalWriter(cfg.Memory, cfg.Glossary, cfg.Access)
	}
	s.metrics = newMetrics(s)
	s.heavy = newAdmission(s.limits.MaxHeavyCalls, s.limits.MaxHeavyBytes, s.limits.HeavyWait)
	s.stopping, s.stop = context.WithCancel(context.Background())
	s.probe = make(chan struct{}, 1)
	return s
}

// ServerOptions returns the options a grpc.Server for s should be built with:
// the logging, error-mapping, auth and admission interceptors, outermost
// first, the codec that refuses strings that are not UTF-8, the message
// size limit, and the keepalive and idle limits of connections and streams.
func (s *Server) ServerOptions() []grpc.ServerOption {
	return append([]grpc.ServerOption{
		newCodec(),
		grpc.MaxRecvMsgSize(int(s.MaxRequestBytes())),
		grpc.MaxConcurrentStreams(uint32(s.limits.MaxStreams)),
		grpc.ChainUnaryInterceptor(s.logUnary, s.errorsUnary, s.authUnary, decodedUnary, s.admitUnary, s.watchWriteUnary),
		grpc.ChainStreamInterceptor(s.logStream, s.errorsStream, s.authStream, s.admitStream, s.recvTimeout, s.watchWriteStream),
	}, s.keepaliveOptions()...)
}

// Register attaches the four Tolk services, the standard health service
// (reporting SERVING) and server reflection to g.
func (s *Server) Register(g *grpc.Server) {
	tolkv1.RegisterTranslationServiceServer(g, &translationService{s: s})
	tolkv1.RegisterMemoryServiceServer(g, &memoryService{s: s})
	tolkv1.RegisterGlossaryServiceServer(g, &glossaryService{s: s})
	tolkv1.RegisterAdminServiceServer(g, &adminService{s: s})
	healthpb.RegisterHealthServer(g, s.health)
	reflection.Register(g)
	for name := range g.GetServiceInfo() {
		s.health.SetServingStatus(name, healthpb.HealthCheckResponse_SERVING)
	}
	s.health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	if s.ready != nil && s.ready() != nil {
		s.health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	}
}

// Shutdown marks every service NOT_SERVING, so that health checks see the
// server going away before it stops.
func (s *Server) Shutdown() { s.health.Shutdown() }

func (s *Server) logUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	start := time.Now()
	resp, err := handler(ctx, req)
	s.logCall(ctx, info.FullMethod, start, err)
	return resp, err
}

func (s *Server) logStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	start := time.Now()
	err := handler(srv, ss)
	s.logCall(ss.Context(), info.FullMethod, start, err)
	return err
}

func (s *Server) logCall(ctx context.Context, method string, start time.Time, err error) {
	s.metrics.observe(method, start, err)
	// Successful calls are counted in the metrics and logged only at debug
	// level: at thousands of lookups a second a line each would cost more
	// than the lookups.
	level := slog.LevelDebug
	if err != nil {
		level = slog.LevelInfo
	}
	if !s.log.Enabled(ctx, level) {
		return
	}
	s.log.LogAttrs(ctx, level, "rpc",
		slog.String("method", method),
		slog.String("code", status.Code(err).String()),
		slog.Duration("took", time.Since(start)))
}
