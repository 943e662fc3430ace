package msgpack

import (
	"math"
	"math/bits"
)

// The writer: append functions with @msgpack/msgpack's choice of encodings (the
// smallest that holds a value, unsigned for non-negative integers), which msgpack/v5 also
// makes with compact ints; FuzzMsgpackWriter checks the bytes against msgpack/v5's encoder.
// (msgpack/v5's package init registers its reflection codecs, and with them reflect and
// encoding/json, which the wasm must not link.)

func AppendNil(b []byte) []byte { return append(b, 0xc0) }

func AppendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 0xc3)
	}
	return append(b, 0xc2)
}

func AppendInt(b []byte, n int64) []byte {
	switch {
	case n >= 0:
		return AppendUint(b, uint64(n))
	case n >= -32:
		return append(b, byte(n))
	case n >= math.MinInt8:
		return append(b, 0xd0, byte(n))
	case n >= math.MinInt16:
		return appendBE16(append(b, 0xd1), uint16(n))
	case n >= math.MinInt32:
		return AppendBE32(append(b, 0xd2), uint32(n))
	}
	return AppendBE64(append(b, 0xd3), uint64(n))
}

func AppendUint(b []byte, n uint64) []byte {
	switch {
	case n <= math.MaxInt8:
		return append(b, byte(n))
	case n <= math.MaxUint8:
		return append(b, 0xcc, byte(n))
	case n <= math.MaxUint16:
		return appendBE16(append(b, 0xcd), uint16(n))
	case n <= math.MaxUint32:
		return AppendBE32(append(b, 0xce), uint32(n))
	}
	return AppendBE64(append(b, 0xcf), n)
}

func AppendFloat64(b []byte, f float64) []byte {
	return AppendBE64(append(b, 0xcb), math.Float64bits(f))
}

func AppendString[S string | []byte](b []byte, s S) []byte {
	switch n := len(s); {
	case n < 32:
		b = append(b, 0xa0|byte(n))
	case n <= math.MaxUint8:
		b = append(b, 0xd9, byte(n))
	default:
		b = appendLen(b, 0xda, n)
	}
	return append(b, s...)
}

func AppendBin(b []byte, data []byte) []byte {
	if n := len(data); n <= math.MaxUint8 {
		b = append(b, 0xc4, byte(n))
	} else {
		b = appendLen(b, 0xc5, n)
	}
	return append(b, data...)
}

func AppendArrayLen(b []byte, n int) []byte {
	if n < 16 {
		return append(b, 0x90|byte(n))
	}
	return appendLen(b, 0xdc, n)
}

func AppendMapLen(b []byte, n int) []byte {
	if n < 16 {
		return append(b, 0x80|byte(n))
	}
	return appendLen(b, 0xde, n)
}

// AppendExt writes an extension: fixext for 1, 2, 4, 8 and 16 bytes, else ext 8/16/32.
func AppendExt(b []byte, typ int8, data []byte) []byte {
	switch n := len(data); {
	case n == 1 || n == 2 || n == 4 || n == 8 || n == 16:
		b = append(b, 0xd4+byte(bits.TrailingZeros(uint(n))))
	case n <= math.MaxUint8:
		b = append(b, 0xc7, byte(n))
	default:
		b = appendLen(b, 0xc8, n)
	}
	return append(append(b, byte(typ)), data...)
}

// appendLen writes a length after code16 when it fits in 16 bits, else after code16+1 with
// 32 bits: every MessagePack type with both sizes has them in that order.
func appendLen(b []byte, code16 byte, n int) []byte {
	if n <= math.MaxUint16 {
		return appendBE16(append(b, code16), uint16(n))
	}
	return AppendBE32(append(b, code16+1), uint32(n))
}

func appendBE16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }

// The big-endian integers MessagePack is made of, which the timestamp extension's fields
// also are.

func AppendBE32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func AppendBE64(b []byte, v uint64) []byte {
	return AppendBE32(AppendBE32(b, uint32(v>>32)), uint32(v))
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func BE32(b []byte) uint32 { return uint32(be16(b))<<16 | uint32(be16(b[2:])) }

func BE64(b []byte) uint64 { return uint64(BE32(b))<<32 | uint64(BE32(b[4:])) }
