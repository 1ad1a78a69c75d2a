package glossary

// The glossary's bbolt buckets. Every name starts with "glossary." so the
// store can share one database file with Tolk's other stores.
var (
	bucketMeta     = []byte("glossary.meta")     // schemaKey → version; NextSequence numbers new concepts
	bucketConcepts = []byte("glossary.concepts") // concept id → encodeConcept (codec.go)
	bucketTerms    = []byte("glossary.terms")    // FoldTerm(text) 0 lang 0 id → empty: prefix and fuzzy search
)

// schemaKey holds the schema version in bucketMeta.
var schemaKey = []byte("schema")

// schemaVersion is the layout version this code reads and writes.
const schemaVersion = "1"
