package client

import (
	"net/url"
	"strings"
	"testing"
)

// negotiateURLWithNetURL is how negotiateURL was written with net/url, which the wasm no
// longer links: the reference negotiateURL must agree with.
func negotiateURLWithNetURL(base string, statefulOption bool) (string, bool, bool) {
	u, err := url.Parse(base)
	if err != nil {
		return "", false, false
	}
	if strings.HasSuffix(u.Path, "/") {
		u.Path += "negotiate"
	} else {
		u.Path += "/negotiate"
	}
	u.RawPath = ""
	stateful := false
	if !u.Query().Has("negotiateVersion") {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += "negotiateVersion=1"
	}
	if q := u.Query(); q.Has("useStatefulReconnect") {
		stateful = q.Get("useStatefulReconnect") == "true"
	} else if statefulOption {
		u.RawQuery += "&useStatefulReconnect=true"
		stateful = true
	}
	return u.String(), stateful, true
}

func TestNegotiateURL(t *testing.T) {
	for _, base := range []string{
		"http://localhost:5000/chathub",
		"http://localhost:5000/chathub/",
		"https://example.com/a/b/hub?x=1&y=two",
		"https://example.com/hub?negotiateVersion=2",
		"https://example.com/hub?useStatefulReconnect=true",
		"https://example.com/hub?useStatefulReconnect=false&a=b",
		"https://example.com/hub?use%53tatefulReconnect=tru%65",
		"https://example.com/hub?a=%20+b&c",
		"https://example.com/hub#frag",
		"https://example.com/hub?q=1#frag?x",
		"https://example.com/h%C3%A9/hub",
	} {
		for _, stateful := range []bool{false, true} {
			want, wantStateful, _ := negotiateURLWithNetURL(base, stateful)
			got, gotStateful := negotiateURL(base, stateful)
			if got != want || gotStateful != wantStateful {
				t.Errorf("negotiateURL(%q, %v) = %q, %v; net/url gives %q, %v", base, stateful, got, gotStateful, want, wantStateful)
			}
		}
	}
}

// Every URL that net/url reads and writes back unchanged (as the browser's URL writes it:
// the facade hands in resolved URLs) gets the negotiate URL net/url would build.
func FuzzNegotiateURL(f *testing.F) {
	f.Add("http://localhost:5000/chathub?useStatefulReconnect=true&x=%41", true)
	f.Add("https://example.com/?negotiateVersion=0#a", false)
	f.Fuzz(func(t *testing.T, base string, stateful bool) {
		u, err := url.Parse(base)
		if err != nil || u.String() != base || u.Opaque != "" || u.Host == "" || strings.Contains(u.RawQuery, ";") {
			return
		}
		if _, err := url.ParseQuery(u.RawQuery); err != nil {
			return // net/url drops what it cannot unescape, URLSearchParams keeps it
		}
		want, wantStateful, _ := negotiateURLWithNetURL(base, stateful)
		if strings.Contains(u.Path, "%") || u.RawPath != "" {
			return // net/url re-encodes the path; ours keeps the browser's encoding
		}
		got, gotStateful := negotiateURL(base, stateful)
		if got != want || gotStateful != wantStateful {
			t.Fatalf("negotiateURL(%q, %v) = %q, %v; net/url gives %q, %v", base, stateful, got, gotStateful, want, wantStateful)
		}
	})
}
