// Package cluster replicates Tolk's writes with Raft
// (github.com/hashicorp/raft), so that three or five nodes hold the same
// memories, glossaries and tokens, every node answers reads from its own
// bbolt file, and the loss of a minority of nodes loses no acknowledged
// write.
//
// # Writes are log entries
//
// Every write the services make (server.Writer: AddUnits and each batch of
// ImportTmx/ImportTmxStream, ConfirmSegments, unit updates and deletes,
// memory create/update/delete, glossary upserts, deletes, each batch of an
// import, glossary create/update/delete, token create/revoke) becomes one
// Command: the domain-level write (memory.Unit, glossary.Concept, ...)
// with every value that must not differ between nodes fixed by the leader
// before it proposes it: the time the write takes as "now" and, for a
// token, the entropy of its secret. Ids need no fixing: the stores number
// units and concepts from bbolt sequences, which are equal on every node
// that applied the same log. A Command is stored as a version byte and
// JSON, which keeps the domain types' optional fields (a *[]Prop that is
// empty is not one that is absent).
//
// # The state machine
//
// FSM applies an entry by calling the stores' own methods (memory.Store,
// glossary.Store, access.Store) on every node, so their in-memory index,
// glossary recognizer and token cache stay current exactly as on a single
// node. The context carries a tolk.Applied with the entry's index, time
// and entropy; each store writes the index into the bucket cluster.meta in
// the same bbolt transaction as the write (tolk.PutApplied). After a
// restart FSM skips every entry up to the stored index, so an entry is
// neither lost nor applied twice. A write refused by the store (an unknown
// memory, a name taken) is refused on every node alike and changes
// nothing; a node whose disk refuses a write that the others made stops
// (it panics) rather than differ from them.
//
// # Nodes
//
// Node runs Raft beside the server: its log and stable store in a
// raft-boltdb file of its own in the raft directory, its snapshots there
// too, its transport on --raft-addr. Node implements server.Writer: on the
// leader it proposes the command and waits for it to be applied; on a
// follower it forwards the command to the leader over gRPC
// (ClusterService.Apply, with the caller's credentials), so a write is
// acknowledged only after it is committed. The cluster's first node is
// bootstrapped: it writes a cluster id, its own address and, into an empty
// database, the seeds, all through the log. A joining node asks a member
// (ClusterService.Join, forwarded to the leader) to add it; it never seeds,
// and a node whose database holds data of another cluster, or of no
// cluster, is refused.
//
// # Snapshots
//
// A Raft snapshot is a consistent copy of the bbolt file (the backup path,
// internal/snapshot). Restoring one (a node that lags behind the
// compacted log) copies its buckets into the node's file in one
// transaction and reloads the stores' in-memory state.
package cluster
