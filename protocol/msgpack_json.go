package protocol

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
)

// The browser bridge moves MessagePack values across the JS/Go boundary as one JSON string,
// which the browser's own JSON.stringify and JSON.parse make and read, and transcodes it here.
// JSON cannot carry every MessagePack value, so a few are tagged: an object whose only key
// starts with U+0000 stands for
//
//	{"\u0000b": "<base64>"}           bin (a Uint8Array in JS)
//	{"\u0000d": <milliseconds>}       the timestamp extension (a Date)
//	{"\u0000n": "NaN" | "Infinity" | "-Infinity"}
//	{"\u0000e": "<type>:<base64>"}    any other extension
//
// The page side's replacer and reviver (web/src/values.js) make and read the tags.
const (
	tagBin   = 'b'
	tagDate  = 'd'
	tagFloat = 'n'
	tagExt   = 'e'
)

// jsNaN is the NaN JS engines write (math.NaN() has another payload).
var jsNaN = math.Float64frombits(0x7ff8000000000000)

// maxSafeInteger is Number.MAX_SAFE_INTEGER: @msgpack/msgpack writes integers up to it as
// integers and every other number as a float64.
const maxSafeInteger = 1<<53 - 1

// MsgpackToJSON appends the tagged JSON text of one MessagePack value to dst; tagged tells
// whether a tag is in it (the page then needs its reviver).
func MsgpackToJSON(dst []byte, raw Raw) (out []byte, tagged bool, err error) {
	r := &mpReader{buf: raw}
	t := &toJSON{out: dst}
	if err := t.value(r); err != nil {
		return dst, false, err
	}
	return t.out, t.tagged, r.end()
}

type toJSON struct {
	out    []byte
	tagged bool
}

func (t *toJSON) tag(kind byte) {
	t.tagged = true
	t.out = append(t.out, `{"\u0000`...)
	t.out = append(t.out, kind, '"', ':')
}

func (t *toJSON) value(r *mpReader) error {
	v, err := r.next()
	if err != nil {
		return err
	}
	switch v.kind {
	case mpNil:
		t.out = append(t.out, "null"...)
	case mpBool:
		t.out = strconv.AppendBool(t.out, v.b)
	case mpInt:
		t.out = strconv.AppendInt(t.out, v.n, 10)
	case mpUint:
		t.out = strconv.AppendUint(t.out, v.u, 10)
	case mpFloat:
		t.float(v.f)
	case mpStr:
		t.out = appendMsgpackString(t.out, v.data)
	case mpBin:
		t.tag(tagBin)
		t.base64(v.data)
		t.out = append(t.out, '}')
	case mpExt:
		return t.ext(v)
	case mpArray:
		t.out = append(t.out, '[')
		for i := int64(0); i < v.n; i++ {
			if i > 0 {
				t.out = append(t.out, ',')
			}
			if err := t.value(r); err != nil {
				return err
			}
		}
		t.out = append(t.out, ']')
	case mpMap:
		t.out = append(t.out, '{')
		for i := int64(0); i < v.n; i++ {
			if i > 0 {
				t.out = append(t.out, ',')
			}
			if err := t.key(r); err != nil {
				return err
			}
			t.out = append(t.out, ':')
			if err := t.value(r); err != nil {
				return err
			}
		}
		t.out = append(t.out, '}')
	}
	return nil
}

// key writes a map key as JS makes it a property name: numbers by their String().
func (t *toJSON) key(r *mpReader) error {
	k, err := r.key()
	if err != nil {
		return err
	}
	if k.kind == mpStr {
		t.out = appendMsgpackString(t.out, k.data)
	} else {
		f, _ := k.number()
		t.out = appendJSString(t.out, jsNumberText(f))
	}
	return nil
}

func (t *toJSON) float(f float64) {
	switch {
	case math.IsNaN(f):
		t.tag(tagFloat)
		t.out = append(t.out, `"NaN"}`...)
	case math.IsInf(f, 1):
		t.tag(tagFloat)
		t.out = append(t.out, `"Infinity"}`...)
	case math.IsInf(f, -1):
		t.tag(tagFloat)
		t.out = append(t.out, `"-Infinity"}`...)
	default:
		t.out = strconv.AppendFloat(t.out, f, 'g', -1, 64)
	}
}

func (t *toJSON) base64(data []byte) {
	t.out = append(t.out, '"')
	t.out = base64.StdEncoding.AppendEncode(t.out, data)
	t.out = append(t.out, '"')
}

// ext writes the timestamp extension as a Date's milliseconds, computed as @msgpack/msgpack
// computes them, and any other extension as its type and bytes.
func (t *toJSON) ext(v mpValue) error {
	if v.n != -1 {
		t.tag(tagExt)
		t.out = append(t.out, '"')
		t.out = strconv.AppendInt(t.out, v.n, 10)
		t.out = append(t.out, ':')
		t.out = base64.StdEncoding.AppendEncode(t.out, v.data)
		t.out = append(t.out, '"', '}')
		return nil
	}
	var sec, nsec float64
	d := v.data
	switch len(d) {
	case 4:
		sec = float64(binary.BigEndian.Uint32(d))
	case 8:
		hi := binary.BigEndian.Uint32(d)
		sec = float64(hi&3)*0x100000000 + float64(binary.BigEndian.Uint32(d[4:]))
		nsec = float64(hi >> 2)
	case 12:
		nsec = float64(binary.BigEndian.Uint32(d))
		sec = float64(int64(binary.BigEndian.Uint64(d[4:])))
	default:
		return timestampSizeError(len(d))
	}
	t.tag(tagDate)
	t.float(sec*1e3 + nsec/1e6)
	t.out = append(t.out, '}')
	return nil
}

// JSONToMsgpack appends the MessagePack of a tagged JSON text (JSON.stringify's output with
// the page's replacer) to dst, with @msgpack/msgpack's choice of encodings.
func JSONToMsgpack(dst []byte, text []byte) ([]byte, error) {
	counts, err := countMembers(text)
	if err != nil {
		return dst, err
	}
	buf := bytes.NewBuffer(dst)
	f := &fromJSON{text: text, counts: counts, enc: msgpack.NewEncoder(buf), buf: buf}
	// A message's arguments, item or result sit at depth 2 of its array, where
	// @msgpack/msgpack starts counting toward its limit.
	if err := f.value(2); err != nil {
		return dst, err
	}
	if f.pos != len(text) {
		return dst, f.syntaxError()
	}
	return buf.Bytes(), nil
}

type fromJSON struct {
	text   []byte
	pos    int
	counts []int // members of each array and object, in the order they open
	next   int
	enc    *msgpack.Encoder
	buf    *bytes.Buffer
}

func (f *fromJSON) syntaxError() error {
	return fmt.Errorf("invalid JSON at offset %d", f.pos)
}

// countMembers is the first pass: MessagePack writes a container's length before its
// members, JSON says it only at the end.
func countMembers(text []byte) ([]int, error) {
	var counts, open []int
	empty := false
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '"':
			for i++; i < len(text) && text[i] != '"'; i++ {
				if text[i] == '\\' {
					i++
				}
			}
			empty = false
		case '[', '{':
			open = append(open, len(counts))
			counts = append(counts, 1)
			empty = true
		case ']', '}':
			if len(open) == 0 {
				return nil, fmt.Errorf("invalid JSON at offset %d", i)
			}
			if empty {
				counts[open[len(open)-1]] = 0
			}
			open = open[:len(open)-1]
			empty = false
		case ',':
			if len(open) == 0 {
				return nil, fmt.Errorf("invalid JSON at offset %d", i)
			}
			counts[open[len(open)-1]]++
		case ' ', '\t', '\n', '\r':
		default:
			empty = false
		}
	}
	if len(open) != 0 {
		return nil, fmt.Errorf("invalid JSON at offset %d", len(text))
	}
	return counts, nil
}

func (f *fromJSON) count() int {
	n := f.counts[f.next]
	f.next++
	return n
}

func (f *fromJSON) skipSpace() {
	for f.pos < len(f.text) {
		switch f.text[f.pos] {
		case ' ', '\t', '\n', '\r':
			f.pos++
		default:
			return
		}
	}
}

func (f *fromJSON) expect(c byte) error {
	f.skipSpace()
	if f.pos >= len(f.text) || f.text[f.pos] != c {
		return f.syntaxError()
	}
	f.pos++
	return nil
}

// maxDepth is @msgpack/msgpack's default limit on nesting.
const maxDepth = 100

// ErrTooDeep is @msgpack/msgpack's error past maxDepth, which is also what it reports for a
// cycle.
var ErrTooDeep = fmt.Errorf("Too deep objects in depth %d", maxDepth+1)

func (f *fromJSON) value(depth int) error {
	if depth > maxDepth {
		return ErrTooDeep
	}
	f.skipSpace()
	if f.pos >= len(f.text) {
		return f.syntaxError()
	}
	switch c := f.text[f.pos]; {
	case c == '{':
		if kind, ok := f.tagKind(); ok {
			return f.tagged(kind)
		}
		f.pos++
		n := f.count()
		if err := f.enc.EncodeMapLen(n); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if i > 0 {
				if err := f.expect(','); err != nil {
					return err
				}
			}
			f.skipSpace()
			key, err := f.str()
			if err != nil {
				return err
			}
			if err := f.enc.EncodeString(key); err != nil {
				return err
			}
			if err := f.expect(':'); err != nil {
				return err
			}
			if err := f.value(depth + 1); err != nil {
				return err
			}
		}
		return f.expect('}')
	case c == '[':
		f.pos++
		n := f.count()
		if err := f.enc.EncodeArrayLen(n); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if i > 0 {
				if err := f.expect(','); err != nil {
					return err
				}
			}
			if err := f.value(depth + 1); err != nil {
				return err
			}
		}
		return f.expect(']')
	case c == '"':
		s, err := f.str()
		if err != nil {
			return err
		}
		return f.enc.EncodeString(s)
	case c == 't' && bytes.HasPrefix(f.text[f.pos:], []byte("true")):
		f.pos += 4
		return f.enc.EncodeBool(true)
	case c == 'f' && bytes.HasPrefix(f.text[f.pos:], []byte("false")):
		f.pos += 5
		return f.enc.EncodeBool(false)
	case c == 'n' && bytes.HasPrefix(f.text[f.pos:], []byte("null")):
		f.pos += 4
		return f.enc.EncodeNil()
	case c == '-' || c >= '0' && c <= '9':
		n, err := f.float()
		if err != nil {
			return err
		}
		return f.number(n)
	}
	return f.syntaxError()
}

// float reads a JSON number (JSON's grammar, scanNumber's).
func (f *fromJSON) float() (float64, error) {
	if f.pos >= len(f.text) {
		return 0, f.syntaxError()
	}
	end := scanNumber(f.text, f.pos)
	if end < 0 {
		return 0, f.syntaxError()
	}
	n, err := strconv.ParseFloat(string(f.text[f.pos:end]), 64)
	if err != nil {
		return 0, f.syntaxError()
	}
	f.pos = end
	return n, nil
}

func (f *fromJSON) number(n float64) error {
	if n == math.Trunc(n) && math.Abs(n) <= maxSafeInteger {
		return f.enc.EncodeInt(int64(n))
	}
	return f.enc.EncodeFloat64(n)
}

// tagKind recognises a tag object: {"\u0000X": ...}.
func (f *fromJSON) tagKind() (byte, bool) {
	const prefix = `{"\u0000`
	rest := f.text[f.pos:]
	if len(rest) < len(prefix)+3 || string(rest[:len(prefix)]) != prefix || rest[len(prefix)+1] != '"' || rest[len(prefix)+2] != ':' {
		return 0, false
	}
	return rest[len(prefix)], true
}

func (f *fromJSON) tagged(kind byte) error {
	f.pos += len(`{"\u0000`) + 3
	f.next++ // the tag's object was counted
	f.skipSpace()
	var err error
	switch kind {
	case tagDate:
		var ms float64
		if ms, err = f.float(); err == nil {
			err = f.date(ms)
		}
	case tagFloat:
		var s string
		if s, err = f.str(); err == nil {
			switch s {
			case "NaN":
				err = f.enc.EncodeFloat64(jsNaN)
			case "Infinity":
				err = f.enc.EncodeFloat64(math.Inf(1))
			case "-Infinity":
				err = f.enc.EncodeFloat64(math.Inf(-1))
			default:
				err = f.syntaxError()
			}
		}
	case tagBin:
		var s string
		if s, err = f.str(); err == nil {
			var b []byte
			if b, err = base64.StdEncoding.DecodeString(s); err == nil {
				err = f.enc.EncodeBytes(b)
			}
		}
	case tagExt:
		var s string
		if s, err = f.str(); err == nil {
			typ, data, _ := strings.Cut(s, ":")
			var t int64
			var b []byte
			if t, err = strconv.ParseInt(typ, 10, 8); err == nil {
				if b, err = base64.StdEncoding.DecodeString(data); err == nil {
					if err = f.enc.EncodeExtHeader(int8(t), len(b)); err == nil {
						_, err = f.buf.Write(b)
					}
				}
			}
		}
	default:
		return f.syntaxError()
	}
	if err != nil {
		return err
	}
	return f.expect('}')
}

// date writes a Date as @msgpack/msgpack's timestamp extension: the smallest of its three
// forms that holds the time.
func (f *fromJSON) date(ms float64) error {
	sec := math.Floor(ms / 1e3)
	nsec := (ms - sec*1e3) * 1e6
	carry := math.Floor(nsec / 1e9)
	sec, nsec = sec+carry, nsec-carry*1e9
	var data []byte
	switch {
	case sec >= 0 && nsec >= 0 && sec <= 0x3ffffffff && nsec == 0 && sec <= 0xffffffff:
		data = binary.BigEndian.AppendUint32(nil, uint32(sec))
	case sec >= 0 && nsec >= 0 && sec <= 0x3ffffffff:
		s := uint64(sec)
		data = binary.BigEndian.AppendUint32(nil, uint32(nsec)<<2|uint32(s>>32&3))
		data = binary.BigEndian.AppendUint32(data, uint32(s))
	default:
		data = binary.BigEndian.AppendUint32(nil, uint32(nsec))
		data = binary.BigEndian.AppendUint64(data, uint64(int64(sec)))
	}
	if err := f.enc.EncodeExtHeader(-1, len(data)); err != nil {
		return err
	}
	_, err := f.buf.Write(data)
	return err
}

// str reads a JSON string. A lone surrogate (JSON.stringify writes it as \udxxx) becomes the
// three bytes @msgpack/msgpack's UTF-8 encoder gives it.
func (f *fromJSON) str() (string, error) {
	if f.pos >= len(f.text) || f.text[f.pos] != '"' {
		return "", f.syntaxError()
	}
	f.pos++
	start := f.pos
	for f.pos < len(f.text) && f.text[f.pos] != '"' && f.text[f.pos] != '\\' {
		f.pos++
	}
	if f.pos < len(f.text) && f.text[f.pos] == '"' {
		s := string(f.text[start:f.pos])
		f.pos++
		return s, nil
	}
	b := append([]byte(nil), f.text[start:f.pos]...)
	for f.pos < len(f.text) {
		c := f.text[f.pos]
		switch {
		case c == '"':
			f.pos++
			return string(b), nil
		case c != '\\':
			b = append(b, c)
			f.pos++
			continue
		}
		if f.pos+1 >= len(f.text) {
			return "", f.syntaxError()
		}
		esc := f.text[f.pos+1]
		f.pos += 2
		switch esc {
		case '"', '\\', '/':
			b = append(b, esc)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := f.hex4()
			if !ok {
				return "", f.syntaxError()
			}
			if utf16.IsSurrogate(r) && r < 0xdc00 && f.pos+6 <= len(f.text) && f.text[f.pos] == '\\' && f.text[f.pos+1] == 'u' {
				save := f.pos
				f.pos += 2
				if low, ok := f.hex4(); ok && low >= 0xdc00 && low <= 0xdfff {
					b = utf8.AppendRune(b, utf16.DecodeRune(r, low))
					continue
				}
				f.pos = save
			}
			if utf16.IsSurrogate(r) {
				b = append(b, byte(0xe0|r>>12), byte(0x80|(r>>6)&0x3f), byte(0x80|r&0x3f))
				continue
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", f.syntaxError()
		}
	}
	return "", f.syntaxError()
}

func (f *fromJSON) hex4() (rune, bool) {
	if f.pos+4 > len(f.text) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(f.text[f.pos:f.pos+4]), 16, 16)
	if err != nil {
		return 0, false
	}
	f.pos += 4
	return rune(n), true
}

// appendMsgpackString quotes a MessagePack string for JSON.parse. A UTF-16 surrogate encoded
// on its own (three bytes from 0xED 0xA0) is what @msgpack/msgpack writes for a lone
// surrogate and reads back as one: it goes across as its \u escape.
func appendMsgpackString(b []byte, s []byte) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i+2 < len(s); i++ {
		if s[i] == 0xed && s[i+1] >= 0xa0 && s[i+1] <= 0xbf && s[i+2] >= 0x80 && s[i+2] <= 0xbf {
			b = appendJSStringBody(b, string(s[start:i]))
			r := rune(s[i]&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			b = fmt.Appendf(b, "\\u%04x", r)
			i += 2
			start = i + 1
		}
	}
	b = appendJSStringBody(b, string(s[start:]))
	return append(b, '"')
}
