//go:build !js

package transport

import (
	"bufio"
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// events parses a whole event stream, reading it through r.
func events(r io.Reader) []string {
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 64<<10), 16<<20)
	scanner.Split(eventLines())
	var p eventParser
	var got []string
	for scanner.Scan() {
		if msg, ok := p.line(scanner.Text()); ok {
			got = append(got, string(msg))
		}
	}
	return got
}

func TestEventStream(t *testing.T) {
	stream := "\ufeffdata: a\r\n\r\n: comment\rdata:b\ndata\n\nevent: other\ndata: c\n\nid: 1\nretry: 5\ndata:  d\n\ndata: cut"
	if got, want := events(strings.NewReader(stream)), []string{"a", "b\n", " d"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// The event stream parser reads any stream the same however the network cuts it, and gives
// back every message a server writes as data lines (the test server's and ASP.NET's form).
func FuzzEventStream(f *testing.F) {
	f.Add([]byte("data: {\"type\":6}\x1e\n\n"), []byte("a\nb\x00c"))
	f.Add([]byte("\ufeffdata: x\r\r\ndata:y\r\n\r\nevent: e\ndata: z\n\n"), []byte(""))
	f.Add([]byte(": c\ndata\n\n\r"), []byte("\x00\n\x00 lead"))
	f.Fuzz(func(t *testing.T, stream, messages []byte) {
		whole := events(bytes.NewReader(stream))
		if bytewise := events(iotest.OneByteReader(bytes.NewReader(stream))); !reflect.DeepEqual(whole, bytewise) {
			t.Fatalf("%q: %q at once, %q byte by byte", stream, whole, bytewise)
		}

		// JSON text never holds a raw CR: only the line feeds need data lines of their own.
		want := strings.Split(strings.ReplaceAll(string(messages), "\r", ""), "\x00")
		var encoded strings.Builder
		for _, msg := range want {
			for _, line := range strings.Split(msg, "\n") {
				encoded.WriteString("data: " + line + "\n")
			}
			encoded.WriteString("\n")
		}
		if got := events(strings.NewReader(encoded.String())); !reflect.DeepEqual(got, want) {
			t.Fatalf("wrote %q, read %q", want, got)
		}
	})
}
