package protocol

import (
	"errors"
	"reflect"
	"testing"
)

// wire is a writer that records what it got, or fails.
type wire struct {
	got  []string
	fail bool
}

func writeWire(w *wire, frame []byte) (<-chan error, error) {
	if w.fail {
		return nil, errors.New("gone")
	}
	w.got = append(w.got, string(frame))
	return nil, nil
}

// A link without a buffer writes through; with one, a write that fails keeps the frame for
// the replay, which Swap writes to the new writer after the Sequence message, before any
// later send.
func TestLinkKeepsAndReplays(t *testing.T) {
	l := NewLink(writeWire)
	first := &wire{}
	l.Attach(first)
	if _, err := l.Send(InvocationType, []byte("a")); err != nil || !reflect.DeepEqual(first.got, []string{"a"}) {
		t.Fatalf("unbuffered send: %v %v", err, first.got)
	}
	l.UseBuffer(NewSequenceBuffer(0))
	if _, err := l.Send(InvocationType, []byte("b")); err != nil {
		t.Fatal(err)
	}
	first.fail = true
	if _, err := l.Send(InvocationType, []byte("c")); err != nil {
		t.Fatalf("a buffered send failed: %v", err)
	}
	if _, err := l.Send(InvocationType, []byte("d")); err != nil {
		t.Fatal(err)
	}
	second := &wire{}
	if !l.Swap(JSONProtocol{}, func(*SequenceBuffer) (*wire, bool) { return second, true }) {
		t.Fatal("not resumed")
	}
	if _, err := l.Send(InvocationType, []byte("e")); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"type":9,"sequenceId":1}` + "\x1e", "b", "c", "d", "e"}
	if !reflect.DeepEqual(second.got, want) {
		t.Fatalf("replay %q, want %q", second.got, want)
	}
	if l.Swap(JSONProtocol{}, func(*SequenceBuffer) (*wire, bool) { return &wire{}, false }) {
		t.Fatal("resumed a connection that was gone")
	}
}
