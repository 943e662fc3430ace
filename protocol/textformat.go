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

// nextRecord takes the first record off a frame that complete accepted.
func nextRecord(frame []byte) (record, rest []byte) {
	i := bytes.IndexByte(frame, RecordSeparator)
	return frame[:i], frame[i+1:]
}
