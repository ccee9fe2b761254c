// Package cfb reads the top-level streams of a compound file (the container of Word 97–2003
// .doc and Excel 97–2003 .xls files) through github.com/richardlehane/mscfb, within a size
// bound.
package cfb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/richardlehane/mscfb"
)

var (
	// ErrNotCompound: the bytes do not open as a compound file.
	ErrNotCompound = errors.New("无法按复合文档打开")
	// ErrDamaged: the compound file's directory or a stream could not be read.
	ErrDamaged = errors.New("复合文档损坏")
)

// TooLargeError: a stream wanted is larger than the bound.
type TooLargeError struct {
	Stream string
	Max    int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s 超过 %d MB", e.Stream, e.Max>>20)
}

// Streams returns the top-level streams of data named in want that it holds, each at most
// maxBytes, and the names of all its top-level streams (an EncryptedPackage is told by its
// name, not read). Streams of embedded objects, below the root, are not looked at.
func Streams(data []byte, want []string, maxBytes int64) (streams map[string][]byte, names []string, err error) {
	r, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, nil, ErrNotCompound
	}
	streams = map[string][]byte{}
	for {
		f, err := r.Next()
		if err == io.EOF {
			return streams, names, nil
		}
		if err != nil {
			return nil, nil, ErrDamaged
		}
		if len(f.Path) > 0 {
			continue
		}
		names = append(names, f.Name)
		if !slices.Contains(want, f.Name) {
			continue
		}
		if f.Size > maxBytes {
			return nil, nil, &TooLargeError{Stream: f.Name, Max: maxBytes}
		}
		b, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
		if err != nil || int64(len(b)) > maxBytes {
			return nil, nil, ErrDamaged
		}
		streams[f.Name] = b
	}
}
