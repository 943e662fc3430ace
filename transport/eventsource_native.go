//go:build !js

package transport

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
)

// HasEventSource is true natively: net/http reads event streams everywhere.
func HasEventSource() bool { return true }

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
	var data []string
	for scanner.Scan() {
		line := scanner.Text()
		switch {
		case line == "":
			if data != nil {
				select {
				case n.msgs <- []byte(strings.Join(data, "\n")):
				case <-n.closing:
					return
				}
				data = nil
			}
		case strings.HasPrefix(line, "data:"):
			data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
	n.finish(io.EOF)
}

func (n *nativeEventSource) finish(err error) {
	n.mu.Lock()
	if n.err == nil {
		n.err = err
	}
	n.mu.Unlock()
}

func (n *nativeEventSource) Next() ([]byte, error) {
	select {
	case m := <-n.msgs:
		return m, nil
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

func (n *nativeEventSource) Close() {
	n.finish(ErrClosed)
	n.once.Do(func() { close(n.closing) })
	n.cancel()
}
