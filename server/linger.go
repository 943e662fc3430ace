package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync"
)

// lingeringConn is a WebSocket's TCP connection whose end can be held back
// (HubContext.CloseLingering): after the close handshake the browser's socket stays CLOSING
// and fires its close event only once the TCP connection ends, which then waits for the
// page's "release" on the connection's hook, or for the browser to drop it (Chromium does
// after two seconds).
type lingeringConn struct {
	net.Conn
	mu    sync.Mutex
	until <-chan struct{} // once set, Close waits for it
}

func (l *lingeringConn) holdCloseUntil(until <-chan struct{}) {
	l.mu.Lock()
	l.until = until
	l.mu.Unlock()
}

func (l *lingeringConn) Close() error {
	l.mu.Lock()
	until := l.until
	l.mu.Unlock()
	if until == nil {
		return l.Conn.Close()
	}
	go func() {
		dropped := make(chan struct{})
		go func() {
			_, _ = io.Copy(io.Discard, l.Conn)
			close(dropped)
		}()
		select {
		case <-until:
		case <-dropped:
		}
		_ = l.Conn.Close()
	}()
	return nil
}

// lingeringWriter hands the WebSocket library the hijacked connection as a lingeringConn.
type lingeringWriter struct {
	http.ResponseWriter
	conn *lingeringConn
}

func (w *lingeringWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.conn = &lingeringConn{Conn: c}
	return w.conn, rw, nil
}
