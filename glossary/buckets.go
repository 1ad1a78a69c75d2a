package glossary

// The glossary's bbolt buckets. Every name starts with "glossary." so the
// store can share one database file with Tolk's other stores.
var (
	bucketMeta     = []byte("glossary.meta")     // schemaKey → version; NextSequence numbers new concepts
	bucketConcepts = []byte("glossary.concepts") // concept id → encodeConcept (codec.go)
	bucketTerms    = []byte("glossary.terms")    // FoldTerm(text) 0 lang 0 id → empty: prefix and fuzzy search
	// name → JSON Glossary (schema 2 on)
	bucketGlossaries = []byte("glossary.glossaries")
)

// schemaKey holds the schema version in bucketMeta.
var schemaKey = []byte("schema")

// schemaVersion is the layout version this code reads and writes. Version
// 1 had one global glossary; Open migrates it to 2 (named glossaries, every
// concept in one, see migrateV1).
const schemaVersion = "2"
