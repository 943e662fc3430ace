package msgpack

import (
	"bytes"
	"encoding/binary"
	"math"
	"reflect"
	"testing"

	v5 "github.com/vmihailenco/msgpack/v5"
)

// mpOp is one value written by both codecs in FuzzMsgpackWriter.
type mpOp struct {
	kind byte // 0 nil, 1 bool, 2 int, 3 float64, 4 string, 5 bin, 6 array header, 7 map header, 8 ext
	b    bool
	i    int64
	f    float64
	s    []byte // string, bin and ext data
	n    int    // array and map lengths
	ext  int8
}

// mpOps reads a program of values from fuzz bytes; long strings and bins are one byte
// repeated, so that every size class (up to 32-bit lengths) is reachable from short inputs.
func mpOps(data []byte) []mpOp {
	var ops []mpOp
	take := func(n int) []byte {
		b := make([]byte, n)
		data = data[copy(b, data):]
		return b
	}
	for len(data) > 0 {
		op := mpOp{kind: take(1)[0] % 9}
		switch op.kind {
		case 1:
			op.b = take(1)[0]&1 == 1
		case 2:
			op.i = int64(binary.BigEndian.Uint64(take(8)))
			// Small magnitudes are where the encodings change: shift some down.
			op.i >>= take(1)[0] % 64
		case 3:
			op.f = math.Float64frombits(binary.BigEndian.Uint64(take(8)))
		case 4, 5, 8:
			size := int(binary.BigEndian.Uint32(take(4)) % 70000)
			if size < 40 {
				op.s = take(size)
			} else {
				op.s = bytes.Repeat(take(1), size)
			}
			op.ext = int8(take(1)[0])
		case 6, 7:
			op.n = int(binary.BigEndian.Uint32(take(4)))
			op.n >>= take(1)[0] % 32
		}
		ops = append(ops, op)
	}
	return ops
}

// The MessagePack writer writes what msgpack/v5 writes for the same values, byte for byte;
// msgpack/v5 reads it back to the same values; and our reader reads what msgpack/v5 writes
// in every form it has for a value (fixed-size ints and float32 included) to the same value.
func FuzzMsgpackWriter(f *testing.F) {
	f.Add([]byte{0, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 200, 0, 3, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{4, 0, 0, 0, 3, 'a', 'b', 'c', 0, 5, 0, 1, 0, 0, 7, 0, 8, 0, 0, 0, 4, 1, 2, 3, 4, 0xff})
	f.Add([]byte{6, 0, 0, 0, 20, 0, 7, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0})
	f.Fuzz(func(t *testing.T, data []byte) { checkMsgpackOps(t, mpOps(data)) })
}

// Every size class and its edges, which random lengths rarely hit.
func TestMsgpackWriterEdges(t *testing.T) {
	var ops []mpOp
	for _, n := range []int{0, 1, 2, 3, 4, 8, 15, 16, 31, 32, 255, 256, 65535, 65536} {
		data := bytes.Repeat([]byte{'x'}, n)
		ops = append(ops, mpOp{kind: 4, s: data}, mpOp{kind: 5, s: data}, mpOp{kind: 8, s: data, ext: -1},
			mpOp{kind: 6, n: n}, mpOp{kind: 7, n: n})
	}
	for _, i := range []int64{0, 127, 128, 255, 256, 65535, 65536, 1<<32 - 1, 1 << 32, math.MaxInt64,
		-1, -32, -33, -128, -129, -32768, -32769, math.MinInt32, math.MinInt32 - 1, math.MinInt64} {
		ops = append(ops, mpOp{kind: 2, i: i})
	}
	ops = append(ops, mpOp{kind: 3, f: math.Inf(-1)}, mpOp{kind: 3, f: math.NaN()}, mpOp{kind: 1, b: true}, mpOp{kind: 0})
	checkMsgpackOps(t, ops)
}

func checkMsgpackOps(t *testing.T, ops []mpOp) {
	t.Helper()
	{
		var ours []byte
		var theirs bytes.Buffer
		enc := v5.NewEncoder(&theirs)
		for _, op := range ops {
			switch op.kind {
			case 0:
				ours = AppendNil(ours)
				_ = enc.EncodeNil()
			case 1:
				ours = AppendBool(ours, op.b)
				_ = enc.EncodeBool(op.b)
			case 2:
				ours = AppendInt(ours, op.i)
				_ = enc.EncodeInt(op.i)
			case 3:
				ours = AppendFloat64(ours, op.f)
				_ = enc.EncodeFloat64(op.f)
			case 4:
				ours = AppendString(ours, op.s)
				_ = enc.EncodeString(string(op.s))
			case 5:
				ours = AppendBin(ours, op.s)
				_ = enc.EncodeBytes(op.s)
			case 6:
				ours = AppendArrayLen(ours, op.n)
				_ = enc.EncodeArrayLen(op.n)
			case 7:
				ours = AppendMapLen(ours, op.n)
				_ = enc.EncodeMapLen(op.n)
			case 8:
				ours = AppendExt(ours, op.ext, op.s)
				_ = enc.EncodeExtHeader(op.ext, len(op.s))
				theirs.Write(op.s)
			}
		}
		if !bytes.Equal(ours, theirs.Bytes()) {
			at := 0
			for at < min(len(ours), theirs.Len()) && ours[at] == theirs.Bytes()[at] {
				at++
			}
			t.Fatalf("from byte %d: ours %.40x, msgpack/v5 %.40x", at, ours[at:], theirs.Bytes()[at:])
		}

		dec := v5.NewDecoder(bytes.NewReader(ours))
		for _, op := range ops {
			if got, want := decodeV5(t, dec, op), mpOpValue(op); !reflect.DeepEqual(got, want) {
				t.Fatalf("msgpack/v5 reads %#v back as %#v", want, got)
			}
		}

		// Every other form msgpack/v5 has for the values, read by ours.
		theirs.Reset()
		for _, op := range ops {
			switch op.kind {
			case 2:
				_ = enc.EncodeInt64(op.i)
				if op.i >= 0 {
					_ = enc.EncodeUint64(uint64(op.i))
				}
				if int64(int8(op.i)) == op.i {
					_ = enc.EncodeInt8(int8(op.i))
				}
				if int64(int16(op.i)) == op.i {
					_ = enc.EncodeInt16(int16(op.i))
				}
				if int64(int32(op.i)) == op.i {
					_ = enc.EncodeInt32(int32(op.i))
				}
			case 3:
				_ = enc.EncodeFloat32(float32(op.f))
			}
		}
		r := NewReader(theirs.Bytes())
		for r.pos < len(r.buf) {
			start := r.pos
			v, err := r.Next()
			if err != nil {
				t.Fatalf("our reader refuses msgpack/v5's %x: %v", r.buf[start:], err)
			}
			want := v5.NewDecoder(bytes.NewReader(r.buf[start:r.pos]))
			got, _ := v.Number()
			if w, err := want.DecodeFloat64(); err != nil || !sameFloat(got, w) {
				t.Fatalf("msgpack/v5's %x: ours reads %v, msgpack/v5 %v (%v)", r.buf[start:r.pos], got, w, err)
			}
		}
	}
}

func sameFloat(a, b float64) bool { return a == b || a != a && b != b }

// mpOpValue is the value an op writes, as decodeV5 reads it.
func mpOpValue(op mpOp) any {
	switch op.kind {
	case 1:
		return op.b
	case 2:
		return op.i
	case 3:
		return math.Float64bits(op.f)
	case 4:
		return string(op.s)
	case 5:
		return []any{"bin", string(op.s)}
	case 8:
		return []any{op.ext, string(op.s)}
	case 6, 7:
		return op.n
	}
	return nil
}

func decodeV5(t *testing.T, dec *v5.Decoder, op mpOp) any {
	var v any
	var err error
	switch op.kind {
	case 0:
		err = dec.DecodeNil()
	case 1:
		v, err = dec.DecodeBool()
	case 2:
		v, err = dec.DecodeInt64()
	case 3:
		var f float64
		f, err = dec.DecodeFloat64()
		v = math.Float64bits(f)
	case 4:
		v, err = dec.DecodeString()
	case 5:
		var b []byte
		b, err = dec.DecodeBytes()
		v = []any{"bin", string(b)}
	case 6:
		v, err = dec.DecodeArrayLen()
	case 7:
		v, err = dec.DecodeMapLen()
	case 8:
		var typ int8
		var n int
		if typ, n, err = dec.DecodeExtHeader(); err == nil {
			b := make([]byte, n)
			err = dec.ReadFull(b)
			v = []any{typ, string(b)}
		}
	}
	if err != nil {
		t.Fatalf("msgpack/v5 cannot read %+v: %v", op, err)
	}
	return v
}
