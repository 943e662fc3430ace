// Package govalues gives the hub protocols a codec for Go values, for Go hub methods (the
// test server) and Go callers (the tests). It is a package of its own because its codecs,
// encoding/json and msgpack/v5, are driven by reflection, which the wasm must not link: there
// the values are the page's, and the browser's JSON converts them (jsapi).
package govalues

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/vmihailenco/msgpack/v5"
)

// Protocol is a hub protocol with its codec for Go values.
type Protocol interface {
	protocol.HubProtocol
	// Encode and Decode turn one Go value into Raw and back.
	Encode(v any) (protocol.Raw, error)
	Decode(r protocol.Raw, v any) error
	// SplitArray returns the elements of an encoded array (the Arguments field) as Raw values.
	SplitArray(r protocol.Raw) ([]protocol.Raw, error)
}

var (
	JSON        Protocol = jsonProtocol{}
	MessagePack Protocol = msgpackProtocol{}
)

// Of is p with its codec: p itself when it has one, else the codec of the protocol it is
// (MessagePack or JSON).
func Of(p protocol.HubProtocol) Protocol {
	switch p := p.(type) {
	case Protocol:
		return p
	case protocol.MessagePackProtocol, *protocol.MessagePackProtocol:
		return MessagePack
	}
	return JSON
}

type jsonProtocol struct{ protocol.JSONProtocol }

// Encode is encoding/json without HTML escaping: the closest Go gets to JSON.stringify.
func (jsonProtocol) Encode(v any) (protocol.Raw, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return protocol.Raw(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})), nil
}

func (jsonProtocol) Decode(r protocol.Raw, v any) error {
	if len(r) == 0 {
		r = protocol.Raw("null")
	}
	return json.Unmarshal(r, v)
}

func (jsonProtocol) SplitArray(r protocol.Raw) ([]protocol.Raw, error) {
	if len(r) == 0 {
		return nil, nil
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(r, &elems); err != nil {
		return nil, err
	}
	out := make([]protocol.Raw, len(elems))
	for i, e := range elems {
		out[i] = protocol.Raw(e)
	}
	return out, nil
}

type msgpackProtocol struct{ protocol.MessagePackProtocol }

// Encode and Decode use the json tags of structs, so that one hub type serves both
// protocols; map keys are sorted, so that frames are reproducible.
func (msgpackProtocol) Encode(v any) (protocol.Raw, error) {
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.SetCustomStructTag("json")
	enc.UseCompactInts(true)
	enc.SetSortMapKeys(true)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return protocol.Raw(buf.Bytes()), nil
}

func (msgpackProtocol) Decode(r protocol.Raw, v any) error {
	if len(r) == 0 {
		r = protocol.Raw{0xc0}
	}
	dec := msgpack.NewDecoder(bytes.NewReader(r))
	dec.SetCustomStructTag("json")
	return dec.Decode(v)
}

func (msgpackProtocol) SplitArray(r protocol.Raw) ([]protocol.Raw, error) {
	if len(r) == 0 {
		return nil, nil
	}
	dec := msgpack.NewDecoder(bytes.NewReader(r))
	n, err := dec.DecodeArrayLen()
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, errors.New("the arguments are not an array")
	}
	out := make([]protocol.Raw, n)
	for i := range out {
		raw, err := dec.DecodeRaw()
		if err != nil {
			return nil, err
		}
		out[i] = protocol.Raw(raw)
	}
	return out, nil
}
