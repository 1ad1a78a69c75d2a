package memory

import "unsafe"

// unsafeString views b as a string without copying. The caller owes that b
// is not modified while the string is in use (bbolt memory is read-only
// within a transaction).
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
