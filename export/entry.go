package export

import (
	"github.com/choucha/choucha/draw"
	"github.com/choucha/choucha/ledger"
)

// ParseEntry is ParseManifest for a ledger draw entry (draw.EntryManifest: a manifest stored
// with its drawn-firm list apart, ledger version 3, is expanded first).
func ParseEntry(e ledger.Entry, name string) (*draw.Manifest, error) {
	return draw.EntryManifest(e, name)
}
