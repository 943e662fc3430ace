package client

import (
	"context"
	"errors"
	"sync"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// session is one transport from its connect to its close (a stateful reconnect's resumed
// transport included): the handshake outcome and the moment the transport closed.
type session struct {
	// conn changes only when stateful reconnect reopens the transport, on the read loop's
	// goroutine and under the connection's mutex.
	conn              transport.Conn
	features          transport.Features
	reopen            func(context.Context) (transport.Conn, error)
	ctx               context.Context // ends with the session: cuts a reopen and a read short
	cancel            context.CancelFunc
	reader            sync.WaitGroup // the read loop, which Stop waits for
	handshake         chan error
	closed            chan struct{}
	receivedHandshake bool
}

func (c *HubConnection) startInternal(ctx context.Context) error {
	c.mu.Lock()
	c.startAbortErr = nil
	base := c.baseURL
	c.mu.Unlock()

	o, err := c.openTransport(ctx, base)
	if err != nil {
		return err
	}
	atCtx, atCancel := context.WithCancel(context.Background())
	sess := &session{conn: o.conn, features: o.features, reopen: o.reopen, ctx: atCtx, cancel: atCancel, handshake: make(chan error, 1), closed: make(chan struct{})}
	c.link.Attach(o.conn)
	c.mu.Lock()
	if c.state != Connecting && c.state != Reconnecting {
		c.mu.Unlock()
		atCancel()
		o.conn.Close()
		return errStoppedDuringStart
	}
	c.conn, c.connOpen, c.stopErr, c.session = o.conn, true, nil, sess
	c.connectionID = o.id
	c.mu.Unlock()
	c.httpLog.Log(Debug, "The HttpConnection connected successfully.")
	sess.reader.Go(func() { c.readLoop(sess) })

	err = c.handshake(sess)
	if err != nil {
		c.log.Log(Debug, "Hub handshake failed with error '"+ErrorString(err)+"' during start(). Stopping HubConnection.")
		c.mu.Lock()
		c.cleanupTimersLocked()
		c.mu.Unlock()
		c.stopTransport(err)
	}
	return err
}

// inherentKeepAlive is signalr.js's feature of Long Polling: a poll is always pending, so
// neither pings nor the server timeout apply.
func (sess *session) inherentKeepAlive() bool { return sess.features.InherentKeepAlive }

// stopTransport is signalr.js's HttpConnection.stop(error): close the transport now and run
// the close path synchronously; before a transport is open, abort the start instead.
func (c *HubConnection) stopTransport(err error) {
	c.mu.Lock()
	sess, conn := c.session, c.conn
	if conn == nil || sess == nil || conn != sess.conn {
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
	if !sess.features.CloseInBackground {
		c.transportClosed(sess, "Disconnecting", nil)
	}
	// A transport that closes in background (Long Polling: the poll ends, then a DELETE) has
	// the read loop report the close once it is done.
}

// readLoop feeds one transport's frames to the connection until it closes for good.
func (c *HubConnection) readLoop(sess *session) {
	for {
		frame, err := sess.conn.Read(sess.ctx)
		foreign, isForeign := errors.AsType[*transport.ForeignFrameError](err)
		if isForeign {
			frame, err = foreign.Frame, nil
		}
		if err != nil {
			if errors.Is(err, transport.ErrClosed) {
				err = nil
			}
			if c.resume(sess) {
				continue
			}
			c.transportClosed(sess, c.httpState(), err)
			return
		}
		if err := c.processIncoming(sess, frame, isForeign); err != nil {
			sess.conn.Close()
			if c.resume(sess) {
				continue
			}
			c.mu.Lock()
			if c.session == sess {
				c.connOpen = false
			}
			c.mu.Unlock()
			c.transportClosed(sess, "Connected", err)
			return
		}
	}
}

// resume is stateful reconnect's transparent half (signalr.js's transport onclose under
// features.reconnect): a transport lost while connected is reopened at the same URL, the
// buffer replays what the server has not acknowledged, and the hub connection never
// leaves Connected. It reports false when there is nothing to resume or the reopen failed:
// then the transport is closed for good, with the error that closed it.
func (c *HubConnection) resume(sess *session) bool {
	buf := c.link.Buffer()
	c.mu.Lock()
	if buf == nil || sess.reopen == nil || c.session != sess || !c.connOpen {
		c.mu.Unlock()
		return false
	}
	buf.Disconnected()
	c.mu.Unlock()

	conn, err := sess.reopen(sess.ctx)
	if err != nil {
		return false
	}
	resumed := c.link.Swap(c.opts.Protocol, func(current *protocol.SequenceBuffer) (transport.Conn, bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.session != sess || !c.connOpen || current != buf {
			return nil, false
		}
		c.conn, sess.conn = conn, conn
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
func (c *HubConnection) transportClosed(sess *session, httpState string, err error) {
	c.mu.Lock()
	if c.session != sess || c.conn == nil {
		c.mu.Unlock()
		return
	}
	if c.stopErr != nil {
		err = c.stopErr
	}
	c.conn, c.connOpen, c.stopErr = nil, false, nil
	c.connectionID = ""
	c.mu.Unlock()
	sess.cancel()
	c.httpLog.Log(Debug, "HttpConnection.stopConnection("+ErrorString(err)+") called while in state "+httpState+".")
	if err != nil {
		c.httpLog.Log(Error, "Connection disconnected with error '"+ErrorString(err)+"'.")
	} else {
		c.httpLog.Log(Information, "Connection disconnected.")
	}
	c.connectionClosed(sess, err)
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
