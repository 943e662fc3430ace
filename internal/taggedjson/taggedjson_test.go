package taggedjson

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
	"github.com/signalr-wasm/signalr-wasm/internal/msgpack"
	v5 "github.com/vmihailenco/msgpack/v5"
)

type goldenCase struct {
	Name    string `json:"name"`
	JSON    string `json:"json"`
	Msgpack string `json:"msgpack"`
}

func goldenCases(t testing.TB) []goldenCase {
	b, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Values []goldenCase `json:"values"`
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g.Values
}

// The transcoder gives, for the page-side replacer's JSON, the bytes the official add-on's
// encoder gives for the same JS values (testdata/gen-golden.mjs), and reads them back
// to the same JSON; a Transcoder used for every case in turn gives the same bytes.
func TestMatchesTheOfficialEncoder(t *testing.T) {
	var reused Transcoder
	for _, c := range goldenCases(t) {
		want, _ := hex.DecodeString(c.Msgpack)
		got, err := ToMsgpack(nil, []byte(c.JSON))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: ToMsgpack(%s) = %x, %v; the add-on writes %x", c.Name, c.JSON, got, err, want)
			continue
		}
		if again, err := reused.ToMsgpack(nil, []byte(c.JSON)); err != nil || !bytes.Equal(again, want) {
			t.Errorf("%s: a reused Transcoder gives %x, %v; want %x", c.Name, again, err, want)
		}
		back, _, err := FromMsgpack(nil, want)
		if err != nil {
			t.Errorf("%s: FromMsgpack(%x): %v", c.Name, want, err)
			continue
		}
		var a, b any
		_ = json.Unmarshal([]byte(c.JSON), &a)
		if err := json.Unmarshal(back, &b); err != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %x reads back as %s, want %s (%v)", c.Name, want, back, c.JSON, err)
		}
	}
}

func FuzzToMsgpack(f *testing.F) {
	for _, c := range goldenCases(f) {
		f.Add([]byte(c.JSON))
	}
	// One Transcoder for every input, failed ones included, as the bridge uses one for every
	// call of the page: what an earlier text left in it must not change a later one's bytes.
	var reused Transcoder
	f.Fuzz(func(t *testing.T, text []byte) {
		out, err := ToMsgpack(nil, text)
		again, againErr := reused.ToMsgpack(nil, text)
		if (err == nil) != (againErr == nil) || err == nil && !bytes.Equal(out, again) {
			t.Fatalf("%s gave %x, %v; a reused Transcoder %x, %v", text, out, err, again, againErr)
		}
		if err != nil {
			return
		}
		if _, _, err := FromMsgpack(nil, out); err != nil {
			t.Fatalf("%s gave %x, which does not read back: %v", text, out, err)
		}
	})
}

// Whatever MessagePack value a server sends, what the page gets is JSON, and it comes back
// as the same values after a trip to MessagePack and back (the transcoder's fixed point;
// values compared as the page gets them: an int64 past 2⁵³ is the nearest double either
// way, and a Date is what new Date makes of the milliseconds its tag carries).
func FuzzFromMsgpack(f *testing.F) {
	for _, c := range goldenCases(f) {
		if raw, err := ToMsgpack(nil, []byte(c.JSON)); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte{0xd6, 0xff, 0, 0, 0, 1})
	f.Add([]byte{0x81, 0x01, 0xc4, 0x01, 0xff})
	f.Fuzz(func(t *testing.T, raw []byte) {
		text, _, err := FromMsgpack(nil, raw)
		if err != nil {
			return
		}
		if !json.Valid(text) {
			t.Fatalf("%x gave %q, which is not JSON", raw, text)
		}
		back, err := ToMsgpack(nil, text)
		if err != nil {
			t.Fatalf("%x gave %s, which does not transcode: %v", raw, text, err)
		}
		again, _, err := FromMsgpack(nil, back)
		var first, second any
		if err != nil || json.Unmarshal(text, &first) != nil || json.Unmarshal(again, &second) != nil || !reflect.DeepEqual(pageValue(first), pageValue(second)) {
			t.Fatalf("%x gave %s, then %x, then %s (%v)", raw, text, back, again, err)
		}
	})
}

// pageValue is a decoded tagged JSON value as the page's reviver makes it: a Date tag's
// milliseconds are what new Date(ms) keeps of them (ECMAScript's TimeClip): whole ones, and
// an Invalid Date past 8.64e15 either way.
func pageValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if ms, ok := v["\x00d"].(float64); ok && len(v) == 1 {
			if math.Abs(ms) > 8.64e15 {
				return map[string]any{"\x00d": "Invalid Date"}
			}
			return map[string]any{"\x00d": math.Trunc(ms)}
		}
		for k, x := range v {
			v[k] = pageValue(x)
		}
	case []any:
		for i, x := range v {
			v[i] = pageValue(x)
		}
	}
	return v
}

// The transcoder's MessagePack for a JSON text is what msgpack/v5 reads as the value
// encoding/json reads from the text (numbers compared as JS numbers).
func FuzzToMsgpackDecodesAlike(f *testing.F) {
	for _, c := range goldenCases(f) {
		if !strings.Contains(c.JSON, `\u0000`) {
			f.Add([]byte(c.JSON))
		}
	}
	f.Add([]byte(`{"a":[1,-1.5,1e300,null,true,"x\u00e9\ud83d\ude00"],"b":{},"c":-0}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		if bytes.Contains(text, []byte(`\u0000`)) || !utf8.Valid(text) {
			return // tags, and text no JSON.stringify writes
		}
		out, err := ToMsgpack(nil, text)
		if err != nil {
			return
		}
		var want, got any
		if err := json.Unmarshal(text, &want); err != nil {
			var outOfRange *json.UnmarshalTypeError
			if errors.As(err, &outOfRange) && strings.HasPrefix(outOfRange.Value, "number ") {
				return // past a double's range, which JSON.stringify never writes: read as JS's Number reads it
			}
			t.Fatalf("transcoded %q, which encoding/json refuses: %v", text, err)
		}
		if err := v5.Unmarshal(out, &got); err != nil {
			t.Fatalf("%q became %x, which msgpack/v5 refuses: %v", text, out, err)
		}
		if hasLoneSurrogate(got) {
			return // written as @msgpack/msgpack writes it, where encoding/json reads U+FFFD
		}
		if w, g := jsNumbers(want), jsNumbers(got); !reflect.DeepEqual(w, g) {
			t.Fatalf("%q: msgpack/v5 reads %#v, encoding/json %#v", text, g, w)
		}
	})
}

// jsNumbers makes every number a float64, as JS has them.
func jsNumbers(v any) any {
	switch v := v.(type) {
	case []any:
		for i := range v {
			v[i] = jsNumbers(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = jsNumbers(v[k])
		}
	case int8:
		return float64(v)
	case int16:
		return float64(v)
	case int32:
		return float64(v)
	case int64:
		return float64(v)
	case uint8:
		return float64(v)
	case uint16:
		return float64(v)
	case uint32:
		return float64(v)
	case uint64:
		return float64(v)
	}
	return v
}

func hasLoneSurrogate(v any) bool {
	switch v := v.(type) {
	case string:
		return !utf8.ValidString(v)
	case []any:
		for _, e := range v {
			if hasLoneSurrogate(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if !utf8.ValidString(k) || hasLoneSurrogate(e) {
				return true
			}
		}
	}
	return false
}

// A container's header is written before its members are counted, in its one-byte form, and
// again once they are: each length takes the shortest header, as @msgpack/msgpack writes it,
// nested containers included.
func TestContainerLengths(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 300, math.MaxUint16, math.MaxUint16 + 1} {
		members := make([]string, n)
		keyed := make([]string, n)
		for i := range members {
			members[i] = strconv.Itoa(i % 200)
			keyed[i] = `"k` + strconv.Itoa(i) + `":` + members[i]
		}
		array := "[" + strings.Join(members, ",") + "]"
		object := "{" + strings.Join(keyed, ",") + "}"
		for _, text := range []string{array, object, `[` + object + `,` + array + `,"end"]`, `{"a":` + array + `,"b":[` + object + `]}`} {
			out, err := ToMsgpack(nil, []byte(text))
			if err != nil {
				t.Fatalf("%d members: %v", n, err)
			}
			var want, got any
			if err := json.Unmarshal([]byte(text), &want); err != nil {
				t.Fatal(err)
			}
			if err := v5.Unmarshal(out, &got); err != nil {
				t.Fatalf("%d members: msgpack/v5 refuses %x: %v", n, out[:min(len(out), 16)], err)
			}
			if !reflect.DeepEqual(jsNumbers(want), jsNumbers(got)) {
				t.Fatalf("%d members: msgpack/v5 reads another value than encoding/json", n)
			}
		}
		if out, _ := ToMsgpack(nil, []byte(array)); !bytes.HasPrefix(out, msgpack.AppendArrayLen(nil, n)) {
			t.Errorf("%d members: array header %x", n, out[:min(len(out), 5)])
		}
		if out, _ := ToMsgpack(nil, []byte(object)); !bytes.HasPrefix(out, msgpack.AppendMapLen(nil, n)) {
			t.Errorf("%d members: map header %x", n, out[:min(len(out), 5)])
		}
	}
}

// So it does with a string's scratch: kept after a short string, not after a long one.
func TestTranscoderKeepsSmallScratch(t *testing.T) {
	var tr Transcoder
	if _, err := tr.ToMsgpack(nil, []byte(`["a\nb"]`)); err != nil || cap(tr.scratch) == 0 {
		t.Fatalf("scratch %q kept after a short string (%v)", tr.scratch, err)
	}
	long := `["` + strings.Repeat(`\n`, maxKeptScratch) + `"]`
	if _, err := tr.ToMsgpack(nil, []byte(long)); err != nil {
		t.Fatal(err)
	}
	if cap(tr.scratch) > maxKeptScratch {
		t.Fatalf("a Transcoder kept %d bytes of scratch", cap(tr.scratch))
	}
}

// The arguments of a burst of send("Add", i, 1), and a value with floats and strings.
func BenchmarkToMsgpack(b *testing.B) {
	for _, text := range []string{`[4321,1]`, `[{"id":123456,"price":-12.5,"qty":3,"ratio":0.1,"name":"x"},[1,2,3,-4,1e21]]`} {
		b.Run(text[:8], func(b *testing.B) {
			b.ReportAllocs()
			var t Transcoder
			var out []byte
			in := []byte(text)
			for i := 0; i < b.N; i++ {
				out, _ = t.ToMsgpack(out[:0], in)
			}
		})
	}
}

// The arguments of a chat message as a handler receives them (the benchmark's SendMany), and
// its JSON back to MessagePack.
func BenchmarkChatMessage(b *testing.B) {
	text := []byte(`[17,{"message":"hello, this is a chat message of ordinary length","n":42,"user":"alice"}]`)
	var t Transcoder
	packed, err := t.ToMsgpack(nil, text)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("FromMsgpack", func(b *testing.B) {
		b.ReportAllocs()
		var out []byte
		for b.Loop() {
			out, _, _ = FromMsgpack(out[:0], packed)
		}
	})
	b.Run("ToMsgpack", func(b *testing.B) {
		b.ReportAllocs()
		var out []byte
		for b.Loop() {
			out, _ = t.ToMsgpack(out[:0], text)
		}
	})
}

// A JSON number becomes what @msgpack/msgpack writes for the double JSON.parse makes of it:
// an integer up to Number.MAX_SAFE_INTEGER as an integer, every other number as a float64
// (integers read without ParseFloat must not change that choice).
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{"0", "-0", "7", "-32", "4321", "9007199254740991", "-9007199254740991",
		"9007199254740992", "9999999999999999", "10000000000000000", "1.0", "1e3", "-1.5e-7", "0.1", "01", "-", "00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		if token == "" || jstext.ScanNumber([]byte(token), 0) != len(token) {
			return
		}
		n, err := strconv.ParseFloat(token, 64)
		if err != nil {
			return // out of a double's range: a syntax error either way
		}
		want := msgpack.AppendFloat64(nil, n)
		if n == math.Trunc(n) && math.Abs(n) <= 1<<53-1 {
			want = msgpack.AppendInt(nil, int64(n))
		}
		if got, err := ToMsgpack(nil, []byte(token)); err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s: %x, %v; want %x", token, got, err, want)
		}
	})
}
