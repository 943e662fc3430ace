package client

import (
	"context"
	"errors"
	"sync"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// session is one transport from its connect to its close, a stateful reconnect's resumed
// transport included. It owns every goroutine that works for that transport: its read loop
// and its receiver's timers run in group, and end with ctx, which its close cancels;
// stateful reconnect's Ack timer is stopped (and waited for) by the same close.
type session struct {
	// conn changes only when stateful reconnect reopens the transport, on the read loop's
	// goroutine and under the connection's mutex.
	conn     transport.Conn
	features transport.Features
	// reopen connects again to the same URL with the same token: set only when the server
	// agreed to stateful reconnect and the transport is WebSockets, as in signalr.js.
	reopen   func(context.Context) (transport.Conn, error)
	receiver receiver
	ctx      context.Context // ends with the session: cuts a reopen, a read and the timers short
	cancel   context.CancelFunc
	group    sync.WaitGroup
}

// stateful tells whether the server agreed to stateful reconnect for this session.
func (s *session) stateful() bool { return s.reopen != nil }

// readLoop feeds one transport's frames to the receiver until it closes for good. A
// transport that can (transport.Receiver) hands them to the receiver itself, in the call
// that delivered them; the loop then reads what that left, and its errors.
func (c *httpConnection) readLoop(sess *session) {
	var receiving transport.Conn
	for {
		if r, ok := sess.conn.(transport.Receiver); ok && sess.conn != receiving {
			receiving = sess.conn
			r.ReceiveWith(func(frame []byte, foreign bool) error {
				if sess.ctx.Err() != nil {
					return nil // the session is over: the loop would not have read it
				}
				return sess.receiver.receive(frame, foreign)
			})
		}
		frame, err := sess.conn.Read(sess.ctx)
		foreign, isForeign := errors.AsType[*transport.ForeignFrameError](err)
		if isForeign {
			frame, err = foreign.Frame, nil
		}
		if failed, ok := err.(*transport.ReceiveError); ok {
			if c.receiveFailed(sess, failed.Err) {
				continue
			}
			return
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
		if err := sess.receiver.receive(frame, isForeign); err != nil {
			if c.receiveFailed(sess, err) {
				continue
			}
			return
		}
	}
}

// receiveFailed closes the transport with the error a frame's handling returned, as a throw
// from signalr.js's onreceive does, and reports whether stateful reconnect resumed it.
func (c *httpConnection) receiveFailed(sess *session, err error) (resumed bool) {
	sess.conn.Close()
	if c.resume(sess) {
		return true
	}
	c.mu.Lock()
	if c.current == sess {
		c.open.Store(false)
	}
	c.mu.Unlock()
	c.transportClosed(sess, "Connected", err)
	return false
}

// resume is stateful reconnect's transparent half (signalr.js's transport onclose under
// features.reconnect): a transport lost while connected is reopened at the same URL, the
// buffer replays what the server has not acknowledged, and the hub connection never
// leaves Connected. It reports false when there is nothing to resume or the reopen failed:
// then the transport is closed for good, with the error that closed it.
func (c *httpConnection) resume(sess *session) bool {
	buf := c.frames.Buffer()
	c.mu.Lock()
	if buf == nil || sess.reopen == nil || c.current != sess || !c.open.Load() {
		c.mu.Unlock()
		return false
	}
	buf.Disconnected()
	c.mu.Unlock()

	conn, err := sess.reopen(sess.ctx)
	if err != nil {
		return false
	}
	resumed := c.frames.Swap(c.opts.Protocol, func(current *protocol.SequenceBuffer) (transport.Conn, bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.current != sess || !c.open.Load() || current != buf {
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
func (c *httpConnection) httpState() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.open.Load() {
		return "Disconnecting"
	}
	return "Connected"
}

// transportClosed is the transport's close, HttpConnection.stopConnection, which ends the
// session and then tells the hub (HubConnection._connectionClosed). httpState is the
// HttpConnection's state signalr.js logs: Disconnecting when the client stopped the
// transport, Connected when it was lost.
func (c *httpConnection) transportClosed(sess *session, httpState string, err error) {
	c.mu.Lock()
	if c.current != sess || c.conn == nil {
		c.mu.Unlock()
		return
	}
	if c.stopErr != nil {
		err = c.stopErr
	}
	c.conn, c.stopErr = nil, nil
	c.open.Store(false)
	c.id = ""
	c.mu.Unlock()
	sess.cancel()
	if buf := c.frames.Buffer(); buf != nil {
		buf.StopAcks()
	}
	c.log.Log(Debug, "HttpConnection.stopConnection("+ErrorString(err)+") called while in state "+httpState+".")
	if err != nil {
		c.log.Log(Error, "Connection disconnected with error '"+ErrorString(err)+"'.")
	} else {
		c.log.Log(Information, "Connection disconnected.")
	}
	sess.receiver.closed(err)
}

// writeConn is the link's write: only while the transport is open (HttpConnection.send). An
// HTTP transport's frame is done when its POST is answered (transport.Poster): signalr.js
// settles a send then.
func (c *httpConnection) writeConn(conn transport.Conn, frame []byte) (posted <-chan error, err error) {
	if !c.open.Load() {
		return nil, errNotConnected
	}
	if p, ok := conn.(transport.Poster); ok {
		return p.Post(frame)
	}
	return nil, conn.Write(context.Background(), frame)
}

func (c *httpConnection) writeConnText(conn transport.Conn, frame []byte) error {
	if !c.open.Load() {
		return errNotConnected
	}
	return conn.WriteText(context.Background(), frame)
}
