package taggedjson

import (
	"bytes"
	"encoding/base64"
	"testing"
)

func FuzzBase64(f *testing.F) {
	for _, s := range []string{"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"} {
		f.Add([]byte(s), base64.StdEncoding.EncodeToString([]byte(s)))
	}
	for _, s := range []string{"Zg", "Zg=", "Zh==", "Zm9=", "Z===", "Zm9v\n", "Zm-v", "Zm9v===="} {
		f.Add([]byte(nil), s)
	}
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		if got, want := appendBase64(nil, data), base64.StdEncoding.AppendEncode(nil, data); !bytes.Equal(got, want) {
			t.Fatalf("encode %x: %q, encoding/base64 %q", data, got, want)
		}
		got, err := appendDecodedBase64(nil, []byte(text))
		want, wantErr := base64.StdEncoding.Strict().DecodeString(text)
		if bytes.ContainsAny([]byte(text), "\r\n") {
			return // encoding/base64 skips line breaks; btoa never writes them
		}
		if (err != nil) != (wantErr != nil) || err == nil && !bytes.Equal(got, want) {
			t.Fatalf("decode %q: %x, %v; encoding/base64: %x, %v", text, got, err, want, wantErr)
		}
	})
}
