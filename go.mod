module github.com/tolkdev/tolk

go 1.26.0

require (
	github.com/blevesearch/snowballstem v0.9.0
	go.etcd.io/bbolt v1.5.0
	golang.org/x/text v0.44.0
)

require golang.org/x/sys v0.45.0 // indirect
