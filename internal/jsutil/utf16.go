package jsutil

// UTF16Prefix is how many bytes of s, UTF-8 as TextEncoder writes it, hold its first units
// UTF-16 code units: JS measures a string in those, Go in bytes. TextEncoder writes a lone
// surrogate as U+FFFD, three bytes for one unit, which this counts as JS does.
func UTF16Prefix[T string | []byte](s T, units int) int {
	i := 0
	for ; units > 0 && i < len(s); units-- {
		switch b := s[i]; {
		case b < 0x80:
			i++
		case b < 0xE0:
			i += 2
		case b < 0xF0:
			i += 3
		default: // outside the BMP: a surrogate pair in JS
			i += 4
			units--
		}
	}
	return min(i, len(s))
}
