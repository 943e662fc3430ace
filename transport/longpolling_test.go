package transport_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// scriptedPolls answers each poll with the next scripted outcome, then with noContent;
// sends and the DELETE succeed.
type scriptedPolls struct {
	mu     sync.Mutex
	script []pollOutcome
}

type pollOutcome struct {
	resp *transport.Response
	err  error
}

func (s *scriptedPolls) Do(_ context.Context, r *transport.Request) (*transport.Response, error) {
	if r.Method != "GET" {
		return &transport.Response{StatusCode: 200}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.script) == 0 {
		return noContent.resp, nil
	}
	o := s.script[0]
	s.script = s.script[1:]
	return o.resp, o.err
}

// noContent is the server's end of the connection.
var noContent = pollOutcome{resp: &transport.Response{StatusCode: 204, StatusText: "No Content"}}

// pollScript reads a sequence of poll outcomes from fuzz bytes.
func pollScript(data []byte) []pollOutcome {
	var script []pollOutcome
	for len(data) > 0 {
		op := data[0] % 7
		data = data[1:]
		switch op {
		case 0: // messages: a length, then the body
			n := 0
			if len(data) > 0 {
				n, data = int(data[0]), data[1:]
			}
			n = min(n, len(data))
			script = append(script, pollOutcome{resp: &transport.Response{StatusCode: 200, Body: data[:n]}})
			data = data[n:]
		case 1: // nothing within the server's poll time
			script = append(script, pollOutcome{resp: &transport.Response{StatusCode: 200}})
		case 2:
			script = append(script, noContent)
		case 3:
			script = append(script, pollOutcome{resp: &transport.Response{StatusCode: 202, StatusText: "Accepted"}})
		case 4:
			code := 400
			if len(data) > 0 {
				code, data = 400+int(data[0])%200, data[1:]
			}
			script = append(script, pollOutcome{err: &transport.HTTPError{Message: "Bad", StatusCode: code}})
		case 5:
			script = append(script, pollOutcome{err: &transport.TimeoutError{}})
		case 6:
			script = append(script, pollOutcome{err: errors.New("Failed to fetch")})
		}
	}
	return script
}

// expectedPolls is what signalr.js's LongPollingTransport makes of a script: the first poll
// only opens the connection (its error fails the connect; a status other than 200 closes it
// at once), then every non-empty 200 body is a frame, a timeout is polled again, and the
// first other outcome ends the connection: 204 cleanly, anything else with its error.
func expectedPolls(script []pollOutcome) (connectErr error, frames []string, end error) {
	script = append(script, noContent)
	first := script[0]
	switch {
	case first.err != nil:
		return first.err, nil, nil
	case first.resp.StatusCode != 200:
		return nil, nil, &transport.HTTPError{Message: first.resp.StatusText, StatusCode: first.resp.StatusCode}
	}
	for _, o := range script[1:] {
		var timeout *transport.TimeoutError
		switch {
		case errors.As(o.err, &timeout):
		case o.err != nil:
			return nil, frames, o.err
		case o.resp.StatusCode == 204:
			return nil, frames, transport.ErrClosed
		case o.resp.StatusCode != 200:
			return nil, frames, &transport.HTTPError{Message: o.resp.StatusText, StatusCode: o.resp.StatusCode}
		case len(o.resp.Body) > 0:
			frames = append(frames, string(o.resp.Body))
		}
	}
	return nil, frames, transport.ErrClosed
}

// Long Polling reads any sequence of poll responses as signalr.js does: no frame lost,
// duplicated or reordered, and the connection ends with the right error.
func FuzzLongPollingResponses(f *testing.F) {
	f.Add([]byte{1, 0, 3, 'a', 'b', 'c', 5, 1, 0, 1, 'd', 2})
	f.Add([]byte{1, 4, 100})
	f.Add([]byte{3})
	f.Add([]byte{6})
	f.Add([]byte{1, 6, 0, 2, 'x', 'y'})
	f.Fuzz(func(t *testing.T, data []byte) {
		script := pollScript(data)
		wantConnectErr, wantFrames, wantEnd := expectedPolls(script)
		tr := transport.New(transport.LongPolling, transport.Settings{HTTP: &transport.AccessTokenHTTPClient{HTTPClient: &scriptedPolls{script: script}}})
		conn, err := tr.Connect(context.Background(), "http://h/hub?id=x", protocol.Binary)
		if wantConnectErr != nil || err != nil {
			if err == nil || wantConnectErr == nil || err.Error() != wantConnectErr.Error() {
				t.Fatalf("connect: got %v, want %v", err, wantConnectErr)
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var frames []string
		for {
			frame, err := conn.Read(ctx)
			if err != nil {
				if err.Error() != wantEnd.Error() {
					t.Fatalf("ended with %v, want %v", err, wantEnd)
				}
				break
			}
			frames = append(frames, string(frame))
		}
		if !reflect.DeepEqual(frames, wantFrames) {
			t.Fatalf("frames %q, want %q", frames, wantFrames)
		}
		_ = conn.Close()
	})
}

// gatedPosts holds every POST until the test lets it go with an outcome, and every poll
// after the first until its request ends.
type gatedPosts struct {
	polls  int
	posts  chan string
	answer chan error
}

func (g *gatedPosts) Do(ctx context.Context, r *transport.Request) (*transport.Response, error) {
	switch r.Method {
	case "GET":
		if g.polls++; g.polls == 1 {
			return &transport.Response{StatusCode: 200}, nil
		}
		<-ctx.Done()
		return nil, &transport.AbortError{}
	case "POST":
		g.posts <- string(r.Body)
		if err := <-g.answer; err != nil {
			return nil, err
		}
	}
	return &transport.Response{StatusCode: 200}, nil
}

// A frame posted is done when its POST is answered, and the frames queued meanwhile go in
// the next POST together and share its outcome: a failure fails them, in order, and leaves
// the connection open, as signalr.js's send queue rejects only the sends it carried.
// connectGated connects over Long Polling to a server whose POSTs g holds.
func connectGated(t *testing.T) (*gatedPosts, transport.Conn, transport.Poster) {
	t.Helper()
	g := &gatedPosts{posts: make(chan string), answer: make(chan error)}
	tr := transport.New(transport.LongPolling, transport.Settings{HTTP: &transport.AccessTokenHTTPClient{HTTPClient: g}})
	conn, err := tr.Connect(context.Background(), "http://h/hub?id=x", protocol.Text)
	if err != nil {
		t.Fatal(err)
	}
	return g, conn, conn.(transport.Poster)
}

func TestLongPollingPostOutcome(t *testing.T) {
	g, conn, poster := connectGated(t)
	defer conn.Close()
	first, _ := poster.Post([]byte("a"))
	if body := <-g.posts; body != "a" {
		t.Fatalf("first POST %q", body)
	}
	second, _ := poster.Post([]byte("b"))
	third, _ := poster.Post([]byte("c"))
	select {
	case err := <-first:
		t.Fatalf("a frame done before its POST was answered: %v", err)
	default:
	}
	g.answer <- nil
	if err := <-first; err != nil {
		t.Fatalf("first: %v", err)
	}
	if body := <-g.posts; body != "bc" {
		t.Fatalf("second POST %q, want the two frames queued meanwhile", body)
	}
	refused := &transport.HTTPError{Message: "Refused", StatusCode: 500}
	g.answer <- refused
	for _, done := range []<-chan error{second, third} {
		if err := <-done; err != refused {
			t.Fatalf("a frame of the failed POST got %v", err)
		}
	}
	fourth, err := poster.Post([]byte("d"))
	if err != nil {
		t.Fatalf("the connection closed with its POST: %v", err)
	}
	<-g.posts
	g.answer <- nil
	if err := <-fourth; err != nil {
		t.Fatalf("after the failure: %v", err)
	}
}

// Frames still queued when the transport stops are not sent: their senders get signalr.js's
// "Connection stopped."; the POST in flight still settles its own.
func TestLongPollingPostsStoppedWithTheTransport(t *testing.T) {
	g, conn, poster := connectGated(t)
	inFlight, _ := poster.Post([]byte("a"))
	<-g.posts
	queued, _ := poster.Post([]byte("b"))
	conn.Close()
	g.answer <- nil
	if err := <-inFlight; err != nil {
		t.Fatalf("the POST in flight: %v", err)
	}
	if err := <-queued; err == nil || err.Error() != "Connection stopped." {
		t.Fatalf("a frame queued when the transport stopped got %v", err)
	}
}
