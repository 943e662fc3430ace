//go:build js && wasm

package transport_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// In the browser, a Server-Sent Events connection hands its messages to the receiver in the
// EventSource's own call, as a WebSocket does; the receiver's error reaches Read, and the
// messages after it wait for Read.
func TestServerSentEventsHandOver(t *testing.T) {
	base := testServerURL(t)
	settings := transport.Settings{HTTP: &transport.AccessTokenHTTPClient{HTTPClient: transport.DefaultHTTPClient(logging.NullLogger{})}}
	conn := connect(t, transport.ServerSentEvents, settings, base, base)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	receiver, ok := conn.(transport.Receiver)
	if !ok {
		t.Fatalf("%T is not a transport.Receiver", conn)
	}
	refused := errors.New("refused")
	received := make(chan string, 4)
	receiver.ReceiveWith(func(frame []byte, foreign bool) error {
		received <- string(frame)
		if foreign || string(frame) != "{}\x1e" {
			return refused
		}
		return nil
	})
	wait := func() string {
		t.Helper()
		select {
		case frame := <-received:
			return frame
		case <-ctx.Done():
			t.Fatal("no message reached the receiver")
			return ""
		}
	}
	if err := conn.Write(ctx, protocol.WriteHandshakeRequest("json", 1)); err != nil {
		t.Fatal(err)
	}
	if got := wait(); got != "{}\x1e" {
		t.Fatalf("handshake response %q", got)
	}
	echo := func(id string) {
		t.Helper()
		if err := conn.Write(ctx, []byte(`{"type":1,"target":"Echo","arguments":["`+id+`"],"invocationId":"`+id+`"}`+"\x1e")); err != nil {
			t.Fatal(err)
		}
	}
	echo("1")
	if got, want := wait(), `{"invocationId":"1","result":"1","type":3}`+"\x1e"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	var failed *transport.ReceiveError
	if _, err := conn.Read(ctx); !errors.As(err, &failed) || failed.Err != refused {
		t.Fatalf("Read after the receiver refused a message: %v, want its error", err)
	}
	echo("2")
	frame, err := conn.Read(ctx)
	if want := `{"invocationId":"2","result":"2","type":3}` + "\x1e"; err != nil || string(frame) != want {
		t.Fatalf("Read: %q, %v; want %q", frame, err, want)
	}
	if len(received) != 0 {
		t.Fatalf("the receiver took %q after its error", <-received)
	}
}
