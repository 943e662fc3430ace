package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
)

// These tests speak the wire protocol by hand, so that they test the server and not a client.

func newServer(t *testing.T, opts server.Options) string {
	t.Helper()
	srv := server.New(opts)
	srv.MapHub("/testhub", hubs.NewTest())
	srv.MapHub("/chathub", hubs.NewChat())
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}

type negotiation struct {
	ConnectionID        string `json:"connectionId"`
	ConnectionToken     string `json:"connectionToken"`
	NegotiateVersion    int    `json:"negotiateVersion"`
	AvailableTransports []struct {
		Transport       string   `json:"transport"`
		TransferFormats []string `json:"transferFormats"`
	} `json:"availableTransports"`
}

func negotiate(t *testing.T, url string) negotiation {
	t.Helper()
	resp, err := http.Post(url+"/negotiate?negotiateVersion=1", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var n negotiation
	if err := json.NewDecoder(resp.Body).Decode(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// peer is one hand-driven connection.
type peer struct {
	t    *testing.T
	ws   *websocket.Conn
	id   string
	ctx  context.Context
	msgs []protocol.Message
}

func dial(t *testing.T, url string) *peer {
	t.Helper()
	n := negotiate(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	ws, _, err := websocket.Dial(ctx, strings.Replace(url, "http", "ws", 1)+"?id="+n.ConnectionToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ws.CloseNow() })
	p := &peer{t: t, ws: ws, id: n.ConnectionID, ctx: ctx}
	p.write(string(protocol.WriteHandshakeRequest("json", 1)))
	_, data, err := ws.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, rest, err := protocol.ParseHandshakeResponse(data)
	if err != nil || resp.Error != "" {
		t.Fatalf("handshake: %+v %v", resp, err)
	}
	p.parse(rest)
	return p
}

func (p *peer) write(frame string) {
	p.t.Helper()
	if err := p.ws.Write(p.ctx, websocket.MessageText, []byte(frame)); err != nil {
		p.t.Fatal(err)
	}
}

func (p *peer) parse(frame []byte) {
	p.t.Helper()
	msgs, err := protocol.JSONProtocol{}.Parse(nil, frame)
	if err != nil {
		p.t.Fatalf("parse %q: %v", frame, err)
	}
	for _, m := range msgs {
		if m.Type != protocol.PingType {
			p.msgs = append(p.msgs, m)
		}
	}
}

// next is the next message that is not a ping.
func (p *peer) next() protocol.Message {
	p.t.Helper()
	for len(p.msgs) == 0 {
		_, data, err := p.ws.Read(p.ctx)
		if err != nil {
			p.t.Fatalf("read: %v", err)
		}
		p.parse(data)
	}
	m := p.msgs[0]
	p.msgs = p.msgs[1:]
	return m
}

func (p *peer) invoke(id, target string, args ...any) protocol.Message {
	p.t.Helper()
	raw, _ := json.Marshal(args)
	frame, _ := protocol.JSONProtocol{}.Append(nil, &protocol.Message{Type: protocol.InvocationType, Target: target, Arguments: raw, InvocationID: id})
	p.write(string(frame))
	var others []protocol.Message
	for {
		m := p.next()
		if m.Type == protocol.CompletionType && m.InvocationID == id {
			// What came before the completion stays queued, in order, for expectInvocation.
			p.msgs = append(others, p.msgs...)
			return m
		}
		others = append(others, m)
	}
}

func (p *peer) expectInvocation(target string, args ...any) {
	p.t.Helper()
	m := p.next()
	want, _ := json.Marshal(args)
	if m.Type != protocol.InvocationType || m.Target != target || string(m.Arguments) != string(want) {
		p.t.Fatalf("got %+v (%s), want %s(%s)", m, m.Arguments, target, want)
	}
}

func TestNegotiate(t *testing.T) {
	url := newServer(t, server.Options{}) + "/testhub"
	n := negotiate(t, url)
	if n.NegotiateVersion != 1 || n.ConnectionID == "" || n.ConnectionToken == "" || n.ConnectionID == n.ConnectionToken ||
		len(n.AvailableTransports) != 1 || n.AvailableTransports[0].Transport != "WebSockets" {
		t.Fatalf("negotiate response %+v", n)
	}
	wsURL := strings.Replace(url, "http", "ws", 1)
	ctx := context.Background()
	if _, resp, err := websocket.Dial(ctx, wsURL+"?id=unknown", nil); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown token: %v %v", resp.StatusCode, err)
	}
	ws, _, err := websocket.Dial(ctx, wsURL+"?id="+n.ConnectionToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if _, resp, err := websocket.Dial(ctx, wsURL+"?id="+n.ConnectionToken, nil); err == nil || resp.StatusCode != http.StatusConflict {
		t.Errorf("reused token: %v %v", resp.StatusCode, err)
	}
	resp, err := http.Get(url + "/negotiate")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET negotiate: %d", resp.StatusCode)
	}
}

// The docs' tutorial connects to "/chatHub"; ASP.NET Core's routes match in any case.
func TestHubPathsIgnoreCase(t *testing.T) {
	base := newServer(t, server.Options{DetailedErrors: true})
	for _, path := range []string{"/chatHub", "/CHATHUB/", "/TestHub"} {
		p := dial(t, base+path)
		if m := p.invoke("1", "Echo", path); path != "/TestHub" && m.Error != "Unknown hub method 'Echo'" {
			t.Errorf("%s reached another hub than the chat hub: %+v", path, m)
		} else if path == "/TestHub" && string(m.Result) != `"/TestHub"` {
			t.Errorf("%s: %+v", path, m)
		}
	}
	resp, err := http.Post(base+"/chathubx/negotiate", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("negotiate of an unmapped path: %d", resp.StatusCode)
	}
}

func TestHandshakeWithUnknownProtocol(t *testing.T) {
	url := newServer(t, server.Options{}) + "/testhub"
	n := negotiate(t, url)
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, strings.Replace(url, "http", "ws", 1)+"?id="+n.ConnectionToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	_ = ws.Write(ctx, websocket.MessageText, protocol.WriteHandshakeRequest("carrierpigeon", 1))
	_, data, err := ws.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := protocol.ParseHandshakeResponse(data)
	if err != nil || resp.Error != "The protocol 'carrierpigeon' is not supported." {
		t.Fatalf("%+v %v", resp, err)
	}
}

// Method names match case-insensitively; errors come back as Completion errors in ASP.NET
// Core's words.
func TestInvocations(t *testing.T) {
	p := dial(t, newServer(t, server.Options{DetailedErrors: true})+"/testhub")
	if m := p.invoke("1", "echo", map[string]any{"a": []any{1, "x"}}); string(m.Result) != `{"a":[1,"x"]}` || m.Error != "" {
		t.Errorf("echo: %+v", m)
	}
	if m := p.invoke("2", "ADD", 2, 3.5); string(m.Result) != `5.5` {
		t.Errorf("add: %s", m.Result)
	}
	for target, want := range map[string]string{
		"Nope":              "Unknown hub method 'Nope'",
		"ThrowHubException": "An unexpected error occurred invoking 'ThrowHubException' on the server. HubException: x",
		"ThrowException":    "An unexpected error occurred invoking 'ThrowException' on the server. Exception: x",
	} {
		if m := p.invoke("3", target, "x"); m.Error != want {
			t.Errorf("%s: got %q, want %q", target, m.Error, want)
		}
	}
	if m := p.invoke("4", "Add", 1); m.Error != "Failed to invoke 'Add' due to an error on the server. InvalidDataException: Invocation provides 1 argument(s) but target expects 2." {
		t.Errorf("argument count: %q", m.Error)
	}
	if m := p.invoke("5", "Panic"); !strings.HasPrefix(m.Error, "An unexpected error occurred invoking 'Panic' on the server.") {
		t.Errorf("panic: %q", m.Error)
	}
	if m := p.invoke("6", "Echo", "still here"); string(m.Result) != `"still here"` {
		t.Errorf("after a panic: %+v", m)
	}
}

// Without DetailedErrors, as in ASP.NET, only a HubException's message reaches the client.
func TestErrorsWithoutDetails(t *testing.T) {
	p := dial(t, newServer(t, server.Options{})+"/testhub")
	if m := p.invoke("1", "ThrowException", "secret"); m.Error != "An unexpected error occurred invoking 'ThrowException' on the server." {
		t.Errorf("exception: %q", m.Error)
	}
	if m := p.invoke("2", "ThrowHubException", "shown"); m.Error != "An unexpected error occurred invoking 'ThrowHubException' on the server. HubException: shown" {
		t.Errorf("hub exception: %q", m.Error)
	}
}

func TestRoutingAndGroups(t *testing.T) {
	url := newServer(t, server.Options{}) + "/testhub"
	a, b, c := dial(t, url), dial(t, url), dial(t, url)
	b.invoke("1", "JoinGroup", "g")
	c.invoke("1", "JoinGroup", "g")

	a.invoke("2", "SendToOthers", "hit", "others")
	b.expectInvocation("hit", "others")
	c.expectInvocation("hit", "others")

	a.invoke("3", "SendToClient", c.id, "hit", "client")
	c.expectInvocation("hit", "client")

	a.invoke("4", "SendToAllExcept", b.id, "hit", "allExcept")
	a.expectInvocation("hit", "allExcept")
	c.expectInvocation("hit", "allExcept")

	b.invoke("5", "SendToOthersInGroup", "g", "hit", "othersInGroup")
	c.expectInvocation("hit", "othersInGroup")

	c.invoke("6", "LeaveGroup", "g")
	a.invoke("7", "SendToGroup", "g", "hit", "group")
	b.expectInvocation("hit", "group")

	a.invoke("8", "SendToAll", "hit", "all")
	for _, p := range []*peer{a, b, c} {
		p.expectInvocation("hit", "all") // and nothing before it that should not have come
	}
}

// The chat hub's OnConnected/OnDisconnected drive the demo's clients list.
func TestChatPresence(t *testing.T) {
	url := newServer(t, server.Options{}) + "/chathub"
	a := dial(t, url)
	a.expectInvocation("clients", []string{a.id})
	// An invocation runs after OnConnected has finished: once it completes, a's userJoined
	// (to nobody yet) is sent and cannot reach b.
	a.invoke("0", "SendMessage", "a", "here")
	a.expectInvocation("ReceiveMessage", "a", "here")
	b := dial(t, url)
	ids := []string{a.id, b.id}
	if ids[0] > ids[1] {
		ids[0], ids[1] = ids[1], ids[0]
	}
	b.expectInvocation("clients", ids)
	a.expectInvocation("userJoined", b.id)

	b.invoke("1", "SendMessage", "bob", "hi")
	a.expectInvocation("ReceiveMessage", "bob", "hi")
	b.expectInvocation("ReceiveMessage", "bob", "hi")

	_ = b.ws.Close(websocket.StatusNormalClosure, "")
	a.expectInvocation("userLeaved", b.id)
}

// A Close message from the client ends the connection; the hub's Close sends one with the
// error and allowReconnect.
func TestClose(t *testing.T) {
	url := newServer(t, server.Options{}) + "/testhub"
	p := dial(t, url)
	raw, _ := json.Marshal([]any{"bye", true})
	frame, _ := protocol.JSONProtocol{}.Append(nil, &protocol.Message{Type: protocol.InvocationType, Target: "CloseConnection", Arguments: raw})
	p.write(string(frame))
	if m := p.next(); m.Type != protocol.CloseType || m.Error != "bye" || !m.AllowReconnect {
		t.Fatalf("got %+v", m)
	}
	if _, _, err := p.ws.Read(p.ctx); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Errorf("after Close: %v", err)
	}
}

func TestKeepAlive(t *testing.T) {
	url := newServer(t, server.Options{KeepAliveInterval: 20 * time.Millisecond}) + "/testhub"
	n := negotiate(t, url)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, strings.Replace(url, "http", "ws", 1)+"?id="+n.ConnectionToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	_ = ws.Write(ctx, websocket.MessageText, protocol.WriteHandshakeRequest("json", 1))
	if _, data, err := ws.Read(ctx); err != nil || string(data) != "{}\x1e" {
		t.Fatalf("handshake: %q %v", data, err)
	}
	if _, data, err := ws.Read(ctx); err != nil || string(data) != `{"type":6}`+"\x1e" {
		t.Fatalf("expected a ping, got %q %v", data, err)
	}
}

func TestCORSPreflight(t *testing.T) {
	url := newServer(t, server.Options{}) + "/testhub/negotiate"
	req, _ := http.NewRequest(http.MethodOptions, url, nil)
	req.Header.Set("Origin", "http://elsewhere.example")
	req.Header.Set("Access-Control-Request-Headers", "x-requested-with, authorization")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	got := map[string]string{
		"status":      resp.Status,
		"origin":      resp.Header.Get("Access-Control-Allow-Origin"),
		"credentials": resp.Header.Get("Access-Control-Allow-Credentials"),
		"headers":     resp.Header.Get("Access-Control-Allow-Headers"),
	}
	want := map[string]string{
		"status": "204 No Content", "origin": "http://elsewhere.example", "credentials": "true",
		"headers": "x-requested-with, authorization",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func (p *peer) streamInvoke(id, target string, args ...any) {
	p.t.Helper()
	raw, _ := json.Marshal(args)
	frame, _ := protocol.JSONProtocol{}.Append(nil, &protocol.Message{Type: protocol.StreamInvocationType, Target: target, Arguments: raw, InvocationID: id})
	p.write(string(frame))
}

// A streaming method sends StreamItems and a Completion; CancelInvocation stops it.
func TestStreams(t *testing.T) {
	p := dial(t, newServer(t, server.Options{})+"/testhub")
	p.streamInvoke("1", "counter", 3, 0)
	for i := 0; i < 3; i++ {
		if m := p.next(); m.Type != protocol.StreamItemType || m.InvocationID != "1" || string(m.Item) != strconv.Itoa(i) {
			t.Fatalf("item %d: %+v", i, m)
		}
	}
	if m := p.next(); m.Type != protocol.CompletionType || m.InvocationID != "1" || m.Error != "" || m.Result != nil {
		t.Fatalf("completion: %+v", m)
	}

	p.streamInvoke("2", "Counter", 100000, 5)
	if m := p.next(); m.Type != protocol.StreamItemType {
		t.Fatalf("got %+v", m)
	}
	p.write(`{"type":5,"invocationId":"2"}` + "\x1e")
	if m := p.invoke("3", "WaitCanceledStreams", 1); string(m.Result) != "1" {
		t.Fatalf("the server did not count the cancel: %+v", m)
	}
	if m := p.invoke("4", "CanceledStreams"); string(m.Result) != "1" {
		t.Errorf("CanceledStreams: %+v", m)
	}
	// Whatever was in flight before the cancel is all that comes: then only our completions.
	for _, m := range p.msgs {
		if m.InvocationID == "2" && m.Type == protocol.CompletionType {
			t.Errorf("a canceled stream completed: %+v", m)
		}
	}
}
