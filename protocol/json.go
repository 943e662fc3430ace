package protocol

import (
	"bytes"
	"errors"
	"math"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
)

// JSONProtocol is the JSON hub protocol. Write produces the bytes signalr.js's
// JSON.stringify produces (same key order, same escaping), so a frame can be compared byte
// for byte with the official client's.
type JSONProtocol struct{}

func (JSONProtocol) Name() string                   { return "json" }
func (JSONProtocol) Version() int                   { return 1 }
func (JSONProtocol) TransferFormat() TransferFormat { return Text }

// InvalidJSONError is a record that is not JSON. It keeps the record: the browser bridge
// re-parses it with JSON.parse to hand pages the very SyntaxError signalr.js would.
type InvalidJSONError struct {
	Record []byte
	Err    error
}

func (e *InvalidJSONError) Error() string { return e.Err.Error() }
func (e *InvalidJSONError) Unwrap() error { return e.Err }

// jsonEnvelope keeps every value raw: nil means the key was absent, "null" that it was null.
type jsonEnvelope struct {
	Type           []byte
	Headers        map[string]string
	InvocationID   []byte
	Target         []byte
	Arguments      []byte
	StreamIDs      []string
	Item           []byte
	Result         []byte
	Error          []byte
	AllowReconnect []byte
	SequenceID     []byte

	// headers and streamIDs are the raw values that Headers and StreamIDs are read from.
	headers, streamIDs []byte
}

var errInvalidPayload = errors.New("Invalid payload.")

// Parse is signalr.js's JsonHubProtocol.parseMessages, with its validation and texts.
func (JSONProtocol) Parse(msgs []Message, frame []byte) ([]Message, error) {
	if len(frame) == 0 {
		return msgs, nil
	}
	if err := complete(frame); err != nil {
		return msgs, err
	}
	start := len(msgs)
	var env jsonEnvelope
	var prev Message // the frame's message before, whose target and id the next often has
	var repeat repeatedRecord
	for rest := frame; len(rest) > 0; {
		// Room for the rest of the frame, whose records are counted when they do not fit.
		if len(msgs) == cap(msgs) {
			msgs = grow(msgs, countRecords(rest))
		}
		if v, n := repeat.next(rest); n > 0 {
			msgs = append(msgs, msgs[len(msgs)-1])
			msgs[len(msgs)-1].setRepeatedValue(v)
			rest = rest[n:]
			continue
		}
		var plain []byte // the record, when decodePlain read it: the next may repeat it
		if n := env.decodePlain(rest); n >= 0 {
			plain, rest = rest[:n+1], rest[n+1:]
		} else {
			var rec []byte
			rec, rest, _ = nextRecord(rest) // complete: each ends with a separator
			if err := env.decode(rec); err != nil {
				return msgs[:start], err
			}
		}
		// The message is written where it is kept: a Message is a large value to copy, and
		// message sets all of it (appending a zero Message would zero it twice).
		msgs = msgs[:len(msgs)+1]
		m := &msgs[len(msgs)-1]
		if err := env.message(m, &prev); err != nil {
			return msgs[:start], err
		}
		prev.Target, prev.InvocationID = m.Target, m.InvocationID
		repeat = repeatedRecord{}
		if plain != nil {
			repeat.of(plain, m.repeatedValue())
		}
	}
	return msgs, nil
}

// repeatedRecord is a plain record around the value that tells its message from the next of
// a broadcast's frame, or of a stream's: a record that is the same bytes around another value
// is the same message with that value, read without its envelope. (Reading a stream's
// frames, Parse took 306 of the 650 samples Go spent on the items of a fresh page's first two
// streams; so, 183 of 534.)
type repeatedRecord struct {
	before, after []byte // after ends with the record's separator
}

// of keeps the record around value, one of its subslices (nil: none repeats).
func (r *repeatedRecord) of(record []byte, value Raw) {
	if value == nil {
		return
	}
	at := cap(record) - cap(value)
	r.before, r.after = record[:at], record[at+len(value):]
}

// next reads the record at the start of data, when it repeats the one kept, and returns its
// value and length.
func (r *repeatedRecord) next(data []byte) (Raw, int) {
	at := len(r.before)
	if at == 0 || len(data) <= at || !bytes.HasPrefix(data, r.before) {
		return nil, 0
	}
	end := plainValueEnd(data, at)
	if end < 0 || !bytes.HasPrefix(data[end:], r.after) {
		return nil, 0
	}
	return Raw(data[at:end]), end + len(r.after)
}

// repeatedValue is the value that is all that differs between the messages of a broadcast,
// or of a stream, or nil for a message that seldom repeats. (One with headers or stream ids
// does not: repeating it would share them.)
func (m *Message) repeatedValue() Raw {
	switch {
	case m.Headers != nil || m.StreamIDs != nil:
		return nil
	case m.Type == InvocationType:
		return m.Arguments
	case m.Type == StreamItemType:
		return m.Item
	}
	return nil
}

func (m *Message) setRepeatedValue(v Raw) {
	if m.Type == InvocationType {
		m.Arguments = v
	} else {
		m.Item = v
	}
}

// decode reads a record's keys exactly as JSON.parse does: case-sensitive, the last of
// duplicate keys winning.
func (env *jsonEnvelope) decode(rec []byte) error {
	if !env.decodeMembers(rec) {
		// Valid JSON of another shape (a number, an array) is an invalid payload: signalr.js
		// reads .type from it and finds no number.
		return notObjectError(rec, errInvalidPayload)
	}
	env.decodeLists()
	return nil
}

// decodeLists reads the headers and stream ids that decodePlain or decodeMembers kept raw.
func (env *jsonEnvelope) decodeLists() {
	// Headers and stream ids of another shape are ignored, as signalr.js never checks them;
	// values that are not strings are kept as "".
	if env.headers != nil {
		eachMember(env.headers, '{', func(key, raw []byte) {
			if env.Headers == nil {
				env.Headers = map[string]string{}
			}
			env.Headers[string(key)], _ = unquote(raw)
		})
	}
	if env.streamIDs != nil {
		env.StreamIDs = jsonStrings(env.streamIDs)
	}
}

// decodePlain reads the record at the start of data (a frame's records from there on) when
// it is one that servers write: an object without space around its members, keys without
// escapes, and the record separator right after it. It returns the record's length, where
// its separator is, or -1 for any other record, which decode then reads. A member of such a
// record costs a PlainEnd or two here, where the general reading (members, for any JSON)
// calls a function or four per key and value: in the browser the calls were most of what
// reading a stream item or a completion cost. The record's end is where its object ends, so
// the frame is not searched for the separator first: none can be inside, as JSON holds no
// raw control character.
func (env *jsonEnvelope) decodePlain(data []byte) int {
	*env = jsonEnvelope{}
	if len(data) == 0 || data[0] != '{' {
		return -1
	}
	for i := 1; ; {
		if i >= len(data) || data[i] != '"' {
			return -1
		}
		start := i + 1
		if i = jstext.PlainEnd(data, start, false); i >= len(data) || data[i] != '"' {
			return -1
		}
		key := data[start:i]
		if i+2 >= len(data) || data[i+1] != ':' {
			return -1
		}
		i += 2
		end := plainValueEnd(data, i)
		if end < 0 || end >= len(data) {
			return -1
		}
		env.set(key, data[i:end])
		switch data[end] {
		case ',':
			i = end + 1
		case '}':
			if end+1 >= len(data) || data[end+1] != RecordSeparator {
				return -1
			}
			env.decodeLists()
			return end + 1
		default:
			return -1
		}
	}
}

// decodeMembers reads any record, and tells whether it was one JSON object.
func (env *jsonEnvelope) decodeMembers(rec []byte) bool {
	*env = jsonEnvelope{}
	m := members{b: rec, open: '{'}
	for key, raw, ok := m.next(); ok; key, raw, ok = m.next() {
		env.set(key, raw)
	}
	return m.ended
}

// plainValueEnd is scanValue for decodePlain, with the values a server's envelope mostly
// holds (an integer, a string without escapes) read without its calls. (scanValue reads an
// integer in place too; its call, for the type and each item, was a tenth of a stream item.)
func plainValueEnd(b []byte, i int) int {
	switch c := b[i]; {
	case c == '"':
		if j := jstext.PlainEnd(b, i+1, false); j < len(b) && b[j] == '"' {
			return j + 1
		}
		end, _ := scanString(b, i)
		return end
	case c >= '1' && c <= '9':
		j := i + 1
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j < len(b) && (b[j] == ',' || b[j] == '}') {
			return j
		}
	}
	return scanValue(b, i)
}

// set keeps the raw value of one of the envelope's keys.
func (env *jsonEnvelope) set(key, raw []byte) {
	switch string(key) {
	case "type":
		env.Type = raw
	case "invocationId":
		env.InvocationID = raw
	case "target":
		env.Target = raw
	case "arguments":
		env.Arguments = raw
	case "item":
		env.Item = raw
	case "result":
		env.Result = raw
	case "error":
		env.Error = raw
	case "allowReconnect":
		env.AllowReconnect = raw
	case "sequenceId":
		env.SequenceID = raw
	case "headers":
		env.headers = raw
	case "streamIds":
		env.streamIDs = raw
	}
}

// jsonStrings reads an array of strings; other values are "" and anything but an array nil.
func jsonStrings(raw []byte) []string {
	var out []string
	if !eachMember(raw, '[', func(_, item []byte) {
		s, _ := unquote(item)
		out = append(out, s)
	}) {
		return nil
	}
	return out
}

// message reads the envelope's fields into m; the strings equal to prev's are prev's, not
// copies.
func (env *jsonEnvelope) message(m *Message, prev *Message) error {
	var t float64
	if len(env.Type) == 1 && env.Type[0]-'0' <= 9 { // every type there is, without a call
		t = float64(env.Type[0] - '0')
	} else {
		var ok bool
		if t, ok = jstext.ParseNumber(env.Type); !ok {
			return errInvalidPayload
		}
	}
	*m = Message{Type: MessageType(t), Headers: env.Headers}
	if t != math.Trunc(t) || t < 1 || t > 9 {
		// Unknown types are kept, with no fields, for the caller to log and skip.
		m.Type = MessageType(int(t))
		if t != math.Trunc(t) {
			m.Type = 0
		}
		return nil
	}
	switch m.Type {
	case InvocationType:
		const bad = "Invalid payload for Invocation message."
		target, ok := nonEmptyString(env.Target, prev.Target)
		if !ok {
			return errors.New(bad)
		}
		m.Target = target
		if env.InvocationID != nil {
			id, ok := nonEmptyString(env.InvocationID, prev.InvocationID)
			if !ok {
				return errors.New(bad)
			}
			m.InvocationID = id
		}
		m.Arguments = Raw(env.Arguments)
		m.StreamIDs = env.StreamIDs
	case StreamItemType:
		const bad = "Invalid payload for StreamItem message."
		id, ok := nonEmptyString(env.InvocationID, prev.InvocationID)
		if !ok || env.Item == nil {
			return errors.New(bad)
		}
		m.InvocationID, m.Item = id, Raw(env.Item)
	case CompletionType:
		const bad = "Invalid payload for Completion message."
		resultTruthy, errorTruthy := truthy(env.Result), truthy(env.Error)
		if resultTruthy && errorTruthy {
			return errors.New(bad)
		}
		if errorTruthy {
			e, ok := nonEmptyString(env.Error, "")
			if !ok {
				return errors.New(bad)
			}
			m.Error = e
		}
		id, ok := nonEmptyString(env.InvocationID, prev.InvocationID)
		if !ok {
			return errors.New(bad)
		}
		m.InvocationID = id
		if env.Result != nil {
			m.Result = Raw(env.Result)
		}
	case StreamInvocationType:
		m.Target, _ = nonEmptyString(env.Target, prev.Target)
		m.InvocationID, _ = nonEmptyString(env.InvocationID, prev.InvocationID)
		m.Arguments = Raw(env.Arguments)
		m.StreamIDs = env.StreamIDs
	case CancelInvocationType:
		m.InvocationID, _ = nonEmptyString(env.InvocationID, prev.InvocationID)
	case CloseType:
		// signalr.js builds "Server returned an error on close: " + error from any truthy value.
		if truthy(env.Error) {
			m.Error = jsText(env.Error)
		}
		m.AllowReconnect = string(env.AllowReconnect) == "true"
	case AckType, SequenceType:
		n, ok := jstext.ParseNumber(env.SequenceID)
		if !ok {
			if m.Type == AckType {
				return errors.New("Invalid SequenceId for Ack message.")
			}
			return errors.New("Invalid SequenceId for Sequence message.")
		}
		m.SequenceID = int64(n)
	}
	return nil
}

// nonEmptyString reads a JSON string that must not be empty; a text equal to same is same
// itself, not a new copy (the messages of a frame mostly share a target or an invocation id).
func nonEmptyString(raw []byte, same string) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if end, plain := scanString(raw, 0); plain && end == len(raw) {
		if text := raw[1 : end-1]; string(text) == same {
			return same, same != ""
		}
		return string(raw[1 : end-1]), end > 2
	}
	s, ok := unquote(raw)
	return s, ok && s != ""
}

// jsText is String(value) in JS for a JSON value, as string concatenation shows it.
func jsText(raw []byte) string {
	raw = trimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		s, _ := unquote(raw)
		return s
	case '{':
		return "[object Object]"
	case '[':
		var texts []string
		eachMember(raw, '[', func(_, item []byte) {
			text := ""
			if string(item) != "null" {
				text = jsText(item)
			}
			texts = append(texts, text)
		})
		return strings.Join(texts, ",")
	}
	if f, ok := jstext.ParseNumber(raw); ok {
		return jstext.NumberText(f)
	}
	return string(raw) // true, false, null
}

// truthy is JS truthiness of a raw JSON value (absent is undefined): but for a number's, its
// first byte tells it (a completion reads two values so: comparing them with each falsy text
// was a sixth of reading a completion in a fresh page).
func truthy(raw []byte) bool {
	if len(raw) == 0 {
		return false
	}
	switch raw[0] {
	case '"':
		return len(raw) > 2
	case 'n', 'f':
		return false
	case 't', '{', '[':
		return true
	}
	f, ok := jstext.ParseNumber(raw)
	return !ok || f != 0
}

// Append appends fields in signalr.js's object-literal order. Each field before "type" ends
// with its comma and each after it starts with one, so that keys and commas are constants.
//
// Each kind of message is written by a function of its own: V8 optimises a wasm function
// after a number of calls that falls with its size, whatever part of it runs, at a cost that
// grows with it, and with every kind inline this one was 9.7 KB, optimised in every fresh
// page's first burst of sends (docs/performance.md, session 44).
func (JSONProtocol) Append(b []byte, m *Message) ([]byte, error) {
	if need := 64 + len(m.Arguments) + len(m.Item) + len(m.Result); cap(b)-len(b) < need {
		b = grow(b, need)
	}
	b = append(b, '{')
	if len(m.Headers) > 0 {
		b = appendHeaders(b, m.Headers)
	}
	switch m.Type {
	case InvocationType, StreamInvocationType:
		b = appendInvocationMembers(b, m)
	case StreamItemType, CompletionType, CancelInvocationType:
		b = appendCallMembers(b, m)
	}
	b = jstext.AppendInt(append(b, `"type":`...), int64(m.Type))
	switch m.Type {
	case CloseType, AckType, SequenceType:
		b = appendControlMembers(b, m)
	}
	return append(b, '}', RecordSeparator), nil
}

// appendHeaders writes the headers member, in the order of its keys, so that a frame is
// reproducible. Headers are few: an insertion sort, rather than linking the slices package's
// sort for them.
func appendHeaders(b []byte, headers map[string]string) []byte {
	keys := make([]string, 0, len(headers))
	for k := range headers {
		keys = append(keys, k)
		for i := len(keys) - 1; i > 0 && keys[i] < keys[i-1]; i-- {
			keys[i], keys[i-1] = keys[i-1], keys[i]
		}
	}
	b = append(b, `"headers":{`...)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = jstext.AppendString(b, k)
		b = append(b, ':')
		b = jstext.AppendString(b, headers[k])
	}
	return append(b, '}', ',')
}

// appendInvocationMembers writes an invocation's members before its type.
func appendInvocationMembers(b []byte, m *Message) []byte {
	b = appendMember(b, `"target":`, m.Target)
	b = appendRawMember(b, `,"arguments":`, m.Arguments, "[]")
	if m.InvocationID != "" {
		b = appendMember(b, `,"invocationId":`, m.InvocationID)
	}
	if len(m.StreamIDs) > 0 {
		b = appendStreamIDs(b, m.StreamIDs)
	}
	return append(b, ',')
}

func appendStreamIDs(b []byte, ids []string) []byte {
	b = append(b, `,"streamIds":[`...)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = jstext.AppendString(b, id)
	}
	return append(b, ']')
}

// appendCallMembers writes the members before its type of a message about an invocation: a
// stream item, a completion or a cancel.
func appendCallMembers(b []byte, m *Message) []byte {
	switch {
	case m.Type == StreamItemType:
		b = appendMember(b, `"invocationId":`, m.InvocationID)
		b = appendRawMember(b, `,"item":`, m.Item, "null")
	case m.Type == CompletionType && m.Error != "":
		b = appendMember(b, `"error":`, m.Error)
		b = appendMember(b, `,"invocationId":`, m.InvocationID)
	default:
		b = appendMember(b, `"invocationId":`, m.InvocationID)
		if m.Type == CompletionType && m.Result != nil {
			b = appendRawMember(b, `,"result":`, m.Result, "null")
		}
	}
	return append(b, ',')
}

// appendControlMembers writes the members after its type of a Close, Ack or Sequence message.
func appendControlMembers(b []byte, m *Message) []byte {
	if m.Type != CloseType {
		return jstext.AppendInt(append(b, `,"sequenceId":`...), m.SequenceID)
	}
	if m.Error != "" {
		b = appendMember(b, `,"error":`, m.Error)
	}
	if m.AllowReconnect {
		b = append(b, `,"allowReconnect":true`...)
	}
	return b
}

// appendMember appends a string member; key is its quoted key with its comma and colon.
func appendMember(b []byte, key, v string) []byte {
	return jstext.AppendString(append(b, key...), v)
}

// appendRawMember appends a member with a raw JSON value, or empty for none.
func appendRawMember(b []byte, key string, v Raw, empty string) []byte {
	b = append(b, key...)
	if len(v) == 0 {
		return append(b, empty...)
	}
	return append(b, v...)
}
