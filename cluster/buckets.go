package cluster

import "github.com/tolkdev/tolk"

// The cluster's records live in tolk.BucketApplied ("cluster.meta"),
// beside the applied index that the stores write.
var bucketMeta = tolk.BucketApplied

// Keys in bucketMeta.
var (
	keyClusterID  = []byte("cluster-id")
	keyNodePrefix = []byte("node/") // node/<id> → the node's gRPC address
)
