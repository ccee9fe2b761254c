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

// MatchIn is Match with the task's district: among several candidates, the roster department
// of the same district is preferred.
func (m Map) MatchIn(planName, district string, rosterDepts []string) (match string, ok bool) {
	panic("stub")
}

// Split expands a plan cell naming several departments with a shared suffix
// (潞州区市场监管、税务、交通运输局 → 潞州区市场监管局, 税务局, 交通运输局) into single names;
// a single name comes back as itself.
func Split(cell string) []string { panic("stub") }
