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
	var records [][]byte
	for len(frame) > 0 {
		i := bytes.IndexByte(frame, RecordSeparator)
		records = append(records, frame[:i])
		frame = frame[i+1:]
	}
	return records, nil
}
