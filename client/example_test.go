//go:build !js

package client_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
)

// exampleServer is the test server in process, with the docs' chat hub at /chathub and the
// test hub at /testhub; stop closes it.
func exampleServer() (url string, stop func()) {
	srv := server.New(server.Options{DetailedErrors: true})
	srv.MapHub("/chathub", hubs.NewChat())
	srv.MapHub("/testhub", hubs.NewTest())
	ts := httptest.NewServer(srv)
	return ts.URL, ts.Close
}

// connected is Example's connection to the test hub, for the examples that show what comes next.
func connected() (c *client.HubConnection, stop func()) {
	url, stopServer := exampleServer()
	c, _ = client.New(client.Options{URL: url + "/testhub"})
	if err := c.Start(context.Background()); err != nil {
		panic(err)
	}
	return c, func() { _ = c.Stop(); stopServer() }
}

// Connect, call a hub method and wait for its result, stop.
func Example() {
	url, stop := exampleServer()
	defer stop()
	ctx := context.Background()

	c, err := client.New(client.Options{URL: url + "/testhub"})
	if err != nil {
		panic(err)
	}
	if err := c.Start(ctx); err != nil {
		panic(err)
	}
	defer c.Stop()

	var sum float64
	if err := c.Call(ctx, "Add", &sum, 1, 2.5); err != nil {
		panic(err)
	}
	fmt.Println("sum:", sum, "state:", c.State())
	// A hub method's error comes back as the error.
	fmt.Println(c.Call(ctx, "ThrowHubException", nil, "no luck"))
	// Output:
	// sum: 3.5 state: Connected
	// An unexpected error occurred invoking 'ThrowHubException' on the server. HubException: no luck
}

// The docs' chat: a handler for what the server broadcasts, and SendValues for a hub method
// whose end nobody waits for.
func ExampleHubConnection_Handle() {
	url, stop := exampleServer()
	defer stop()
	ctx := context.Background()
	c, _ := client.New(client.Options{URL: url + "/chathub"})

	received := make(chan string)
	c.Handle("ReceiveMessage", func(args client.Args) (any, error) {
		var user, message string
		if err := args.Decode(&user, &message); err != nil {
			return nil, err
		}
		received <- user + ": " + message
		return nil, nil
	})
	if err := c.Start(ctx); err != nil {
		panic(err)
	}
	defer c.Stop()
	if err := c.SendValues(ctx, "SendMessage", "gopher", "hello"); err != nil {
		panic(err)
	}
	fmt.Println(<-received)
	// Output: gopher: hello
}

// A handler's return value answers a server that waits for one (a client result).
func ExampleHubConnection_Handle_clientResult() {
	c, stop := connected()
	defer stop()
	ctx := context.Background()
	c.Handle("double", func(args client.Args) (any, error) {
		var x int
		err := args.Decode(&x)
		return 2 * x, err
	})
	// ClientResult asks the caller's "double" for its result and returns it.
	var got int
	if err := c.Call(ctx, "ClientResult", &got, "double", 21); err != nil {
		panic(err)
	}
	fmt.Println(got)
	// Output: 42
}

// A server-to-client stream is a range over an iterator; leaving the loop early cancels the
// stream on the server.
func ExampleStream() {
	c, stop := connected()
	defer stop()
	ctx := context.Background()

	// Counter streams 0 to count-1, one every delayMs.
	for n, err := range client.Stream[int](ctx, c, "Counter", 3, 10) {
		if err != nil {
			panic(err)
		}
		fmt.Println(n)
	}
	for n := range client.Stream[int](ctx, c, "Counter", 1000, 10) {
		if n == 1 {
			break
		}
	}
	var canceled int
	_ = c.Call(ctx, "WaitCanceledStreams", &canceled, 1)
	fmt.Println("canceled on the server:", canceled)

	// The server's error ends the loop.
	for _, err := range client.Stream[any](ctx, c, "StreamFailsAtOnce", "no stream today") {
		fmt.Println(err)
	}
	// Output:
	// 0
	// 1
	// 2
	// canceled on the server: 1
	// An unexpected error occurred invoking 'StreamFailsAtOnce' on the server. HubException: no stream today
}

// A channel argument is a client-to-server stream: its values go to the server as they come,
// and closing it completes the stream.
func ExampleHubConnection_Call_clientStream() {
	c, stop := connected()
	defer stop()
	ctx := context.Background()

	values := make(chan float64)
	go func() {
		defer close(values)
		for _, v := range []float64{1, 2, 3.5} {
			values <- v
		}
	}()
	var sum float64
	if err := c.Call(ctx, "UploadSum", &sum, values); err != nil {
		panic(err)
	}
	fmt.Println(sum)

	// Both ways: UploadEcho streams back what it gets.
	words := make(chan string, 2)
	words <- "ping"
	words <- "pong"
	close(words)
	for w, err := range client.Stream[string](ctx, c, "UploadEcho", words) {
		if err != nil {
			panic(err)
		}
		fmt.Println(w)
	}
	// Output:
	// 6.5
	// ping
	// pong
}

// With a retry policy, a lost connection reconnects by itself; calls made meanwhile fail,
// and the callbacks tell when to retry them.
func ExampleOptions_reconnectPolicy() {
	url, stop := exampleServer()
	defer stop()
	ctx := context.Background()
	c, _ := client.New(client.Options{
		URL: url + "/testhub",
		// Retry at once, then after 2 s and 10 s, then give up; a RetryPolicy of your own
		// can decide from the RetryContext instead.
		ReconnectPolicy: client.RetryDelays{0, 2 * time.Second, 10 * time.Second},
	})
	reconnected := make(chan struct{})
	c.OnReconnecting(func(err error) error {
		fmt.Println("reconnecting after:", err)
		return nil
	})
	c.OnReconnected(func(connectionID string) error {
		close(reconnected)
		return nil
	})
	if err := c.Start(ctx); err != nil {
		panic(err)
	}
	defer c.Stop()

	_ = c.Call(ctx, "Abort", nil) // the test hub drops the connection
	<-reconnected
	var echoed string
	_ = c.Call(ctx, "Echo", &echoed, "back again")
	fmt.Println(echoed, c.State())
	// Output:
	// reconnecting after: WebSocket closed with status code: 1006 (no reason given).
	// back again Connected
}
