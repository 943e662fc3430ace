package hubs

import (
	"context"
	"encoding/hex"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/signalr-wasm/signalr-wasm/server"
)

// Test is the hub the page tests drive: each method exercises one behaviour a client must
// handle, including the faults.
type Test struct{ server.Hub }

// NewTest returns the factory to map.
func NewTest() func() server.HubInstance { return func() server.HubInstance { return &Test{} } }

func (h *Test) Echo(x any) any                  { return x }
func (h *Test) Add(a, b float64) float64        { return a + b }
func (h *Test) GetCallerConnectionId() string   { return h.Context.ConnectionID }
func (h *Test) GetHeader(name string) string    { return h.Context.Header(name) }
func (h *Test) GetQuery(name string) string     { return h.Context.Query(name) }
func (h *Test) ThrowException(msg string) error { return errors.New(msg) }
func (h *Test) ThrowHubException(msg string) error {
	return &server.HubError{Message: msg}
}

// Panic shows that a faulty hub method becomes an error for its caller only.
func (h *Test) Panic() { panic("hub method panicked") }

// InvokeWithString calls the caller's "Message" handler, as the official functional tests do.
func (h *Test) InvokeWithString(message string) error {
	return h.Clients.Caller().Send("Message", message)
}

func (h *Test) SendToAll(method string, args ...any) error {
	return h.Clients.All().Send(method, args...)
}

func (h *Test) SendToOthers(method string, args ...any) error {
	return h.Clients.Others().Send(method, args...)
}

func (h *Test) SendToCaller(method string, args ...any) error {
	return h.Clients.Caller().Send(method, args...)
}

func (h *Test) SendToClient(id, method string, args ...any) error {
	return h.Clients.Client(id).Send(method, args...)
}

func (h *Test) SendToAllExcept(id, method string, args ...any) error {
	return h.Clients.AllExcept(id).Send(method, args...)
}

func (h *Test) JoinGroup(group string) { h.Groups.Add(h.Context.ConnectionID, group) }

func (h *Test) LeaveGroup(group string) { h.Groups.Remove(h.Context.ConnectionID, group) }

func (h *Test) SendToGroup(group, method string, args ...any) error {
	return h.Clients.Group(group).Send(method, args...)
}

func (h *Test) SendToOthersInGroup(group, method string, args ...any) error {
	return h.Clients.OthersInGroup(group).Send(method, args...)
}

// Delay answers after ms, for tests that need an invocation in flight.
func (h *Test) Delay(ms int) int {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return ms
}

// CloseConnection makes the server send a Close message and end the connection.
func (h *Test) CloseConnection(errorText string, allowReconnect bool) {
	h.Context.Close(errorText, allowReconnect)
}

// CloseLingering closes the socket without a Close message and holds its TCP connection
// until the page's "release": the browser's socket stays CLOSING meanwhile.
func (h *Test) CloseLingering() { h.Context.CloseLingering() }

// Abort drops the socket without a Close message (the client sees code 1006).
func (h *Test) Abort() { h.Context.Abort() }

// Stall stops everything the server sends on this connection, its own result included.
func (h *Test) Stall() { h.Context.Stall() }

// DropTransport sends "item" 1..before, drops the WebSocket as a network fault would, then
// sends the items up to before+after while it is gone, and returns how many it sent. Under
// stateful reconnect the client gets every item once, in order, and this result.
func (h *Test) DropTransport(before, after int) int {
	caller := h.Clients.Caller()
	for i := 1; i <= before+after; i++ {
		if i == before+1 {
			h.Context.DropTransport()
		}
		_ = caller.Send("item", i)
	}
	return before + after
}

// SendMany sends the caller count messages, for the receive benchmark.
func (h *Test) SendMany(method string, count int, payload any) error {
	caller := h.Clients.Caller()
	for i := 0; i < count; i++ {
		if err := caller.Send(method, i, payload); err != nil {
			return err
		}
	}
	return nil
}

// Counter streams 0 to count-1, one every delayMs, and stops when the client cancels.
func (h *Test) Counter(count, delayMs int) <-chan any {
	ch := make(chan any)
	go func() {
		defer close(ch)
		for i := 0; i < count; i++ {
			if i > 0 && !h.sleep(time.Duration(delayMs)*time.Millisecond) {
				return
			}
			select {
			case ch <- i:
			case <-h.Context.Canceled():
				h.noteCanceled()
				return
			}
		}
	}()
	return ch
}

// StreamThenFail streams its items, then fails as a throwing enumerator does.
func (h *Test) StreamThenFail(items []any, message string, hubException bool) <-chan any {
	ch := make(chan any, len(items)+1)
	for _, item := range items {
		ch <- item
	}
	if hubException {
		ch <- &server.HubError{Message: message}
	} else {
		ch <- errors.New(message)
	}
	close(ch)
	return ch
}

// StreamFailsAtOnce fails before it streams anything.
func (h *Test) StreamFailsAtOnce(message string) (<-chan any, error) {
	return nil, &server.HubError{Message: message}
}

// CanceledStreams is how many of the caller's Counter streams the client canceled.
func (h *Test) CanceledStreams() int64 {
	n, _ := h.canceled().count()
	return n
}

// WaitCanceledStreams answers once the client has canceled n of the caller's Counter streams
// (or the connection ends), with how many it has: a page waits for the server to see its
// CancelInvocation without polling.
func (h *Test) WaitCanceledStreams(n int64) int64 {
	c := h.canceled()
	for {
		got, changed := c.count()
		if got >= n {
			return got
		}
		select {
		case <-changed:
		case <-h.Context.Canceled():
			return got
		}
	}
}

// canceledCount counts one connection's canceled streams; changed is closed at each change.
type canceledCount struct {
	mu      sync.Mutex
	n       int64
	changed chan struct{}
}

func (c *canceledCount) count() (int64, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n, c.changed
}

var canceledStreams sync.Map // connection id -> *canceledCount

func (h *Test) canceled() *canceledCount {
	c, _ := canceledStreams.LoadOrStore(h.Context.ConnectionID, &canceledCount{changed: make(chan struct{})})
	return c.(*canceledCount)
}

func (h *Test) noteCanceled() {
	c := h.canceled()
	c.mu.Lock()
	c.n++
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// sleep waits d unless the stream is canceled first.
func (h *Test) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-h.Context.Canceled():
		h.noteCanceled()
		return false
	}
}

// UploadSum adds the numbers the client streams, until it completes the stream.
func (h *Test) UploadSum(values <-chan float64) float64 {
	sum := 0.0
	for v := range values {
		sum += v
	}
	return sum
}

// UploadCollect returns the label and every item of the client's stream.
func (h *Test) UploadCollect(label string, items <-chan any) []any {
	all := []any{label}
	for item := range items {
		all = append(all, item)
	}
	return all
}

// UploadEcho streams the client's items back as they come: a stream both ways.
func (h *Test) UploadEcho(items <-chan any) <-chan any {
	out := make(chan any)
	go func() {
		defer close(out)
		for item := range items {
			select {
			case out <- item:
			case <-h.Context.Canceled():
				return
			}
		}
	}()
	return out
}

// SendRaw writes frame, as is, to the caller: malformed input for the client's parser.
func (h *Test) SendRaw(frame string) error { return h.Context.SendRaw([]byte(frame)) }

// SendRawOtherKind writes frame, as is, as the other kind of WebSocket message than the
// protocol's: a text frame under MessagePack, a binary one under JSON.
func (h *Test) SendRawOtherKind(frame string) error { return h.Context.SendRawOtherKind([]byte(frame)) }

// SendRawHex writes the bytes of a hex string, as is, to the caller: malformed input for a
// binary protocol's parser.
func (h *Test) SendRawHex(frame string) error {
	b, err := hex.DecodeString(frame)
	if err != nil {
		return err
	}
	return h.Context.SendRaw(b)
}

// ReceivedFrames returns, in hex, every frame the caller has sent so far, the handshake's
// and this invocation's included: what a client puts on the wire, to compare clients byte
// for byte.
func (h *Test) ReceivedFrames() []string {
	frames := h.Context.ReceivedFrames()
	out := make([]string, len(frames))
	for i, f := range frames {
		out[i] = hex.EncodeToString(f)
	}
	return out
}

// Types returns a value of each Go type a protocol maps, for what clients make of them.
func (h *Test) Types() map[string]any { return TypeSamples() }

// TypeSamples is a value of each Go type a hub protocol maps (any hub may return it).
func TypeSamples() map[string]any {
	return map[string]any{
		"int8":      int8(-5),
		"int64Max":  int64(math.MaxInt64),
		"int64Min":  int64(math.MinInt64),
		"uint64Max": uint64(math.MaxUint64),
		"float32":   float32(1.25),
		"float64":   0.1,
		"bytes":     []byte{0, 1, 255},
		"time":      time.Date(2026, 11, 25, 12, 0, 0, 123456789, time.UTC),
		"nil":       nil,
		"list":      []any{1, "two", 3.5, false},
		"intKeys":   map[int]string{1: "one", 2: "two"},
		"nested":    map[string]any{"deep": []any{map[string]any{"x": 1}}},
	}
}

// ClientResult asks the caller's method for a result and returns it (client results).
func (h *Test) ClientResult(method string, args ...any) (any, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	raw, err := h.Clients.Caller().Invoke(ctx, method, args...)
	if err != nil {
		return nil, &server.HubError{Message: err.Error()}
	}
	var v any
	if len(raw) > 0 {
		if err := h.Context.Decode(raw, &v); err != nil {
			return nil, err
		}
	}
	return v, nil
}
