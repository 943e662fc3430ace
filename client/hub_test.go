package client

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// scriptedConnection is a connection without a network: the test plays the server, reading
// what the hub writes and handing it frames. That the hub runs over it shows that the hub
// knows nothing of negotiate or transports but what the connection interface says.
type scriptedConnection struct {
	frames  *protocol.Link[transport.Conn]
	written chan string
	// sink, once set, takes the frames written instead of written (the benchmarks').
	sink   *[]byte
	opened chan receiver
	closed chan struct{}
	// flushErr is what a flush reports: a browser WebSocket's send that threw.
	flushErr error
}

func newScriptedConnection() *scriptedConnection {
	s := &scriptedConnection{written: make(chan string, 16), opened: make(chan receiver, 1), closed: make(chan struct{})}
	s.frames = protocol.NewLink(func(_ transport.Conn, frame []byte) (<-chan error, error) {
		if s.sink != nil {
			*s.sink = append(*s.sink, frame...)
			return nil, nil
		}
		s.written <- string(frame)
		return nil, nil
	})
	return s
}

func (s *scriptedConnection) start(_ context.Context, open func(*session) receiver) error {
	ctx, cancel := context.WithCancel(context.Background())
	r := open(&session{features: transport.Features{InherentKeepAlive: true}, ctx: ctx, cancel: cancel})
	s.opened <- r
	return nil
}

func (s *scriptedConnection) stop(err error) {
	r := <-s.opened
	close(s.closed)
	r.closed(err)
}

func (s *scriptedConnection) wait()                                { <-s.closed }
func (s *scriptedConnection) link() *protocol.Link[transport.Conn] { return s.frames }
func (s *scriptedConnection) sendHandshake(frame []byte) error {
	return s.frames.WriteFrame(frame, nil)
}
func (s *scriptedConnection) flush() error         { return s.flushErr }
func (s *scriptedConnection) connectionID() string { return "scripted" }
func (s *scriptedConnection) baseURL() string      { return "" }
func (s *scriptedConnection) setBaseURL(string)    {}

func (s *scriptedConnection) next(t testing.TB) string {
	t.Helper()
	select {
	case f := <-s.written:
		return f
	case <-time.After(10 * time.Second):
		t.Fatal("the hub wrote nothing")
		return ""
	}
}

// receive hands the hub a frame as the connection's read loop would, the receiver staying
// with the connection.
func (s *scriptedConnection) receive(t testing.TB, frame string) {
	t.Helper()
	s.receiveBytes(t, []byte(frame))
}

// receiveBytes is receive of a frame the caller may write again once it returns: a
// benchmark's, which a copy per frame would make measure the copy and its garbage too.
func (s *scriptedConnection) receiveBytes(t testing.TB, frame []byte) {
	t.Helper()
	r := <-s.opened
	s.opened <- r
	if err := r.receive(frame, false); err != nil {
		t.Fatalf("receive %q: %v", frame, err)
	}
}

// startScripted starts a hub over a scriptedConnection.
func startScripted(t testing.TB) (*HubConnection, *scriptedConnection) {
	t.Helper()
	c, err := New(Options{URL: "http://scripted/hub"})
	if err != nil {
		t.Fatal(err)
	}
	conn := newScriptedConnection()
	c.connection, c.frames = conn, conn.link()

	started := make(chan error, 1)
	c.StartAsync(context.Background(), func(err error) { started <- err })
	if got := conn.next(t); got != `{"protocol":"json","version":1}`+"\x1e" {
		t.Fatalf("handshake request %q", got)
	}
	conn.receive(t, "{}\x1e")
	if err := <-started; err != nil {
		t.Fatalf("start: %v", err)
	}
	return c, conn
}

func TestHubOverAConnection(t *testing.T) {
	c, conn := startScripted(t)
	if c.State() != Connected || c.ConnectionID() != "scripted" {
		t.Fatalf("state %s, id %q", c.State(), c.ConnectionID())
	}

	result := make(chan string, 1)
	c.InvokeAsync("Echo", protocol.Raw(`[1]`), nil, CompletionFunc(func(r protocol.Raw, err error) {
		if err != nil {
			result <- ErrorString(err)
			return
		}
		result <- string(r)
	}), 0)
	invocation := conn.next(t)
	if !strings.Contains(invocation, `"target":"Echo"`) || !strings.Contains(invocation, `"invocationId":"0"`) {
		t.Fatalf("invocation %q", invocation)
	}
	conn.receive(t, `{"type":3,"invocationId":"0","result":2}`+"\x1e")
	if got := <-result; got != "2" {
		t.Fatalf("result %q", got)
	}

	closed := make(chan string, 1)
	c.OnClose(func(err error) error { closed <- ErrorString(err); return nil })
	conn.receive(t, `{"type":7,"error":"bye"}`+"\x1e")
	if got := <-closed; got != "Error: Server returned an error on close: bye" {
		t.Fatalf("onclose %q", got)
	}
	if c.State() != Disconnected {
		t.Fatalf("state %s after the server's Close", c.State())
	}
}

// The sends of a Batch take the keep-alive deadline from one reading of the clock, and the
// first send after it reads the clock again.
func TestBatchReadsTheClockOnce(t *testing.T) {
	c, conn := startScripted(t)
	send := func(target string) instant {
		t.Helper()
		if _, err := c.Send(target, nil, nil); err != nil {
			t.Fatal(err)
		}
		conn.next(t)
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.current.timers.next
	}
	clockPasses := func(deadline instant) {
		for now()+c.keepAliveInterval <= deadline {
		}
	}
	var first, second instant
	c.Batch(func() {
		first = send("A")
		clockPasses(first)
		second = send("B")
	}, func(error) {})
	if second != first {
		t.Fatalf("the second send of a batch moved the deadline from %v to %v", first, second)
	}
	clockPasses(first)
	if third := send("C"); third <= first {
		t.Fatalf("a send after the batch left the deadline at %v (the batch's: %v)", third, first)
	}
}

// A Batch whose joined frames the transport could not send (a browser WebSocket's send that
// threw) fails its calls with that error, the sends first, and the connection goes on, as
// signalr.js's send queue rejects the calls of a failed transport send.
func TestBatchWhoseSendThrows(t *testing.T) {
	c, conn := startScripted(t)
	thrown := fmt.Errorf("TypeError: boom from send")
	conn.flushErr = thrown
	var order []string
	c.Batch(func() {
		c.InvokeAsync("Echo", protocol.Raw(`["a"]`), nil, CompletionFunc(func(_ protocol.Raw, err error) {
			order = append(order, fmt.Sprint("invoke: ", err))
		}), 1)
		conn.next(t)
		if _, err := c.Send("Echo", protocol.Raw(`["b"]`), nil); err != nil {
			t.Fatal(err)
		}
		conn.next(t)
		c.StreamAsync("Counter", protocol.Raw(`[3]`), nil, func(protocol.Raw) {
			order = append(order, "stream item")
		}, func(err error) {
			order = append(order, fmt.Sprint("stream: ", err))
		})
		conn.next(t)
	}, func(err error) {
		order = append(order, fmt.Sprint("sends: ", err))
	})
	want := []string{"sends: " + thrown.Error(), "invoke: " + thrown.Error(), "stream: " + thrown.Error()}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Fatalf("got %q, want %q", order, want)
	}
	if c.State() != Connected {
		t.Fatalf("state %s after a send threw", c.State())
	}

	// The next turn's send goes through, and its call completes.
	conn.flushErr = nil
	order = nil
	c.Batch(func() {
		c.InvokeAsync("Echo", protocol.Raw(`["c"]`), nil, CompletionFunc(func(result protocol.Raw, err error) {
			order = append(order, fmt.Sprintf("invoke: %s %v", result, err))
		}), 2)
	}, func(err error) {
		order = append(order, fmt.Sprint("sends: ", err))
	})
	if got := conn.next(t); !strings.Contains(got, `"invocationId":"2"`) {
		t.Fatalf("next invocation %q", got)
	}
	conn.receive(t, `{"type":3,"invocationId":"2","result":"c"}`+"\x1e")
	if want := []string{"sends: <nil>", `invoke: "c" <nil>`}; fmt.Sprint(order) != fmt.Sprint(want) {
		t.Fatalf("got %q, want %q", order, want)
	}
}

// BenchmarkBatchedSends is the engine's part of a page's burst of sends: a turn's send()s
// run as one Batch, their frames joined as the WebSocket transport joins them.
func BenchmarkBatchedSends(b *testing.B) {
	c, conn := startScripted(b)
	var out []byte
	conn.sink = &out
	args := []protocol.Raw{protocol.Raw(`[0,1]`), protocol.Raw(`[1,1]`), protocol.Raw(`[4999,1]`)}
	b.ReportAllocs()
	b.ResetTimer()
	for sent := 0; sent < b.N; {
		out = out[:0]
		c.Batch(func() {
			for i := 0; i < 500 && sent < b.N; i++ {
				if _, err := c.Send("Add", args[sent%len(args)], nil); err != nil {
					b.Fatal(err)
				}
				sent++
			}
		}, func(err error) {
			if err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkConcurrentInvokes is the engine's part of a page's burst of concurrent invokes:
// a turn's invocations, then a frame of their completions, each ending its call.
func BenchmarkConcurrentInvokes(b *testing.B) {
	const burst = 500
	c, conn := startScripted(b)
	var out []byte
	conn.sink = &out
	var completions []byte
	for id := 0; id < burst; id++ {
		completions = append(completions, `{"type":3,"invocationId":"`...)
		completions = strconv.AppendInt(completions, int64(id), 10)
		completions = append(completions, `","result":{"user":"alice","message":"hello, this is a chat message of ordinary length","n":42}}`+"\x1e"...)
	}
	args := protocol.Raw(`[{"user":"alice","message":"hello, this is a chat message of ordinary length","n":42}]`)
	var done countingCompletions
	b.ReportAllocs()
	b.ResetTimer()
	for invoked := 0; invoked < b.N; invoked += burst {
		out = out[:0]
		c.Batch(func() {
			for i := 0; i < burst; i++ {
				c.InvokeAsync("Echo", args, nil, &done, i)
			}
		}, func(error) {})
		conn.receiveBytes(b, completions)
		c.mu.Lock()
		c.nextInvocationID = 0
		c.mu.Unlock()
	}
	if done.ended != (b.N+burst-1)/burst*burst {
		b.Fatalf("%d calls ended", done.ended)
	}
}

// countingCompletions is the page's Completions, one for all calls.
type countingCompletions struct{ ended int }

func (c *countingCompletions) Complete(int, protocol.Raw, error) { c.ended++ }

// BenchmarkReceivedInvocations is the engine's part of a page's broadcast burst (the
// benchmark's SendMany): a frame of invocations as ASP.NET Core joins them, each calling its
// handler.
func BenchmarkReceivedInvocations(b *testing.B) {
	const perFrame = 128
	c, conn := startScripted(b)
	h := &countingHandler{}
	c.On("item", h)
	var frame []byte
	for i := range perFrame {
		frame = fmt.Appendf(frame, `{"type":1,"target":"item","arguments":[%d,{"user":"alice","message":"hello, this is a chat message of ordinary length","n":42}]}`+"\x1e", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for received := 0; received < b.N; received += perFrame {
		conn.receiveBytes(b, frame)
	}
	if h.calls != (b.N+perFrame-1)/perFrame*perFrame {
		b.Fatalf("%d handler calls", h.calls)
	}
}

type countingHandler struct{ calls int }

func (h *countingHandler) Call(protocol.Raw, Await) (HandlerResult, func() (HandlerResult, error), error) {
	h.calls++
	return HandlerResult{}, nil, nil
}
func (h *countingHandler) Same(o Handler) bool { return o == Handler(h) }

// A handler added or removed between two invocations of one target is seen by the second, as
// in signalr.js, though the target's handlers are kept from one invocation to the next.
func TestHandlersChangeBetweenInvocations(t *testing.T) {
	c, conn := startScripted(t)
	first, second := &countingHandler{}, &countingHandler{}
	c.On("Item", first)
	invoke := func() { conn.receive(t, `{"type":1,"target":"item","arguments":[]}`+"\x1e") }
	invoke()
	c.On("ITEM", second)
	invoke()
	c.Off("item", first)
	invoke()
	c.Off("Item", nil)
	invoke()
	if first.calls != 2 || second.calls != 2 {
		t.Errorf("the first handler was called %d times, the second %d (want 2 and 2)", first.calls, second.calls)
	}
}

// The calls a close ends are taken in the order they were made, whatever the map's order.
func TestCallsInOrder(t *testing.T) {
	for _, n := range []int{0, 1, 2, 9, 10, 11, 101, 1000} {
		calls := map[string]pendingCall{}
		for id := range n {
			calls[strconv.Itoa(id)] = pendingCall{}
		}
		ids := callsInOrder(calls)
		if len(ids) != n {
			t.Fatalf("%d calls: %d ids", n, len(ids))
		}
		for i, id := range ids {
			if id != strconv.Itoa(i) {
				t.Fatalf("%d calls: id %q at %d", n, id, i)
			}
		}
	}
}
