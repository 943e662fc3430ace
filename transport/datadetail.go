package transport

import (
	"strconv"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// DataDetail is signalr.js's getDataDetail, for the transports' trace lines.
func DataDetail(frame []byte, format protocol.TransferFormat, content bool) string {
	if format == protocol.Binary {
		s := "Binary data of length " + strconv.Itoa(len(frame))
		if content {
			var b strings.Builder
			for _, x := range frame {
				const hex = "0123456789abcdef"
				b.WriteString("0x")
				b.WriteByte(hex[x>>4])
				b.WriteByte(hex[x&15])
				b.WriteByte(' ')
			}
			s += ". Content: '" + strings.TrimSuffix(b.String(), " ") + "'"
		}
		return s
	}
	s := "String data of length " + strconv.Itoa(utf16Len(frame))
	if content {
		s += ". Content: '" + string(frame) + "'"
	}
	return s
}

func utf16Len(b []byte) int {
	n := 0
	for _, r := range string(b) {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
