package server

import (
	"net"
	"sync"
	"time"
)

// Listener is a TCP listener that can go away for a while and come back on the same
// address: a server restart as clients see it, with every open connection dropped and new
// ones refused by the operating system until it listens again. Serve a Server on it and set
// Options.Listener to give pages the /fault/restart switch.
type Listener struct {
	addr string

	mu     sync.Mutex
	cur    net.Listener
	up     chan struct{} // closed while listening
	closed bool
	conns  map[net.Conn]bool
}

// Listen listens on addr ("127.0.0.1:0" picks a port that restarts keep).
func Listen(addr string) (*Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	up := make(chan struct{})
	close(up)
	return &Listener{addr: l.Addr().String(), cur: l, up: up, conns: map[net.Conn]bool{}}, nil
}

func (l *Listener) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		cur, up, closed := l.cur, l.up, l.closed
		l.mu.Unlock()
		if closed {
			return nil, net.ErrClosed
		}
		<-up
		c, err := cur.Accept()
		l.mu.Lock()
		if err != nil {
			restarted := l.cur != cur || !isClosed(l.up)
			l.mu.Unlock()
			if restarted {
				continue
			}
			return nil, err
		}
		tc := &trackedConn{Conn: c, l: l}
		l.conns[tc] = true
		l.mu.Unlock()
		return tc, nil
	}
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// Restart stops listening, drops every connection, and listens again after down, or, when
// down is 0, once Up is called: a test that must see a connection refused first says when
// it has (a wait for a guessed time would pass or fail with the machine's load).
func (l *Listener) Restart(down time.Duration) {
	l.mu.Lock()
	if l.closed || !isClosed(l.up) {
		l.mu.Unlock()
		return // closed, or already restarting
	}
	up := make(chan struct{})
	l.up = up
	_ = l.cur.Close()
	conns := l.conns
	l.conns = map[net.Conn]bool{}
	l.mu.Unlock()
	for c := range conns {
		_ = c.Close()
	}
	if down > 0 {
		time.AfterFunc(down, l.Up)
	}
}

// Up listens again after a Restart; it does nothing while listening.
func (l *Listener) Up() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if isClosed(l.up) {
		return
	}
	next, err := net.Listen("tcp", l.addr)
	if err == nil {
		l.cur = next
	} else {
		l.closed = true // the address is gone: Accept ends the server
	}
	close(l.up)
}

func (l *Listener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	return l.cur.Close()
}

func (l *Listener) Addr() net.Addr {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur.Addr()
}

type trackedConn struct {
	net.Conn
	l *Listener
}

func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
