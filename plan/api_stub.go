package plan

import (
	"io"
	"time"
)

// STUB: the plan helper replaces this file with the real implementation (same signatures).

// Embedded returns the compiled-in 2026 Changzhi plan (ID "CZ2026").
func Embedded() (*Plan, error) { panic("stub") }

// Load reads a plan from a .txt/.tsv (tab-separated text) or .xlsx file; id "" derives one.
func Load(path, id string) (*Plan, error) { panic("stub") }

// Parse reads a plan in tab-separated text form; name is used in messages.
func Parse(r io.Reader, name, id string) (*Plan, error) { panic("stub") }

// Task returns the task with the given 序号, or an error suggesting `plan list`.
func (p *Plan) Task(seq int) (*Task, error) { panic("stub") }

// Year is the plan's year (from its title; 2026 for the embedded plan).
func (p *Plan) Year() int { panic("stub") }

// ParseRatio parses a 抽查比例及频次 cell.
func ParseRatio(s string) (Ratio, error) { panic("stub") }

// Describe says the ratio in Chinese words.
func (r Ratio) Describe() string { panic("stub") }

// Departments returns the initiator followed by the cooperators, in plan order.
func (t *Task) Departments() []string { panic("stub") }

// LastDay is the last day of the window in the given year (UTC midnight).
func (w Window) LastDay(year int) time.Time { panic("stub") }

// FirstDay is the first day of the window in the given year (UTC midnight).
func (w Window) FirstDay(year int) time.Time { panic("stub") }
