package transport

// pieces hold the frames written in one turn, which leave as one WebSocket message: in
// buffers of up to pieceSize bytes, each holding whole frames, that the facade joins as it
// sends them (jsevents.Send). One buffer grown to a burst's size (3000 concurrent invokes
// make 390 KB) cost a fresh page a chain of ever larger allocations, each copying what the
// last held, and the largest stayed for the connection's life. Pieces are never copied, and
// at most keptPieces of them (512 KB) stay for the next turn. (That first burst's sending
// took 52 ms before, 29 with pieces and the inbox's room sized to the text: medians of 15
// fresh pages each, side by side.)
type pieces struct {
	full [][]byte // the pieces written, the last one still filling; the spares follow, empty
}

const (
	pieceSize  = 64 << 10
	keptPieces = 8
)

func (p *pieces) empty() bool { return len(p.full) == 0 }

func (p *pieces) append(frame []byte) {
	if n := len(p.full); n > 0 {
		last := p.full[n-1]
		switch {
		case len(frame) <= cap(last)-len(last):
			p.full[n-1] = append(last, frame...)
			return
		case cap(last) < pieceSize && len(last)+len(frame) <= pieceSize:
			// The first piece starts small, as most turns write a frame or two, and doubles.
			grown := make([]byte, len(last), min(max(2*cap(last), len(last)+len(frame)), pieceSize))
			copy(grown, last)
			p.full[n-1] = append(grown, frame...)
			return
		}
	}
	n := len(p.full)
	if n < cap(p.full) && cap(p.full[:n+1][n]) >= len(frame) {
		p.full = p.full[:n+1]
		p.full[n] = append(p.full[n][:0], frame...)
		return
	}
	size := len(frame)
	if n > 0 {
		size = max(size, pieceSize) // a frame larger than a piece is a piece of its own
	}
	p.full = append(p.full[:n], append(make([]byte, 0, size), frame...))
}

// reset empties the pieces once sent, keeping the first keptPieces of at most pieceSize
// bytes as spares.
func (p *pieces) reset() {
	for i, b := range p.full {
		if i < keptPieces && cap(b) <= pieceSize {
			p.full[i] = b[:0]
		} else {
			p.full[i] = nil
		}
	}
	p.full = p.full[:0]
}

// joined is the message the pieces make, for the trace log.
func (p *pieces) joined() []byte {
	var b []byte
	for _, piece := range p.full {
		b = append(b, piece...)
	}
	return b
}
