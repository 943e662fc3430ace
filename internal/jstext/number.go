package jstext

import (
	"math"
	"math/bits"
)

// ParseNumber reads a JSON number token as JSON.parse does: the double nearest to it. The
// numbers JS writes (JSON.stringify's shortest digits, at most 17 of them) are read here
// exactly, with integer arithmetic; only a token with more than 19 significant digits or a
// decimal exponent far from zero (beyond about ±27) is left to the platform: JS's own
// Number in the browser, strconv elsewhere. strconv.ParseFloat is not used in the browser
// because its errors carry strconv's quoting and its tables, 12 KB of the compressed wasm.
func ParseNumber(token []byte) (float64, bool) {
	if len(token) == 1 && token[0]-'0' <= 9 { // a message's type, most often
		return float64(token[0] - '0'), true
	}
	if len(token) == 0 || ScanNumber(token, 0) != len(token) {
		return 0, false
	}
	if n, ok := SafeInteger(token); ok {
		return float64(n), true
	}
	if f, ok := parseDecimal(token); ok {
		return f, true
	}
	return Number(string(token)), true
}

// parseDecimal is ParseNumber for a token whose significant digits fit a uint64 and whose
// value is m × 10^e with |e| ≤ 27 (5^27 is the largest power of 5 in a uint64): the
// product or quotient by 5^|e| is computed exactly in 128 bits and rounded once, to
// nearest, ties to even. ok is false for the other tokens.
func parseDecimal(token []byte) (f float64, ok bool) {
	i := 0
	negative := token[0] == '-'
	if negative {
		i++
	}
	var mantissa uint64
	digits, exp := 0, 0
	// digit takes one more significant digit, fraction telling whether it is after the point.
	digit := func(c byte, fraction bool) bool {
		switch {
		case digits < 19:
			mantissa = mantissa*10 + uint64(c-'0')
			if mantissa != 0 {
				digits++
			}
			if fraction {
				exp--
			}
		case c != '0':
			return false // more precision than a uint64 holds
		case !fraction:
			exp++ // a zero beyond the 19th digit of the integer part
		}
		return true
	}
	for ; i < len(token) && isDigit(token[i]); i++ {
		if !digit(token[i], false) {
			return 0, false
		}
	}
	if i < len(token) && token[i] == '.' {
		for i++; i < len(token) && isDigit(token[i]); i++ {
			if !digit(token[i], true) {
				return 0, false
			}
		}
	}
	if i < len(token) && (token[i] == 'e' || token[i] == 'E') {
		i++
		sign := 1
		switch token[i] {
		case '-':
			sign = -1
			fallthrough
		case '+':
			i++
		}
		e := 0
		for ; i < len(token); i++ {
			if e < 1e6 {
				e = e*10 + int(token[i]-'0')
			}
		}
		exp += sign * e
	}
	if mantissa == 0 {
		if negative {
			return math.Copysign(0, -1), true
		}
		return 0, true
	}
	// Move powers of ten between the mantissa and the exponent while that is exact.
	for exp > 27 && mantissa <= math.MaxUint64/10 {
		mantissa *= 10
		exp--
	}
	for exp < -27 && mantissa%10 == 0 {
		mantissa /= 10
		exp++
	}
	if exp > 27 || exp < -27 {
		return 0, false
	}
	pow5 := uint64(1)
	for range max(exp, -exp) {
		pow5 *= 5
	}
	if exp >= 0 {
		// m × 10^e = (m × 5^e) × 2^e, and m × 5^e < 2^128.
		hi, lo := bits.Mul64(mantissa, pow5)
		f = round128(hi, lo, false, exp)
	} else {
		// m / 10^k = (m × 2^s / 5^k) × 2^(-s-k), s chosen so that the quotient has 63 or 64
		// bits and the 128-bit dividend's high word stays below the divisor.
		k := -exp
		s := 63 + bits.Len64(pow5) - bits.Len64(mantissa)
		var hi, lo uint64
		if s >= 64 {
			hi = mantissa << (s - 64)
		} else {
			hi, lo = mantissa>>(64-s), mantissa<<s
		}
		q, r := bits.Div64(hi, lo, pow5)
		f = round128(0, q, r != 0, -s-k)
	}
	if negative {
		f = -f
	}
	return f, true
}

// round128 is the double nearest to (hi·2^64 + lo + ε) × 2^exp2, where ε, between 0 and 1,
// is non-zero when sticky; ties to even. The value must lie well inside the normal range.
func round128(hi, lo uint64, sticky bool, exp2 int) float64 {
	var v uint64 // the top 64 bits, the leading one at the top
	if hi != 0 {
		z := bits.LeadingZeros64(hi)
		v = hi<<z | lo>>(64-z)
		sticky = sticky || lo<<z != 0
		exp2 += 64 - z
	} else {
		z := bits.LeadingZeros64(lo)
		v = lo << z
		exp2 -= z
	}
	mantissa, rest := v>>11, v&(1<<11-1)
	exp2 += 11
	const half = 1 << 10
	if rest > half || rest == half && (sticky || mantissa&1 == 1) {
		mantissa++
		if mantissa == 1<<53 {
			mantissa >>= 1
			exp2++
		}
	}
	// mantissa × 2^exp2, mantissa in [2^52, 2^53): the double's biased exponent is exp2+52+1023.
	return math.Float64frombits(uint64(exp2+52+1023)<<52 | mantissa&(1<<52-1))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
