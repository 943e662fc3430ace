package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/internal/msgpack"
)

type golden struct {
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

// The frames of every message a client writes are the add-on's, byte for byte.
func TestMsgpackFramesAreTheAddOns(t *testing.T) {
	p := MessagePackProtocol{}
	args := Raw{0x92, 0x01, 0xa3, 't', 'w', 'o'} // [1, "two"]
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
		got, err := p.Append(nil, &m)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %x, %v; the add-on writes %x", f.Name, got, err, want)
			continue
		}
		back, err := p.Parse(nil, got)
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
		_, err := p.Parse(nil, frame)
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
		msgs, err := p.Parse(nil, frame)
		if err != nil {
			return
		}
		for _, m := range msgs {
			for _, raw := range []Raw{m.Arguments, m.Item, m.Result} {
				if raw != nil {
					r := msgpack.NewReader(raw)
					if _, err := r.Skip(); err != nil || r.End() != nil {
						t.Fatalf("parsed, but %x is not one whole value: %v", raw, err)
					}
				}
			}
		}
	})
}

// A frame of a server stream's items as ASP.NET Core joins them.
func BenchmarkMsgpackParseStream(b *testing.B) {
	var frame []byte
	for i := range 128 {
		var err error
		item := msgpack.AppendInt(nil, int64(i*37))
		if frame, err = (MessagePackProtocol{}).Append(frame, &Message{Type: StreamItemType, InvocationID: "1", Item: item}); err != nil {
			b.Fatal(err)
		}
	}
	benchmarkParseItems(b, MessagePackProtocol{}, frame, 128)
}

// A frame of invocations of a client method, as a SendMany broadcast arrives.
func BenchmarkMsgpackParseInvocations(b *testing.B) {
	var frame []byte
	for i := range 128 {
		mp := msgpack.AppendArrayLen(nil, 2)
		mp = msgpack.AppendInt(mp, int64(i))
		mp = msgpack.AppendMapLen(mp, 3)
		for _, kv := range [][2]string{{"message", "hello, this is a chat message of ordinary length"}, {"user", "alice"}} {
			mp = msgpack.AppendString(mp, kv[0])
			mp = msgpack.AppendString(mp, kv[1])
		}
		mp = msgpack.AppendString(mp, "n")
		mp = msgpack.AppendInt(mp, 42)
		var err error
		if frame, err = (MessagePackProtocol{}).Append(frame, &Message{Type: InvocationType, Target: "item", Arguments: mp}); err != nil {
			b.Fatal(err)
		}
	}
	benchmarkParseItems(b, MessagePackProtocol{}, frame, 128)
}
