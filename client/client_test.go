package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/taggedjson"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/protocol/govalues"
	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

func testServer(t *testing.T) string {
	t.Helper()
	return testServerWith(t, server.Options{DetailedErrors: true})
}

func testServerWith(t *testing.T, opts server.Options) string {
	t.Helper()
	srv := server.New(opts)
	srv.MapHub("/testhub", hubs.NewTest())
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

// recorder is a Logger that keeps every line, for asserting signalr.js's texts.
type recorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *recorder) Log(level client.LogLevel, msg string) {
	r.mu.Lock()
	r.lines = append(r.lines, level.String()+": "+msg)
	r.mu.Unlock()
}

func (r *recorder) has(line string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range r.lines {
		if l == line {
			return true
		}
	}
	return false
}

func connect(t *testing.T, url string, opts client.Options) *client.HubConnection {
	t.Helper()
	opts.URL = url
	c, err := client.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

var json = govalues.JSON

func args(t *testing.T, v ...any) protocol.Raw {
	t.Helper()
	raw, err := json.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestInvokeAndState(t *testing.T) {
	c := connect(t, testServer(t)+"/testhub", client.Options{})
	if c.State() != client.Connected || c.ConnectionID() == "" {
		t.Fatalf("state %s id %q", c.State(), c.ConnectionID())
	}
	r, err := c.Invoke(ctx(t), "Echo", args(t, map[string]any{"a": []any{1, "x", nil}}))
	if err != nil || string(r) != `{"a":[1,"x",null]}` {
		t.Fatalf("echo: %s %v", r, err)
	}
	r, err = c.Invoke(ctx(t), "joingroup", args(t, "g"))
	if err != nil || r != nil {
		t.Fatalf("void: %s %v", r, err)
	}
	for method, want := range map[string]string{
		"ThrowException":    "An unexpected error occurred invoking 'ThrowException' on the server. Exception: boom",
		"ThrowHubException": "An unexpected error occurred invoking 'ThrowHubException' on the server. HubException: boom",
		"Nope":              "Unknown hub method 'Nope'",
	} {
		if _, err := c.Invoke(ctx(t), method, args(t, "boom")); err == nil || err.Error() != want {
			t.Errorf("%s: got %v want %q", method, err, want)
		}
	}
	if _, err := c.Invoke(ctx(t), "Add", args(t, 1)); err == nil || !strings.Contains(err.Error(), "Invocation provides 1 argument(s) but target expects 2.") {
		t.Errorf("arg count: %v", err)
	}
	if err := c.Start(ctx(t)); err == nil || err.Error() != "Cannot start a HubConnection that is not in the 'Disconnected' state." {
		t.Errorf("second start: %v", err)
	}
	closed := make(chan error, 1)
	c.OnClose(func(err error) error { closed <- err; return nil })
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := <-closed; err != nil {
		t.Errorf("onclose after stop: %v", err)
	}
	if c.State() != client.Disconnected || c.ConnectionID() != "" {
		t.Errorf("after stop: %s %q", c.State(), c.ConnectionID())
	}
	if _, err := c.Invoke(ctx(t), "Echo", args(t, 1)); err == nil || err.Error() != "Cannot send data if the connection is not in the 'Connected' State." {
		t.Errorf("invoke after stop: %v", err)
	}
}

type funcHandler struct{ f func(protocol.Raw) }

func (h *funcHandler) Call(a protocol.Raw, _ client.Await) (client.HandlerResult, func() (client.HandlerResult, error), error) {
	h.f(a)
	return client.HandlerResult{}, nil, nil
}
func (h *funcHandler) Same(o client.Handler) bool { return o == client.Handler(h) }

// awaitHandler reports each call and what follows the await of its result.
type awaitHandler struct {
	name  string
	calls chan string
}

func (h *awaitHandler) Call(_ protocol.Raw, then client.Await) (client.HandlerResult, func() (client.HandlerResult, error), error) {
	h.calls <- h.name + " " + [...]string{"nothing", "next handler", "answer"}[then]
	return client.HandlerResult{}, nil, nil
}
func (h *awaitHandler) Same(o client.Handler) bool { return o == client.Handler(h) }

// A handler is told whether signalr.js awaits its result for something that follows: another
// handler of the invocation, or the answer the server expects.
func TestHandlersAreToldWhatAwaitsThem(t *testing.T) {
	c := connect(t, testServer(t)+"/testhub", client.Options{})
	calls := make(chan string, 4)
	c.On("two", &awaitHandler{"first", calls})
	c.On("two", &awaitHandler{"second", calls})
	c.On("answer", &awaitHandler{"answer", calls})
	if _, err := c.Invoke(ctx(t), "SendToCaller", args(t, "two", 1)); err != nil {
		t.Fatal(err)
	}
	// The handler gives no result: the server hears "Client didn't provide a result.".
	_, _ = c.Invoke(ctx(t), "ClientResult", args(t, "answer", 1))
	for _, want := range []string{"first next handler", "second nothing", "answer answer"} {
		if got := <-calls; got != want {
			t.Errorf("%s, want %s", got, want)
		}
	}
}

// faultLater is a handler that settles later and faults while its result is read.
type faultLater struct{}

func (faultLater) Call(protocol.Raw, client.Await) (client.HandlerResult, func() (client.HandlerResult, error), error) {
	return client.HandlerResult{}, func() (client.HandlerResult, error) { panic("fault in the result") }, nil
}
func (faultLater) Same(o client.Handler) bool { return o == client.Handler(faultLater{}) }

// lineWaiter tells when a log line arrives.
type lineWaiter struct {
	want string
	seen chan struct{}
}

func (l *lineWaiter) Log(level client.LogLevel, msg string) {
	if level.String()+": "+msg == l.want {
		select {
		case l.seen <- struct{}{}:
		default:
		}
	}
}

// A fault on the goroutine that awaits a handler is logged, as signalr.js logs a rejected
// invokeClientMethod, instead of ending the program; the connection goes on.
func TestAFaultWhileAwaitingAHandlerIsLogged(t *testing.T) {
	log := &lineWaiter{want: "Error: Invoke client method threw error: Error: fault in the result", seen: make(chan struct{}, 1)}
	c := connect(t, testServer(t)+"/testhub", client.Options{Logger: log})
	c.On("later", faultLater{})
	if _, err := c.Invoke(ctx(t), "SendToCaller", args(t, "later")); err != nil {
		t.Fatal(err)
	}
	<-log.seen
	if _, err := c.Invoke(ctx(t), "Echo", args(t, "still here")); err != nil {
		t.Fatal(err)
	}
}

func TestHandlersAndServerClose(t *testing.T) {
	log := &recorder{}
	c := connect(t, testServer(t)+"/testhub", client.Options{Logger: log})
	got := make(chan string, 4)
	c.On("mEsSaGe", &funcHandler{func(a protocol.Raw) { got <- string(a) }})
	if _, err := c.Invoke(ctx(t), "InvokeWithString", args(t, "hi")); err != nil {
		t.Fatal(err)
	}
	if a := <-got; a != `["hi"]` {
		t.Fatalf("handler args %s", a)
	}
	if _, err := c.Invoke(ctx(t), "SendToCaller", args(t, "nobody", 1)); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	c.OnClose(func(err error) error { closed <- err; return nil })
	pending := make(chan error, 1)
	// The server runs a connection's invocations in order: Delay is still pending when it closes.
	if _, err := c.Send("CloseConnection", args(t, "bye", false), nil); err != nil {
		t.Fatal(err)
	}
	c.InvokeAsync("Delay", args(t, 3000), nil, client.CompletionFunc(func(_ protocol.Raw, err error) { pending <- err }), 0)
	want := "Server returned an error on close: bye"
	if err := <-closed; err == nil || err.Error() != want {
		t.Fatalf("onclose: %v", err)
	}
	// Natively the server may close before the Delay invocation is written; then its send
	// fails instead (the page tests, single-threaded, check the pending case exactly).
	if err := <-pending; err == nil || err.Error() != want && err.Error() != "Cannot send data if the connection is not in the 'Connected' State." {
		t.Fatalf("pending invoke: %v", err)
	}
	if !log.has("Warning: No client method with the name 'nobody' found.") {
		t.Errorf("missing warning in %v", log.lines)
	}
}

func TestBadFrameClosesWithError(t *testing.T) {
	c := connect(t, testServer(t)+"/testhub", client.Options{})
	closed := make(chan error, 1)
	c.OnClose(func(err error) error { closed <- err; return nil })
	c.InvokeAsync("SendRaw", args(t, "{\"type\":\"x\"}\x1e"), nil, client.CompletionFunc(func(protocol.Raw, error) {}), 0)
	if err := <-closed; err == nil || err.Error() != "Invalid payload." {
		t.Fatalf("onclose: %v", err)
	}
}

func TestAbortIsAnUncleanClose(t *testing.T) {
	c := connect(t, testServer(t)+"/testhub", client.Options{})
	closed := make(chan error, 1)
	c.OnClose(func(err error) error { closed <- err; return nil })
	c.InvokeAsync("Abort", nil, nil, client.CompletionFunc(func(protocol.Raw, error) {}), 0)
	err := <-closed
	var ce *transport.CloseError
	if !errors.As(err, &ce) || ce.Code != 1006 {
		t.Fatalf("onclose: %v", err)
	}
}

func TestStartFailures(t *testing.T) {
	base := testServer(t)
	cases := map[string]string{
		"/nothere":                     "Failed to complete negotiation with the server: Error: 404 page not found\n: Status code '404' Either this is not a SignalR endpoint or there is a proxy blocking the connection.",
		"/testhub?negotiateStatus=401": "Failed to complete negotiation with the server: Error: Unauthorized: Status code '401'",
		"/testhub?negotiateError=nope": "nope",
		"/testhub?handshakeError=bad":  "Server returned handshake error: bad",
	}
	for path, want := range cases {
		c, _ := client.New(client.Options{URL: base + path})
		if err := c.Start(ctx(t)); err == nil || err.Error() != want {
			t.Errorf("%s: got %q want %q", path, err, want)
		}
		if c.State() != client.Disconnected {
			t.Errorf("%s: state %s", path, c.State())
		}
	}
	c, _ := client.New(client.Options{URL: base + "/testhub", SkipNegotiation: true})
	if err := c.Start(ctx(t)); err == nil || err.Error() != "Negotiation can only be skipped when using the WebSocket transport directly." {
		t.Errorf("skip without WebSockets: %v", err)
	}
}

func TestStopDuringStart(t *testing.T) {
	base := testServer(t)
	for event, want := range map[string]string{
		"handshake": "The connection was stopped before the hub handshake could complete.",
		"negotiate": "The connection was stopped during negotiation.",
	} {
		// The server holds the start at event and says when it got there (server/hooks.go).
		hook := "stop-during-" + event
		path := "/testhub?noHandshake=1&hook=" + hook
		if event == "negotiate" {
			path = "/testhub?holdNegotiate=1&hook=" + hook
		}
		c, _ := client.New(client.Options{URL: base + path})
		started := make(chan error, 1)
		go func() { started <- c.Start(context.Background()) }()
		reached, err := http.Get(base + "/fault/wait?hook=" + hook + "&event=" + event)
		if err != nil {
			t.Fatal(err)
		}
		reached.Body.Close()
		_ = c.Stop()
		err = <-started
		var abort *transport.AbortError
		if !errors.As(err, &abort) || err.Error() != want {
			t.Errorf("%s: got %v", path, err)
		}
		if c.State() != client.Disconnected {
			t.Errorf("%s: state %s", path, c.State())
		}
	}
}

func TestSkipNegotiation(t *testing.T) {
	c := connect(t, testServer(t)+"/testhub", client.Options{SkipNegotiation: true, Transports: transport.WebSockets})
	if c.ConnectionID() != "" {
		t.Errorf("connection id %q", c.ConnectionID())
	}
	if r, err := c.Invoke(ctx(t), "Echo", args(t, "x")); err != nil || string(r) != `"x"` {
		t.Fatalf("echo %s %v", r, err)
	}
}

func TestReconnectAfterAbort(t *testing.T) {
	c := connect(t, testServer(t)+"/testhub", client.Options{ReconnectPolicy: client.RetryDelays{0}})
	first := c.ConnectionID()
	reconnecting := make(chan error, 1)
	reconnected := make(chan string, 1)
	c.OnReconnecting(func(err error) error { reconnecting <- err; return nil })
	c.OnReconnected(func(id string) error { reconnected <- id; return nil })
	if _, err := c.Invoke(ctx(t), "Abort", nil); err == nil {
		t.Fatal("the aborted invocation succeeded")
	}
	if err := <-reconnecting; err == nil || err.Error() != "WebSocket closed with status code: 1006 (no reason given)." {
		t.Fatalf("onreconnecting: %v", err)
	}
	if id := <-reconnected; id == "" || id == first || id != c.ConnectionID() {
		t.Fatalf("onreconnected %q (first %q, now %q)", id, first, c.ConnectionID())
	}
	if r, err := c.Invoke(ctx(t), "Echo", args(t, "back")); err != nil || string(r) != `"back"` {
		t.Fatalf("after reconnect: %s %v", r, err)
	}
}

func TestReconnectGivesUp(t *testing.T) {
	url := testServer(t)
	c := connect(t, url+"/testhub", client.Options{ReconnectPolicy: client.RetryDelays{0, 0}})
	closed := make(chan error, 1)
	c.OnClose(func(err error) error { closed <- err; return nil })
	c.OnReconnecting(func(error) error { return c.SetBaseURL(url + "/testhub?negotiateStatus=503") })
	_, _ = c.Invoke(ctx(t), "Abort", nil)
	// signalr.js closes with no error once the retries are exhausted.
	if err := <-closed; err != nil {
		t.Fatalf("onclose: %v", err)
	}
	if s := c.State(); s != client.Disconnected {
		t.Fatalf("state %s", s)
	}
}

func TestStream(t *testing.T) {
	c := connect(t, testServer(t)+"/testhub", client.Options{})
	var items []string
	ended := make(chan error, 1)
	c.StreamAsync("Counter", args(t, 3, 0), nil, func(item protocol.Raw) { items = append(items, string(item)) }, func(err error) { ended <- err })
	if err := <-ended; err != nil || strings.Join(items, ",") != "0,1,2" {
		t.Fatalf("items %v, end %v", items, err)
	}
	c.StreamAsync("StreamFailsAtOnce", args(t, "nope"), nil, func(protocol.Raw) { t.Error("an item") }, func(err error) { ended <- err })
	if err := <-ended; err == nil || err.Error() != "An unexpected error occurred invoking 'StreamFailsAtOnce' on the server. HubException: nope" {
		t.Fatalf("end %v", err)
	}
}

func TestStatefulReconnect(t *testing.T) {
	log := &recorder{}
	url := testServerWith(t, server.Options{AllowStatefulReconnects: true}) + "/testhub"
	c := connect(t, url, client.Options{StatefulReconnect: true, ReconnectPolicy: client.RetryDelays{0}, HTTPLogger: log})
	id := c.ConnectionID()
	c.OnReconnecting(func(err error) error { t.Errorf("reconnecting: %v", err); return nil })
	items := make(chan string, 16)
	c.On("item", &funcHandler{func(a protocol.Raw) { items <- string(a) }})
	// The invocation itself is replayed to the server, which has not acked it yet, and the
	// items sent before the drop are replayed to us: both sides must drop the duplicates.
	if r, err := c.Invoke(ctx(t), "DropTransport", args(t, 3, 3)); err != nil || string(r) != "6" {
		t.Fatalf("invoke across the drop: %s %v", r, err)
	}
	for i := 1; i <= 6; i++ {
		if a := <-items; a != "["+string(rune('0'+i))+"]" {
			t.Fatalf("item %d: %s", i, a)
		}
	}
	if r, err := c.Invoke(ctx(t), "Echo", args(t, "after")); err != nil || string(r) != `"after"` {
		t.Fatalf("after the drop: %s %v", r, err)
	}
	select {
	case a := <-items:
		t.Fatalf("an item came twice: %s", a)
	default:
	}
	if c.State() != client.Connected || c.ConnectionID() != id {
		t.Fatalf("the hub connection noticed: %s %q (was %q)", c.State(), c.ConnectionID(), id)
	}
	if !log.has("Trace: (WebSockets transport) socket closed.") {
		t.Errorf("no transport close logged: %v", log.lines)
	}
}

func TestStatefulReconnectNeedsTheServer(t *testing.T) {
	url := testServer(t) + "/testhub"
	c := connect(t, url, client.Options{StatefulReconnect: true})
	closed := make(chan error, 1)
	c.OnClose(func(err error) error { closed <- err; return nil })
	if _, err := c.Invoke(ctx(t), "DropTransport", args(t, 0, 1)); err == nil {
		t.Fatal("the invocation survived a drop without stateful reconnect")
	}
	if err := <-closed; err == nil || !strings.Contains(err.Error(), "1006") {
		t.Fatalf("close: %v", err)
	}

	body := `{"connectionId":"a","connectionToken":"b","negotiateVersion":1,"availableTransports":[],"useStatefulReconnect":true}`
	other, err := client.New(client.Options{URL: url + "?negotiateBody=" + body})
	if err != nil {
		t.Fatal(err)
	}
	err = other.Start(ctx(t))
	var fe *client.FailedToNegotiateError
	if !errors.As(err, &fe) || err.Error() != "Client didn't negotiate Stateful Reconnect but the server did." {
		t.Fatalf("unasked stateful reconnect: %v", err)
	}
}

// Long Polling, text and binary: invocations, pushed messages, a stream and a clean stop.
func TestLongPolling(t *testing.T) {
	for _, proto := range []govalues.Protocol{govalues.JSON, govalues.MessagePack} {
		t.Run(proto.Name(), func(t *testing.T) {
			log := &recorder{}
			url := testServerWith(t, server.Options{LongPolling: true}) + "/testhub"
			c := connect(t, url, client.Options{Transports: transport.LongPolling, Protocol: proto, HTTPLogger: log})
			got := make(chan string, 4)
			c.On("message", &funcHandler{func(a protocol.Raw) {
				text, _, _ := taggedjson.FromMsgpack(nil, a)
				if proto.Name() == "json" {
					text = a
				}
				got <- string(text)
			}})
			raw, err := proto.Encode([]any{"polled"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Invoke(ctx(t), "InvokeWithString", raw); err != nil {
				t.Fatal(err)
			}
			if a := <-got; a != `["polled"]` {
				t.Fatalf("handler args %s", a)
			}
			closed := make(chan error, 1)
			c.OnClose(func(err error) error { closed <- err; return nil })
			if err := c.Stop(); err != nil {
				t.Fatal(err)
			}
			if err := <-closed; err != nil {
				t.Fatalf("onclose: %v", err)
			}
			for _, line := range []string{
				"Debug: Selecting transport 'LongPolling'.",
				// The Close message ends the poll, or stop() aborts it first and sends a DELETE.
				"Trace: (LongPolling transport) Firing onclose event.",
			} {
				if !log.has(line) {
					t.Errorf("no %q in %q", line, log.lines)
				}
			}
		})
	}
}

// Server-Sent Events: messages down the event stream, sends as POSTs, and the fallback from
// WebSockets when they are refused.
func TestServerSentEvents(t *testing.T) {
	log := &recorder{}
	url := testServerWith(t, server.Options{ServerSentEvents: true}) + "/testhub?noWebSockets=1"
	c := connect(t, url, client.Options{HTTPLogger: log})
	got := make(chan string, 4)
	c.On("message", &funcHandler{func(a protocol.Raw) { got <- string(a) }})
	if _, err := c.Invoke(ctx(t), "InvokeWithString", args(t, "streamed")); err != nil {
		t.Fatal(err)
	}
	if a := <-got; a != `["streamed"]` {
		t.Fatalf("handler args %s", a)
	}
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"Debug: Selecting transport 'ServerSentEvents'.",
		"Debug: HttpConnection.stopConnection(undefined) called while in state Disconnecting.",
	} {
		if !log.has(line) {
			t.Errorf("no %q in %q", line, log.lines)
		}
	}
}

// panickyJSON is the JSON protocol with a fault in its reader.
type panickyJSON struct{ protocol.JSONProtocol }

func (p panickyJSON) Parse(msgs []protocol.Message, frame []byte) ([]protocol.Message, error) {
	if strings.Contains(string(frame), "boom") {
		panic("reader fault")
	}
	return p.JSONProtocol.Parse(msgs, frame)
}

// A fault while reading a frame closes that connection with an error; the program lives on.
func TestReaderPanicClosesTheConnection(t *testing.T) {
	c := connect(t, testServer(t)+"/testhub", client.Options{Protocol: panickyJSON{}})
	closed := make(chan error, 1)
	c.OnClose(func(err error) error { closed <- err; return nil })
	if _, err := c.Send("SendToCaller", args(t, "message", "boom"), nil); err != nil {
		t.Fatal(err)
	}
	if err := <-closed; err == nil || err.Error() != "reader fault" {
		t.Fatalf("onclose: %v", err)
	}
}

// A frame of the other kind than the protocol's closes the connection as signalr.js's
// protocols refuse it: text under MessagePack, binary under JSON.
func TestFrameOfTheOtherKind(t *testing.T) {
	for _, tc := range []struct {
		proto govalues.Protocol
		want  string
	}{
		{govalues.JSON, "Invalid input for JSON hub protocol. Expected a string."},
		{govalues.MessagePack, "Invalid input for MessagePack hub protocol. Expected an ArrayBuffer."},
	} {
		c := connect(t, testServer(t)+"/testhub", client.Options{Protocol: tc.proto})
		closed := make(chan error, 1)
		c.OnClose(func(err error) error { closed <- err; return nil })
		frame, err := tc.proto.Encode([]any{"{\"type\":6}\x1e"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Send("SendRawOtherKind", frame, nil); err != nil {
			t.Fatal(err)
		}
		if err := <-closed; err == nil || err.Error() != tc.want {
			t.Errorf("%s: closed with %v", tc.proto.Name(), err)
		}
	}
}
