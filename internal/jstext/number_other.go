//go:build !js

package jstext

import (
	"math"
	"strconv"
)

// Number reads text as JS's Number(text) does decimal numbers: an overflow is an infinity,
// text that spells no number NaN (where Go's and JS's spellings differ, "0x10", "inf", it
// reads them as Go does; in the browser JS itself reads them).
func Number(text string) float64 {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && f == 0 {
		return math.NaN()
	}
	return f
}
