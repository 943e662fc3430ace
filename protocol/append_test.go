package protocol

import (
	"bytes"
	"strings"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/internal/msgpack"
)

// A sender reuses one buffer for its frames (client.HubConnection.send): Append must put
// the frame alone (Append to nil, which reads back as the message) after what the buffer
// holds, whatever room the buffer has, and for MessagePack whatever the size of the length
// prefix (1, 2 and 3 bytes here).
func TestAppendIsWriteAfterWhatIsThere(t *testing.T) {
	for _, p := range []HubProtocol{JSONProtocol{}, MessagePackProtocol{}} {
		text := func(n int) Raw {
			s := strings.Repeat("x", n)
			if p.Name() == "json" {
				return Raw(`["` + s + `"]`)
			}
			return msgpack.AppendString(msgpack.AppendArrayLen(nil, 1), s)
		}
		for _, m := range []Message{
			{Type: InvocationType, Target: "Send", Arguments: text(1)},
			{Type: InvocationType, Target: "Send", Arguments: text(200), InvocationID: "3", StreamIDs: []string{"4"}},
			{Type: InvocationType, Target: "Send", Arguments: text(20000), InvocationID: "5"},
			{Type: StreamItemType, InvocationID: "2", Item: text(3)},
			{Type: CompletionType, InvocationID: "7", Error: "nope"},
			{Type: CancelInvocationType, InvocationID: "4"},
			{Type: PingType},
		} {
			want, err := p.Append(nil, &m)
			if err != nil {
				t.Fatal(err)
			}
			if back, err := p.Parse(nil, want); err != nil || len(back) != 1 || !bytes.Equal(back[0].Arguments, m.Arguments) || !bytes.Equal(back[0].Item, m.Item) {
				t.Fatalf("%s, type %d: %d-byte frame reads back as %v, %v", p.Name(), m.Type, len(want), back, err)
			}
			for _, before := range [][]byte{nil, []byte("ab"), append(make([]byte, 0, 64<<10), "abc"...)} {
				prefix := string(before)
				got, err := p.Append(before, &m)
				if err != nil || string(got[:len(prefix)]) != prefix || !bytes.Equal(got[len(prefix):], want) {
					t.Errorf("%s, type %d, %d-byte frame: Append after %q gave %q, %v", p.Name(), m.Type, len(want), prefix, got, err)
				}
			}
		}
	}
	if got, err := (MessagePackProtocol{}).Append([]byte("ab"), &Message{Type: 99}); err == nil || string(got) != "ab" {
		t.Errorf("Append of an unknown type: %q, %v; want the buffer as it was and an error", got, err)
	}
}

// A buffer that has held one frame takes the next of its size without an allocation.
func TestAppendIntoAUsedBufferAllocatesNothing(t *testing.T) {
	for _, p := range []HubProtocol{JSONProtocol{}, MessagePackProtocol{}} {
		m := Message{Type: InvocationType, Target: "Add", Arguments: Raw{0x92, 0x01, 0x02}, StreamIDs: []string{"1"}}
		if p.Name() == "json" {
			m.Arguments = Raw(`[1,2]`)
		}
		buf, _ := p.Append(nil, &m)
		if n := testing.AllocsPerRun(100, func() { buf, _ = p.Append(buf[:0], &m) }); n != 0 {
			t.Errorf("%s: %v allocations per frame", p.Name(), n)
		}
	}
}

// A reader reuses one slice for each frame's messages (client.HubConnection.processIncoming):
// Parse appends to what the slice holds, and a frame that fails leaves it as it was.
func TestParseAppendsToWhatIsThere(t *testing.T) {
	for _, p := range []HubProtocol{JSONProtocol{}, MessagePackProtocol{}} {
		ping, _ := p.Append(nil, &Message{Type: PingType})
		cancel, _ := p.Append(nil, &Message{Type: CancelInvocationType, InvocationID: "9"})
		before := []Message{{Type: CloseType}}
		got, err := p.Parse(before, append(ping, cancel...))
		if err != nil || len(got) != 3 || got[0].Type != CloseType || got[1].Type != PingType || got[2].InvocationID != "9" {
			t.Errorf("%s: Parse after one message gave %+v, %v", p.Name(), got, err)
		}
		bad := append(append([]byte(nil), ping...), 0xff, 0xff) // a good message, then a broken one
		if got, err := p.Parse(before, bad); err == nil || len(got) != 1 || got[0].Type != CloseType {
			t.Errorf("%s: Parse of a broken frame gave %+v, %v; want the slice as it was and an error", p.Name(), got, err)
		}
	}
}
