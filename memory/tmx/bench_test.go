package tmx

import (
	"bytes"
	"os"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
)

// BenchmarkReader reads real TMX files from memory (parsing only): the
// hot path of every import.
func BenchmarkReader(b *testing.B) {
	for _, file := range []string{"omegat_l10n_nl/website2016.tmx", "omegat_l10n_nl/project_save.tmx.gz"} {
		data, err := os.ReadFile(shareddata.Path(b, "tmx/"+file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(file, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for range b.N {
				if err := drain(bytes.NewReader(data), Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
