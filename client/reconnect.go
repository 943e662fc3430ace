package client

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/alarm"
)

// RetryContext is signalr.js's RetryContext: what a retry policy decides the next delay from.
type RetryContext struct {
	PreviousRetryCount int
	Elapsed            time.Duration
	RetryReason        error
}

// RetryPolicy is signalr.js's IRetryPolicy. ok false is its null: stop retrying. An error is
// a policy that threw; the connection then stops retrying, as signalr.js does.
type RetryPolicy interface {
	NextRetryDelay(rc RetryContext) (delay time.Duration, ok bool, err error)
}

// RetryDelays is withAutomaticReconnect([delays]): one attempt per delay, then stop.
type RetryDelays []time.Duration

func (d RetryDelays) NextRetryDelay(rc RetryContext) (time.Duration, bool, error) {
	if rc.PreviousRetryCount >= len(d) {
		return 0, false, nil
	}
	return d[rc.PreviousRetryCount], true, nil
}

var errUnknownReconnectReason = errors.New("Attempting to reconnect due to a unknown error.")

func (c *HubConnection) nextRetryDelay(count int, elapsed time.Duration, reason error) (time.Duration, bool) {
	return c.askPolicy(c.opts.ReconnectPolicy, count, elapsed, reason)
}

func (c *HubConnection) askPolicy(policy RetryPolicy, count int, elapsed time.Duration, reason error) (time.Duration, bool) {
	d, ok, err := policy.NextRetryDelay(RetryContext{PreviousRetryCount: count, Elapsed: elapsed, RetryReason: reason})
	if err != nil {
		c.log.Log(Error, "IRetryPolicy.nextRetryDelayInMilliseconds("+strconv.Itoa(count)+", "+millisText(elapsed)+") threw error '"+ErrorString(err)+"'.")
		return 0, false
	}
	return d, ok
}

func millisText(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// reconnect is signalr.js's _reconnect: the state and the onreconnecting callbacks change at
// once, inside the close that caused them; the waits and attempts go on in the background.
func (c *HubConnection) reconnect(err error) {
	started := time.Now()
	reason := err
	if reason == nil {
		reason = errUnknownReconnectReason
	}
	delay, ok := c.nextRetryDelay(0, 0, reason)
	if !ok {
		c.log.Log(Debug, "Connection not reconnecting because the IRetryPolicy returned null on the first reconnect attempt.")
		c.completeClose(err)
		return
	}
	c.mu.Lock()
	c.state = Reconnecting
	callbacks := c.reconnectingCallbacks.list()
	c.mu.Unlock()
	if err != nil {
		c.log.Log(Information, "Connection reconnecting because of error '"+ErrorString(err)+"'.")
	} else {
		c.log.Log(Information, "Connection reconnecting.")
	}
	call(callbacks, err, func(cerr error) {
		c.log.Log(Error, "An onreconnecting callback called with error '"+ErrorString(err)+"' threw error '"+ErrorString(cerr)+"'.")
	})
	if len(callbacks) > 0 && c.State() != Reconnecting {
		c.log.Log(Debug, "Connection left the reconnecting state in onreconnecting callback. Done reconnecting.")
		return
	}
	go c.retry(started, delay)
}

// retry waits and attempts until connected, stopped, or the policy gives up.
func (c *HubConnection) retry(started time.Time, delay time.Duration) {
	attempts := 1
	for {
		c.log.Log(Information, "Reconnect attempt number "+strconv.Itoa(attempts)+" will start in "+millisText(delay)+" ms.")
		if !c.waitRetryDelay(delay) {
			return // stop() ended the connection during the wait
		}
		if c.State() != Reconnecting {
			c.log.Log(Debug, "Connection left the reconnecting state during reconnect delay. Done reconnecting.")
			return
		}
		err := c.reconnectAttempt()
		if err == nil {
			c.reconnected()
			return
		}
		c.log.Log(Information, "Reconnect attempt failed because of error '"+ErrorString(err)+"'.")
		if state := c.State(); state != Reconnecting {
			c.log.Log(Debug, "Connection moved to the '"+string(state)+"' from the reconnecting state during reconnect attempt. Done reconnecting.")
			if state == Disconnecting {
				c.completeClose(nil)
			}
			return
		}
		var ok bool
		if delay, ok = c.nextRetryDelay(attempts, time.Since(started), err); !ok {
			break
		}
		attempts++
	}
	c.log.Log(Information, "Reconnect retries have been exhausted after "+millisText(time.Since(started))+" ms and "+strconv.Itoa(attempts)+" failed attempts. Connection disconnecting.")
	c.completeClose(nil)
}

// waitRetryDelay sleeps unless stop() cuts the wait (false: give up) or RetryNow does (true).
func (c *HubConnection) waitRetryDelay(d time.Duration) bool {
	c.mu.Lock()
	if c.state != Reconnecting && c.state != Connecting {
		c.mu.Unlock()
		return true
	}
	cut := make(chan bool, 1)
	c.retryWait = cut
	c.mu.Unlock()
	t := alarm.New()
	t.Reset(d)
	defer t.Stop()
	select {
	case <-t.C:
		c.mu.Lock()
		if c.retryWait == cut {
			c.retryWait = nil
		}
		c.mu.Unlock()
		return true
	case goOn := <-cut:
		return goOn
	}
}

// RetryNow ends the current wait between reconnect attempts, if there is one: the network
// is back or the page became visible again, so waiting longer only delays the reconnect.
func (c *HubConnection) RetryNow() {
	c.mu.Lock()
	cut := c.retryWait
	c.retryWait = nil
	c.mu.Unlock()
	if cut != nil {
		c.log.Log(Debug, "Reconnect delay cut short: retrying now.")
		cut <- true
	}
}

func (c *HubConnection) reconnectAttempt() error {
	c.mu.Lock()
	c.reconnecting = true
	c.mu.Unlock()
	err := c.startInternal(context.Background())
	c.mu.Lock()
	c.reconnecting = false
	if err == nil && (c.state != Reconnecting || c.current.hasEnded()) {
		err = c.startAbortErr
	}
	if err == nil {
		c.state = Connected
	}
	c.mu.Unlock()
	return err
}

func (c *HubConnection) reconnected() {
	c.log.Log(Information, "HubConnection reconnected successfully.")
	id := c.connection.connectionID()
	c.mu.Lock()
	callbacks := c.reconnectedCallbacks.list()
	c.mu.Unlock()
	call(callbacks, id, func(err error) {
		c.log.Log(Error, "An onreconnected callback called with connectionId '"+id+"; threw error '"+ErrorString(err)+"'.")
	})
}

// retryStart is the opt-in retry of the first start() (Options.StartRetryPolicy), beyond
// signalr.js: the state stays Connecting through the waits, and start() fails only with the
// last attempt's error once the policy gives up, or with the stop's error.
func (c *HubConnection) retryStart(ctx context.Context, err error) error {
	started := time.Now()
	for attempts := 0; ; attempts++ {
		if ctx.Err() != nil || c.State() != Connecting {
			return err
		}
		delay, ok := c.askPolicy(c.opts.StartRetryPolicy, attempts, time.Since(started), err)
		if !ok {
			c.log.Log(Information, "Start retries have been exhausted after "+strconv.Itoa(attempts+1)+" failed attempts.")
			return err
		}
		c.log.Log(Information, "Start attempt failed because of error '"+ErrorString(err)+"'. Retrying in "+millisText(delay)+" ms.")
		if !c.waitRetryDelay(delay) {
			c.mu.Lock()
			err = c.startAbortErr
			c.mu.Unlock()
			return err
		}
		if err = c.startInternal(ctx); err == nil {
			return nil
		}
	}
}
