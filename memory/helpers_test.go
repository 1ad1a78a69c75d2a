package memory

import (
	"encoding/json"
	"strconv"
	"time"
)

func itoa(i int) string { return strconv.Itoa(i) }

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func testTime() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }
