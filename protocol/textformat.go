package protocol

import (
	"bytes"
	"errors"
)

// RecordSeparator ends every JSON message and the handshake (ASCII 0x1E).
const RecordSeparator = 0x1e

var errIncomplete = errors.New("Message is incomplete.")

// splitRecords is signalr.js's TextMessageFormat.parse: a frame is one or more records, each
// ending with the separator; anything after the last separator means the frame was cut.
func splitRecords(frame []byte) ([][]byte, error) {
	if len(frame) == 0 || frame[len(frame)-1] != RecordSeparator {
		return nil, errIncomplete
	}
	records := bytes.Split(frame[:len(frame)-1], []byte{RecordSeparator})
	return records, nil
}
