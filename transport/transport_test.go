package transport_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/logging"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// One contract, two platforms: these run natively (net/http, coder/websocket) and in the
// browser (fetch, WebSocket) against the same test server, so the engine above sees the same
// results and errors on both.

func negotiate(t *testing.T, base string, query string) (*transport.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return transport.DefaultHTTPClient(logging.NullLogger{}).Do(ctx, &transport.Request{
		Method: "POST",
		URL:    base + "/testhub/negotiate?negotiateVersion=1" + query,
	})
}

func TestHTTPNegotiate(t *testing.T) {
	resp, err := negotiate(t, testServerURL(t), "")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		ConnectionToken string `json:"connectionToken"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(resp.Body, &body) != nil || body.ConnectionToken == "" {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
}

func TestHTTPErrorStatus(t *testing.T) {
	base := testServerURL(t)
	for query, want := range map[string]string{
		// An empty body falls back to the status text, as signalr.js's HttpError does.
		"&negotiateStatus=401":                      "Unauthorized: Status code '401'",
		"&negotiateStatus=500&negotiateBody=broken": "broken\n: Status code '500'",
	} {
		_, err := negotiate(t, base, query)
		var he *transport.HTTPError
		if !errors.As(err, &he) || err.Error() != want {
			t.Errorf("%s: got %v, want HTTPError %q", query, err, want)
		}
	}
}

// lines records a logger's lines, as "<level> <message>".
type lines []string

func (l *lines) Log(level logging.LogLevel, message string) {
	*l = append(*l, level.String()+" "+message)
}

func TestHTTPTimeoutAndAbort(t *testing.T) {
	base := testServerURL(t)
	// The server holds these negotiations until the client gives up (server/hooks.go); a
	// hook names each, uniquely on a test server that outlives one run.
	hook := strconv.FormatInt(time.Now().UnixNano(), 36)
	var logged lines
	client := transport.DefaultHTTPClient(&logged)
	_, err := client.Do(context.Background(), &transport.Request{
		Method: "POST", URL: base + "/testhub/negotiate?holdNegotiate=1&hook=timeout" + hook, Timeout: 50 * time.Millisecond,
	})
	var te *transport.TimeoutError
	if !errors.As(err, &te) || err.Error() != "A timeout occurred." {
		t.Errorf("timeout: got %v", err)
	}
	// signalr.js's HTTP clients log a timeout as a warning, and nothing for an abort.
	if want := "Warning Timeout from HTTP request."; len(logged) != 1 || logged[0] != want {
		t.Errorf("timeout: logged %q, want %q", logged, want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Abort once the server has the request.
		defer cancel()
		_, _ = client.Do(context.Background(), &transport.Request{Method: "GET", URL: base + "/fault/wait?event=negotiate&hook=abort" + hook})
	}()
	_, err = client.Do(ctx, &transport.Request{Method: "POST", URL: base + "/testhub/negotiate?holdNegotiate=1&hook=abort" + hook, Timeout: time.Minute})
	var ae *transport.AbortError
	if !errors.As(err, &ae) || err.Error() != "An abort occurred." {
		t.Errorf("abort: got %v", err)
	}
	if len(logged) != 1 {
		t.Errorf("abort: logged %q", logged[1:])
	}
	// A request that gets no response is logged as a warning, with the error.
	_, err = client.Do(context.Background(), &transport.Request{Method: "POST", URL: "http://127.0.0.1:1/hub/negotiate"})
	if err == nil || len(logged) != 2 || !strings.HasPrefix(logged[1], "Warning Error from HTTP request. ") {
		t.Errorf("unreachable: got %v, logged %q", err, logged[1:])
	}
}

func connectWebSocket(t *testing.T) transport.Conn {
	t.Helper()
	base := testServerURL(t)
	return connect(t, transport.WebSockets, transport.Settings{}, strings.Replace(base, "http", "ws", 1), base)
}

// connect negotiates with the test server at base and connects a transport of type tt to
// the hub at hubBase (base, or its ws: form), closed when the test ends.
func connect(t *testing.T, tt transport.Type, settings transport.Settings, hubBase, base string) transport.Conn {
	t.Helper()
	resp, err := negotiate(t, base, "")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		ConnectionToken string `json:"connectionToken"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := transport.New(tt, settings).Connect(ctx, hubBase+"/testhub?id="+body.ConnectionToken, protocol.Text)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

func read(t *testing.T, conn transport.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	frame, err := conn.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return string(frame)
}

// connectHub is connectWebSocket past the JSON hub protocol's handshake.
func connectHub(t *testing.T) transport.Conn {
	t.Helper()
	conn := connectWebSocket(t)
	if err := conn.Write(context.Background(), protocol.WriteHandshakeRequest("json", 1)); err != nil {
		t.Fatal(err)
	}
	if got := read(t, conn); got != "{}\x1e" {
		t.Fatalf("handshake response %q", got)
	}
	return conn
}

// Frames go out and come back as bytes, one Read per frame the server sent.
func TestWebSocketFrames(t *testing.T) {
	conn, ctx := connectHub(t), context.Background()
	invoke := `{"type":1,"target":"Echo","arguments":["héllo ✓"],"invocationId":"1"}` + "\x1e"
	if err := conn.Write(ctx, []byte(invoke)); err != nil {
		t.Fatal(err)
	}
	if got, want := read(t, conn), `{"invocationId":"1","result":"héllo ✓","type":3}`+"\x1e"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// Frames written at once, more than the browser transport's pieces hold (transport/pieces.go),
// reach the server whole and in order.
func TestWebSocketLargeTurn(t *testing.T) {
	conn, ctx := connectHub(t), context.Background()
	var want string
	for i := range 4 {
		text := strings.Repeat(string(rune('a'+i)), 30000) + "é"
		invoke := `{"type":1,"target":"Echo","arguments":["` + text + `"],"invocationId":"` + strconv.Itoa(i) + `"}` + "\x1e"
		if err := conn.Write(ctx, []byte(invoke)); err != nil {
			t.Fatal(err)
		}
		want += `{"invocationId":"` + strconv.Itoa(i) + `","result":"` + text + `","type":3}` + "\x1e"
	}
	got := ""
	for len(got) < len(want) {
		got += read(t, conn) // the server may join completions in a frame
	}
	if got != want {
		t.Fatalf("the completions came back as %d bytes unlike the %d sent", len(got), len(want))
	}
}

// A dropped connection reads as signalr.js reports it: code 1006, no reason.
func TestWebSocketAbortKeepsCode(t *testing.T) {
	conn := connectWebSocket(t)
	ctx := context.Background()
	_ = conn.Write(ctx, protocol.WriteHandshakeRequest("json", 1))
	read(t, conn)
	_ = conn.Write(ctx, []byte(`{"type":1,"target":"Abort","arguments":[]}`+"\x1e"))
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		_, err := conn.Read(rctx)
		if err == nil {
			continue // a ping may come first
		}
		var ce *transport.CloseError
		if !errors.As(err, &ce) || ce.Code != 1006 || err.Error() != "WebSocket closed with status code: 1006 (no reason given)." {
			t.Fatalf("got %v", err)
		}
		return
	}
}

// After Close, Read ends with ErrClosed and Write fails.
func TestWebSocketClose(t *testing.T) {
	conn := connectWebSocket(t)
	_ = conn.Close()
	if _, err := conn.Read(context.Background()); !errors.Is(err, transport.ErrClosed) {
		t.Errorf("read after close: %v", err)
	}
	if err := conn.Write(context.Background(), []byte("x")); err == nil {
		t.Error("write after close succeeded")
	}
}

func TestWebSocketConnectFailure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := strings.Replace(testServerURL(t), "http", "ws", 1) + "/testhub?id=no-such-token"
	if _, err := transport.New(transport.WebSockets, transport.Settings{}).Connect(ctx, url, protocol.Text); err == nil {
		t.Fatal("connected with an unknown token")
	}
}
