// Package protocol is the SignalR hub protocol: the messages, their codecs and the handshake.
//
// Values inside messages (arguments, results, stream items) stay encoded as Raw in the
// protocol's own format. The engine routes messages without ever decoding a value; only the
// edges that need the values (the JS bridge, the Go hub methods) decode them, once.
package protocol

// MessageType is the "type" field of a hub message; the numbers are the wire values.
type MessageType int

const (
	InvocationType       MessageType = 1
	StreamItemType       MessageType = 2
	CompletionType       MessageType = 3
	StreamInvocationType MessageType = 4
	CancelInvocationType MessageType = 5
	PingType             MessageType = 6
	CloseType            MessageType = 7
	AckType              MessageType = 8
	SequenceType         MessageType = 9
)

// TransferFormat says whether a protocol's frames are text or binary; the numbers are signalr.js's.
type TransferFormat int

const (
	Text   TransferFormat = 1
	Binary TransferFormat = 2
)

func (f TransferFormat) String() string {
	switch f {
	case Text:
		return "Text"
	case Binary:
		return "Binary"
	}
	return ""
}

// Raw is one value encoded in the protocol's own format: JSON text for the JSON protocol.
type Raw []byte

// Message is any hub message. One flat struct, as signalr.js's HubMessage union, so that a
// codec is one switch over Type; each type uses only the fields its wire form has.
type Message struct {
	Type    MessageType
	Headers map[string]string

	// InvocationID is "" for a non-blocking Invocation.
	InvocationID string
	Target       string
	// TargetKind tells an Invocation whose target is not a string, which only the
	// MessagePack protocol lets through, as its add-on does.
	TargetKind TargetKind
	// Arguments is the encoded array of the invocation's arguments (nil is an empty array).
	Arguments Raw
	StreamIDs []string

	// Item is a StreamItem's value.
	Item Raw

	// Result is a Completion's value, nil when the completion carries none.
	Result Raw
	// Error is a Completion's or a Close's error; "" is none, as signalr.js reads it.
	Error string

	AllowReconnect bool
	SequenceID     int64
}

// TargetKind is what an Invocation's target is on the wire.
type TargetKind int

const (
	StringTarget TargetKind = iota
	NullTarget
	OtherTarget // a number, a boolean, an array, a map or binary
)

// HubProtocol is one hub protocol: how messages become frames and back.
type HubProtocol interface {
	// Name is the name sent in the handshake: "json" or "messagepack".
	Name() string
	// Version is the protocol version sent in the handshake.
	Version() int
	TransferFormat() TransferFormat
	// Parse appends every message in one transport frame to msgs, or returns msgs as it was
	// and the frame's first error: a reader that reuses one slice allocates none per frame.
	// Unknown message types are returned with their Type so that the caller can log them.
	Parse(msgs []Message, frame []byte) ([]Message, error)
	// Append returns b with one message framed for the transport (separator or length
	// prefix included) appended: a sender that reuses one buffer allocates nothing per
	// message, and Append(nil, m) is the frame alone.
	Append(b []byte, m *Message) ([]byte, error)
}

// grow returns s with room for n more elements, in one allocation. A frame's size is known
// nearly exactly before it is written, where append would grow it several times. A frame's
// messages are counted when they do not fit (Parse), so that its slice grows once, to hold them
// all: grown by append, a slice past a few hundred messages grows by a quarter at a time, each
// time a copy of all the messages so far, and for the frames of thousands of items a fresh
// page's first stream gets, those copies and their large allocations were a quarter of Go's
// time reading it.
func grow[E any](s []E, n int) []E {
	grown := make([]E, len(s), len(s)+n)
	copy(grown, s)
	return grown
}
