// Package dept matches the department names of a plan (沁县市场监管局价监股, 县市场局) to the
// names of an inspector roster (沁县市场监督管理局), through an embedded synonym table.
package dept

import "io"

// STUB: the dept helper replaces this file with the real implementation (same signatures).

// Map is a department synonym table.
type Map struct{}

// DefaultMap is the embedded synonym table (dept/synonyms.yaml).
func DefaultMap() Map { panic("stub") }

// LoadMap reads a synonym table YAML; name is used in messages.
func LoadMap(r io.Reader, name string) (Map, error) { panic("stub") }

// Match finds the roster department that a plan department name means, among the given
// roster department names; ok is false when none matches.
func (m Map) Match(planName string, rosterDepts []string) (match string, ok bool) { panic("stub") }
