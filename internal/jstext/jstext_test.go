package jstext

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// quotedByRune is what AppendQuoted must write, one character at a time: JSON.stringify's
// escapes, U+FFFD for each byte that is not UTF-8, and with wtf8 a lone surrogate's three
// bytes as its \u escape.
func quotedByRune(s []byte, wtf8 bool) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		if wtf8 && i+2 < len(s) && s[i] == 0xed && s[i+1] >= 0xa0 && s[i+1] <= 0xbf && s[i+2] >= 0x80 && s[i+2] <= 0xbf {
			r := rune(s[i]&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			b.WriteString(`\u` + string(AppendHexByte(AppendHexByte(nil, byte(r>>8)), byte(r))))
			i += 3
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			b.WriteString(`\u00` + string(AppendHexByte(nil, byte(r))))
		default:
			b.WriteRune(r) // U+FFFD for a byte that is not UTF-8
		}
	}
	b.WriteByte('"')
	return b.String()
}

// AppendQuoted, which skips eight plain bytes at a time, writes what a character-by-character
// quoting does, wherever in the string the bytes that need a look fall; and
// AppendUnquoted reads it back.
func FuzzAppendQuoted(f *testing.F) {
	f.Add([]byte("hello, this is a chat message of ordinary length"), false)
	f.Add([]byte("0123456\"89abcdef\\ghijklmn\x01opqrstu\x7fvwxyz"), false)
	f.Add([]byte("abcdefg\xed\xa0\x80hijklmno\xff\xfe"), true)
	f.Add([]byte("abcdefgé漢字🙂 and then eight more"), true)
	f.Fuzz(func(t *testing.T, s []byte, wtf8 bool) {
		want := quotedByRune(s, wtf8)
		if got := string(AppendQuoted([]byte("x"), s, wtf8)); got != "x"+want {
			t.Fatalf("AppendQuoted(%q, %v) = %q, want x%q", s, wtf8, got, want)
		}
		if got := string(AppendQuoted(nil, string(s), wtf8)); got != want {
			t.Fatalf("AppendQuoted(string %q, %v) = %q, want %q", s, wtf8, got, want)
		}
		if utf8.Valid(s) {
			back, end := AppendUnquoted(nil, []byte(want), 0, false)
			if end != len(want) || string(back) != string(s) {
				t.Fatalf("AppendUnquoted(%q) = %q, %d; want %q, %d", want, back, end, s, len(want))
			}
		}
		for _, nonASCII := range []bool{false, true} {
			for i := 0; i <= len(s); i++ {
				want := i
				for want < len(s) && s[want] >= 0x20 && s[want] != '"' && s[want] != '\\' && (nonASCII || s[want] < utf8.RuneSelf) {
					want++
				}
				if got := PlainEnd(s, i, nonASCII); got != want {
					t.Fatalf("PlainEnd(%q, %d, %v) = %d, want %d", s, i, nonASCII, got, want)
				}
			}
		}
	})
}

func TestAppendIntIsStrconvs(t *testing.T) {
	values := []int64{math.MinInt64, -1e9, -10, -1, 1e9 - 1, 1e9, 1e9 + 1, 1e18, math.MaxInt64}
	for n := int64(0); n < 100000; n++ {
		values = append(values, n)
	}
	for p := int64(1); p < 1e10; p *= 10 {
		values = append(values, p-1, p, p+1, 7*p+3)
	}
	for _, n := range values {
		if got, want := string(AppendInt([]byte("x"), n)), "x"+strconv.FormatInt(n, 10); got != want {
			t.Fatalf("AppendInt(%d) = %q, want %q", n, got, want)
		}
	}
}
