package client

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/recovered"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// State is signalr.js's HubConnectionState.
type State string

const (
	Disconnected  State = "Disconnected"
	Connecting    State = "Connecting"
	Connected     State = "Connected"
	Disconnecting State = "Disconnecting"
	Reconnecting  State = "Reconnecting"
)

// HubConnection is one connection to a hub. Its methods are safe for concurrent use; the
// mutex is never held while calling out (transport writes, handlers, callbacks), because in
// wasm a callback may re-enter from JS.
type HubConnection struct {
	opts    Options
	log     Logger
	httpLog Logger

	// link writes every frame to the current transport, with stateful reconnect's buffer
	// once a handshake agreed to it (kept until the close, or the next handshake).
	link *protocol.Link[transport.Conn]

	mu           sync.Mutex
	state        State
	started      bool // signalr.js's _connectionStarted: onclose fires only for a started connection
	baseURL      string
	connectionID string

	conn     transport.Conn // the open transport, nil while none is open
	connOpen bool           // sends allowed: false from the moment a transport stop begins
	stopErr  error          // the error a transport stop was asked with; wins over the transport's own
	attempt  *attempt

	// httpToken is the access token the last negotiate sent, which the HTTP transports reuse.
	httpToken string

	stopDuringStartErr error
	cancelStart        context.CancelFunc
	startDone          chan struct{}
	stopDone           chan struct{}

	nextInvocationID int
	calls            map[string]func(*protocol.Message, error)
	handlers         map[string][]Handler
	closeCallbacks   []func(error) error
	// reconnectingCallbacks and reconnectedCallbacks are called by the reconnect loop; a
	// connection without a retry policy never calls them, as in signalr.js.
	reconnectingCallbacks []func(error) error
	reconnectedCallbacks  []func(string) error
	// retryWait cuts the reconnect loop's current wait: false from stop(), true from RetryNow.
	retryWait chan bool

	serverTimeout     time.Duration
	keepAliveInterval time.Duration
	timeoutTimer      *time.Timer
	pingTimer         *time.Timer
	pingGen           int
	nextKeepAlive     time.Time

	pingFrame []byte
}

// attempt is one start's transport: the handshake outcome and the moment the transport closed.
type attempt struct {
	// conn changes only when stateful reconnect reopens the transport, on the read loop's
	// goroutine and under the connection's mutex.
	conn              transport.Conn
	features          transport.Features
	reopen            func(context.Context) (transport.Conn, error)
	ctx               context.Context // ends with the attempt: cuts a reopen short
	cancel            context.CancelFunc
	handshake         chan error
	closed            chan struct{}
	receivedHandshake bool
}

// New makes a connection in the Disconnected state.
func New(opts Options) (*HubConnection, error) {
	opts.setDefaults()
	ping, err := opts.Protocol.Write(&protocol.Message{Type: protocol.PingType})
	if err != nil {
		return nil, err
	}
	c := &HubConnection{
		opts:              opts,
		log:               opts.Logger,
		httpLog:           opts.HTTPLogger,
		state:             Disconnected,
		baseURL:           opts.URL,
		calls:             map[string]func(*protocol.Message, error){},
		handlers:          map[string][]Handler{},
		serverTimeout:     opts.ServerTimeout,
		keepAliveInterval: opts.KeepAliveInterval,
		pingFrame:         ping,
	}
	c.link = protocol.NewLink(c.writeConn)
	return c, nil
}

func (c *HubConnection) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// ConnectionID is "" when disconnected or when negotiation was skipped.
func (c *HubConnection) ConnectionID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connectionID
}

func (c *HubConnection) BaseURL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.baseURL
}

// SetBaseURL follows signalr.js: only while Disconnected or Reconnecting.
func (c *HubConnection) SetBaseURL(url string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != Disconnected && c.state != Reconnecting {
		return errors.New("The HubConnection must be in the Disconnected or Reconnecting state to change the url.")
	}
	if url == "" {
		return errors.New("The HubConnection url must be a valid url.")
	}
	c.baseURL = url
	return nil
}

func (c *HubConnection) SetServerTimeout(d time.Duration) {
	c.mu.Lock()
	c.serverTimeout = d
	c.mu.Unlock()
}

func (c *HubConnection) SetKeepAliveInterval(d time.Duration) {
	c.mu.Lock()
	c.keepAliveInterval = d
	c.mu.Unlock()
}

// OnClose adds a callback for the end of a started connection. A callback returning an error
// (a JS callback that threw) is logged and ends the round, as signalr.js's forEach in one try.
func (c *HubConnection) OnClose(cb func(error) error) {
	c.mu.Lock()
	c.closeCallbacks = append(c.closeCallbacks, cb)
	c.mu.Unlock()
}

// OnReconnecting adds a callback for the start of a reconnect.
func (c *HubConnection) OnReconnecting(cb func(error) error) {
	c.mu.Lock()
	c.reconnectingCallbacks = append(c.reconnectingCallbacks, cb)
	c.mu.Unlock()
}

// OnReconnected adds a callback for a successful reconnect, given the new connection id.
func (c *HubConnection) OnReconnected(cb func(string) error) {
	c.mu.Lock()
	c.reconnectedCallbacks = append(c.reconnectedCallbacks, cb)
	c.mu.Unlock()
}

// Start connects: negotiate, transport, handshake. It fails with signalr.js's errors; a failed
// start leaves the connection Disconnected without calling the close callbacks.
func (c *HubConnection) Start(ctx context.Context) error {
	ch := make(chan error, 1)
	c.StartAsync(ctx, func(err error) { ch <- err })
	return <-ch
}

// StartAsync is Start for callers that cannot block: the state is Connecting when it returns,
// as right after signalr.js's start(), and done is called once the start has settled.
func (c *HubConnection) StartAsync(ctx context.Context, done func(error)) {
	c.mu.Lock()
	if c.state != Disconnected {
		c.mu.Unlock()
		done(errStartNotDisconnect)
		return
	}
	c.state = Connecting
	ctx, cancel := context.WithCancel(ctx)
	c.cancelStart = cancel
	startDone := make(chan struct{})
	c.startDone = startDone
	c.mu.Unlock()
	c.log.Log(Debug, "Starting HubConnection.")
	go func() {
		err := c.finishStart(ctx)
		cancel()
		close(startDone)
		done(err)
	}()
}

func (c *HubConnection) finishStart(ctx context.Context) error {
	err := c.startInternal(ctx)
	if err != nil && c.opts.StartRetryPolicy != nil {
		err = c.retryStart(ctx, err)
	}

	c.mu.Lock()
	c.cancelStart = nil
	if err == nil && (c.state != Connecting || c.conn == nil) {
		// stop() or a transport close won the race with the end of the handshake.
		err = c.stopDuringStartErr
	}
	if err != nil {
		c.state = Disconnected
		stopDone := c.takeStopDoneLocked()
		c.mu.Unlock()
		closeIf(stopDone)
		c.log.Log(Debug, "HubConnection failed to start successfully because of error '"+ErrorString(err)+"'.")
		return err
	}
	c.state = Connected
	c.started = true
	c.mu.Unlock()
	c.log.Log(Debug, "HubConnection connected successfully.")
	return nil
}

func (c *HubConnection) startInternal(ctx context.Context) error {
	c.mu.Lock()
	c.stopDuringStartErr = nil
	base := c.baseURL
	c.mu.Unlock()

	o, err := c.openTransport(ctx, base)
	if err != nil {
		return err
	}
	atCtx, atCancel := context.WithCancel(context.Background())
	at := &attempt{conn: o.conn, features: o.features, reopen: o.reopen, ctx: atCtx, cancel: atCancel, handshake: make(chan error, 1), closed: make(chan struct{})}
	c.link.Attach(o.conn)
	c.mu.Lock()
	if c.state != Connecting && c.state != Reconnecting {
		c.mu.Unlock()
		atCancel()
		o.conn.Close()
		return errStoppedDuringStart
	}
	c.conn, c.connOpen, c.stopErr, c.attempt = o.conn, true, nil, at
	c.connectionID = o.id
	c.mu.Unlock()
	c.httpLog.Log(Debug, "The HttpConnection connected successfully.")
	go c.readLoop(at)

	err = c.handshake(at)
	if err != nil {
		c.log.Log(Debug, "Hub handshake failed with error '"+ErrorString(err)+"' during start(). Stopping HubConnection.")
		c.mu.Lock()
		c.cleanupTimersLocked()
		c.mu.Unlock()
		c.stopTransport(err)
	}
	return err
}

func (c *HubConnection) handshake(at *attempt) error {
	c.log.Log(Debug, "Sending handshake request.")
	p := c.opts.Protocol
	// Version 2 is stateful reconnect's; older servers only know 1, so signalr.js asks for 2
	// only when the server agreed to it.
	version := 1
	if at.reopen != nil {
		version = 2
	}
	if err := c.sendHandshake(protocol.WriteHandshakeRequest(p.Name(), version)); err != nil {
		// A stop racing the write (natively, on another goroutine) explains the failure.
		c.mu.Lock()
		if c.stopDuringStartErr != nil {
			err = c.stopDuringStartErr
		}
		c.mu.Unlock()
		return err
	}
	c.log.Log(Information, "Using HubProtocol '"+p.Name()+"'.")
	c.mu.Lock()
	c.cleanupTimeoutLocked()
	c.resetTimeoutLocked(at)
	c.resetKeepAliveLocked()
	c.mu.Unlock()

	select {
	case err := <-at.handshake:
		if err != nil {
			return err
		}
	case <-at.closed:
		// A handshake error is sent before the transport closes because of it: prefer it.
		select {
		case err := <-at.handshake:
			if err != nil {
				return err
			}
		default:
		}
	}
	c.mu.Lock()
	err := c.stopDuringStartErr
	c.mu.Unlock()
	if err != nil || at.inherentKeepAlive() {
		return err
	}
	return c.sendFrame(c.pingFrameAfterSend())
}

// inherentKeepAlive is signalr.js's feature of Long Polling: a poll is always pending, so
// neither pings nor the server timeout apply.
func (at *attempt) inherentKeepAlive() bool { return at.features.InherentKeepAlive }

// pingFrameAfterSend returns the ping frame and moves the keep-alive deadline, as every send does.
func (c *HubConnection) pingFrameAfterSend() []byte {
	c.mu.Lock()
	c.resetKeepAliveLocked()
	c.mu.Unlock()
	return c.pingFrame
}

// Stop ends the connection and waits until it is Disconnected (and any start has settled).
func (c *HubConnection) Stop() error {
	ch := make(chan error, 1)
	c.StopAsync(func(err error) { ch <- err })
	return <-ch
}

// StopAsync is Stop for callers that cannot block: the state is Disconnecting when it
// returns, as right after signalr.js's stop(); the transport is closed afterwards, so close
// callbacks never run inside the caller's call.
func (c *HubConnection) StopAsync(done func(error)) {
	c.mu.Lock()
	startDone := c.startDone
	c.mu.Unlock()
	finish, stopped := c.beginStop(nil)
	if finish != nil {
		c.opts.RunLater(finish)
	}
	go func() {
		<-stopped
		if startDone != nil {
			<-startDone
		}
		done(nil)
	}()
}

var closedChan = func() chan struct{} { ch := make(chan struct{}); close(ch); return ch }()

// stopInternal is signalr.js's _stopInternal(error): the returned channel closes when the
// connection reached Disconnected.
func (c *HubConnection) stopInternal(err error) <-chan struct{} {
	finish, stopped := c.beginStop(err)
	if finish != nil {
		finish()
	}
	return stopped
}

// beginStop moves to Disconnecting; finish, when not nil, sends the Close message and stops
// the transport. stopped closes once Disconnected.
func (c *HubConnection) beginStop(err error) (finish func(), stopped <-chan struct{}) {
	c.mu.Lock()
	switch c.state {
	case Disconnected:
		c.mu.Unlock()
		c.log.Log(Debug, "Call to HubConnection.stop("+ErrorString(err)+") ignored because it is already in the disconnected state.")
		return nil, closedChan
	case Disconnecting:
		ch := c.stopDone
		c.mu.Unlock()
		c.log.Log(Debug, "Call to HttpConnection.stop("+ErrorString(err)+") ignored because the connection is already in the disconnecting state.")
		return nil, ch
	}
	prev := c.state
	c.state = Disconnecting
	c.stopDone = make(chan struct{})
	ch := c.stopDone
	c.cleanupTimersLocked()
	if err != nil {
		c.stopDuringStartErr = err
	} else {
		c.stopDuringStartErr = errStoppedBeforeHandshake
	}
	if wait := c.retryWait; wait != nil {
		// Between reconnect attempts there is no transport: signalr.js closes at once.
		c.retryWait = nil
		wait <- false
		c.mu.Unlock()
		c.log.Log(Debug, "Stopping HubConnection.")
		if prev == Connecting {
			return nil, ch // the start fails with the stop's error and settles the stop
		}
		c.log.Log(Debug, "Connection stopped during reconnect delay. Done reconnecting.")
		c.completeClose(nil)
		return nil, ch
	}
	if prev == Reconnecting && c.conn == nil && c.cancelStart == nil {
		// Stopped from an onreconnecting callback: no transport, no attempt yet. signalr.js's
		// stop() then resolves at once and the state stays Disconnecting; so does ours.
		c.stopDone = nil
		c.mu.Unlock()
		c.log.Log(Debug, "Stopping HubConnection.")
		close(ch)
		return nil, ch
	}
	c.mu.Unlock()

	c.log.Log(Debug, "Stopping HubConnection.")
	return func() {
		if prev == Connected {
			// Best effort, and not waited for: signalr.js stops the transport right away.
			if frame, werr := c.opts.Protocol.Write(&protocol.Message{Type: protocol.CloseType}); werr == nil {
				_ = c.sendFrame(frame)
			}
		}
		c.stopTransport(err)
	}, ch
}

func (c *HubConnection) takeStopDoneLocked() chan struct{} {
	ch := c.stopDone
	c.stopDone = nil
	return ch
}

func closeIf(ch chan struct{}) {
	if ch != nil {
		close(ch)
	}
}

// stopTransport is signalr.js's HttpConnection.stop(error): close the transport now and run
// the close path synchronously; before a transport is open, abort the start instead.
func (c *HubConnection) stopTransport(err error) {
	c.mu.Lock()
	at, conn := c.attempt, c.conn
	if conn == nil || at == nil || conn != at.conn {
		if c.cancelStart != nil {
			c.cancelStart()
		}
		c.mu.Unlock()
		return
	}
	if !c.connOpen {
		c.mu.Unlock()
		return
	}
	c.connOpen = false
	c.stopErr = err
	c.mu.Unlock()
	conn.Close()
	if !at.features.CloseInBackground {
		c.transportClosed(at, "Disconnecting", nil)
	}
	// A transport that closes in background (Long Polling: the poll ends, then a DELETE) has
	// the read loop report the close once it is done.
}

// readLoop feeds one transport's frames to the connection until it closes for good.
func (c *HubConnection) readLoop(at *attempt) {
	for {
		frame, err := at.conn.Read(context.Background())
		foreign, isForeign := errors.AsType[*transport.ForeignFrameError](err)
		if isForeign {
			frame, err = foreign.Frame, nil
		}
		if err != nil {
			if errors.Is(err, transport.ErrClosed) {
				err = nil
			}
			if c.resume(at) {
				continue
			}
			c.transportClosed(at, c.httpState(), err)
			return
		}
		if err := c.processIncoming(at, frame, isForeign); err != nil {
			at.conn.Close()
			if c.resume(at) {
				continue
			}
			c.mu.Lock()
			if c.attempt == at {
				c.connOpen = false
			}
			c.mu.Unlock()
			c.transportClosed(at, "Connected", err)
			return
		}
	}
}

// resume is stateful reconnect's transparent half (signalr.js's transport onclose under
// features.reconnect): a transport lost while connected is reopened at the same URL, the
// buffer replays what the server has not acknowledged, and the hub connection never
// leaves Connected. It reports false when there is nothing to resume or the reopen failed:
// then the transport is closed for good, with the error that closed it.
func (c *HubConnection) resume(at *attempt) bool {
	buf := c.link.Buffer()
	c.mu.Lock()
	if buf == nil || at.reopen == nil || c.attempt != at || !c.connOpen {
		c.mu.Unlock()
		return false
	}
	buf.Disconnected()
	c.mu.Unlock()

	conn, err := at.reopen(at.ctx)
	if err != nil {
		return false
	}
	resumed := c.link.Swap(c.opts.Protocol, func(current *protocol.SequenceBuffer) (transport.Conn, bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.attempt != at || !c.connOpen || current != buf {
			return nil, false
		}
		c.conn, at.conn = conn, conn
		return conn, true
	})
	if !resumed {
		conn.Close()
	}
	return resumed
}

// httpState is the HttpConnection state signalr.js logs when its transport closes: the client
// asked for it (Disconnecting), or it was lost (Connected).
func (c *HubConnection) httpState() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.connOpen {
		return "Disconnecting"
	}
	return "Connected"
}

// transportClosed is the transport's close, HttpConnection.stopConnection and then
// HubConnection._connectionClosed. httpState is the HttpConnection's state signalr.js logs:
// Disconnecting when the client stopped the transport, Connected when it was lost.
func (c *HubConnection) transportClosed(at *attempt, httpState string, err error) {
	c.mu.Lock()
	if c.attempt != at || c.conn == nil {
		c.mu.Unlock()
		return
	}
	if c.stopErr != nil {
		err = c.stopErr
	}
	c.conn, c.connOpen, c.stopErr = nil, false, nil
	c.connectionID = ""
	c.mu.Unlock()
	at.cancel()
	c.httpLog.Log(Debug, "HttpConnection.stopConnection("+ErrorString(err)+") called while in state "+httpState+".")
	if err != nil {
		c.httpLog.Log(Error, "Connection disconnected with error '"+ErrorString(err)+"'.")
	} else {
		c.httpLog.Log(Information, "Connection disconnected.")
	}
	c.connectionClosed(at, err)
}

func (c *HubConnection) connectionClosed(at *attempt, err error) {
	c.log.Log(Debug, "HubConnection.connectionClosed("+ErrorString(err)+") called while in state "+string(c.State())+".")
	c.mu.Lock()
	if c.stopDuringStartErr == nil {
		if err != nil {
			c.stopDuringStartErr = err
		} else {
			c.stopDuringStartErr = errClosedBeforeHandshake
		}
	}
	close(at.closed)
	calls := c.calls
	c.calls = map[string]func(*protocol.Message, error){}
	c.cleanupTimersLocked()
	state := c.state
	c.mu.Unlock()

	cancelErr := err
	if cancelErr == nil {
		cancelErr = errInvocationCanceled
	}
	for _, cb := range calls {
		cb(nil, cancelErr)
	}
	// In Connecting and Reconnecting, the start or the reconnect attempt fails instead.
	switch {
	case state == Disconnecting:
		c.completeClose(err)
	case state == Connected && c.opts.ReconnectPolicy != nil:
		c.reconnect(err)
	case state == Connected:
		c.completeClose(err)
	}
}

func (c *HubConnection) completeClose(err error) {
	c.mu.Lock()
	if !c.started {
		c.mu.Unlock()
		return
	}
	c.started = false
	c.state = Disconnected
	stopDone := c.takeStopDoneLocked()
	callbacks := append([]func(error) error(nil), c.closeCallbacks...)
	buf := c.link.UseBuffer(nil)
	c.mu.Unlock()
	if buf != nil {
		if err != nil {
			buf.Dispose(err)
		} else {
			buf.Dispose(errConnectionClosed)
		}
	}
	for _, cb := range callbacks {
		if cerr := cb(err); cerr != nil {
			c.log.Log(Error, "An onclose callback called with error '"+ErrorString(err)+"' threw error '"+ErrorString(cerr)+"'.")
			break
		}
	}
	closeIf(stopDone)
}

// sendFrame is HttpConnection.send: only while the transport is open.
func (c *HubConnection) sendFrame(frame []byte) error {
	return c.sendFrameAs(frame, c.opts.Protocol.TransferFormat())
}

// sendHandshake sends the handshake request, which is text even for a binary protocol.
func (c *HubConnection) sendHandshake(frame []byte) error {
	return c.sendFrameAs(frame, protocol.Text)
}

func (c *HubConnection) sendFrameAs(frame []byte, format protocol.TransferFormat) error {
	if format == protocol.Text && c.opts.Protocol.TransferFormat() == protocol.Binary {
		return c.link.WriteFrame(frame, c.writeConnText)
	}
	return c.link.WriteFrame(frame, nil)
}

// writeConn is the link's write: only while the transport is open.
func (c *HubConnection) writeConn(conn transport.Conn, frame []byte) error {
	if !c.isOpen() {
		return errNotConnected
	}
	return conn.Write(context.Background(), frame)
}

func (c *HubConnection) writeConnText(conn transport.Conn, frame []byte) error {
	if !c.isOpen() {
		return errNotConnected
	}
	return conn.WriteText(context.Background(), frame)
}

func (c *HubConnection) isOpen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.connOpen
}

// sendMessage writes a message and moves the keep-alive deadline.
func (c *HubConnection) sendMessage(m *protocol.Message) error {
	_, err := c.send(m)
	return err
}

// send is sendMessage that also returns, under stateful reconnect, what a send() waits on
// while the buffer is over its limit. A buffered message never fails to send: like
// signalr.js's MessageBuffer, a failed write waits for the transport to come back and be
// replayed.
func (c *HubConnection) send(m *protocol.Message) (room <-chan error, err error) {
	frame, err := c.opts.Protocol.Write(m)
	if err != nil {
		return nil, err
	}
	if c.link.Buffer() == nil {
		// signalr.js moves the keep-alive deadline only for sends that bypass its buffer.
		c.mu.Lock()
		c.resetKeepAliveLocked()
		c.mu.Unlock()
	}
	return c.link.Send(m.Type, frame)
}

func (c *HubConnection) nextIDLocked() string {
	id := strconv.Itoa(c.nextInvocationID)
	c.nextInvocationID++
	return id
}

// InvokeAsync sends an invocation now, in call order, and calls done once with the
// completion's result (nil for none) or error. args is the encoded argument array;
// streamIDs, from StreamIDs, name the client-to-server streams that stand for arguments.
func (c *HubConnection) InvokeAsync(target string, args protocol.Raw, streamIDs []string, done func(protocol.Raw, error)) {
	c.mu.Lock()
	id := c.nextIDLocked()
	c.calls[id] = func(m *protocol.Message, err error) {
		switch {
		case err != nil:
			done(nil, err)
		case m.Type != protocol.CompletionType:
			done(nil, errors.New("Unexpected message type: "+strconv.Itoa(int(m.Type))))
		case m.Error != "":
			done(nil, errors.New(m.Error))
		default:
			done(m.Result, nil)
		}
	}
	c.mu.Unlock()
	err := c.sendMessage(&protocol.Message{Type: protocol.InvocationType, Target: target, Arguments: args, InvocationID: id, StreamIDs: streamIDs})
	if err != nil {
		c.mu.Lock()
		_, pending := c.calls[id]
		delete(c.calls, id)
		c.mu.Unlock()
		if pending {
			done(nil, err)
		}
	}
}

// Invoke is InvokeAsync for Go callers.
func (c *HubConnection) Invoke(ctx context.Context, target string, args protocol.Raw) (protocol.Raw, error) {
	type outcome struct {
		r   protocol.Raw
		err error
	}
	ch := make(chan outcome, 1)
	c.InvokeAsync(target, args, nil, func(r protocol.Raw, err error) { ch <- outcome{r, err} })
	select {
	case o := <-ch:
		return o.r, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Send is a non-blocking invocation: it returns once the message is written. Under stateful
// reconnect with a full buffer, the send is done only once room receives (nil, or the error
// that closed the connection); room is nil otherwise.
func (c *HubConnection) Send(target string, args protocol.Raw, streamIDs []string) (room <-chan error, err error) {
	return c.send(&protocol.Message{Type: protocol.InvocationType, Target: target, Arguments: args, StreamIDs: streamIDs})
}

// processIncoming handles one frame; an error closes the transport with it, as a throw from
// signalr.js's onreceive does.
//
// A panic while reading a frame (a fault in a protocol) closes the connection with an error
// too: in wasm it would otherwise end the program, and every connection on the page with it.
//
// A foreign frame (of the other transfer format) may still carry the handshake response,
// which signalr.js reads from text and binary alike; its hub messages are refused.
func (c *HubConnection) processIncoming(at *attempt, frame []byte, foreign bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = recovered.Error(r)
		}
	}()
	c.mu.Lock()
	c.cleanupTimeoutLocked()
	c.mu.Unlock()
	handshake := !at.receivedHandshake
	if handshake {
		rest, err := c.processHandshakeResponse(at, frame)
		if err != nil {
			return err
		}
		at.receivedHandshake = true
		frame = rest
	}
	// signalr.js skips only an empty string: an empty binary frame (or Blob) still fails.
	format := c.opts.Protocol.TransferFormat()
	if foreign && (len(frame) > 0 || !handshake && format == protocol.Text) {
		return foreignFrameError(format)
	}
	if len(frame) > 0 {
		msgs, err := c.opts.Protocol.Parse(frame)
		if err != nil {
			return err
		}
		for i := range msgs {
			if !c.link.Accept(msgs[i].Type, c.sendAck) {
				continue // a replayed duplicate, or sent before the server's Sequence
			}
			c.dispatch(&msgs[i])
		}
	}
	c.mu.Lock()
	if c.attempt == at && c.connOpen {
		c.resetTimeoutLocked(at)
	}
	c.mu.Unlock()
	return nil
}

func (c *HubConnection) processHandshakeResponse(at *attempt, frame []byte) ([]byte, error) {
	resp, rest, err := protocol.ParseHandshakeResponse(frame)
	if err != nil {
		msg := "Error parsing handshake response: " + ErrorString(c.platformJSONError(err))
		c.log.Log(Error, msg)
		herr := errors.New(msg)
		at.handshake <- herr
		return nil, herr
	}
	if resp.Error != "" {
		msg := "Server returned handshake error: " + resp.Error
		c.log.Log(Error, msg)
		herr := errors.New(msg)
		at.handshake <- herr
		return nil, herr
	}
	c.log.Log(Debug, "Server handshake complete.")
	var buf *protocol.SequenceBuffer
	if at.reopen != nil {
		// Made before the messages that may follow the handshake in its frame, which the
		// server has already numbered.
		buf = protocol.NewSequenceBuffer(c.opts.StatefulReconnectBufferSize)
	}
	if old := c.link.UseBuffer(buf); old != nil {
		old.Dispose(errConnectionClosed)
	}
	at.handshake <- nil
	return rest, nil
}

func (c *HubConnection) dispatch(m *protocol.Message) {
	switch m.Type {
	case protocol.InvocationType:
		c.invokeClientMethod(m)
	case protocol.StreamItemType, protocol.CompletionType:
		c.mu.Lock()
		cb := c.calls[m.InvocationID]
		if cb != nil && m.Type == protocol.CompletionType {
			delete(c.calls, m.InvocationID)
		}
		c.mu.Unlock()
		if cb != nil {
			cb(m, nil)
		}
	case protocol.PingType:
	case protocol.CloseType:
		c.log.Log(Information, "Close message received from server.")
		var err error
		if m.Error != "" {
			err = errors.New("Server returned an error on close: " + m.Error)
		}
		if m.AllowReconnect {
			c.stopTransport(err)
		} else {
			c.stopInternal(err)
		}
	case protocol.AckType, protocol.SequenceType:
		if err := c.link.Received(m); err != nil {
			c.stopTransport(err)
		}
	default: // StreamInvocation and CancelInvocation too: they are for servers, as in signalr.js.
		c.log.Log(Information, "Unknown message type '"+strconv.Itoa(int(m.Type))+"' ignored.")
	}
}

// Keep-alive and server timeout, as signalr.js: every receive re-arms the server timeout and,
// if none is pending, a ping timer aimed at the keep-alive deadline; every send moves that
// deadline and cancels the pending ping.

func (c *HubConnection) cleanupTimeoutLocked() {
	if c.timeoutTimer != nil {
		c.timeoutTimer.Stop()
		c.timeoutTimer = nil
	}
}

func (c *HubConnection) cleanupTimersLocked() {
	c.cleanupTimeoutLocked()
	if c.pingTimer != nil {
		c.pingTimer.Stop()
		c.pingTimer = nil
	}
}

func (c *HubConnection) resetKeepAliveLocked() {
	c.nextKeepAlive = time.Now().Add(c.keepAliveInterval)
	if c.pingTimer != nil {
		c.pingTimer.Stop()
		c.pingTimer = nil
	}
}

func (c *HubConnection) resetTimeoutLocked(at *attempt) {
	c.cleanupTimeoutLocked()
	if at.inherentKeepAlive() {
		return
	}
	c.timeoutTimer = time.AfterFunc(c.serverTimeout, func() { c.serverTimedOut(at) })
	if c.pingTimer == nil {
		next := time.Until(c.nextKeepAlive)
		if next < 0 {
			next = 0
		}
		c.pingGen++
		gen := c.pingGen
		c.pingTimer = time.AfterFunc(next, func() { c.sendPing(gen) })
	}
}

func (c *HubConnection) serverTimedOut(at *attempt) {
	c.mu.Lock()
	current := c.attempt == at && c.conn != nil
	c.mu.Unlock()
	if current {
		c.stopTransport(errServerTimeout)
	}
}

// sendPing runs when ping timer gen fires; a timer replaced in the meantime does nothing.
func (c *HubConnection) sendPing(gen int) {
	c.mu.Lock()
	ok := c.state == Connected && c.pingTimer != nil && c.pingGen == gen
	c.mu.Unlock()
	if !ok {
		return
	}
	if err := c.sendFrame(c.pingFrameAfterSend()); err != nil {
		c.mu.Lock()
		if c.pingTimer != nil {
			c.pingTimer.Stop()
			c.pingTimer = nil
		}
		c.mu.Unlock()
	}
}

// sendAck tells the server what arrived; a closed connection needs no Ack.
func (c *HubConnection) sendAck(sequenceID int64) {
	if frame, err := c.opts.Protocol.Write(&protocol.Message{Type: protocol.AckType, SequenceID: sequenceID}); err == nil {
		_ = c.sendFrame(frame)
	}
}
