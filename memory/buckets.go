package memory

// The store's bbolt buckets. Every name starts with "memory." so that the
// memory store can share one database file with the other stores.
var (
	// bucketMeta holds keySchema and keyMemSeq.
	bucketMeta = []byte("memory.meta")
	// bucketMemories maps a memory name to its encoded memoryRecord.
	bucketMemories = []byte("memory.memories")
	// bucketUnits holds one nested bucket per memory name, mapping a
	// big-endian uint64 unit id to the encoded Unit. The nested bucket's
	// sequence gives the next id.
	bucketUnits = []byte("memory.units")
	// bucketIndex holds one nested bucket per memory name, mapping a block
	// number (unit id >> blockShift) to the compact index records of the
	// block's units (see blocks.go and indexRecord), from which Open builds
	// the in-memory index without re-tokenizing.
	bucketIndex = []byte("memory.index")
)

// Keys in bucketMeta.
var (
	keySchema = []byte("schema")
	keyMemSeq = []byte("memseq")
)

// schemaVersion is the version of the layout above and of the encodings in
// codec.go. Open refuses a database written with another version.
const schemaVersion = "memory/4"
