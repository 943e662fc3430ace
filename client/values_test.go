//go:build !js

package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// The Go-values API over both protocols: what the examples show, plus how it fails.
func TestGoValues(t *testing.T) {
	for _, proto := range []protocol.HubProtocol{protocol.JSONProtocol{}, protocol.MessagePackProtocol{}} {
		t.Run(proto.Name(), func(t *testing.T) {
			c := connect(t, testServer(t)+"/testhub", client.Options{Protocol: proto})

			var echoed map[string]any
			if err := c.Call(ctx(t), "Echo", &echoed, map[string]any{"a": "b"}); err != nil || echoed["a"] != "b" {
				t.Errorf("echo: %v %v", echoed, err)
			}
			if err := c.Call(ctx(t), "Echo", nil, func() {}); err == nil {
				t.Error("an argument that cannot be encoded was sent")
			}

			// A context that ends during a stream ends the loop with its error and cancels the
			// stream on the server.
			streamCtx, cancel := context.WithCancel(ctx(t))
			defer cancel()
			var got []int
			var last error
			for n, err := range client.Stream[int](streamCtx, c, "Counter", 1000, 10) {
				if err != nil {
					last = err
					continue
				}
				got = append(got, n)
				if n == 2 {
					cancel()
				}
			}
			if !errors.Is(last, context.Canceled) || len(got) < 3 || got[2] != 2 {
				t.Errorf("canceled stream: %v, then %v", got, last)
			}
			var canceled int
			if err := c.Call(ctx(t), "WaitCanceledStreams", &canceled, 1); err != nil || canceled != 1 {
				t.Errorf("the server saw %d cancels: %v", canceled, err)
			}

			// An item that does not decode as T ends the loop with the decoding error.
			for _, err := range client.Stream[string](ctx(t), c, "Counter", 3, 0) {
				if err == nil {
					t.Error("a number decoded as a string")
				}
			}

			// A handler's error is the server's client-result error; Args tells a short call.
			off := c.Handle("value", func(args client.Args) (any, error) {
				var a, b int
				if err := args.Decode(&a, &b); err != nil {
					return nil, err
				}
				return a + b, nil
			})
			if err := c.Call(ctx(t), "ClientResult", nil, "value", 1); err == nil || err.Error() != "An unexpected error occurred invoking 'ClientResult' on the server. HubException: Error: the server sent 1 argument(s), not 2" {
				t.Errorf("short call: %v", err)
			}
			off()
			if err := c.Call(ctx(t), "ClientResult", nil, "value", 1); err == nil || err.Error() != "An unexpected error occurred invoking 'ClientResult' on the server. HubException: Client didn't provide a result." {
				t.Errorf("after off: %v", err)
			}
		})
	}
}
