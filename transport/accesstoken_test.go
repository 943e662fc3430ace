package transport_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/transport"
)

// answers401 answers its first request 401 and records each request's Authorization header.
type answers401 struct{ seen []string }

func (a *answers401) Do(_ context.Context, r *transport.Request) (*transport.Response, error) {
	a.seen = append(a.seen, r.Headers["Authorization"])
	if len(a.seen) == 1 {
		return &transport.Response{StatusCode: 401, StatusText: "Unauthorized"}, nil
	}
	return &transport.Response{StatusCode: 200}, nil
}

// A request answered 401 goes once more with a new token, as signalr.js's
// AccessTokenHttpClient sends it; negotiate, which got its token just before, does not.
func TestAccessTokenRefreshedOn401(t *testing.T) {
	for _, tc := range []struct {
		url        string
		wantSeen   []string
		wantStatus int
	}{
		{"http://h/hub?id=1", []string{"Bearer first", "Bearer second"}, 200},
		{"http://h/hub/negotiate?negotiateVersion=1", []string{"Bearer first"}, 401},
	} {
		inner := &answers401{}
		refreshed := 0
		hc := &transport.AccessTokenHTTPClient{HTTPClient: inner, Refresh: func(context.Context) (string, error) {
			refreshed++
			return "second", nil
		}}
		hc.SetToken("first")
		resp, err := hc.Do(context.Background(), &transport.Request{Method: "GET", URL: tc.url})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tc.wantStatus || !reflect.DeepEqual(inner.seen, tc.wantSeen) || refreshed != len(tc.wantSeen)-1 {
			t.Errorf("%s: status %d, sent with %q, %d refreshes; want %d, %q", tc.url, resp.StatusCode, inner.seen, refreshed, tc.wantStatus, tc.wantSeen)
		}
	}
}
