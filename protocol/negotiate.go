package protocol

import (
	"unicode/utf8"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
)

// NegotiateResponse is the body of POST {hub}/negotiate, read by the client and written by
// the test server (SignalR's TransportProtocols spec). A redirect carries only URL and
// AccessToken; a refusal only Error.
type NegotiateResponse struct {
	ConnectionID    string `json:"connectionId,omitempty"`
	ConnectionToken string `json:"connectionToken,omitempty"`
	// NegotiateVersion is read as signalr.js's one use of it reads it (negotiateVersion):
	// below 1, connectionId stands for connectionToken.
	NegotiateVersion    int                  `json:"negotiateVersion"`
	AvailableTransports []AvailableTransport `json:"availableTransports,omitempty"`
	URL                 string               `json:"url,omitempty"`
	AccessToken         string               `json:"accessToken,omitempty"`
	Error               string               `json:"error,omitempty"`
	// ProtocolVersion is set only by the old ASP.NET SignalR, which the client refuses; read,
	// it is the raw JSON value, nil unless truthy (the test server never sends one).
	ProtocolVersion      Raw  `json:"-"`
	UseStatefulReconnect bool `json:"useStatefulReconnect,omitempty"`
}

// AvailableTransport is one transport the server offers, with its transfer formats.
type AvailableTransport struct {
	Transport       string   `json:"transport"`
	TransferFormats []string `json:"transferFormats"`
}

// ParseNegotiateResponse reads a negotiate body as signalr.js does (JSON.parse, then
// property reads): text that is not JSON fails with an *InvalidJSONError, for the caller to
// report the platform's own parser error; JSON that is not an object fails with the
// TypeError signalr.js's first property access throws; keys are compared exactly, the ids
// are the text signalr.js makes of any value (truthyText), and another field of an
// unexpected type (null included) is left unset rather than failing.
func ParseNegotiateResponse(body []byte) (*NegotiateResponse, error) {
	if !validJSON(body) {
		return nil, &InvalidJSONError{Record: body, Err: errInvalidJSON}
	}
	nr := &NegotiateResponse{}
	trimmed := trimSpace(body)
	switch trimmed[0] {
	case '{':
	case '[':
		return nr, nil
	case 'n':
		return nil, &DecodeError{Class: "TypeError", Message: "Cannot read properties of null (reading 'negotiateVersion')", Fault: FaultNegotiate, Value: trimmed}
	default:
		// Without negotiateVersion, signalr.js copies connectionId into connectionToken:
		// a property set on a primitive, which strict code refuses.
		kind := "number"
		switch trimmed[0] {
		case '"':
			kind = "string"
		case 't', 'f':
			kind = "boolean"
		}
		return nil, &DecodeError{Class: "TypeError", Message: "Cannot create property 'connectionToken' on " + kind + " '" + jsText(trimmed) + "'", Fault: FaultNegotiate, Value: trimmed}
	}
	var errText, protocolVersion, stateful []byte // the last of each, as JSON.parse keeps it
	eachMember(trimmed, '{', func(key, raw []byte) {
		switch string(key) {
		case "connectionId":
			nr.ConnectionID = truthyText(raw)
		case "connectionToken":
			nr.ConnectionToken = truthyText(raw)
		case "url":
			nr.URL, _ = unquote(raw)
		case "accessToken":
			nr.AccessToken, _ = unquote(raw)
		case "negotiateVersion":
			nr.NegotiateVersion = negotiateVersion(raw)
		case "error":
			errText = raw
		case "ProtocolVersion":
			protocolVersion = raw
		case "useStatefulReconnect":
			stateful = raw
		case "availableTransports":
			nr.AvailableTransports = nil
			eachMember(raw, '[', func(_, item []byte) {
				var t AvailableTransport
				eachMember(item, '{', func(key, raw []byte) {
					switch string(key) {
					case "transport":
						t.Transport, _ = unquote(raw)
					case "transferFormats":
						t.TransferFormats = jsonStrings(raw)
					}
				})
				nr.AvailableTransports = append(nr.AvailableTransports, t)
			})
		}
	})
	// signalr.js tests these for truthiness, and throws new Error(error) for any value.
	if truthy(errText) {
		nr.Error = jsText(errText)
	}
	if truthy(protocolVersion) {
		nr.ProtocolVersion = Raw(protocolVersion)
	}
	nr.UseStatefulReconnect = truthy(stateful)
	return nr, nil
}

// truthyText is an id as signalr.js uses it: in the query (`"id=" + token`, only when
// truthy) and as connectionId (`connectionId || null`), both of which make any truthy value
// its JS text: a server that writes a number, 42, is used as "42".
func truthyText(raw []byte) string {
	if !truthy(raw) {
		return ""
	}
	return jsText(raw)
}

// trimJSSpace cuts what JS's Number() skips around the number it reads: ECMA-262's
// WhiteSpace and LineTerminator characters (tab, vertical tab, form feed, space, no-break
// space, the byte order mark, the other Zs spaces, line feed, carriage return, U+2028, U+2029).
func trimJSSpace(s string) string {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if !isJSSpace(r) {
			break
		}
		s = s[n:]
	}
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if !isJSSpace(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// negotiateVersion is the version as signalr.js's test `!v || v < 1` sees it: 0 when that
// holds, else the version (at least 1). Any JSON value compares as JS compares it: a string
// or an array as the number it spells ("1", [2]), true as 1, what spells no number as NaN,
// never below 1. A server may well write 1.0, or "1". (Strings that Go and JS read apart,
// "0x0", "-inf", compare as jstext.Number reads them: in the browser as JS does.)
func negotiateVersion(raw []byte) int {
	f, ok := jstext.ParseNumber(raw) // a number is falsy only as 0, below 1 anyway
	if !ok {
		if !truthy(raw) {
			return 0
		}
		text := trimJSSpace(jsText(raw))
		if len(text) == 0 {
			return 0 // Number("") is 0
		}
		if f = jstext.Number(text); f != f {
			return 1 // NaN
		}
	}
	switch {
	case f < 1:
		return 0
	case f < 1<<31:
		return int(f)
	}
	return 1
}
