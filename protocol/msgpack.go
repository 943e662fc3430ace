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
	var prev Message // the frame's message before, whose target and id the next often has
	for len(frame) > 0 {
		size, n, err := readLengthPrefix(frame)
		if err != nil {
			return msgs[:start], err
		}
		// The message is written where it is kept: a Message is a large value to copy.
		if len(msgs) == cap(msgs) {
			msgs = grow(msgs, countMsgpackMessages(frame))
		}
		msgs = append(msgs, Message{})
		m := &msgs[len(msgs)-1]
		if err := parseMsgpackMessage(m, &prev, frame[n:n+size]); err != nil {
			return msgs[:start], err
		}
		prev.Target, prev.InvocationID = m.Target, m.InvocationID
		frame = frame[n+size:]
	}
	return msgs, nil
}

// countMsgpackMessages counts the messages of frame up to the first length prefix that is not
// one (Parse fails there).
func countMsgpackMessages(frame []byte) int {
	count := 0
	for len(frame) > 0 {
		size, n, err := readLengthPrefix(frame)
		if err != nil {
			break
		}
		count++
		frame = frame[n+size:]
	}
	return count
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
// The strings equal to prev's are prev's, not copies.
func parseMsgpackMessage(m *Message, prev *Message, payload []byte) error {
	if len(payload) == 0 {
		return errInvalidPayload
	}
	// The message's parts are checked as they are split: one walk over its bytes, in the
	// order (and so with the first error) of checking the whole value first.
	r := msgpack.NewReader(payload)
	head, err := r.Next()
	if err != nil {
		return err
	}
	// (An array longer than its bytes can hold fails the check: its parts are not made.)
	if head.Kind != msgpack.Array || head.N > int64(len(payload)-r.Pos()) {
		if err := validateMsgpack(payload); err != nil {
			return err
		}
		return errInvalidPayload
	}
	// A message has at most 6 parts: slices made for them would be allocations per message.
	var parts [6]Raw
	var scalars [6]msgpack.Value // each part's header: all of a scalar
	props, heads := parts[:], scalars[:]
	if head.N > int64(len(parts)) {
		props, heads = make([]Raw, head.N), make([]msgpack.Value, head.N)
	}
	props, heads = props[:head.N], heads[:head.N]
	for i := range props {
		start := r.Pos()
		if err = validateValue(&r, &heads[i]); err != nil {
			return err
		}
		props[i] = payload[start:r.Pos()]
	}
	if err := r.End(); err != nil {
		return err
	}
	if head.N == 0 {
		return errInvalidPayload
	}
	t, ok := heads[0].Number()
	if !ok || t != float64(int(t)) {
		m.Type = -1
		return nil
	}
	m.Type = MessageType(t)
	switch m.Type {
	case InvocationType, StreamInvocationType:
		what := "Invocation"
		if m.Type == StreamInvocationType {
			what = "StreamInvocation"
		}
		if err := checkHeaders(heads, 5, what); err != nil {
			return err
		}
		if mpTruthy(heads[2]) {
			m.InvocationID = mpText(heads[2], prev.InvocationID)
		}
		m.Target = mpText(heads[3], prev.Target)
		switch heads[3].Kind {
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
		if err := checkHeaders(heads, 4, "StreamItem"); err != nil {
			return err
		}
		m.InvocationID = mpText(heads[2], prev.InvocationID)
		m.Item = props[3]
	case CompletionType:
		if err := checkHeaders(heads, 4, "Completion"); err != nil {
			return err
		}
		kind, _ := heads[3].Number()
		if kind != msgpackVoidResult && len(props) < 5 {
			return errors.New("Invalid payload for Completion message.")
		}
		m.InvocationID = mpText(heads[2], prev.InvocationID)
		switch kind {
		case msgpackErrorResult:
			m.Error = mpText(heads[4], "")
		case msgpackNonVoidResult:
			m.Result = props[4]
		}
	case CancelInvocationType:
		if err := checkHeaders(heads, 3, "CancelInvocation"); err != nil {
			return err
		}
		m.InvocationID = mpText(heads[2], prev.InvocationID)
	case CloseType:
		if len(props) < 2 {
			return errors.New("Invalid payload for Close message.")
		}
		m.Error = mpText(heads[1], "")
		m.AllowReconnect = len(props) >= 3 && mpTruthy(heads[2])
	case AckType, SequenceType:
		if len(props) > 1 {
			n, _ := heads[1].Number()
			m.SequenceID = int64(n)
		}
	}
	return nil
}

// checkHeaders checks a message's headers part and its count of parts, as the add-on does.
func checkHeaders(heads []msgpack.Value, min int, what string) error {
	if len(heads) < 2 || heads[1].JSTypeof() != "object" {
		return errors.New("Invalid headers.")
	}
	if len(heads) < min {
		return errors.New("Invalid payload for " + what + " message.")
	}
	return nil
}

const (
	msgpackErrorResult   = 1
	msgpackVoidResult    = 2
	msgpackNonVoidResult = 3
)

// mpText is String(value) for the scalars a message carries as text; nil is "" (none). A
// text equal to same is same itself.
func mpText(v msgpack.Value, same string) string {
	switch v.Kind {
	case msgpack.Str:
		if string(v.Data) == same {
			return same
		}
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

func mpTruthy(v msgpack.Value) bool {
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
		ir := msgpack.NewReader(item)
		v, _ := ir.Next()
		out = append(out, mpText(v, ""))
	}
	return out
}

// validateMsgpack decodes a value as @msgpack/msgpack would, for its errors only: map keys
// must be strings or numbers, and __proto__ is refused.
func validateMsgpack(b []byte) error {
	r := msgpack.NewReader(b)
	var head msgpack.Value
	if err := validateValue(&r, &head); err != nil {
		return err
	}
	return r.End()
}

// validateValue checks the value at r, its header read into head. It walks the value in a
// loop, with the arrays and maps it is inside on a stack of its own, and one Value for what
// it reads (msgpack.Reader.Read says why): walked by a function called for each value
// inside, a stream item (a message of scalars) took a third more machine instructions
// under V8's baseline tier (9,485 against 7,020).
func validateValue(r *msgpack.Reader, head *msgpack.Value) error {
	if err := r.Read(head); err != nil {
		return err
	}
	// inside holds what is left to read of each array and map the walk is in, innermost
	// last: a map's count is twice its entries', and a key comes next when it is even.
	type container struct {
		left  int64
		isMap bool
	}
	var room [8]container
	inside := room[:0]
	v := head
	var scratch msgpack.Value
	for {
		switch v.Kind {
		case msgpack.Ext:
			if n := len(v.Data); v.N == -1 && n != 4 && n != 8 && n != 12 {
				return msgpack.TimestampSizeError(n)
			}
		case msgpack.Array:
			if v.N > 0 {
				inside = append(inside, container{v.N, false})
			}
		case msgpack.Map:
			if v.N > 0 {
				inside = append(inside, container{2 * v.N, true})
			}
		}
		if len(inside) == 0 {
			return nil
		}
		c := &inside[len(inside)-1]
		key := c.isMap && c.left%2 == 0
		if c.left--; c.left == 0 {
			inside = inside[:len(inside)-1]
		}
		v = &scratch
		var err error
		if key {
			err = r.ReadKey(v) // a string or a number: nothing to enter or check
		} else {
			err = r.Read(v)
		}
		if err != nil {
			return err
		}
	}
}

// Append frames one message as the add-on does: headers always an empty map, a send's
// invocation id nil, stream ids only when there are streams, a Close as [7, nil].
func (MessagePackProtocol) Append(dst []byte, m *Message) ([]byte, error) {
	// The payload is written after room for the longest length prefix, which then goes
	// right before it, the payload moved back by what the prefix did not need.
	const room = 5
	start := len(dst)
	if need := room + 32 + len(m.Target) + len(m.Arguments) + len(m.Item) + len(m.Result) + len(m.Error); cap(dst)-start < need {
		dst = grow(dst, need)
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
