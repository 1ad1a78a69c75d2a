package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc/status"
)

// metrics are the server's Prometheus metrics, in a registry of their own.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	imported *prometheus.CounterVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tolk_requests_total", Help: "RPCs handled, by method and status code.",
		}, []string{"method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "tolk_request_duration_seconds",
			Help:    "RPC latency, by method and status code.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10, 60},
		}, []string{"method", "code"}),
		imported: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tolk_import_units_total", Help: "Units committed by TMX imports, by memory.",
		}, []string{"memory"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.imported, newSizeCollector(s),
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(method string, start time.Time, err error) {
	code := status.Code(err).String()
	m.requests.WithLabelValues(method, code).Inc()
	m.latency.WithLabelValues(method, code).Observe(time.Since(start).Seconds())
}

// MetricsHandler serves the metrics in the Prometheus text format.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}

// RegisterMetrics adds collectors to the server's metrics (a cluster
// node's Raft figures).
func (s *Server) RegisterMetrics(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := s.metrics.reg.Register(c); err != nil {
			return fmt.Errorf("registering metrics: %w", err)
		}
	}
	return nil
}

// sizeCollector reports the sizes of the memories and the glossary when
// scraped.
type sizeCollector struct {
	s                      *Server
	units, concepts, terms *prometheus.Desc
}

func newSizeCollector(s *Server) *sizeCollector {
	return &sizeCollector{
		s:        s,
		units:    prometheus.NewDesc("tolk_memory_units", "Units in a memory.", []string{"memory"}, nil),
		concepts: prometheus.NewDesc("tolk_glossary_concepts", "Concepts in the glossary.", nil, nil),
		terms:    prometheus.NewDesc("tolk_glossary_terms", "Terms in the glossary.", nil, nil),
	}
}

func (c *sizeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.units
	ch <- c.concepts
	ch <- c.terms
}

func (c *sizeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if ms, err := c.s.mem.Memories(ctx); err == nil {
		for _, m := range ms {
			ch <- prometheus.MustNewConstMetric(c.units, prometheus.GaugeValue, float64(m.Units), m.Name)
		}
	}
	if concepts, terms, err := c.s.gl.Count(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(c.concepts, prometheus.GaugeValue, float64(concepts))
		ch <- prometheus.MustNewConstMetric(c.terms, prometheus.GaugeValue, float64(terms))
	}
}
