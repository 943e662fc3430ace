package jsevents_test

import (
	"errors"
	"syscall/js"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/internal/jsevents"
	"github.com/signalr-wasm/signalr-wasm/internal/jstest"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// fakeSocket records what the facade's sendFrame sends, or throws what it is told to.
func fakeSocket(throw string) js.Value {
	return js.Global().Get("Function").New("throwing", `
		const socket = { sent: [], readyState: 1 };
		socket.send = (message) => {
			if (throwing) { throw new TypeError(throwing); }
			socket.sent.push(typeof message === "string" ? message : Array.from(message).join(","));
		};
		return socket;`).Invoke(throw)
}

// A turn's frames leave as one message however many pieces hold them, text or binary, and
// what the socket throws comes back as the js.Error that syscall/js's Invoke would panic with;
// a socket that is not OPEN is not sent to.
func TestSendJoinsPieces(t *testing.T) {
	jstest.InstallEvents(t)
	socket := fakeSocket("")
	jsevents.Send(socket, [][]byte{[]byte("one\x1e")}, false)
	jsevents.Send(socket, [][]byte{[]byte("two\x1e"), []byte("thré\x1e"), []byte("four\x1e")}, false)
	jsevents.Send(socket, [][]byte{{1, 2}, {3}, {250, 251, 252}}, true)
	jsevents.Send(socket, [][]byte{{9}}, true)
	want := []string{"one\x1e", "two\x1ethré\x1efour\x1e", "1,2,3,250,251,252", "9"}
	sent := socket.Get("sent")
	if sent.Length() != len(want) {
		t.Fatalf("%d messages sent, want %d", sent.Length(), len(want))
	}
	for i, w := range want {
		if got := sent.Index(i).String(); got != w {
			t.Errorf("message %d: %q, want %q", i, got, w)
		}
	}
	socket.Set("readyState", 2) // CLOSING: the browser's socket would drop the message
	if jsevents.Send(socket, [][]byte{[]byte("five\x1e")}, false) || sent.Length() != len(want) {
		t.Errorf("a CLOSING socket was sent to (%d messages)", sent.Length())
	}
	err := jsutil.Try(func() { jsevents.Send(fakeSocket("socket closed"), [][]byte{[]byte("x")}, false) })
	var thrown *jsutil.Error
	if !errors.As(err, &thrown) || !thrown.Value.InstanceOf(js.Global().Get("TypeError")) || err.Error() != "socket closed" {
		t.Errorf("a throwing socket gave %v", err)
	}
}
