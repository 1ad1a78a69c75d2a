package tolk

// The bbolt bucket shared by the stores for replicated writes. Its name
// starts with "cluster." so it shares the file with the stores' buckets.
var (
	// BucketApplied holds keyAppliedIndex: the log index of the last
	// replicated write (see PutApplied). Package cluster keeps its own
	// records (cluster id, members' addresses) in it too.
	BucketApplied = []byte("cluster.meta")
)

// keyAppliedIndex holds the applied index, a big-endian uint64.
var keyAppliedIndex = []byte("applied")
