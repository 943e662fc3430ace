package client

import (
	"context"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/alarm"
)

// Keep-alive and server timeout, as signalr.js: every receive moves the server timeout and,
// unless one is due already, arms a ping aimed at the keep-alive deadline; every send moves
// that deadline and disarms the ping.
//
// signalr.js stops and re-arms two timers per message. Here messages only move timestamps
// (under the hub's mutex), and one timer per transport session (an alarm.Alarm: in the
// browser, a JS timer that a message does not touch), which never fires before a deadline
// can be due, is read by a goroutine of the session (runKeepAlive) that compares
// the deadlines with the clock and sets the timer again. The goroutine ends with the
// session, so that no timer outlives its transport.
type keepAlive struct {
	timer   *alarm.Alarm // stopped until the handshake is sent
	pending bool         // the timer is set, to fire at fireAt
	// stopped: the session's timers are over (a stop began, the handshake failed, or the
	// transport closed); nothing sets the timer again.
	stopped bool
	fireAt  instant
	receive instant // the end of the last frame processed (or the handshake sent)
	// receiving: a frame is being processed, and the server timeout waits for its end.
	receiving bool
	next      instant // the keep-alive deadline: a ping is due then, if armed
	armed     bool    // a receive since the last send
}

// instant is a reading of the monotonic clock (since clockStart). Every message takes one;
// time.Now would also read the wall clock, which in the browser is one more call into JS
// (and a Date) per message.
type instant = time.Duration

var clockStart = time.Now()

func now() instant { return time.Since(clockStart) }

func newKeepAlive() keepAlive { return keepAlive{timer: alarm.New()} }

func (k *keepAlive) stop() {
	k.stopped, k.pending, k.receiving, k.armed = true, false, false, false
	if k.timer != nil {
		k.timer.Stop()
	}
}

// pingFrameAfterSend returns the ping frame and moves the keep-alive deadline, as every send does.
func (c *HubConnection) pingFrameAfterSend() []byte {
	c.mu.Lock()
	c.resetKeepAliveLocked()
	c.mu.Unlock()
	return c.pingFrame
}

// resetKeepAliveLocked is a send: the keep-alive deadline moves, and the ping is disarmed.
func (c *HubConnection) resetKeepAliveLocked() {
	if s := c.current; s != nil {
		s.timers.next = c.sendTimeLocked() + c.keepAliveInterval
		s.timers.armed = false
	}
}

// sendTimeLocked is the time of a send: the clock, read once per Batch.
func (c *HubConnection) sendTimeLocked() instant {
	if c.batchDepth == 0 {
		return now()
	}
	if !c.batchRead {
		c.batchAt, c.batchRead = now(), true
	}
	return c.batchAt
}

// Batch runs calls made at one instant, as the calls a page makes in one turn of its event
// loop are (signalr.js joins their frames into one): their sends take the keep-alive
// deadline from one reading of the clock. In the browser a reading is a call into JS, which
// took a sixth of the time Go spent on a fresh page's first burst of sends. Sends that other
// goroutines make while calls runs share that reading too.
//
// Then it sends the frames the transport joins (a browser WebSocket's) at once, and hands
// sent the outcome, nil or what the send threw. When it threw, signalr.js fails the calls
// whose frames the send carried and the connection goes on: the turn's sends (sent's
// caller), whose Promise signalr.js rejects before its invocations' rejections follow, then
// the invocations made in calls. Under stateful reconnect signalr.js keeps their messages to
// send again instead, and so the outcome is nil.
func (c *HubConnection) Batch(calls func(), sent func(error)) {
	c.mu.Lock()
	if c.batchDepth == 0 {
		c.batchRead = false
	}
	c.batchDepth++
	firstID := c.nextInvocationID
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.batchDepth--
		c.mu.Unlock()
	}()
	calls()
	err := c.connection.flush()
	if err == nil || c.frames.Buffer() != nil {
		sent(nil)
		return
	}
	sent(err)
	c.failCallsFrom(firstID, err)
}

// stopTimersLocked ends the current session's timers: a stop began, or the handshake failed.
func (c *HubConnection) stopTimersLocked() {
	if s := c.current; s != nil {
		s.timers.stop()
	}
}

// resetTimeoutLocked is a receive's end: the server timeout starts again, and the ping is
// armed. The timer is set for the session's first receive and moved only when an armed ping
// is due before it fires (a send long ago, then a receive).
func (c *HubConnection) resetTimeoutLocked(s *hubSession) {
	k := &s.timers
	if s.transport.features.InherentKeepAlive || k.stopped {
		return
	}
	at := now()
	k.receive, k.receiving, k.armed = at, false, true
	switch {
	case !k.pending:
		k.pending = true
		k.fireAt = c.nextFireLocked(k, at)
		k.timer.Reset(k.fireAt - at)
	case k.next < k.fireAt:
		k.fireAt = k.next
		k.timer.Reset(max(k.next-at, 0))
	}
}

// nextFireLocked is the earliest a deadline can be due: the server timeout, or the
// keep-alive deadline if it is still ahead (a later receive may arm it).
func (c *HubConnection) nextFireLocked(k *keepAlive, at instant) instant {
	fire := k.receive + c.serverTimeout
	if k.receiving {
		fire = at + c.serverTimeout // the frame's end moves it anyway
	}
	if k.next > at && k.next < fire {
		fire = k.next
	}
	return fire
}

// runKeepAlive is the session's timer goroutine.
func (c *HubConnection) runKeepAlive(ctx context.Context, s *hubSession) {
	defer s.timers.timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.timers.timer.C:
			c.keepAliveFired(s)
		}
	}
}

// keepAliveFired sends the ping that is due, or ends a connection whose server went quiet,
// and sets the timer for the next deadline.
func (c *HubConnection) keepAliveFired(s *hubSession) {
	c.mu.Lock()
	k := &s.timers
	if k.stopped {
		c.mu.Unlock()
		return
	}
	at := now()
	timedOut := !k.receiving && at >= k.receive+c.serverTimeout
	ping := !timedOut && k.armed && at >= k.next
	if ping && c.state != Connected {
		ping, k.armed = false, false
	}
	c.mu.Unlock()

	if timedOut {
		c.serverTimedOut(s)
		return
	}
	if ping {
		_ = c.sendFrame(c.pingFrameAfterSend())
	}
	c.mu.Lock()
	if !k.stopped {
		at = now()
		k.fireAt = c.nextFireLocked(k, at)
		k.timer.Reset(k.fireAt - at)
	}
	c.mu.Unlock()
}

func (c *HubConnection) serverTimedOut(s *hubSession) {
	c.mu.Lock()
	current := c.current == s && !s.timers.stopped
	c.mu.Unlock()
	if current {
		c.stopTransport(errServerTimeout)
	}
}
