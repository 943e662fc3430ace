package protocol

import (
	"errors"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
	"github.com/signalr-wasm/signalr-wasm/internal/msgpack"
)

// DecodeError is an error with the class of JS error signalr.js would show for it: Class is
// "DecodeError" or "RangeError" for MessagePack that @msgpack/msgpack refuses, "TypeError"
// for a negotiate or handshake response signalr.js cannot read. It is the reader's own type,
// named here so that callers of the protocol can tell it.
type DecodeError = msgpack.DecodeError

// The JS expressions a DecodeError's Fault names.
const (
	FaultHandshake = msgpack.FaultHandshake
	FaultNegotiate = msgpack.FaultNegotiate
	FaultDataView  = msgpack.FaultDataView
)

// MessagePackProtocol is SignalR's MessagePack hub protocol: each message is a MessagePack
// array framed with a varint length prefix. What it writes for a client's messages is byte
// for byte what @microsoft/signalr-protocol-msgpack writes (@msgpack/msgpack's encoder);
// what it reads, and the errors it reads with, are that add-on's.
type MessagePackProtocol struct{}

func (MessagePackProtocol) Name() string                   { return "messagepack" }
func (MessagePackProtocol) Version() int                   { return 1 }
func (MessagePackProtocol) TransferFormat() TransferFormat { return Binary }

// Parse splits a frame by its length prefixes (signalr.js's BinaryMessageFormat.parse) and
// reads each message.
func (MessagePackProtocol) Parse(msgs []Message, frame []byte) ([]Message, error) {
	start := len(msgs)
	for len(frame) > 0 {
		size, n, err := readLengthPrefix(frame)
		if err != nil {
			return msgs[:start], err
		}
		m, err := parseMsgpackMessage(frame[n : n+size])
		if err != nil {
			return msgs[:start], err
		}
		msgs = append(msgs, m)
		frame = frame[n+size:]
	}
	return msgs, nil
}

func readLengthPrefix(frame []byte) (size, n int, err error) {
	const maxPrefix = 5
	var b byte
	for {
		b = frame[n]
		size |= int(b&0x7f) << (7 * n)
		n++
		if n >= min(maxPrefix, len(frame)) || b&0x80 == 0 {
			break
		}
	}
	if b&0x80 != 0 && n < maxPrefix {
		return 0, 0, errors.New("Cannot read message size.")
	}
	if n == maxPrefix && b > 7 {
		return 0, 0, errors.New("Messages bigger than 2GB are not supported.")
	}
	if len(frame) < n+size {
		return 0, 0, errors.New("Incomplete message.")
	}
	return size, n, nil
}

func appendLengthPrefix(b []byte, size int) []byte {
	for {
		part := byte(size & 0x7f)
		size >>= 7
		if size > 0 {
			part |= 0x80
		}
		b = append(b, part)
		if size == 0 {
			return b
		}
	}
}

// parseMsgpackMessage is the add-on's _parseMessage: the whole value is decoded (and so
// checked) first, then read as a message array; unknown types come back with their Type.
func parseMsgpackMessage(payload []byte) (Message, error) {
	if len(payload) == 0 {
		return Message{}, errInvalidPayload
	}
	if err := validateMsgpack(payload); err != nil {
		return Message{}, err
	}
	r := msgpack.NewReader(payload)
	head, _ := r.Next()
	if head.Kind != msgpack.Array || head.N == 0 {
		return Message{}, errInvalidPayload
	}
	var parts [6]Raw // a message has at most 6 parts: a slice made for them is an allocation per message
	props := parts[:]
	if head.N > int64(len(parts)) {
		props = make([]Raw, head.N)
	}
	props = props[:head.N]
	for i := range props {
		props[i], _ = r.Skip()
	}
	t, ok := mpScalar(props[0]).Number()
	if !ok || t != float64(int(t)) {
		return Message{Type: -1}, nil
	}
	m := Message{Type: MessageType(t)}
	headers := func(min int, what string) error {
		if len(props) < 2 || mpScalar(props[1]).JSTypeof() != "object" {
			return errors.New("Invalid headers.")
		}
		if len(props) < min {
			return errors.New("Invalid payload for " + what + " message.")
		}
		return nil
	}
	switch m.Type {
	case InvocationType, StreamInvocationType:
		what := "Invocation"
		if m.Type == StreamInvocationType {
			what = "StreamInvocation"
		}
		if err := headers(5, what); err != nil {
			return m, err
		}
		if mpTruthy(props[2]) {
			m.InvocationID = mpText(props[2])
		}
		m.Target = mpText(props[3])
		switch mpScalar(props[3]).Kind {
		case msgpack.Str:
		case msgpack.Nil:
			m.TargetKind = NullTarget
		default:
			m.TargetKind = OtherTarget
		}
		m.Arguments = props[4]
		if len(props) > 5 {
			m.StreamIDs = mpStrings(props[5])
		}
	case StreamItemType:
		if err := headers(4, "StreamItem"); err != nil {
			return m, err
		}
		m.InvocationID = mpText(props[2])
		m.Item = props[3]
	case CompletionType:
		if err := headers(4, "Completion"); err != nil {
			return m, err
		}
		kind, _ := mpScalar(props[3]).Number()
		if kind != msgpackVoidResult && len(props) < 5 {
			return m, errors.New("Invalid payload for Completion message.")
		}
		m.InvocationID = mpText(props[2])
		switch kind {
		case msgpackErrorResult:
			m.Error = mpText(props[4])
		case msgpackNonVoidResult:
			m.Result = props[4]
		}
	case CancelInvocationType:
		if err := headers(3, "CancelInvocation"); err != nil {
			return m, err
		}
		m.InvocationID = mpText(props[2])
	case CloseType:
		if len(props) < 2 {
			return m, errors.New("Invalid payload for Close message.")
		}
		m.Error = mpText(props[1])
		m.AllowReconnect = len(props) >= 3 && mpTruthy(props[2])
	case AckType, SequenceType:
		if len(props) > 1 {
			n, _ := mpScalar(props[1]).Number()
			m.SequenceID = int64(n)
		}
	}
	return m, nil
}

const (
	msgpackErrorResult   = 1
	msgpackVoidResult    = 2
	msgpackNonVoidResult = 3
)

func mpScalar(raw Raw) msgpack.Value {
	r := msgpack.NewReader(raw)
	v, _ := r.Next()
	return v
}

// mpText is String(value) for the scalars a message carries as text; nil is "" (none).
func mpText(raw Raw) string {
	v := mpScalar(raw)
	switch v.Kind {
	case msgpack.Str:
		return string(v.Data)
	case msgpack.Bool:
		if v.B {
			return "true"
		}
		return "false"
	}
	if f, ok := v.Number(); ok {
		return jstext.NumberText(f)
	}
	return ""
}

func mpTruthy(raw Raw) bool {
	v := mpScalar(raw)
	switch v.Kind {
	case msgpack.Nil:
		return false
	case msgpack.Bool:
		return v.B
	case msgpack.Str:
		return len(v.Data) > 0
	}
	if f, ok := v.Number(); ok {
		return f != 0 && f == f
	}
	return true
}

func mpStrings(raw Raw) []string {
	r := msgpack.NewReader(raw)
	head, err := r.Next()
	if err != nil || head.Kind != msgpack.Array {
		return nil
	}
	out := make([]string, 0, head.N)
	for i := int64(0); i < head.N; i++ {
		item, err := r.Skip()
		if err != nil {
			return out
		}
		out = append(out, mpText(item))
	}
	return out
}

// validateMsgpack decodes a value as @msgpack/msgpack would, for its errors only: map keys
// must be strings or numbers, and __proto__ is refused.
func validateMsgpack(b []byte) error {
	r := msgpack.NewReader(b)
	if err := validateValue(&r); err != nil {
		return err
	}
	return r.End()
}

func validateValue(r *msgpack.Reader) error {
	v, err := r.Next()
	if err != nil {
		return err
	}
	switch v.Kind {
	case msgpack.Ext:
		if n := len(v.Data); v.N == -1 && n != 4 && n != 8 && n != 12 {
			return msgpack.TimestampSizeError(n)
		}
	case msgpack.Array:
		for i := int64(0); i < v.N; i++ {
			if err := validateValue(r); err != nil {
				return err
			}
		}
	case msgpack.Map:
		for i := int64(0); i < v.N; i++ {
			if _, err := r.Key(); err != nil {
				return err
			}
			if err := validateValue(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// Append frames one message as the add-on does: headers always an empty map, a send's
// invocation id nil, stream ids only when there are streams, a Close as [7, nil].
func (MessagePackProtocol) Append(dst []byte, m *Message) ([]byte, error) {
	// The payload is written after room for the longest length prefix, which then goes
	// right before it, the payload moved back by what the prefix did not need.
	const room = 5
	start := len(dst)
	if need := room + 32 + len(m.Target) + len(m.Arguments) + len(m.Item) + len(m.Result) + len(m.Error); cap(dst)-start < need {
		dst = growBy(dst, need)
	}
	b := dst[:start+room]
	header := func(n int) {
		b = msgpack.AppendArrayLen(b, n)
		b = msgpack.AppendInt(b, int64(m.Type))
		if m.Type != CloseType && m.Type != PingType && m.Type != AckType && m.Type != SequenceType {
			b = msgpack.AppendMapLen(b, 0)
		}
	}
	raw := func(r Raw, empty byte) {
		if len(r) == 0 {
			b = append(b, empty)
			return
		}
		b = append(b, r...)
	}
	switch m.Type {
	case InvocationType, StreamInvocationType:
		n := 5
		if m.StreamIDs != nil {
			n = 6
		}
		header(n)
		if m.InvocationID == "" {
			b = msgpack.AppendNil(b)
		} else {
			b = msgpack.AppendString(b, m.InvocationID)
		}
		b = msgpack.AppendString(b, m.Target)
		raw(m.Arguments, 0x90)
		if m.StreamIDs != nil {
			b = msgpack.AppendArrayLen(b, len(m.StreamIDs))
			for _, id := range m.StreamIDs {
				b = msgpack.AppendString(b, id)
			}
		}
	case StreamItemType:
		header(4)
		b = msgpack.AppendString(b, m.InvocationID)
		raw(m.Item, 0xc0)
	case CompletionType:
		switch {
		case m.Error != "":
			header(5)
			b = msgpack.AppendString(b, m.InvocationID)
			b = msgpack.AppendInt(b, msgpackErrorResult)
			b = msgpack.AppendString(b, m.Error)
		case m.Result != nil:
			header(5)
			b = msgpack.AppendString(b, m.InvocationID)
			b = msgpack.AppendInt(b, msgpackNonVoidResult)
			raw(m.Result, 0xc0)
		default:
			header(4)
			b = msgpack.AppendString(b, m.InvocationID)
			b = msgpack.AppendInt(b, msgpackVoidResult)
		}
	case CancelInvocationType:
		header(3)
		b = msgpack.AppendString(b, m.InvocationID)
	case PingType:
		header(1)
	case CloseType:
		// A server's Close carries its error and allowReconnect, as ASP.NET's does.
		if m.Error == "" && !m.AllowReconnect {
			header(2)
			b = msgpack.AppendNil(b)
			break
		}
		header(3)
		if m.Error == "" {
			b = msgpack.AppendNil(b)
		} else {
			b = msgpack.AppendString(b, m.Error)
		}
		b = msgpack.AppendBool(b, m.AllowReconnect)
	case AckType, SequenceType:
		header(2)
		b = msgpack.AppendInt(b, m.SequenceID)
	default:
		return dst[:start], errors.New("Invalid message type.")
	}
	prefix := appendLengthPrefix(make([]byte, 0, room), len(b)-start-room)
	copy(b[start+len(prefix):], b[start+room:])
	b = b[:len(b)-room+len(prefix)]
	copy(b[start:], prefix)
	return b, nil
}
