package access

// The access store's bbolt buckets. Every name starts with "access." so the
// store can share one database file with Tolk's other stores.
var (
	bucketMeta   = []byte("access.meta")   // keySchema → schemaVersion
	bucketTokens = []byte("access.tokens") // token id → JSON record (hash, never the secret)
)

// keySchema holds the schema version in bucketMeta.
var keySchema = []byte("schema")

// schemaVersion is the layout version this code reads and writes.
const schemaVersion = "access/1"
