package protocol

import (
	"bytes"
	"errors"
)

// RecordSeparator ends every JSON message and the handshake (ASCII 0x1E).
const RecordSeparator = 0x1e

var errIncomplete = errors.New("Message is incomplete.")

// complete and nextRecord are signalr.js's TextMessageFormat.parse: a frame is one or more
// records, each ending with the separator; anything after the last separator means the
// frame was cut. They make no slice of records: a frame is read on every message.
func complete(frame []byte) error {
	if len(frame) == 0 || frame[len(frame)-1] != RecordSeparator {
		return errIncomplete
	}
	return nil
}

// nextRecord takes the first record off data: the handshake's, or a message's from a frame
// that complete accepted; with no separator in data, none is complete.
func nextRecord(data []byte) (record, rest []byte, err error) {
	i := bytes.IndexByte(data, RecordSeparator)
	if i < 0 {
		return nil, nil, errIncomplete
	}
	return data[:i], data[i+1:], nil
}

// countRecords counts the records of a frame that complete accepted. (bytes.Count would link
// bytes.Index and its Rabin-Karp search, 5 KB of wasm, for a one-byte separator.)
func countRecords(data []byte) int {
	n := 0
	for i := bytes.IndexByte(data, RecordSeparator); i >= 0; i = bytes.IndexByte(data, RecordSeparator) {
		n++
		data = data[i+1:]
	}
	return n
}
