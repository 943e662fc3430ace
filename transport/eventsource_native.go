//go:build !js

package transport

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
)

// hasEventSource is true natively: net/http reads event streams everywhere.
func hasEventSource() bool { return true }

// nativeEventSource reads an event stream with net/http: data lines make a message, a blank
// line ends it.
type nativeEventSource struct {
	cancel  context.CancelFunc
	msgs    chan []byte
	done    chan struct{}
	closing chan struct{}
	once    sync.Once

	mu  sync.Mutex
	err error
}

func openEventSource(ctx context.Context, url string, _ bool, headers map[string]string) (eventStream, error) {
	streamCtx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(streamCtx, "GET", url, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("Accept", "text/event-stream")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	stop := context.AfterFunc(ctx, cancel) // a start that is stopped cuts the connect short
	resp, err := http.DefaultClient.Do(req)
	stop()
	if err != nil || resp.StatusCode != http.StatusOK {
		if resp != nil {
			resp.Body.Close()
		}
		cancel()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, errEventSourceFailed
	}
	n := &nativeEventSource{cancel: cancel, msgs: make(chan []byte, 64), done: make(chan struct{}), closing: make(chan struct{})}
	go n.read(resp)
	return n, nil
}

func (n *nativeEventSource) read(resp *http.Response) {
	defer resp.Body.Close()
	defer close(n.done)
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 64<<10), 16<<20)
	scanner.Split(eventLines())
	var p eventParser
	for scanner.Scan() {
		if msg, ok := p.line(scanner.Text()); ok {
			select {
			case n.msgs <- msg:
			case <-n.closing:
				return
			}
		}
	}
	n.finish(io.EOF)
}

// eventParser is the HTML event-stream parser as an EventSource reads it for its onmessage
// (the one signalr.js listens to): data lines make a message, a blank line dispatches it,
// an event with a type of its own is not a message, and what is not yet dispatched when the
// stream ends is dropped.
type eventParser struct {
	data      []byte
	hasData   bool
	eventType string
}

// line takes one line and returns the message it dispatches, if any.
func (p *eventParser) line(line string) (msg []byte, ok bool) {
	if line == "" {
		msg, ok = p.data, p.hasData && (p.eventType == "" || p.eventType == "message")
		p.data, p.hasData, p.eventType = nil, false, ""
		return msg, ok
	}
	field, value, found := strings.Cut(line, ":")
	if found {
		value = strings.TrimPrefix(value, " ")
	}
	switch field {
	case "data":
		if p.hasData {
			p.data = append(p.data, '\n')
		}
		p.data = append(p.data, value...)
		p.hasData = true
	case "event":
		p.eventType = value
	}
	return nil, false
}

// eventLines splits an event stream into lines ending in CRLF, LF or CR, dropping the byte
// order mark the stream may start with.
func eventLines() bufio.SplitFunc {
	started := false
	return func(data []byte, atEOF bool) (advance int, token []byte, err error) {
		start := 0
		if !started {
			if len(data) < 3 && !atEOF && bytes.HasPrefix([]byte("\ufeff"), data) {
				return 0, nil, nil // maybe a mark, not all there yet
			}
			started = true
			if bytes.HasPrefix(data, []byte("\ufeff")) {
				start = 3
			}
		}
		if i := bytes.IndexAny(data[start:], "\r\n"); i >= 0 {
			i += start
			end := i + 1
			if data[i] == '\r' {
				if end == len(data) && !atEOF {
					return start, nil, nil // a CR that may start a CRLF
				}
				if end < len(data) && data[end] == '\n' {
					end++
				}
			}
			return end, data[start:i], nil
		}
		if atEOF && len(data) > start {
			return len(data), data[start:], nil
		}
		return start, nil, nil
	}
}

func (n *nativeEventSource) finish(err error) {
	n.mu.Lock()
	if n.err == nil {
		n.err = err
	}
	n.mu.Unlock()
}

func (n *nativeEventSource) Next(ctx context.Context) ([]byte, error) {
	select {
	case m := <-n.msgs:
		return m, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-n.done:
	}
	select {
	case m := <-n.msgs:
		return m, nil
	default:
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	return nil, n.err
}

// receiveWith leaves every message to Next: they come from the reader's own goroutine.
func (n *nativeEventSource) receiveWith(func(frame []byte, foreign bool) error) {}

func (n *nativeEventSource) Close() {
	n.finish(ErrClosed)
	n.once.Do(func() { close(n.closing) })
	n.cancel()
}
