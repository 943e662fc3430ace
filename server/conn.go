package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/protocol/govalues"
)

// conn is one client connection. Hub code writes to it from any goroutine; writes are
// serialised, and reads happen on one goroutine that hands invocations to an executor so
// that pings, Close and client results keep flowing while a hub method runs.
type conn struct {
	s       *Server
	hub     *hubEntry
	id      string
	token   string
	request *http.Request
	proto   govalues.Protocol
	binary  bool // the protocol's frames are binary: so is everything sent, the handshake too
	items   sync.Map

	// wire changes only when a stateful client reconnects: read it with transport().
	wire     wire
	stateful bool      // negotiated; the handshake decides whether it is used
	resumed  chan wire // a reconnecting client's new WebSocket
	// link writes every frame, with stateful reconnect's buffer once the handshake set one.
	link    *protocol.Link[wire]
	stalled atomic.Bool // a stalled server: nothing goes out any more, pings included
	// lingering is the first WebSocket's TCP connection, for closeLingering.
	lingering *lingeringConn

	ctx    context.Context
	cancel context.CancelCauseFunc

	mu        sync.Mutex
	groups    map[string]bool
	nextID    int
	results   map[string]chan *protocol.Message
	streams   map[string]context.CancelFunc // running server-to-client streams, by invocation id
	uploads   map[string]*upload            // open client-to-server streams, by stream id
	lastWrite time.Time
	// received keeps the first frames the client sent, for tests of what is on the wire.
	received [][]byte

	// leftover holds messages that came in the handshake's frame.
	leftover []byte
	// hook names the connection's events for tests (hooks.go); pings counts the client's.
	hook  string
	pings int
}

var errAborted = errors.New("connection aborted")

// connect upgrades a hub request to a WebSocket connection.
func (s *Server) connect(w http.ResponseWriter, r *http.Request, hub *hubEntry) {
	f := faultsOf(r.URL.Query())
	if r.Header.Get("Upgrade") == "" {
		s.httpTransport(w, r, hub)
		return
	}
	if f.noWebSockets {
		http.Error(w, "WebSockets are refused by the noWebSockets switch.", http.StatusBadRequest)
		return
	}
	token := r.URL.Query().Get("id")
	id, stateful := newID(), false // skipNegotiation: the connection starts at the socket
	var live *conn
	if token != "" {
		p, status := s.claimToken(token)
		if status != 0 {
			http.Error(w, "No Connection with that ID", status)
			return
		}
		id, stateful, live = p.id, p.stateful, p.live
	}
	lw := &lingeringWriter{ResponseWriter: w}
	ws, err := websocket.Accept(lw, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		if live == nil {
			s.releaseToken(token)
		}
		return
	}
	ws.SetReadLimit(16 << 20)
	var socket wire = wsWire{ws}
	if !f.frameEach {
		socket = newJoinedWire(wsWire{ws})
	}
	if live != nil {
		live.resume(socket)
		return
	}
	c := s.newConn(hub, id, token, r, socket, stateful)
	c.lingering = lw.conn
	c.serve(f)
}

func (s *Server) newConn(hub *hubEntry, id, token string, r *http.Request, w wire, stateful bool) *conn {
	ctx, cancel := context.WithCancelCause(context.Background())
	c := &conn{
		s: s, hub: hub, id: id, token: token, request: r, wire: w, stateful: stateful,
		resumed: make(chan wire, 1),
		ctx:     ctx, cancel: cancel,
		groups: map[string]bool{}, results: map[string]chan *protocol.Message{},
		streams: map[string]context.CancelFunc{}, uploads: map[string]*upload{},
	}
	c.link = protocol.NewLink(c.writeLocked)
	c.link.Attach(w)
	return c
}

func (c *conn) transport() wire {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wire
}

// resume hands a reconnecting client's WebSocket to its connection and waits while the
// connection lives (the request must outlast the socket). A socket the server still
// thinks open is dropped, so that the read loop moves to the new one.
func (c *conn) resume(w wire) {
	old := c.transport()
	select {
	case c.resumed <- w:
		_ = old.Drop()
		<-c.ctx.Done()
	case <-c.ctx.Done():
		_ = w.Close()
	}
}

// awaitTransport is the server's half of stateful reconnect: the WebSocket is gone, and the
// connection waits for its client to reconnect, then replays what the client has not
// acknowledged, after a Sequence message. It reports whether the connection goes on.
func (c *conn) awaitTransport() bool {
	c.link.Disconnected()
	t := time.NewTimer(c.s.opts.ClientTimeout)
	defer t.Stop()
	var w wire
	select {
	case w = <-c.resumed:
	case <-t.C:
		return false
	case <-c.ctx.Done():
		return false
	}
	return c.link.Swap(c.proto, func(*protocol.SequenceBuffer) (wire, bool) {
		c.mu.Lock()
		c.wire = w
		c.mu.Unlock()
		c.s.logf("reconnected %s", c.id)
		return w, true
	})
}

// dropTransport closes the WebSocket without a close frame but keeps the connection: with
// stateful reconnect, the client comes back; without, the connection ends.
func (c *conn) dropTransport() { _ = c.transport().Drop() }

// pollGrace is how long a Long Polling connection that ended still answers polls (with 204,
// the end) before its id is forgotten (404): a client between two polls must learn of the
// end, as ASP.NET keeps the connection until that poll.
const pollGrace = 5 * time.Second

func (c *conn) releaseToken() {
	if _, polled := c.transport().(*pollWire); polled {
		time.AfterFunc(pollGrace, func() { c.s.releaseToken(c.token) })
		return
	}
	c.s.releaseToken(c.token)
}

func (s *Server) releaseToken(token string) {
	if token == "" {
		return
	}
	s.mu.Lock()
	delete(s.tokens, token)
	s.mu.Unlock()
}

func (c *conn) serve(f faults) {
	defer c.releaseToken()
	c.hook = f.hook
	if !c.handshake(f) {
		c.cancel(nil)
		return
	}
	c.s.addConn(c)
	if c.link.Buffer() != nil {
		c.s.goLive(c)
	}
	c.s.logf("connected %s to %s", c.id, c.hub.path)
	invocations := make(chan *protocol.Message, 64)
	executorDone := make(chan struct{})
	go func() {
		defer close(executorDone)
		c.hub.connected(c)
		for m := range invocations {
			c.hub.invoke(c, m)
		}
	}()
	if !f.noPing && !c.wire.inherentKeepAlive() {
		go c.keepAlive()
	}

	err := c.readLoop(invocations)
	close(invocations)
	c.cancel(err)
	<-executorDone
	c.s.removeConn(c)
	c.hub.disconnected(c, err)
	c.s.logf("disconnected %s: %v", c.id, err)
	if buf := c.link.Buffer(); buf != nil {
		buf.Dispose(nil)
	}
	_ = c.transport().Close()
}

// handshake reads the client's handshake and answers it; the fault switches act here.
func (c *conn) handshake(f faults) bool {
	ctx, cancel := context.WithTimeout(c.ctx, 15*time.Second)
	defer cancel()
	data, err := c.wire.Read(ctx)
	if err != nil {
		return false
	}
	c.record(data)
	req, rest, err := protocol.ParseHandshakeRequest(data)
	if err != nil {
		_ = c.wire.Close()
		return false
	}
	c.s.hooks.happened(f.hook, "handshake")
	if f.noHandshake {
		// Wait until the client gives up; it must never get an answer.
		_, _ = c.wire.Read(c.ctx)
		return false
	}
	time.Sleep(f.handshakeDelay)
	proto := c.s.protocols[req.Protocol]
	c.binary = proto != nil && proto.TransferFormat() == protocol.Binary
	if f.handshakeReply != "" {
		_ = c.writeFrame([]byte(f.handshakeReply))
		_, _ = c.wire.Read(c.ctx) // until the client gives up on it
		return false
	}
	errText := f.handshakeError
	if errText == "" && proto == nil {
		errText = "The protocol '" + req.Protocol + "' is not supported."
	}
	if errText != "" {
		_ = c.writeFrame(protocol.WriteHandshakeResponse(errText))
		_ = c.wire.Close()
		return false
	}
	c.proto = proto
	if c.stateful && req.Version >= 2 {
		// As ASP.NET: stateful reconnect needs both the negotiation and protocol version 2.
		c.link.UseBuffer(protocol.NewSequenceBuffer(0))
	}
	if err := c.writeFrame(protocol.WriteHandshakeResponse("")); err != nil {
		return false
	}
	if len(rest) > 0 {
		// Messages sent in the handshake's frame are processed like any other.
		c.leftover = rest
	}
	return true
}

// readLoop reads until the client leaves; the error is why (nil for a clean close).
func (c *conn) readLoop(invocations chan<- *protocol.Message) error {
	frame := c.leftover
	for {
		if len(frame) > 0 {
			msgs, err := c.proto.Parse(nil, frame)
			if err != nil {
				return err
			}
			for i := range msgs {
				if !c.link.Accept(msgs[i].Type, c.sendAck) {
					continue // a replayed duplicate, or sent before the client's Sequence
				}
				if done, err := c.receive(&msgs[i], invocations); done {
					return err
				}
			}
		}
		w := c.transport()
		ctx, cancel := c.ctx, context.CancelFunc(func() {})
		if !w.inherentKeepAlive() {
			ctx, cancel = context.WithTimeout(c.ctx, c.s.opts.ClientTimeout)
		}
		var err error
		frame, err = w.Read(ctx)
		timedOut := ctx.Err() == context.DeadlineExceeded
		cancel()
		if err == nil {
			c.record(frame)
		}
		if err != nil {
			if cause := context.Cause(c.ctx); cause != nil {
				return cause
			}
			if timedOut {
				return errors.New("client timeout")
			}
			if c.link.Buffer() != nil && c.awaitTransport() {
				frame = nil
				continue
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// sendAck tells the client what arrived.
func (c *conn) sendAck(sequenceID int64) {
	_ = c.write(&protocol.Message{Type: protocol.AckType, SequenceID: sequenceID})
}

const maxRecordedFrames = 64

func (c *conn) record(frame []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.received) < maxRecordedFrames {
		c.received = append(c.received, append([]byte(nil), frame...))
	}
}

// receivedFrames is every frame the client sent (the first 64), the handshake's included.
func (c *conn) receivedFrames() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.received...)
}

// receive handles one message; done reports that the connection ends.
func (c *conn) receive(m *protocol.Message, invocations chan<- *protocol.Message) (done bool, err error) {
	switch m.Type {
	case protocol.InvocationType, protocol.StreamInvocationType:
		c.openUploads(m)
		invocations <- m
	case protocol.StreamItemType:
		c.uploadItem(m)
	case protocol.CompletionType:
		if c.endUpload(m) {
			break
		}
		c.mu.Lock()
		ch := c.results[m.InvocationID]
		delete(c.results, m.InvocationID)
		c.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	case protocol.CancelInvocationType:
		c.cancelStream(m.InvocationID)
	case protocol.PingType:
		c.pings++ // only the read loop counts
		c.s.hooks.happened(c.hook, "ping"+strconv.Itoa(c.pings))
	case protocol.AckType, protocol.SequenceType:
		if err := c.link.Received(m); err != nil {
			return true, err
		}
	case protocol.CloseType:
		if m.Error != "" {
			return true, errors.New(m.Error)
		}
		return true, nil
	}
	return false, nil
}

func (c *conn) keepAlive() {
	t := time.NewTicker(c.s.opts.KeepAliveInterval)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
			c.mu.Lock()
			idle := time.Since(c.lastWrite) >= c.s.opts.KeepAliveInterval
			c.mu.Unlock()
			if idle {
				_ = c.write(&protocol.Message{Type: protocol.PingType})
			}
		}
	}
}

// write sends a message. Under stateful reconnect a hub message is also kept until the
// client acknowledges it; while the WebSocket is gone it is only kept, and it never fails.
func (c *conn) write(m *protocol.Message) error {
	frame, err := c.proto.Append(nil, m)
	if err != nil {
		return err
	}
	_, err = c.link.Send(m.Type, frame)
	return err
}

func (c *conn) writeFrame(frame []byte) error { return c.link.WriteFrame(frame, nil) }

// writeRaw writes a test's frame, as it is, as a WebSocket message of its own.
func (c *conn) writeRaw(frame []byte, binary bool) error {
	return c.link.WriteFrame(frame, func(w wire, frame []byte) error { return c.writeLockedAs(alone(w), frame, binary) })
}

// writeLocked is the link's write: a WebSocket's or an HTTP response's write is done when it
// returns.
func (c *conn) writeLocked(w wire, frame []byte) (posted <-chan error, err error) {
	return nil, c.writeLockedAs(w, frame, c.binary)
}

// writeLockedAs writes frame as a binary or a text message, whatever the protocol's format.
func (c *conn) writeLockedAs(w wire, frame []byte, binary bool) error {
	if c.stalled.Load() {
		return nil
	}
	c.mu.Lock()
	c.lastWrite = time.Now()
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	return w.Write(ctx, frame, binary)
}

// invokeClient calls a client method and waits for its result (ASP.NET's client results).
func (c *conn) invokeClient(ctx context.Context, method string, args []any) (protocol.Raw, error) {
	raw, err := c.proto.Encode(args)
	if err != nil {
		return nil, err
	}
	ch := make(chan *protocol.Message, 1)
	c.mu.Lock()
	id := "s" + strconv.Itoa(c.nextID)
	c.nextID++
	c.results[id] = ch
	c.mu.Unlock()
	if err := c.write(&protocol.Message{Type: protocol.InvocationType, InvocationID: id, Target: method, Arguments: raw}); err != nil {
		return nil, err
	}
	select {
	case m := <-ch:
		if m.Error != "" {
			return nil, errors.New(m.Error)
		}
		return m.Result, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-c.ctx.Done():
		return nil, errors.New("Connection is closed.")
	}
}

// closeWith sends a Close message and ends the connection, as HubConnectionContext.Abort
// after a Close does in ASP.NET.
func (c *conn) closeWith(errText string, allowReconnect bool) {
	_ = c.write(&protocol.Message{Type: protocol.CloseType, Error: errText, AllowReconnect: allowReconnect})
	// Close before cancelling: a cancelled read would drop the socket without a close frame.
	_ = c.transport().Close()
	c.cancel(errors.New("closed by the server: " + errText))
}

// closeLingering closes the WebSocket with a close frame and no Close message, as a server
// that goes away without SignalR's goodbye, and keeps its TCP connection until the page
// signals "release" on the connection's hook: meanwhile the browser's socket is CLOSING.
func (c *conn) closeLingering() {
	if c.lingering != nil && c.hook != "" {
		c.lingering.holdCloseUntil(c.s.hooks.channel(c.hook, "release"))
	}
	_ = c.transport().Close()
	c.cancel(errors.New("closed by the server without a Close message"))
}

// abort drops the socket without a close frame: the browser sees code 1006.
func (c *conn) abort() {
	c.cancel(errAborted)
	_ = c.transport().Drop()
}
