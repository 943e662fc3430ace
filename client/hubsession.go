package client

import (
	"context"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// hubSession is the hub's side of one transport session (the connection's receiver): the
// handshake's outcome, whether the transport has closed, and the keep-alive and
// server-timeout timers.
type hubSession struct {
	c                 *HubConnection
	transport         *session
	handshake         chan error
	ended             chan struct{}      // closed once the transport has closed
	receivedHandshake bool               // read and written by the session's read loop alone
	messages          []protocol.Message // the read loop's, reused for each frame's messages
	timers            keepAlive          // guarded by the hub's mutex
}

func (c *HubConnection) newHubSession(s *session) *hubSession {
	hs := &hubSession{c: c, transport: s, handshake: make(chan error, 1), ended: make(chan struct{})}
	if !s.features.InherentKeepAlive {
		hs.timers = newKeepAlive()
	}
	return hs
}

func (s *hubSession) receive(frame []byte, foreign bool) error {
	return s.c.processIncoming(s, frame, foreign)
}
func (s *hubSession) keepAlive(ctx context.Context) { s.c.runKeepAlive(ctx, s) }
func (s *hubSession) closed(err error)              { s.c.connectionClosed(s, err) }

// hasEnded tells whether the transport has closed; called under the hub's mutex.
func (s *hubSession) hasEnded() bool {
	select {
	case <-s.ended:
		return true
	default:
		return false
	}
}

func (c *HubConnection) handshake(sess *hubSession) error {
	c.log.Log(Debug, "Sending handshake request.")
	p := c.opts.Protocol
	// Version 2 is stateful reconnect's; older servers only know 1, so signalr.js asks for 2
	// only when the server agreed to it.
	version := 1
	if sess.transport.stateful() {
		version = 2
	}
	if err := c.connection.sendHandshake(protocol.WriteHandshakeRequest(p.Name(), version)); err != nil {
		// A stop racing the write (natively, on another goroutine) explains the failure.
		c.mu.Lock()
		if c.startAbortErr != nil {
			err = c.startAbortErr
		}
		c.mu.Unlock()
		return err
	}
	c.log.Log(Information, "Using HubProtocol '"+p.Name()+"'.")
	c.mu.Lock()
	c.resetTimeoutLocked(sess)
	c.resetKeepAliveLocked()
	c.mu.Unlock()

	select {
	case err := <-sess.handshake:
		if err != nil {
			return err
		}
	case <-sess.ended:
		// A handshake error is sent before the transport closes because of it: prefer it.
		select {
		case err := <-sess.handshake:
			if err != nil {
				return err
			}
		default:
		}
	}
	c.mu.Lock()
	err := c.startAbortErr
	c.mu.Unlock()
	if err != nil || sess.transport.features.InherentKeepAlive {
		return err
	}
	err = c.sendFrame(c.pingFrameAfterSend())
	if flushErr := c.connection.flush(); err == nil {
		err = flushErr
	}
	return err
}

func (c *HubConnection) startInternal(ctx context.Context) error {
	c.mu.Lock()
	c.startAbortErr = nil
	c.mu.Unlock()

	var sess *hubSession
	err := c.connection.start(ctx, func(s *session) receiver {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.state != Connecting && c.state != Reconnecting {
			return nil
		}
		sess = c.newHubSession(s)
		c.current = sess
		return sess
	})
	if err != nil {
		return err
	}

	err = c.handshake(sess)
	if err != nil {
		c.log.Log(Debug, "Hub handshake failed with error '"+ErrorString(err)+"' during start(). Stopping HubConnection.")
		c.stopTransport(err)
	}
	return err
}

// stopTransport closes the transport with err (its close then ends the session), or makes
// the start in progress fail; the session's timers stop at once.
func (c *HubConnection) stopTransport(err error) {
	c.mu.Lock()
	c.stopTimersLocked()
	c.mu.Unlock()
	c.connection.stop(err)
}

// sendFrame writes a frame that is not sequenced (a ping, an Ack, a Close): only while the
// transport is open.
func (c *HubConnection) sendFrame(frame []byte) error { return c.frames.WriteFrame(frame, nil) }
