// Package msgpack reads and writes MessagePack as @msgpack/msgpack does (the encoder and
// decoder of signalr.js's MessagePack add-on): the same choice of encodings, the same error
// texts. The hub protocol frames messages with it, and the browser bridge's value transcoder
// (internal/taggedjson) converts values with it; it is ours rather than msgpack/v5 so that
// the wasm links no reflection.
package msgpack

import (
	"math"
	"strconv"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
)

// Kind is what a MessagePack value is, as its readers need to tell.
type Kind int

const (
	Nil Kind = iota
	Bool
	Int   // signed: N
	Uint  // unsigned: U
	Float // F (float32 widened)
	Str   // Data
	Bin   // Data
	Array // N elements follow
	Map   // N key/value pairs follow
	Ext   // ext type in N, Data
)

// Value is one MessagePack header, with the payload of scalars.
type Value struct {
	Kind Kind
	B    bool
	N    int64
	U    uint64
	F    float64
	Data []byte
}

// Reader reads MessagePack from a byte slice: hand-written so that raw spans of values
// come without copies and errors carry @msgpack/msgpack's texts, which signalr.js shows.
type Reader struct {
	buf []byte
	pos int
}

// NewReader reads the values in buf, which Data and Skip's spans point into. It is a value
// that stays in the caller's frame: our packages are built without inlining, so a pointer
// returned here would be an allocation per value read, several per message.
func NewReader(buf []byte) Reader { return Reader{buf: buf} }

// Pos is where the next value starts in the buffer.
func (r *Reader) Pos() int { return r.pos }

// DecodeError is an error @msgpack/msgpack reports with a class of its own: Class is the
// JS class name pages see ("DecodeError", or "RangeError" for data cut short). The protocols
// use it too for the TypeErrors signalr.js meets in data it does not expect.
type DecodeError struct {
	Class   string
	Message string
	// Fault, when set, names the JS expression that throws this error in signalr.js or
	// @msgpack/msgpack (one of the Fault constants), run on Value (JSON text, or nothing).
	// Message is V8's wording; the engine's own words come from running the same expression
	// there (the browser bridge does).
	Fault string
	Value []byte
}

// The expressions of the Fault field.
const (
	// FaultHandshake is HandshakeProtocol's `response.type` on what JSON.parse returned.
	FaultHandshake = "handshake"
	// FaultNegotiate is HttpConnection's reading of negotiateVersion and setting of
	// connectionToken, in strict code, on what JSON.parse returned.
	FaultNegotiate = "negotiate"
	// FaultDataView is a DataView read past its end.
	FaultDataView = "dataView"
)

func (e *DecodeError) Error() string { return e.Message }

// JSString is `${e}` in JS, which signalr.js's logs show.
func (e *DecodeError) JSString() string { return e.Class + ": " + e.Message }

func decodeError(message string) error {
	return &DecodeError{Class: "DecodeError", Message: message}
}

// The texts of @msgpack/msgpack's two truncation errors: a payload cut short, and a number
// or header read past the end (V8's DataView error).
var (
	errInsufficientData = &DecodeError{Class: "RangeError", Message: "Insufficient data"}
	errOutsideDataView  = &DecodeError{Class: "RangeError", Message: "Offset is outside the bounds of the DataView", Fault: FaultDataView}
)

func (r *Reader) take(n int) ([]byte, error) {
	if n < 0 || len(r.buf)-r.pos < n {
		return nil, errInsufficientData
	}
	b := r.buf[r.pos : r.pos+n]
	r.pos += n
	return b, nil
}

func (r *Reader) uintN(size int) (uint64, error) {
	if len(r.buf)-r.pos < size {
		return 0, errOutsideDataView
	}
	b := r.buf[r.pos : r.pos+size]
	r.pos += size
	switch size {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(be16(b)), nil
	case 4:
		return uint64(BE32(b)), nil
	}
	return BE64(b), nil
}

// Next reads one header (and a scalar's payload).
func (r *Reader) Next() (Value, error) {
	var v Value
	err := r.Read(&v)
	return v, err
}

// Read is Next into v, which it sets field by field. In wasm a struct of more than 16 bytes
// is copied, and zeroed, by a call into the engine (memory.copy, memory.fill), in its
// optimised code too: a Value passed back and forth, several times a header, was most of
// what reading a message took a page.
func (r *Reader) Read(v *Value) error {
	v.B, v.N, v.U, v.F, v.Data = false, 0, 0, 0, nil
	v.Kind = Nil
	if r.pos >= len(r.buf) {
		return errOutsideDataView
	}
	head := r.buf[r.pos]
	r.pos++
	var err error
	switch {
	case head <= 0x7f:
		v.Kind, v.N = Int, int64(head)
		return nil
	case head <= 0x8f:
		v.Kind, v.N = Map, int64(head&0x0f)
		return nil
	case head <= 0x9f:
		v.Kind, v.N = Array, int64(head&0x0f)
		return nil
	case head <= 0xbf:
		v.Kind = Str
		v.Data, err = r.take(int(head & 0x1f))
		return err
	case head >= 0xe0:
		v.Kind, v.N = Int, int64(int8(head))
		return nil
	}
	switch head {
	case 0xc0:
		return nil
	case 0xc2, 0xc3:
		v.Kind, v.B = Bool, head == 0xc3
		return nil
	case 0xc4, 0xc5, 0xc6:
		return r.sized(v, Bin, 1<<(head-0xc4))
	case 0xc7, 0xc8, 0xc9:
		n, err := r.uintN(1 << (head - 0xc7))
		if err != nil {
			return err
		}
		return r.ext(v, int(n))
	case 0xca:
		u, err := r.uintN(4)
		v.Kind, v.F = Float, float64(math.Float32frombits(uint32(u)))
		return err
	case 0xcb:
		u, err := r.uintN(8)
		v.Kind, v.F = Float, math.Float64frombits(u)
		return err
	case 0xcc, 0xcd, 0xce, 0xcf:
		v.Kind = Uint
		v.U, err = r.uintN(1 << (head - 0xcc))
		return err
	case 0xd0, 0xd1, 0xd2, 0xd3:
		size := 1 << (head - 0xd0)
		u, err := r.uintN(size)
		var n int64
		switch size {
		case 1:
			n = int64(int8(u))
		case 2:
			n = int64(int16(u))
		case 4:
			n = int64(int32(u))
		default:
			n = int64(u)
		}
		v.Kind, v.N = Int, n
		return err
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		return r.ext(v, 1<<(head-0xd4))
	case 0xd9, 0xda, 0xdb:
		return r.sized(v, Str, 1<<(head-0xd9))
	case 0xdc, 0xdd:
		return r.sized(v, Array, 2<<(head-0xdc))
	case 0xde, 0xdf:
		return r.sized(v, Map, 2<<(head-0xde))
	}
	return decodeError("Unrecognized type byte: 0x" + string(jstext.AppendHexByte(nil, head)))
}

// sized reads into v a header whose size follows in size bytes: an array's or a map's
// count, or the length of the payload that follows it.
func (r *Reader) sized(v *Value, kind Kind, size int) error {
	n, err := r.uintN(size)
	if err != nil {
		return err
	}
	v.Kind = kind
	if kind == Array || kind == Map {
		v.N = int64(n)
		return nil
	}
	v.Data, err = r.take(int(n))
	return err
}

// ext reads into v an extension's type and its size bytes of data.
func (r *Reader) ext(v *Value, size int) error {
	t, err := r.uintN(1)
	if err != nil {
		return err
	}
	v.Kind, v.N = Ext, int64(int8(t))
	v.Data, err = r.take(size)
	return err
}

// ReadKey reads a map key into k as @msgpack/msgpack takes one: a string or a number, not
// __proto__. A key of another type is read whole first, so that errors inside it come
// first, as they do there, then refused.
func (r *Reader) ReadKey(k *Value) error {
	start := r.pos
	if err := r.Read(k); err != nil {
		return err
	}
	if t := k.JSTypeof(); t != "string" && t != "number" {
		r.pos = start
		if _, err := r.Skip(); err != nil {
			return err
		}
		return decodeError("The type of key must be string or number but " + t)
	}
	if k.Kind == Str && string(k.Data) == "__proto__" {
		return decodeError("The key __proto__ is not allowed")
	}
	return nil
}

// TimestampSizeError is @msgpack/msgpack's refusal of a timestamp extension of another size
// than 4, 8 or 12 bytes.
func TimestampSizeError(size int) error {
	return decodeError("Unrecognized data size for timestamp (expected 4, 8, or 12): " + strconv.Itoa(size))
}

// Skip reads past one whole value and returns its bytes.
func (r *Reader) Skip() ([]byte, error) {
	start := r.pos
	v, err := r.Next()
	if err != nil {
		return nil, err
	}
	children := int64(0)
	switch v.Kind {
	case Array:
		children = v.N
	case Map:
		children = 2 * v.N
	}
	for i := int64(0); i < children; i++ {
		if _, err := r.Skip(); err != nil {
			return nil, err
		}
	}
	return r.buf[start:r.pos], nil
}

// Number is a numeric value as JS sees it (a double), and whether it is one.
func (v *Value) Number() (float64, bool) {
	switch v.Kind {
	case Int:
		return float64(v.N), true
	case Uint:
		return float64(v.U), true
	case Float:
		return v.F, true
	}
	return 0, false
}

// JSTypeof is JS's typeof of the value @msgpack/msgpack decodes.
func (v *Value) JSTypeof() string {
	switch v.Kind {
	case Bool:
		return "boolean"
	case Int, Uint, Float:
		return "number"
	case Str:
		return "string"
	}
	return "object"
}

// End checks that the value read was all there was, as @msgpack/msgpack's decode does.
func (r *Reader) End() error {
	if r.pos < len(r.buf) {
		return &DecodeError{Class: "RangeError", Message: "Extra " + strconv.Itoa(len(r.buf)-r.pos) + " of " + strconv.Itoa(len(r.buf)) + " byte(s) found at buffer[" + strconv.Itoa(r.pos) + "]"}
	}
	return nil
}
