package jsutil

import "testing"

func TestUTF16Prefix(t *testing.T) {
	const s = "aé€😀z"
	cases := []struct {
		units, want int
	}{{0, 0}, {1, 1}, {2, 3}, {3, 6}, {4, 10}, {5, 10}, {6, 11}, {9, 11}}
	for _, c := range cases {
		if got := UTF16Prefix(s, c.units); got != c.want {
			t.Errorf("UTF16Prefix(%q, %d) = %d, want %d", s, c.units, got, c.want)
		}
		if got := UTF16Prefix([]byte(s), c.units); got != c.want {
			t.Errorf("UTF16Prefix([]byte(%q), %d) = %d, want %d", s, c.units, got, c.want)
		}
	}
}
