// Package export writes what a draw produces for the field team and the public (一公开):
// Excel-safe CSV (BOM or GBK, formula-injection guard) and XLSX lists, the announcement,
// the result-entry template and per-inspector task sheets. Every file is written to a temp
// file and renamed into place.
package export

import (
	"io"

	"github.com/choucha/choucha/draw"
)

// STUB: the export helper replaces this file with the real implementation (same signatures).

// WriteFileAtomic writes path through a temp file in the same folder and renames it into
// place; on any error (or a panic in write) the temp file is removed and path is untouched.
func WriteFileAtomic(path string, write func(w io.Writer) error) error { panic("stub") }

// WriteDraw writes a draw's folder: manifest.json, 抽查名单.csv and 抽查名单.xlsx (with a 说明
// sheet and, when the draw has assignments, the teams and one 检查任务单 sheet per
// inspector). The folder is built under a temp name and renamed to dir, which must not exist.
func WriteDraw(dir string, m *draw.Manifest) error { panic("stub") }

// LoadDraw reads manifest.json from a draw folder (or the manifest file itself).
func LoadDraw(path string) (*draw.Manifest, error) { panic("stub") }
