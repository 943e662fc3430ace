package transport

import (
	"bytes"
	"strings"
	"testing"
)

// The pieces of a turn hold its frames whole and in order, none larger than a piece unless
// a frame is, and the spares they keep serve the next turn without growing.
func TestPieces(t *testing.T) {
	var p pieces
	for turn, sizes := range [][]int{
		{10},
		{100, 5000, 60000, 30000, 70000, 10, 200000, 5},
		{40000, 40000, 40000, 40000, 40000, 40000},
		{3},
	} {
		var want []byte
		for i, n := range sizes {
			frame := []byte(strings.Repeat(string(rune('a'+i)), n-1) + "\x1e")
			p.append(frame)
			want = append(want, frame...)
		}
		if got := p.joined(); !bytes.Equal(got, want) {
			t.Fatalf("turn %d: the pieces join to %d bytes, want %d", turn, len(got), len(want))
		}
		for i, piece := range p.full {
			if len(piece) > pieceSize && bytes.Count(piece, []byte("\x1e")) != 1 {
				t.Errorf("turn %d: piece %d holds %d bytes over %d frames", turn, i, len(piece), bytes.Count(piece, []byte("\x1e")))
			}
			if len(piece) == 0 || piece[len(piece)-1] != '\x1e' {
				t.Errorf("turn %d: piece %d does not end with a whole frame", turn, i)
			}
		}
		p.reset()
		if !p.empty() {
			t.Fatalf("turn %d: not empty after reset", turn)
		}
		for i, spare := range p.full[:cap(p.full)] {
			if i >= keptPieces && spare != nil || cap(spare) > pieceSize {
				t.Errorf("turn %d: spare %d of %d bytes kept", turn, i, cap(spare))
			}
		}
	}
}

// A burst's pieces are allocated once: the next burst of the same size reuses them.
func TestPiecesReusedByTheNextBurst(t *testing.T) {
	var p pieces
	frame := []byte(strings.Repeat("x", 45) + "\x1e")
	burst := func() {
		for range 5000 {
			p.append(frame)
		}
		p.reset()
	}
	burst()
	if allocs := testing.AllocsPerRun(10, burst); allocs != 0 {
		t.Errorf("a burst after the first allocated %v times", allocs)
	}
}
