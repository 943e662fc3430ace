package client

import (
	"context"
	"sync/atomic"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// connection is the layer a HubConnection runs over, signalr.js's IConnection (which its
// HttpConnection implements, as httpConnection does here): negotiate and its redirects, the
// choice of a transport and the fallback to the next, the transport session with its read
// loop, and the link every frame is written through, with stateful reconnect's buffer and
// its transparent resume. It knows frames, not hub messages; the hub above knows nothing of
// transports but the features a session reports.
//
// Lock order: the hub may call a connection while holding its own mutex; a connection never
// calls up (a receiver, or the function start is given) while holding its own.
type connection interface {
	// start negotiates and opens a transport. open is called once it is open, before its
	// first frame, and returns the receiver of its frames, which get to it one at a time
	// until the transport closes for good; then the receiver's closed is called once. open
	// returns nil when the hub no longer wants the transport (it was stopped meanwhile); a
	// stop before the transport is open has the same effect: start closes the transport,
	// without a close to report, and fails.
	start(ctx context.Context, open func(*session) receiver) error
	// stop closes the open transport, whose close is then reported with err; with none open
	// yet, it makes the start in progress fail.
	stop(err error)
	// wait returns once the last transport session's goroutines (its read loop, its
	// receiver's timers, stateful reconnect's Ack timer) have ended.
	wait()
	// link is what the hub writes its frames through, and reads stateful reconnect's
	// numbering from.
	link() *protocol.Link[transport.Conn]
	// sendHandshake writes the handshake request, which is text even for a binary protocol,
	// and sends it at once (flush).
	sendHandshake(frame []byte) error
	// flush sends at once the frames the transport holds to join with the rest of the turn's
	// (transport.Flusher), and returns what the send threw: signalr.js awaits its handshake
	// and its first ping before it goes on, so they leave, and their trace lines are logged,
	// before what follows; and a page's calls fail when the send of their frames throws.
	flush() error
	connectionID() string
	baseURL() string
	setBaseURL(url string)
}

// receiver is the hub's side of one transport session.
type receiver interface {
	// receive handles one frame; an error closes the transport with it. foreign is a frame of
	// the other transfer format (text under MessagePack, binary under JSON).
	receive(frame []byte, foreign bool) error
	// keepAlive runs the receiver's timers until ctx, the session's, ends. It is not called
	// for a transport that keeps itself alive (Features.InherentKeepAlive).
	keepAlive(ctx context.Context)
	closed(err error)
}

// httpConnection is signalr.js's HttpConnection.
type httpConnection struct {
	opts   *Options
	log    Logger // the HTTPLogger: signalr.js's connection and transports log to their own
	frames *protocol.Link[transport.Conn]

	mu   lock.Mutex
	url  string
	id   string         // the connection id, "" when negotiation was skipped or none is open
	conn transport.Conn // the open transport, nil while none is open
	// open: sends allowed, false from the moment a transport stop begins. Written under mu,
	// read by each write without it: a lock taken is several calls in wasm.
	open    atomic.Bool
	stopErr error    // the error a transport stop was asked with; wins over the transport's own
	current *session // the last transport session, kept after it closed
	// cancelStart cuts the start in progress short, before its transport is open.
	cancelStart context.CancelFunc
}

func newHTTPConnection(opts *Options) *httpConnection {
	c := &httpConnection{opts: opts, log: opts.HTTPLogger, url: opts.URL}
	c.frames = protocol.NewLink(c.writeConn)
	return c
}

func (c *httpConnection) start(ctx context.Context, open func(*session) receiver) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.mu.Lock()
	c.cancelStart = cancel
	base := c.url
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.cancelStart = nil
		c.mu.Unlock()
	}()

	o, err := c.openTransport(ctx, base)
	if err != nil {
		return err
	}
	sessCtx, sessCancel := context.WithCancel(context.Background())
	sess := &session{conn: o.conn, features: o.features, reopen: o.reopen, ctx: sessCtx, cancel: sessCancel}
	sess.receiver = open(sess)
	c.frames.Attach(o.conn)
	c.mu.Lock()
	if sess.receiver == nil || ctx.Err() != nil {
		c.mu.Unlock()
		sessCancel()
		o.conn.Close()
		return errStoppedDuringStart
	}
	c.conn, c.stopErr, c.current = o.conn, nil, sess
	c.open.Store(true)
	c.id = o.id
	c.mu.Unlock()
	c.log.Log(Debug, "The HttpConnection connected successfully.")
	sess.group.Go(func() { c.readLoop(sess) })
	if !sess.features.InherentKeepAlive {
		sess.group.Go(func() { sess.receiver.keepAlive(sessCtx) })
	}
	return nil
}

// stop is signalr.js's HttpConnection.stop(error): close the transport now and run the close
// path synchronously; before a transport is open, abort the start instead.
func (c *httpConnection) stop(err error) {
	c.mu.Lock()
	sess, conn := c.current, c.conn
	if conn == nil {
		if c.cancelStart != nil {
			c.cancelStart()
		}
		c.mu.Unlock()
		return
	}
	if !c.open.Load() {
		c.mu.Unlock()
		return
	}
	c.open.Store(false)
	c.stopErr = err
	c.mu.Unlock()
	conn.Close()
	if !sess.features.CloseInBackground {
		c.transportClosed(sess, "Disconnecting", nil)
	}
	// A transport that closes in background (Long Polling: the poll ends, then a DELETE) has
	// the read loop report the close once it is done.
}

func (c *httpConnection) wait() {
	c.mu.Lock()
	sess := c.current
	c.mu.Unlock()
	if sess != nil {
		sess.group.Wait()
	}
}

func (c *httpConnection) link() *protocol.Link[transport.Conn] { return c.frames }

func (c *httpConnection) sendHandshake(frame []byte) error {
	if err := c.frames.WriteFrame(frame, c.writeConnText); err != nil {
		return err
	}
	return c.flush()
}

func (c *httpConnection) flush() error {
	return c.frames.WriteFrame(nil, func(conn transport.Conn, _ []byte) error {
		if f, ok := conn.(transport.Flusher); ok {
			return f.Flush()
		}
		return nil
	})
}

func (c *httpConnection) connectionID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.id
}

func (c *httpConnection) baseURL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.url
}

func (c *httpConnection) setBaseURL(url string) {
	c.mu.Lock()
	c.url = url
	c.mu.Unlock()
}
