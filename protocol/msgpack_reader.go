package protocol

import (
	"math"
	"strconv"
)

// mpKind is what a MessagePack value is, as the readers below need to tell.
type mpKind int

const (
	mpNil mpKind = iota
	mpBool
	mpInt   // signed: n
	mpUint  // unsigned: u
	mpFloat // f (float32 widened)
	mpStr   // data
	mpBin   // data
	mpArray // n elements follow
	mpMap   // n key/value pairs follow
	mpExt   // ext type in n, data
)

// mpValue is one MessagePack header, with the payload of scalars.
type mpValue struct {
	kind mpKind
	b    bool
	n    int64
	u    uint64
	f    float64
	data []byte
}

// mpReader reads MessagePack from a byte slice: hand-written so that raw spans of values
// come without copies and errors carry @msgpack/msgpack's texts, which signalr.js shows.
type mpReader struct {
	buf []byte
	pos int
}

// DecodeError is an error @msgpack/msgpack reports with a class of its own: Class is the
// JS class name pages see ("DecodeError", or "RangeError" for data cut short).
type DecodeError struct {
	Class   string
	Message string
}

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
	errOutsideDataView  = &DecodeError{Class: "RangeError", Message: "Offset is outside the bounds of the DataView"}
)

func (r *mpReader) take(n int) ([]byte, error) {
	if n < 0 || len(r.buf)-r.pos < n {
		return nil, errInsufficientData
	}
	b := r.buf[r.pos : r.pos+n]
	r.pos += n
	return b, nil
}

func (r *mpReader) uintN(size int) (uint64, error) {
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
		return uint64(be32(b)), nil
	}
	return be64(b), nil
}

// next reads one header (and a scalar's payload).
func (r *mpReader) next() (mpValue, error) {
	if r.pos >= len(r.buf) {
		return mpValue{}, errOutsideDataView
	}
	head := r.buf[r.pos]
	r.pos++
	switch {
	case head <= 0x7f:
		return mpValue{kind: mpInt, n: int64(head)}, nil
	case head <= 0x8f:
		return mpValue{kind: mpMap, n: int64(head & 0x0f)}, nil
	case head <= 0x9f:
		return mpValue{kind: mpArray, n: int64(head & 0x0f)}, nil
	case head <= 0xbf:
		b, err := r.take(int(head & 0x1f))
		return mpValue{kind: mpStr, data: b}, err
	case head >= 0xe0:
		return mpValue{kind: mpInt, n: int64(int8(head))}, nil
	}
	sized := func(kind mpKind, size int) (mpValue, error) {
		n, err := r.uintN(size)
		if err != nil {
			return mpValue{}, err
		}
		if kind == mpArray || kind == mpMap {
			return mpValue{kind: kind, n: int64(n)}, nil
		}
		b, err := r.take(int(n))
		return mpValue{kind: kind, data: b}, err
	}
	ext := func(size int) (mpValue, error) {
		t, err := r.uintN(1)
		if err != nil {
			return mpValue{}, err
		}
		b, err := r.take(size)
		return mpValue{kind: mpExt, n: int64(int8(t)), data: b}, err
	}
	switch head {
	case 0xc0:
		return mpValue{kind: mpNil}, nil
	case 0xc2, 0xc3:
		return mpValue{kind: mpBool, b: head == 0xc3}, nil
	case 0xc4, 0xc5, 0xc6:
		return sized(mpBin, 1<<(head-0xc4))
	case 0xc7, 0xc8, 0xc9:
		n, err := r.uintN(1 << (head - 0xc7))
		if err != nil {
			return mpValue{}, err
		}
		return ext(int(n))
	case 0xca:
		u, err := r.uintN(4)
		return mpValue{kind: mpFloat, f: float64(math.Float32frombits(uint32(u)))}, err
	case 0xcb:
		u, err := r.uintN(8)
		return mpValue{kind: mpFloat, f: math.Float64frombits(u)}, err
	case 0xcc, 0xcd, 0xce, 0xcf:
		u, err := r.uintN(1 << (head - 0xcc))
		return mpValue{kind: mpUint, u: u}, err
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
		return mpValue{kind: mpInt, n: n}, err
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
		return ext(1 << (head - 0xd4))
	case 0xd9, 0xda, 0xdb:
		return sized(mpStr, 1<<(head-0xd9))
	case 0xdc, 0xdd:
		return sized(mpArray, 2<<(head-0xdc))
	case 0xde, 0xdf:
		return sized(mpMap, 2<<(head-0xde))
	}
	return mpValue{}, decodeError("Unrecognized type byte: 0x" + string(appendHexByte(nil, head)))
}

// key reads a map key as @msgpack/msgpack takes one: a string or a number, not __proto__.
// A key of another type is read whole first, so that errors inside it come first, as they do
// there, then refused.
func (r *mpReader) key() (mpValue, error) {
	start := r.pos
	k, err := r.next()
	if err != nil {
		return k, err
	}
	if t := k.jsTypeof(); t != "string" && t != "number" {
		r.pos = start
		if _, err := r.skip(); err != nil {
			return k, err
		}
		return k, decodeError("The type of key must be string or number but " + t)
	}
	if k.kind == mpStr && string(k.data) == "__proto__" {
		return k, decodeError("The key __proto__ is not allowed")
	}
	return k, nil
}

// timestampSizeError is @msgpack/msgpack's refusal of a timestamp extension of another size
// than 4, 8 or 12 bytes.
func timestampSizeError(size int) error {
	return decodeError("Unrecognized data size for timestamp (expected 4, 8, or 12): " + strconv.Itoa(size))
}

// skip reads past one whole value and returns its bytes.
func (r *mpReader) skip() ([]byte, error) {
	start := r.pos
	v, err := r.next()
	if err != nil {
		return nil, err
	}
	children := int64(0)
	switch v.kind {
	case mpArray:
		children = v.n
	case mpMap:
		children = 2 * v.n
	}
	for i := int64(0); i < children; i++ {
		if _, err := r.skip(); err != nil {
			return nil, err
		}
	}
	return r.buf[start:r.pos], nil
}

// number is a numeric value as JS sees it (a double), and whether it is one.
func (v mpValue) number() (float64, bool) {
	switch v.kind {
	case mpInt:
		return float64(v.n), true
	case mpUint:
		return float64(v.u), true
	case mpFloat:
		return v.f, true
	}
	return 0, false
}

// jsTypeof is JS's typeof of the value @msgpack/msgpack decodes.
func (v mpValue) jsTypeof() string {
	switch v.kind {
	case mpBool:
		return "boolean"
	case mpInt, mpUint, mpFloat:
		return "number"
	case mpStr:
		return "string"
	}
	return "object"
}

// end checks that the value read was all there was, as @msgpack/msgpack's decode does.
func (r *mpReader) end() error {
	if r.pos < len(r.buf) {
		return &DecodeError{Class: "RangeError", Message: "Extra " + strconv.Itoa(len(r.buf)-r.pos) + " of " + strconv.Itoa(len(r.buf)) + " byte(s) found at buffer[" + strconv.Itoa(r.pos) + "]"}
	}
	return nil
}
