package cluster

import "github.com/prometheus/client_golang/prometheus"

// Collector returns the node's Raft figures as Prometheus metrics:
// tolk_raft_state (1 for the node's current state), tolk_raft_term,
// tolk_raft_commit_index, tolk_raft_applied_index, tolk_raft_apply_lag
// (commit minus applied), tolk_raft_last_log_index and
// tolk_raft_snapshot_restores.
func (n *Node) Collector() prometheus.Collector { return &collector{n: n} }

type collector struct{ n *Node }

var (
	descState    = prometheus.NewDesc("tolk_raft_state", "1 for the Raft state the node is in.", []string{"state"}, nil)
	descTerm     = prometheus.NewDesc("tolk_raft_term", "The node's current Raft term.", nil, nil)
	descCommit   = prometheus.NewDesc("tolk_raft_commit_index", "The highest log index the node knows to be committed.", nil, nil)
	descApplied  = prometheus.NewDesc("tolk_raft_applied_index", "The last log index applied to the node's stores.", nil, nil)
	descLag      = prometheus.NewDesc("tolk_raft_apply_lag", "Committed entries the node has not applied yet.", nil, nil)
	descLastLog  = prometheus.NewDesc("tolk_raft_last_log_index", "The last index in the node's log.", nil, nil)
	descRestores = prometheus.NewDesc("tolk_raft_snapshot_restores", "Snapshots the node restored since it started.", nil, nil)
)

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descState, descTerm, descCommit, descApplied, descLag, descLastLog, descRestores} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	s := c.n.Stats()
	for _, st := range []string{"Leader", "Follower", "Candidate", "Shutdown"} {
		v := 0.0
		if st == s.State {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(descState, prometheus.GaugeValue, v, st)
	}
	lag := 0.0
	if s.CommitIndex > s.AppliedIndex {
		lag = float64(s.CommitIndex - s.AppliedIndex)
	}
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	gauge(descTerm, float64(s.Term))
	gauge(descCommit, float64(s.CommitIndex))
	gauge(descApplied, float64(s.AppliedIndex))
	gauge(descLag, lag)
	gauge(descLastLog, float64(s.LastLogIndex))
	gauge(descRestores, float64(s.Restores))
}
