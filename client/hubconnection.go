package client

import (
	"context"
	"errors"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
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
// wasm a callback may re-enter from JS, and calls down to the connection under it only for
// the connection's own fields.
type HubConnection struct {
	opts Options
	log  Logger

	// connection is the layer below: negotiate, transports, stateful reconnect's link.
	connection connection
	// frames is the connection's link, which every hub message is written through.
	frames *protocol.Link[transport.Conn]
	// out is where send frames each message (see send).
	out struct {
		lock.Mutex
		message protocol.Message
		frame   []byte
	}

	mu      lock.Mutex
	state   State
	started bool        // signalr.js's _connectionStarted: onclose fires only for a started connection
	current *hubSession // the last transport session, kept after it closed

	// batchDepth counts the Batch calls under way; their sends read the clock once, into
	// batchAt (batchRead).
	batchDepth int
	batchAt    instant
	batchRead  bool

	// startAbortErr is why the start or reconnect attempt in progress must fail: a stop, or a
	// transport close, that came before its end.
	startAbortErr error
	reconnecting  bool // a reconnect attempt is in progress (not its wait)
	startDone     chan struct{}
	stopDone      chan struct{}

	nextInvocationID int
	calls            map[string]pendingCall
	// ack is sendAck, made once: the method value is an allocation wherever it is used, and
	// every message received under stateful reconnect hands it to the link.
	ack      func(sequenceID int64)
	handlers map[string][]Handler
	// invoked is the last target a server invocation named, as the message had it, with
	// its name lowered and its handlers then: a broadcast's invocations mostly name one
	// target, and lowering it and looking it up were a call or three each per message. On
	// and Off forget it.
	invoked        invokedTarget
	closeCallbacks callbacks[error]
	// reconnectingCallbacks and reconnectedCallbacks are called by the reconnect loop; a
	// connection without a retry policy never calls them, as in signalr.js.
	reconnectingCallbacks callbacks[error]
	reconnectedCallbacks  callbacks[string]
	// retryWait cuts the reconnect loop's current wait: false from stop(), true from RetryNow.
	retryWait chan bool

	serverTimeout     time.Duration
	keepAliveInterval time.Duration

	pingFrame []byte
}

// New makes a connection in the Disconnected state.
func New(opts Options) (*HubConnection, error) {
	opts.setDefaults()
	ping, err := opts.Protocol.Append(nil, &protocol.Message{Type: protocol.PingType})
	if err != nil {
		return nil, err
	}
	c := &HubConnection{
		opts:              opts,
		log:               opts.Logger,
		state:             Disconnected,
		calls:             map[string]pendingCall{},
		handlers:          map[string][]Handler{},
		serverTimeout:     opts.ServerTimeout,
		keepAliveInterval: opts.KeepAliveInterval,
		pingFrame:         ping,
	}
	c.ack = c.sendAck
	conn := newHTTPConnection(&c.opts)
	c.connection, c.frames = conn, conn.link()
	return c, nil
}

func (c *HubConnection) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// SendsShareOutcome reports whether a send made now shares its outcome with the other sends
// of its turn: signalr.js's do when it is connected without stateful reconnect's buffer (they
// leave together through its TransportSendQueue, whose one Promise each of them returns), and
// not otherwise (its MessageBuffer settles each message; a send while not connected fails on
// its own). The browser facade returns one Promise for such sends, as signalr.js does.
func (c *HubConnection) SendsShareOutcome() bool {
	return c.State() == Connected && c.frames.Buffer() == nil
}

// ConnectionID is "" when disconnected or when negotiation was skipped.
func (c *HubConnection) ConnectionID() string { return c.connection.connectionID() }

func (c *HubConnection) BaseURL() string { return c.connection.baseURL() }

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
	c.connection.setBaseURL(url)
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
func (c *HubConnection) OnClose(cb func(error) error) { c.closeCallbacks.add(&c.mu, cb) }

// OnReconnecting adds a callback for the start of a reconnect.
func (c *HubConnection) OnReconnecting(cb func(error) error) {
	c.reconnectingCallbacks.add(&c.mu, cb)
}

// OnReconnected adds a callback for a successful reconnect, given the new connection id.
func (c *HubConnection) OnReconnected(cb func(string) error) {
	c.reconnectedCallbacks.add(&c.mu, cb)
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
	startDone := make(chan struct{})
	c.startDone = startDone
	c.mu.Unlock()
	c.log.Log(Debug, "Starting HubConnection.")
	go func() {
		err := c.runStart(ctx)
		close(startDone)
		done(err)
	}()
}

func (c *HubConnection) runStart(ctx context.Context) error {
	err := c.startInternal(ctx)
	if err != nil && c.opts.StartRetryPolicy != nil {
		err = c.retryStart(ctx, err)
	}

	c.mu.Lock()
	if err == nil && (c.state != Connecting || c.current.hasEnded()) {
		// stop() or a transport close won the race with the end of the handshake.
		err = c.startAbortErr
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

// Stop ends the connection and waits until it is Disconnected, any start has settled and
// the transport session's goroutines (its read loop and timers) have ended. A handler runs
// on that read loop: from there, use StopAsync, which does not wait.
func (c *HubConnection) Stop() error {
	ch := make(chan error, 1)
	c.StopAsync(func(err error) { ch <- err })
	return <-ch
}

// StopAsync is Stop for callers that cannot block: the state is Disconnecting when it
// returns, as right after signalr.js's stop(); the transport is closed afterwards, so close
// callbacks never run inside the caller's call. done is called once Stop would return.
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
		c.connection.wait()
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
	c.stopTimersLocked()
	if err != nil {
		c.startAbortErr = err
	} else {
		c.startAbortErr = errStoppedBeforeHandshake
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
	if prev == Reconnecting && !c.reconnecting {
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
			if frame, werr := c.opts.Protocol.Append(nil, &protocol.Message{Type: protocol.CloseType}); werr == nil {
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

func (c *HubConnection) connectionClosed(sess *hubSession, err error) {
	c.log.Log(Debug, "HubConnection.connectionClosed("+ErrorString(err)+") called while in state "+string(c.State())+".")
	c.mu.Lock()
	if c.startAbortErr == nil {
		if err != nil {
			c.startAbortErr = err
		} else {
			c.startAbortErr = errClosedBeforeHandshake
		}
	}
	close(sess.ended)
	sess.timers.stop()
	calls := c.calls
	c.calls = map[string]pendingCall{}
	state := c.state
	c.mu.Unlock()

	cancelErr := err
	if cancelErr == nil {
		cancelErr = errInvocationCanceled
	}
	for _, id := range callsInOrder(calls) {
		calls[id].receive(nil, cancelErr)
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
	callbacks := c.closeCallbacks.list()
	buf := c.frames.UseBuffer(nil)
	c.mu.Unlock()
	if buf != nil {
		if err != nil {
			buf.Dispose(err)
		} else {
			buf.Dispose(errConnectionClosed)
		}
	}
	call(callbacks, err, func(cerr error) {
		c.log.Log(Error, "An onclose callback called with error '"+ErrorString(err)+"' threw error '"+ErrorString(cerr)+"'.")
	})
	closeIf(stopDone)
}
