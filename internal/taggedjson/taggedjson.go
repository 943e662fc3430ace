// Package taggedjson is the browser bridge's transcoder for MessagePack values. The bridge
// (jsapi) moves a value across the JS/Go boundary as one JSON string, which the browser's own
// JSON.stringify and JSON.parse make and read, and transcodes it here. JSON cannot carry
// every MessagePack value, so a few are tagged: an object whose only key starts with U+0000
// stands for
//
//	{"\u0000b": "<base64>"}           bin (a Uint8Array in JS)
//	{"\u0000d": <milliseconds>}       the timestamp extension (a Date)
//	{"\u0000n": "NaN" | "Infinity" | "-Infinity"}
//	{"\u0000e": "<type>:<base64>"}    any other extension
//
// The page side's replacer and reviver (web/src/values.js) make and read the tags. The
// package is not browser code itself, so that its tests and fuzz targets run natively.
package taggedjson

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
	"github.com/signalr-wasm/signalr-wasm/internal/msgpack"
)

const (
	tagBin   = 'b'
	tagDate  = 'd'
	tagFloat = 'n'
	tagExt   = 'e'
)

// jsNaN is the NaN JS engines write (math.NaN() has another payload).
var jsNaN = math.Float64frombits(0x7ff8000000000000)

// FromMsgpack appends the tagged JSON text of one MessagePack value to dst; tagged tells
// whether a tag is in it (the page then needs its reviver).
func FromMsgpack(dst []byte, raw []byte) (out []byte, tagged bool, err error) {
	if dst == nil {
		// Most values' JSON is at most half as long again as their MessagePack.
		dst = make([]byte, 0, len(raw)+len(raw)/2+8)
	}
	r := msgpack.NewReader(raw)
	t := &toJSON{out: dst}
	if err := t.value(&r); err != nil {
		return dst, false, err
	}
	return t.out, t.tagged, r.End()
}

type toJSON struct {
	out    []byte
	tagged bool
	v      msgpack.Value // the header being written (msgpack.Reader.Read says why one)
}

func (t *toJSON) tag(kind byte) {
	t.tagged = true
	t.out = append(t.out, `{"\u0000`...)
	t.out = append(t.out, kind, '"', ':')
}

func (t *toJSON) value(r *msgpack.Reader) error {
	v := &t.v // what value needs of it is read before a value inside is read into it
	if err := r.Read(v); err != nil {
		return err
	}
	switch v.Kind {
	case msgpack.Nil:
		t.out = append(t.out, "null"...)
	case msgpack.Bool:
		t.out = strconv.AppendBool(t.out, v.B)
	case msgpack.Int:
		t.out = jstext.AppendInt(t.out, v.N)
	case msgpack.Uint:
		if v.U <= math.MaxInt64 {
			t.out = jstext.AppendInt(t.out, int64(v.U))
		} else {
			t.out = strconv.AppendUint(t.out, v.U, 10)
		}
	case msgpack.Float:
		t.float(v.F)
	case msgpack.Str:
		t.out = jstext.AppendQuoted(t.out, v.Data, true)
	case msgpack.Bin:
		t.tag(tagBin)
		t.base64(v.Data)
		t.out = append(t.out, '}')
	case msgpack.Ext:
		return t.ext(v)
	case msgpack.Array:
		t.out = append(t.out, '[')
		for i, n := int64(0), v.N; i < n; i++ {
			if i > 0 {
				t.out = append(t.out, ',')
			}
			if err := t.value(r); err != nil {
				return err
			}
		}
		t.out = append(t.out, ']')
	case msgpack.Map:
		t.out = append(t.out, '{')
		for i, n := int64(0), v.N; i < n; i++ {
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
func (t *toJSON) key(r *msgpack.Reader) error {
	k := &t.v
	if err := r.ReadKey(k); err != nil {
		return err
	}
	if k.Kind == msgpack.Str {
		t.out = jstext.AppendQuoted(t.out, k.Data, true)
	} else {
		f, _ := k.Number()
		t.out = jstext.AppendString(t.out, jstext.NumberText(f))
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
	t.out = appendBase64(t.out, data)
	t.out = append(t.out, '"')
}

// ext writes the timestamp extension as a Date's milliseconds, computed as @msgpack/msgpack
// computes them, and any other extension as its type and bytes.
func (t *toJSON) ext(v *msgpack.Value) error {
	if v.N != -1 {
		t.tag(tagExt)
		t.out = append(t.out, '"')
		t.out = strconv.AppendInt(t.out, v.N, 10)
		t.out = append(t.out, ':')
		t.out = appendBase64(t.out, v.Data)
		t.out = append(t.out, '"', '}')
		return nil
	}
	var sec, nsec float64
	d := v.Data
	switch len(d) {
	case 4:
		sec = float64(msgpack.BE32(d))
	case 8:
		hi := msgpack.BE32(d)
		sec = float64(hi&3)*0x100000000 + float64(msgpack.BE32(d[4:]))
		nsec = float64(hi >> 2)
	case 12:
		nsec = float64(msgpack.BE32(d))
		sec = float64(int64(msgpack.BE64(d[4:])))
	default:
		return msgpack.TimestampSizeError(len(d))
	}
	t.tag(tagDate)
	t.float(sec*1e3 + nsec/1e6)
	t.out = append(t.out, '}')
	return nil
}

// ToMsgpack appends the MessagePack of a tagged JSON text (JSON.stringify's output with
// the page's replacer) to dst, with @msgpack/msgpack's choice of encodings.
func ToMsgpack(dst []byte, text []byte) ([]byte, error) {
	var t Transcoder
	return t.ToMsgpack(dst, text)
}

// Transcoder is ToMsgpack keeping its scratch between calls: it holds an escaped string's
// text while it is written, and a new one per value was two allocations of each call whose
// arguments had a string (a burst of sends transcodes thousands of argument arrays). Not for
// concurrent use; the zero value is ready.
type Transcoder struct {
	scratch []byte
}

// maxKeptScratch is the most a Transcoder keeps between calls: a long string should not
// hold its memory for the page's life.
const maxKeptScratch = 64 << 10

// ToMsgpack is the package's ToMsgpack. text is only read.
func (t *Transcoder) ToMsgpack(dst []byte, text []byte) ([]byte, error) {
	// The MessagePack is never longer than the JSON but for a few bytes: made at once, not
	// grown by append.
	if dst == nil {
		dst = make([]byte, 0, len(text)+8)
	}
	f := &fromJSON{text: text, out: dst, scratch: t.scratch[:0]}
	// A message's arguments, item or result sit at depth 2 of its array, where
	// @msgpack/msgpack starts counting toward its limit.
	err := f.value(2)
	if cap(f.scratch) <= maxKeptScratch {
		t.scratch = f.scratch
	}
	if err != nil {
		return dst, err
	}
	if f.pos != len(text) {
		return dst, f.syntaxError()
	}
	return f.out, nil
}

type fromJSON struct {
	text    []byte
	pos     int
	out     []byte
	scratch []byte // a string's text, reused
}

func (f *fromJSON) syntaxError() error { return syntaxErrorAt(f.pos) }

func syntaxErrorAt(offset int) error {
	return errors.New("invalid JSON at offset " + strconv.Itoa(offset))
}

// A container's MessagePack header, its length, comes before its members, while JSON tells
// how many there are only at their end: the header is written as the one byte a container of
// up to 15 members takes, and written again once they are read (closeContainer). That one
// pass replaced a first pass that counted every container's members, a fifth of a small
// array's transcode under V8's baseline tier.

// closeContainer writes the header of the map or array of n members whose header byte, as
// openContainer wrote it, is at out[at]. A header longer than a byte moves the members after
// it.
func (f *fromJSON) closeContainer(at, n int, isMap bool) {
	if n < 16 {
		f.out[at] |= byte(n) // a fixmap's or fixarray's length, in the byte of one of none
		return
	}
	var room [5]byte
	header := appendHeader(room[:0], n, isMap)
	end := len(f.out)
	f.out = append(f.out, header[1:]...)
	copy(f.out[at+len(header):], f.out[at+1:end])
	copy(f.out[at:], header)
}

func appendHeader(b []byte, n int, isMap bool) []byte {
	if isMap {
		return msgpack.AppendMapLen(b, n)
	}
	return msgpack.AppendArrayLen(b, n)
}

// more reads what follows a member: true after a comma, false at anything else.
func (f *fromJSON) more() bool {
	f.skipSpace()
	if f.pos < len(f.text) && f.text[f.pos] == ',' {
		f.pos++
		return true
	}
	return false
}

// openContainer reads the bracket that opens a map or an array, writes its header as one of
// no members (a fixmap's or fixarray's byte, written here: msgpack's writer for it would be
// two calls a container), and reads its end if it has none (empty).
func (f *fromJSON) openContainer(end byte, isMap bool) (at int, empty bool) {
	f.pos++
	at = len(f.out)
	none := byte(0x90)
	if isMap {
		none = 0x80
	}
	f.out = append(f.out, none)
	f.skipSpace()
	if f.pos < len(f.text) && f.text[f.pos] == end {
		f.pos++
		return at, true
	}
	return at, false
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
var ErrTooDeep = errors.New("Too deep objects in depth " + strconv.Itoa(maxDepth+1))

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
		at, empty := f.openContainer('}', true)
		if empty {
			return nil
		}
		n := 0
		for more := true; more; more = f.more() {
			f.skipSpace()
			if err := f.str(); err != nil {
				return err
			}
			if err := f.expect(':'); err != nil {
				return err
			}
			if err := f.value(depth + 1); err != nil {
				return err
			}
			n++
		}
		f.closeContainer(at, n, true)
		return f.expect('}')
	case c == '[':
		at, empty := f.openContainer(']', false)
		if empty {
			return nil
		}
		n := 0
		for more := true; more; more = f.more() {
			if err := f.value(depth + 1); err != nil {
				return err
			}
			n++
		}
		f.closeContainer(at, n, false)
		return f.expect(']')
	case c == '"':
		return f.str()
	case c == 't' && bytes.HasPrefix(f.text[f.pos:], []byte("true")):
		f.pos += 4
		f.out = msgpack.AppendBool(f.out, true)
	case c == 'f' && bytes.HasPrefix(f.text[f.pos:], []byte("false")):
		f.pos += 5
		f.out = msgpack.AppendBool(f.out, false)
	case c == 'n' && bytes.HasPrefix(f.text[f.pos:], []byte("null")):
		f.pos += 4
		f.out = msgpack.AppendNil(f.out)
	case c == '-' || c >= '0' && c <= '9':
		return f.number()
	default:
		return f.syntaxError()
	}
	return nil
}

// float reads a JSON number (JSON's grammar, jstext.ScanNumber's).
func (f *fromJSON) float() (float64, error) {
	if f.pos >= len(f.text) {
		return 0, f.syntaxError()
	}
	end := jstext.ScanNumber(f.text, f.pos)
	if end < 0 {
		return 0, f.syntaxError()
	}
	n, _ := jstext.ParseNumber(f.text[f.pos:end])
	f.pos = end
	return n, nil
}

// number writes a JSON number as @msgpack/msgpack writes the double JSON.parse makes of it:
// an integer up to Number.MAX_SAFE_INTEGER as an integer, any other number as a float64.
// Most numbers pages send are small integers, read here without ParseFloat (a send burst's
// transcode spent most of its time there).
func (f *fromJSON) number() error {
	// An integer of at most 15 digits (below 2⁵³) without a fraction or an exponent, in one
	// reading of its digits: ScanNumber, then SafeInteger, read them twice.
	i := f.pos
	if f.text[i] == '-' {
		i++
	}
	start := i
	var n int64
	for ; i < len(f.text) && i-start < 16 && f.text[i] >= '0' && f.text[i] <= '9'; i++ {
		n = n*10 + int64(f.text[i]-'0')
	}
	if digits := i - start; digits > 0 && digits < 16 && (digits == 1 || f.text[start] != '0') &&
		(i == len(f.text) || f.text[i] != '.' && f.text[i] != 'e' && f.text[i] != 'E') {
		if start > f.pos {
			n = -n
		}
		f.pos = i
		f.out = msgpack.AppendInt(f.out, n)
		return nil
	}
	end := jstext.ScanNumber(f.text, f.pos)
	if end < 0 {
		return f.syntaxError()
	}
	if n, ok := jstext.SafeInteger(f.text[f.pos:end]); ok {
		f.pos = end
		f.out = msgpack.AppendInt(f.out, n)
		return nil
	}
	x, err := f.float()
	if err != nil {
		return err
	}
	if x == math.Trunc(x) && math.Abs(x) <= jstext.MaxSafeInteger {
		f.out = msgpack.AppendInt(f.out, int64(x))
	} else {
		f.out = msgpack.AppendFloat64(f.out, x)
	}
	return nil
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
	f.skipSpace()
	var err error
	switch kind {
	case tagDate:
		var ms float64
		if ms, err = f.float(); err == nil {
			f.date(ms)
		}
	case tagFloat:
		var s []byte
		if s, err = f.strText(); err == nil {
			switch string(s) {
			case "NaN":
				f.out = msgpack.AppendFloat64(f.out, jsNaN)
			case "Infinity":
				f.out = msgpack.AppendFloat64(f.out, math.Inf(1))
			case "-Infinity":
				f.out = msgpack.AppendFloat64(f.out, math.Inf(-1))
			default:
				err = f.syntaxError()
			}
		}
	case tagBin:
		var s []byte
		if s, err = f.strText(); err == nil {
			var b []byte
			if b, err = appendDecodedBase64(nil, s); err == nil {
				f.out = msgpack.AppendBin(f.out, b)
			}
		}
	case tagExt:
		var s []byte
		if s, err = f.strText(); err == nil {
			typ, data, _ := strings.Cut(string(s), ":")
			t, ok := jstext.SafeInteger([]byte(typ))
			if !ok || t != int64(int8(t)) {
				return f.syntaxError()
			}
			var b []byte
			if b, err = appendDecodedBase64(nil, []byte(data)); err == nil {
				f.out = msgpack.AppendExt(f.out, int8(t), b)
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
func (f *fromJSON) date(ms float64) {
	sec := math.Floor(ms / 1e3)
	nsec := (ms - sec*1e3) * 1e6
	carry := math.Floor(nsec / 1e9)
	sec, nsec = sec+carry, nsec-carry*1e9
	var data []byte
	switch {
	case sec >= 0 && nsec >= 0 && sec <= 0x3ffffffff && nsec == 0 && sec <= 0xffffffff:
		data = msgpack.AppendBE32(nil, uint32(sec))
	case sec >= 0 && nsec >= 0 && sec <= 0x3ffffffff:
		s := uint64(sec)
		data = msgpack.AppendBE32(nil, uint32(nsec)<<2|uint32(s>>32&3))
		data = msgpack.AppendBE32(data, uint32(s))
	default:
		data = msgpack.AppendBE32(nil, uint32(nsec))
		data = msgpack.AppendBE64(data, uint64(int64(sec)))
	}
	f.out = msgpack.AppendExt(f.out, -1, data)
}

// str writes a JSON string as a MessagePack string.
func (f *fromJSON) str() error {
	// A string of ASCII without escapes, as most are, is written from the text itself.
	if f.pos < len(f.text) && f.text[f.pos] == '"' {
		if end := jstext.PlainEnd(f.text, f.pos+1, false); end < len(f.text) && f.text[end] == '"' {
			f.out = msgpack.AppendString(f.out, f.text[f.pos+1:end])
			f.pos = end + 1
			return nil
		}
	}
	s, err := f.strText()
	if err == nil {
		f.out = msgpack.AppendString(f.out, s)
	}
	return err
}

// strText reads a JSON string's text, which stays valid until the next call. A lone surrogate
// (JSON.stringify writes it as \udxxx) becomes the three bytes @msgpack/msgpack's UTF-8
// encoder gives it.
func (f *fromJSON) strText() ([]byte, error) {
	if f.pos >= len(f.text) || f.text[f.pos] != '"' {
		return nil, f.syntaxError()
	}
	var end int
	f.scratch, end = jstext.AppendUnquoted(f.scratch[:0], f.text, f.pos, true)
	if end < 0 {
		return nil, f.syntaxError()
	}
	f.pos = end
	return f.scratch, nil
}
