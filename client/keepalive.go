package client

import "time"

// Keep-alive and server timeout, as signalr.js: every receive moves the server timeout and,
// unless one is due already, arms a ping aimed at the keep-alive deadline; every send moves
// that deadline and disarms the ping.
//
// signalr.js stops and re-arms two timers per message. Here messages only move timestamps
// (under the connection's mutex), and one timer per transport session, which never fires
// before a deadline can be due, compares them with the clock when it fires and sleeps again.
// It is stopped with the session (cleanupTimersLocked), so that no timer keeps a dropped
// connection alive.
type keepAlive struct {
	timer   *time.Timer // nil while no session is open or the transport keeps itself alive
	token   *byte       // which timer is the current one
	fireAt  time.Time   // when timer fires
	receive time.Time   // the end of the last frame processed (or the handshake sent)
	// receiving: a frame is being processed, and the server timeout waits for its end.
	receiving bool
	next      time.Time // the keep-alive deadline: a ping is due then, if armed
	armed     bool      // a receive since the last send
}

// pingFrameAfterSend returns the ping frame and moves the keep-alive deadline, as every send does.
func (c *HubConnection) pingFrameAfterSend() []byte {
	c.mu.Lock()
	c.resetKeepAliveLocked()
	c.mu.Unlock()
	return c.pingFrame
}

// pauseTimeoutLocked holds the server timeout while a frame is processed.
func (c *HubConnection) pauseTimeoutLocked() { c.keepAlive.receiving = true }

func (c *HubConnection) cleanupTimersLocked() {
	k := &c.keepAlive
	if k.timer != nil {
		k.timer.Stop()
		k.timer, k.token = nil, nil
	}
	k.receiving, k.armed = false, false
}

func (c *HubConnection) resetKeepAliveLocked() {
	c.keepAlive.next = time.Now().Add(c.keepAliveInterval)
	c.keepAlive.armed = false
}

// resetTimeoutLocked is a receive's end: the server timeout starts again, and the ping is
// armed. The timer is started for the session's first receive and moved only when an armed
// ping is due before it fires (a send long ago, then a receive).
func (c *HubConnection) resetTimeoutLocked(sess *session) {
	if sess.inherentKeepAlive() {
		return
	}
	k := &c.keepAlive
	now := time.Now()
	k.receive, k.receiving, k.armed = now, false, true
	switch {
	case k.timer == nil:
		k.fireAt = c.nextFireLocked(now)
		token := new(byte)
		k.token = token
		k.timer = time.AfterFunc(k.fireAt.Sub(now), func() { c.keepAliveFired(sess, token) })
	case k.next.Before(k.fireAt):
		k.fireAt = k.next
		k.timer.Reset(max(k.next.Sub(now), 0))
	}
}

// nextFireLocked is the earliest a deadline can be due: the server timeout, or the
// keep-alive deadline if it is still ahead (a later receive may arm it).
func (c *HubConnection) nextFireLocked(now time.Time) time.Time {
	k := &c.keepAlive
	at := k.receive.Add(c.serverTimeout)
	if k.receiving {
		at = now.Add(c.serverTimeout) // the frame's end moves it anyway
	}
	if k.next.After(now) && k.next.Before(at) {
		at = k.next
	}
	return at
}

// keepAliveFired runs when the timer of token fires: a timer stopped or replaced meanwhile
// does nothing.
func (c *HubConnection) keepAliveFired(sess *session, token *byte) {
	c.mu.Lock()
	k := &c.keepAlive
	if k.timer == nil || k.token != token {
		c.mu.Unlock()
		return
	}
	now := time.Now()
	timedOut := !k.receiving && !now.Before(k.receive.Add(c.serverTimeout))
	ping := !timedOut && k.armed && !now.Before(k.next)
	if ping && c.state != Connected {
		ping, k.armed = false, false
	}
	c.mu.Unlock()

	if timedOut {
		c.serverTimedOut(sess)
		return
	}
	if ping {
		_ = c.sendFrame(c.pingFrameAfterSend())
	}
	c.mu.Lock()
	if k.timer != nil && k.token == token {
		now = time.Now()
		k.fireAt = c.nextFireLocked(now)
		k.timer.Reset(k.fireAt.Sub(now))
	}
	c.mu.Unlock()
}

func (c *HubConnection) serverTimedOut(sess *session) {
	c.mu.Lock()
	current := c.session == sess && c.conn != nil
	c.mu.Unlock()
	if current {
		c.stopTransport(errServerTimeout)
	}
}
