package roster

import (
	"context"
	"time"
)

// STUB: the roster helper replaces this file with the real implementation (same signatures).

// Options control reading a roster.
type Options struct {
	Sheet    string         // xlsx sheet name; "" = first sheet
	District string         // when set, firms of other districts are left out (info other_district)
	Progress func(rows int) // called now and then with the data rows read so far; may be nil
}

// ReadFirms reads a firm roster (.xlsx or .csv) into the sampling frame and a report of
// every row's problems. An error means the file as a whole could not be read.
func ReadFirms(ctx context.Context, path string, opt Options) (*Frame, *Report, error) {
	panic("stub")
}

// FrameHash is frame_sha256: SHA-256 of "<key>|<class>\n" lines of the firms sorted by key.
func FrameHash(firms []Firm) string { panic("stub") }

// CanonicalKey is the canonical form of a firm identifier: NFKC, whitespace removed, upper case.
func CanonicalKey(s string) string { panic("stub") }

// ReadInspectors reads an inspector roster (.xlsx or .csv).
func ReadInspectors(ctx context.Context, path string, opt Options) ([]Inspector, *Report, error) {
	panic("stub")
}

// EligibleOn says whether the inspector may inspect on day (在岗 and certificate valid),
// and if not, why (Chinese).
func (in Inspector) EligibleOn(day time.Time) (bool, string) { panic("stub") }
