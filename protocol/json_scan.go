package protocol

import (
	"errors"
	"unicode/utf8"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
)

// JSON is read here by hand, not with encoding/json: the wasm does not link encoding/json
// (with the reflection it drags in, it was a fifth of every page's download), and the engine
// reads little JSON: a record's envelope, the handshake and negotiate responses. Values stay
// raw. In the browser the envelope also reads faster this way: encoding/json's map of raw
// values cost about 16 µs and 26 allocations a message (BenchmarkJSONParse).

// errInvalidJSON is the error of a text that is not JSON. The browser bridge replaces it with
// the SyntaxError JSON.parse throws for the same text, which is what signalr.js shows.
var errInvalidJSON = errors.New("The text is not valid JSON.")

// validJSON tells whether b is one JSON value, space around it aside.
func validJSON(b []byte) bool {
	end := scanValue(b, skipSpace(b, 0))
	return end >= 0 && skipSpace(b, end) == len(b)
}

// members reads the members of the JSON object (open '{') or array (open '[') that is all of
// b, space aside, one at a time: an object's keys unescaped, an array's elements with a nil
// key. A loop over next rather than a callback per member: in the browser a call through a
// func value costs about as much as scanning a short member.
type members struct {
	b    []byte
	i    int // where the next member starts; 0 before the opening bracket, -1 after the last
	open byte
	// ended: the closing bracket was read, with nothing after it but space.
	ended bool
}

// next returns the next member, or ok false when there is none: at the end of b (ended then
// tells whether b was all one object or array) or where b stops being one.
func (m *members) next() (key, raw []byte, ok bool) {
	b, i, closing := m.b, m.i, m.open+2 // '{' + 2 is '}', '[' + 2 is ']'
	if i < 0 {
		return nil, nil, false
	}
	m.i = -1
	if i == 0 {
		if len(b) > 0 && b[0] <= ' ' {
			i = skipSpace(b, 0)
		}
		if i >= len(b) || b[i] != m.open {
			return nil, nil, false
		}
		if i++; i < len(b) && b[i] <= ' ' {
			i = skipSpace(b, i)
		}
		if i < len(b) && b[i] == closing {
			m.ended = skipSpace(b, i+1) == len(b)
			return nil, nil, false
		}
	}
	if m.open == '{' {
		start := i
		var plain bool
		if i, key, plain = scanKey(b, i); i < 0 {
			return nil, nil, false
		}
		if !plain {
			key, _ = jstext.AppendUnquoted(nil, b, start, false)
		}
	}
	end := scanValue(b, i)
	if end < 0 {
		return nil, nil, false
	}
	raw = b[i:end]
	// The member is whole; what follows it tells whether another comes.
	if i = end; i < len(b) && b[i] <= ' ' {
		i = skipSpace(b, i)
	}
	if i < len(b) {
		switch b[i] {
		case closing:
			m.ended = skipSpace(b, i+1) == len(b)
		case ',':
			if i++; i < len(b) && b[i] <= ' ' {
				i = skipSpace(b, i)
			}
			m.i = i
		}
	}
	return key, raw, true
}

// eachMember calls f with each member that members reads from b and tells whether b was all
// one object (open '{') or array (open '['); f may have seen members when it was not.
func eachMember(b []byte, open byte, f func(key, raw []byte)) bool {
	m := members{b: b, open: open}
	for key, raw, ok := m.next(); ok; key, raw, ok = m.next() {
		f(key, raw)
	}
	return m.ended
}

// eachObjectMember is eachMember for an object, with notObjectError's error for a b that is
// not one.
func eachObjectMember(b []byte, f func(key, raw []byte), notObject error) error {
	if eachMember(b, '{', f) {
		return nil
	}
	return notObjectError(b, notObject)
}

// notObjectError is the error of a b that members did not read as all one object: an
// *InvalidJSONError when it is not JSON at all, else notObject.
func notObjectError(b []byte, notObject error) error {
	if validJSON(b) {
		return notObject
	}
	return &InvalidJSONError{Record: b, Err: errInvalidJSON}
}

// trimSpace cuts JSON's whitespace (space, tab, line feed, carriage return) from both ends
// of b: all a valid JSON text can have around its value.
func trimSpace(b []byte) []byte {
	b = b[skipSpace(b, 0):]
	end := len(b)
	for end > 0 && (b[end-1] == ' ' || b[end-1] == '\t' || b[end-1] == '\n' || b[end-1] == '\r') {
		end--
	}
	return b[:end]
}

// skipSpace returns the index of the first byte from i on that is not space. On the paths each
// message takes, callers call it only when b[i] <= ' ': our packages are built without
// inlining (build.sh), and in the browser the call costs more than that check.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanValue returns the end of the JSON value at i, or -1 when there is none. Nesting is kept
// on a stack of its own rather than Go's, as JSON.parse reads any depth.
func scanValue(b []byte, i int) int {
	var closing []byte // of the objects and arrays the value at i is in
	for {
		if i >= len(b) {
			return -1
		}
		switch c := b[i]; {
		case c == '{' || c == '[':
			if i++; i < len(b) && b[i] <= ' ' {
				i = skipSpace(b, i)
			}
			if i < len(b) && b[i] == c+2 {
				i++
				break
			}
			closing = append(closing, c+2)
			if c == '{' {
				if i, _, _ = scanKey(b, i); i < 0 {
					return -1
				}
			}
			continue
		case c == '"':
			// A plain string's end found here, without scanString's call.
			if j := jstext.PlainEnd(b, i+1, false); j < len(b) && b[j] == '"' {
				i = j + 1
			} else {
				i, _ = scanString(b, i)
			}
		case c == 't':
			i = literal(b, i, "true")
		case c == 'f':
			i = literal(b, i, "false")
		case c == 'n':
			i = literal(b, i, "null")
		case c >= '1' && c <= '9':
			// An integer is read here, without ScanNumber's calls.
			j := i + 1
			for j < len(b) && b[j]-'0' <= 9 {
				j++
			}
			if j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
				j = jstext.ScanNumber(b, i)
			}
			i = j
		case c == '-' || c == '0':
			i = jstext.ScanNumber(b, i)
		default:
			return -1
		}
		if i < 0 {
			return -1
		}
		// A value ended: close what ends with it, then go on to the next member, if any.
		for {
			if len(closing) == 0 {
				return i
			}
			if i < len(b) && b[i] <= ' ' {
				i = skipSpace(b, i)
			}
			if i >= len(b) {
				return -1
			}
			top := closing[len(closing)-1]
			if b[i] == top {
				closing = closing[:len(closing)-1]
				i++
				continue
			}
			if b[i] != ',' {
				return -1
			}
			if i++; i < len(b) && b[i] <= ' ' {
				i = skipSpace(b, i)
			}
			if top == '}' {
				if i, _, _ = scanKey(b, i); i < 0 {
					return -1
				}
			}
			break
		}
	}
}

// scanKey reads an object's `"key" :` at i and returns where its value starts, or -1, and
// the key as it is written (plain: as scanString tells).
func scanKey(b []byte, i int) (value int, key []byte, plain bool) {
	if i >= len(b) || b[i] != '"' {
		return -1, nil, false
	}
	// A plain key's end found here, without scanString's call.
	end, plain := jstext.PlainEnd(b, i+1, false)+1, true
	if end > len(b) || b[end-1] != '"' {
		if end, plain = scanString(b, i); end < 0 {
			return -1, nil, false
		}
	}
	key = b[i+1 : end-1]
	if i = end; i < len(b) && b[i] <= ' ' {
		i = skipSpace(b, i)
	}
	if i >= len(b) || b[i] != ':' {
		return -1, nil, false
	}
	if i++; i < len(b) && b[i] <= ' ' {
		i = skipSpace(b, i)
	}
	return i, key, plain
}

func literal(b []byte, i int, word string) int {
	if len(b)-i >= len(word) && string(b[i:i+len(word)]) == word {
		return i + len(word)
	}
	return -1
}

// scanString returns the end of the string at i (after its closing quote), or -1; plain
// tells that its bytes are its text as they are: ASCII without escapes (so valid UTF-8,
// which other bytes must be checked for).
func scanString(b []byte, i int) (end int, plain bool) {
	plain = true
	for i++; ; i++ {
		// Past the bytes that need no look, eight at a time.
		if i = jstext.PlainEnd(b, i, !plain); i >= len(b) {
			return -1, false
		}
		switch c := b[i]; {
		case c == '"':
			return i + 1, plain
		case c < 0x20:
			return -1, false
		case c >= utf8.RuneSelf:
			plain = false
		case c == '\\':
			plain = false
			i++
			if i >= len(b) {
				return -1, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if len(b)-i <= 4 || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return -1, false
				}
				i += 4
			default:
				return -1, false
			}
		}
	}
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// unquote is the text of a JSON string token (raw is exactly the token), and whether it is one.
func unquote(raw []byte) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	s, end := jstext.AppendUnquoted(nil, raw, 0, false)
	return string(s), end == len(raw)
}
