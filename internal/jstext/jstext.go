// Package jstext is text as JS makes and reads it, byte for byte: JSON.stringify's quoting
// of strings, Number's toString, and JSON's grammar for numbers and strings. The hub
// protocol's JSON and the browser bridge's value transcoder (internal/taggedjson) both write
// what signalr.js would, with these.
package jstext

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// NumberText is Number.prototype.toString(): shortest round-trip digits, exponent form
// outside [1e-6, 1e21).
func NumberText(f float64) string {
	switch {
	case f == 0:
		return "0"
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	if abs := math.Abs(f); abs >= 1e-6 && abs < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	mantissa, exp, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
	return mantissa + "e" + exp[:1] + strings.TrimLeft(exp[1:], "0")
}

// AppendString quotes s as JSON.stringify does: only ", \, and control characters are
// escaped (Go's encoding/json also escapes <, >, & and U+2028/2029, which would change bytes).
func AppendString(b []byte, s string) []byte { return AppendQuoted(b, s, false) }

// AppendQuoted is AppendString for text held as a string or as bytes. Bytes that are not
// UTF-8 become U+FFFD, except, with wtf8, a UTF-16 surrogate encoded on its own (three bytes
// from 0xED 0xA0: what @msgpack/msgpack writes for a lone surrogate, and reads back as one),
// which is written as its \u escape, as JSON.stringify writes a lone surrogate.
//
// What a hub message mostly quotes (a target, an invocation id) is plain ASCII, copied as it
// is here; the rest is appendEscaped's, a function of its own because V8 optimises a wasm
// function after a number of calls that falls with its size, whatever part of it runs, and
// compiles it at a cost that grows with it: with the escaping inline this one was 6.7 KB, and
// optimising it was a quarter of the background compilation of a fresh page's first send
// burst (docs/performance.md, session 44).
func AppendQuoted[T string | []byte](b []byte, s T, wtf8 bool) []byte {
	i := 0
	if len(s) >= 8 {
		i = PlainEnd(s, 0, false)
	} else {
		// A short string is read sooner here than through a call.
		for i < len(s) && s[i] >= 0x20 && s[i] != '"' && s[i] != '\\' && s[i] < utf8.RuneSelf {
			i++
		}
	}
	if i < len(s) {
		return appendEscaped(append(b, '"'), s, i, wtf8)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// shortEscapes holds, for each character JSON.stringify writes as a backslash and a letter,
// that letter; it writes the other control characters as \u00XX.
var shortEscapes = [...]byte{'"': '"', '\\': '\\', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't'}

// appendEscaped is AppendQuoted's text from its first byte that is not plain ASCII (at i),
// after the opening quote.
func appendEscaped[T string | []byte](b []byte, s T, i int, wtf8 bool) []byte {
	start := 0
	for i < len(s) {
		c := s[i]
		if c >= utf8.RuneSelf {
			if wtf8 && c == 0xed && i+2 < len(s) && s[i+1] >= 0xa0 && s[i+1] <= 0xbf && s[i+2] >= 0x80 && s[i+2] <= 0xbf {
				r := rune(c&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
				b = append(b, s[start:i]...)
				b = AppendHexByte(AppendHexByte(append(b, '\\', 'u'), byte(r>>8)), byte(r))
				i += 3
				start = i
			} else if r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))])); r == utf8.RuneError && size == 1 {
				// At most four bytes, converted without a copy to the heap.
				b = append(b, s[start:i]...)
				b = append(b, "\ufffd"...)
				i++
				start = i
			} else {
				i += size
			}
		} else {
			b = append(b, s[start:i]...)
			if int(c) < len(shortEscapes) && shortEscapes[c] != 0 {
				b = append(b, '\\', shortEscapes[c])
			} else {
				b = AppendHexByte(append(b, '\\', 'u', '0', '0'), c)
			}
			i++
			start = i
		}
		if i < len(s) {
			i = PlainEnd(s, i, false)
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendInt is strconv.AppendInt(b, n, 10), in one call for the integers below a billion
// that a message mostly holds (its type, an invocation's key, a small argument): strconv's
// is three calls in wasm, a twentieth of a send's instructions under V8's baseline tier.
func AppendInt(b []byte, n int64) []byte {
	if n < 0 || n >= 1e9 {
		return strconv.AppendInt(b, n, 10)
	}
	if n < 10 {
		return append(b, '0'+byte(n))
	}
	if n < 100 {
		return append(b, '0'+byte(n/10), '0'+byte(n%10))
	}
	// In 32 bits, where a division by ten is a multiplication that wasm has.
	var digits [9]byte
	i := len(digits)
	for u := uint32(n); u > 0; u /= 10 {
		i--
		digits[i] = '0' + byte(u%10)
	}
	return append(b, digits[i:]...)
}

// AppendHexByte writes c as two lower-case hex digits, as JSON.stringify writes them in
// \u escapes.
func AppendHexByte(b []byte, c byte) []byte {
	const digits = "0123456789abcdef"
	return append(b, digits[c>>4], digits[c&15])
}

// PlainEnd returns the index of the first byte of s from i on that a JSON string cannot hold
// as it is (a quote, a backslash, a control character) or that is not ASCII, unless nonASCII
// allows those; len(s) when there is none. It reads eight bytes at a time: in the browser a
// few comparisons per byte were most of what reading or writing a string cost.
func PlainEnd[T string | []byte](s T, i int, nonASCII bool) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	flagHigh := uint64(highs)
	if nonASCII {
		flagHigh = 0
	}
	for ; len(s)-i >= 8; i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		quote, backslash := x^(ones*'"'), x^(ones*'\\')
		// A borrow can flag a byte above one found, never below: the lowest flag is the first.
		if found := ((quote-ones)&^quote | (backslash-ones)&^backslash | (x-ones*0x20)&^x | x&flagHigh) & highs; found != 0 {
			return i + bits.TrailingZeros64(found)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf && !nonASCII {
			return i
		}
	}
	return i
}

// MaxSafeInteger is Number.MAX_SAFE_INTEGER, the largest integer up to which every integer
// is a double.
const MaxSafeInteger = 1<<53 - 1

// SafeInteger reads a JSON number token written as an integer (no fraction, no exponent) of
// at most 16 digits, up to MaxSafeInteger: the double strconv.ParseFloat gives for it is
// exactly that integer, read here without ParseFloat's general path (about a microsecond
// per number in wasm).
func SafeInteger(token []byte) (int64, bool) {
	digits := token
	if len(token) > 0 && token[0] == '-' {
		digits = token[1:]
	}
	if len(digits) == 0 || len(digits) > 16 {
		return 0, false
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if n > MaxSafeInteger {
		return 0, false
	}
	if token[0] == '-' {
		n = -n
	}
	return n, true
}

// ScanNumber returns the end of the JSON number at b[i], or -1 (JSON's grammar:
// -? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?).
func ScanNumber(b []byte, i int) int {
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	default:
		if i = scanDigits(b, i); i < 0 {
			return -1
		}
	}
	if i < len(b) && b[i] == '.' {
		if i = scanDigits(b, i+1); i < 0 {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i = scanDigits(b, i); i < 0 {
			return -1
		}
	}
	return i
}

// scanDigits returns the end of the digits at b[i], or -1 when there are none.
func scanDigits(b []byte, i int) int {
	start := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// AppendUnquoted appends the text of the JSON string whose opening quote is at b[i] and
// returns the index after its closing quote, or -1. Bytes that are not UTF-8 become U+FFFD,
// and so does a lone surrogate escape (as encoding/json, and a JS string's UTF-8, make it),
// unless wtf8: then it becomes the three bytes @msgpack/msgpack's UTF-8 encoder writes for it.
func AppendUnquoted(dst, b []byte, i int, wtf8 bool) ([]byte, int) {
	for i++; i < len(b); {
		c := b[i]
		switch {
		case c == '"':
			return dst, i + 1
		case c < 0x20:
			return dst, -1
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(b[i:])
			dst = utf8.AppendRune(dst, r)
			i += size
			continue
		case c != '\\':
			end := PlainEnd(b, i, false)
			dst = append(dst, b[i:end]...)
			i = end
			continue
		}
		if i+1 >= len(b) {
			return dst, -1
		}
		esc := b[i+1]
		i += 2
		switch esc {
		case '"', '\\', '/':
			dst = append(dst, esc)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(b, i)
			if !ok {
				return dst, -1
			}
			i += 4
			if utf16.IsSurrogate(r) && r < 0xdc00 && i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
				if low, ok := hex4(b, i+2); ok && low >= 0xdc00 && low <= 0xdfff {
					dst = utf8.AppendRune(dst, utf16.DecodeRune(r, low))
					i += 6
					continue
				}
			}
			if utf16.IsSurrogate(r) && wtf8 {
				dst = append(dst, byte(0xe0|r>>12), byte(0x80|(r>>6)&0x3f), byte(0x80|r&0x3f))
				continue
			}
			dst = utf8.AppendRune(dst, r) // U+FFFD for a surrogate
		default:
			return dst, -1
		}
	}
	return dst, -1
}

// hex4 reads the four hex digits of a \u escape at b[i].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		d, ok := HexDigit(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// HexDigit is the value of the hex digit c, either case.
func HexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
