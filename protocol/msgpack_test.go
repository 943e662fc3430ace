package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"testing"
)

type goldenCase struct {
	Name    string `json:"name"`
	JSON    string `json:"json"`
	Msgpack string `json:"msgpack"`
}

type golden struct {
	Values []goldenCase `json:"values"`
	Frames []struct {
		Name  string `json:"name"`
		Frame string `json:"frame"`
	} `json:"frames"`
}

func readGolden(t testing.TB) golden {
	b, err := os.ReadFile("testdata/msgpack-golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func goldenCases(t testing.TB) []goldenCase { return readGolden(t).Values }

// The transcoder gives, for the page-side replacer's JSON, the bytes the official add-on's
// encoder gives for the same JS values (testdata/gen-msgpack-golden.mjs), and reads them back
// to the same JSON.
func TestMsgpackTranscoderMatchesTheOfficialEncoder(t *testing.T) {
	for _, c := range goldenCases(t) {
		want, _ := hex.DecodeString(c.Msgpack)
		got, err := JSONToMsgpack(nil, []byte(c.JSON))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: JSONToMsgpack(%s) = %x, %v; the add-on writes %x", c.Name, c.JSON, got, err, want)
			continue
		}
		back, _, err := MsgpackToJSON(nil, want)
		if err != nil {
			t.Errorf("%s: MsgpackToJSON(%x): %v", c.Name, want, err)
			continue
		}
		var a, b any
		_ = json.Unmarshal([]byte(c.JSON), &a)
		if err := json.Unmarshal(back, &b); err != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %x reads back as %s, want %s (%v)", c.Name, want, back, c.JSON, err)
		}
	}
}

// The frames of every message a client writes are the add-on's, byte for byte.
func TestMsgpackFramesAreTheAddOns(t *testing.T) {
	p := MessagePackProtocol{}
	args, _ := JSONToMsgpack(nil, []byte(`[1,"two"]`))
	messages := map[string]Message{
		"invoke":           {Type: InvocationType, Target: "Echo", Arguments: args, InvocationID: "0"},
		"send":             {Type: InvocationType, Target: "Echo", Arguments: args},
		"invokeWithStream": {Type: InvocationType, Target: "Up", Arguments: Raw{0x90}, InvocationID: "1", StreamIDs: []string{"0"}},
		"stream":           {Type: StreamInvocationType, Target: "Counter", Arguments: args, InvocationID: "2"},
		"streamItem":       {Type: StreamItemType, InvocationID: "0", Item: Raw{0x05}},
		"streamComplete":   {Type: CompletionType, InvocationID: "0"},
		"nullResult":       {Type: CompletionType, InvocationID: "s1", Result: Raw{0xc0}},
		"errorResult":      {Type: CompletionType, InvocationID: "s1", Error: "no"},
		"cancel":           {Type: CancelInvocationType, InvocationID: "2"},
		"ping":             {Type: PingType},
		"close":            {Type: CloseType},
		"ack":              {Type: AckType, SequenceID: 3},
		"sequence":         {Type: SequenceType, SequenceID: 300},
	}
	frames := readGolden(t).Frames
	if len(frames) != len(messages) {
		t.Fatalf("%d frames in the golden file, %d messages here", len(frames), len(messages))
	}
	for _, f := range frames {
		m, ok := messages[f.Name]
		if !ok {
			t.Fatalf("no message %q", f.Name)
		}
		want, _ := hex.DecodeString(f.Frame)
		got, err := p.Write(&m)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %x, %v; the add-on writes %x", f.Name, got, err, want)
			continue
		}
		back, err := p.Parse(got)
		if err != nil || len(back) != 1 || back[0].Type != m.Type || back[0].InvocationID != m.InvocationID || back[0].SequenceID != m.SequenceID {
			t.Errorf("%s: %x reads back as %+v, %v", f.Name, got, back, err)
		}
	}
}

func stripSpaces(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte(" "), nil)) }

func TestMsgpackParseErrors(t *testing.T) {
	p := MessagePackProtocol{}
	for _, c := range []struct{ frame, err string }{
		{"80", "Cannot read message size."},
		{"ffffffff7f", "Messages bigger than 2GB are not supported."},
		{"0591", "Incomplete message."},
		{"00", "Invalid payload."},
		{"0105", "Invalid payload."},
		{"0190", "Invalid payload."},
		{"029101", "Invalid headers."},
		{"039201 80", "Invalid payload for Invocation message."},
		{"049302 80a1", "Insufficient data"},
		{"0292d9", "Offset is outside the bounds of the DataView"},
		{"0392 0280", "Invalid payload for StreamItem message."},
		{"059303 80a130", "Invalid payload for Completion message."},
		{"069403 80a13001", "Invalid payload for Completion message."},
		{"029107", "Invalid payload for Close message."},
		{"0491 81c3 01", "The type of key must be string or number but boolean"},
		{"0391c1 00", "Unrecognized type byte: 0xc1"},
		{"0391 0600", "Extra 1 of 3 byte(s) found at buffer[2]"},
	} {
		frame, _ := hex.DecodeString(stripSpaces(c.frame))
		_, err := p.Parse(frame)
		if err == nil || err.Error() != c.err {
			t.Errorf("%s: %v, want %q", c.frame, err, c.err)
		}
	}
}

func FuzzMsgpackParse(f *testing.F) {
	f.Add([]byte{0x0e, 0x95, 0x01, 0x80, 0xa1, 0x30, 0xa4, 'E', 'c', 'h', 'o', 0x92, 0x01, 0xa3, 't', 'w', 'o'})
	f.Add([]byte{0x02, 0x91, 0x06})
	p := MessagePackProtocol{}
	f.Fuzz(func(t *testing.T, frame []byte) {
		msgs, err := p.Parse(frame)
		if err != nil {
			return
		}
		for _, m := range msgs {
			for _, raw := range []Raw{m.Arguments, m.Item, m.Result} {
				if raw != nil {
					if _, _, err := MsgpackToJSON(nil, raw); err != nil {
						t.Fatalf("parsed, but %x does not transcode: %v", raw, err)
					}
				}
			}
		}
	})
}

func FuzzJSONToMsgpack(f *testing.F) {
	for _, c := range goldenCases(f) {
		f.Add([]byte(c.JSON))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		out, err := JSONToMsgpack(nil, text)
		if err != nil {
			return
		}
		if _, _, err := MsgpackToJSON(nil, out); err != nil {
			t.Fatalf("%s gave %x, which does not read back: %v", text, out, err)
		}
	})
}

// Whatever MessagePack value a server sends, what the page gets is JSON, and it comes back
// as the same values after a trip to MessagePack and back (the transcoder's fixed point;
// values compared as the page gets them: an int64 past 2⁵³ is the nearest double either
// way, and a Date keeps whole milliseconds of what its tag carries).
func FuzzMsgpackToJSON(f *testing.F) {
	for _, c := range goldenCases(f) {
		if raw, err := JSONToMsgpack(nil, []byte(c.JSON)); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte{0xd6, 0xff, 0, 0, 0, 1})
	f.Add([]byte{0x81, 0x01, 0xc4, 0x01, 0xff})
	f.Fuzz(func(t *testing.T, raw []byte) {
		text, _, err := MsgpackToJSON(nil, raw)
		if err != nil {
			return
		}
		if !json.Valid(text) {
			t.Fatalf("%x gave %q, which is not JSON", raw, text)
		}
		back, err := JSONToMsgpack(nil, text)
		if err != nil {
			t.Fatalf("%x gave %s, which does not transcode: %v", raw, text, err)
		}
		again, _, err := MsgpackToJSON(nil, back)
		var first, second any
		if err != nil || json.Unmarshal(text, &first) != nil || json.Unmarshal(again, &second) != nil || !reflect.DeepEqual(pageValue(first), pageValue(second)) {
			t.Fatalf("%x gave %s, then %x, then %s (%v)", raw, text, back, again, err)
		}
	})
}

// pageValue is a decoded tagged JSON value as the page's reviver makes it: a Date tag's
// milliseconds are cut to whole ones, as new Date(ms) cuts them.
func pageValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if ms, ok := v["\x00d"].(float64); ok && len(v) == 1 {
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
