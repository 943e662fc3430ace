package jstext

import "syscall/js"

// Number is JS's Number(text): NaN for text that spells no number. It is the rare path
// (ParseNumber reads the numbers JS writes itself), so it looks Number up at each call
// rather than at start-up.
func Number(text string) float64 { return js.Global().Get("Number").Invoke(text).Float() }
