package draw

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/choucha/choucha/ledger"
)

// CheckEntry checks a ledger draw entry the way export checks a manifest before anything is
// published: the manifest is valid (every drawn firm's ticket re-derived from the seed, the
// counts within their strata, the recorded frame against its hash and each drawn firm's
// class in it), and it agrees with what the entry chains beside it — task, round, year, seed
// and the drawn keys. ledger.VerifyOptions.Draw takes it, so `ledger verify` accepts no
// entry that `export` or `replay` would call altered.
//
// frame is the frame the ledger stores for the entry (nil when the manifest carries it
// inline): each drawn firm's class is checked in it.
func CheckEntry(e ledger.Entry, frame []byte) error {
	var m *Manifest
	var err error
	name := fmt.Sprintf("台账第 %d 条", e.ID)
	if frame != nil {
		m, err = parseWithFrame(e.Manifest, frame, name)
	} else {
		m, err = ParseManifest(e.Manifest, name)
	}
	if err != nil {
		return err
	}
	switch {
	case m.Task != e.Task || m.Round != e.Round || m.Seed != e.Seed:
		return fmt.Errorf("抽取清单的任务、轮次或种子（%s 第%d轮，%s）与条目（%s 第%d轮，%s）不符", m.Task, m.Round, m.Seed, e.Task, e.Round, e.Seed)
	case m.Year != 0 && m.Year != e.Year:
		return fmt.Errorf("抽取清单的年度 %d 与条目的年度 %d 不符", m.Year, e.Year)
	}
	keys := slices.Clone(e.Keys)
	slices.Sort(keys)
	if !slices.Equal(keys, m.DrawnKeys()) {
		return fmt.Errorf("条目记录的抽中企业（%d 户）与抽取清单（%d 户）不符", len(e.Keys), len(m.Selected))
	}
	return nil
}

// parseWithFrame is ParseManifest for a manifest whose frame the ledger stores apart.
func parseWithFrame(b, frame []byte, name string) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("抽取记录 %s 无法读取：%s", name, jsonProblem(err))
	}
	if m.Frame == nil {
		m.Frame = strings.Split(strings.TrimSuffix(string(frame), "\n"), "\n")
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("抽取记录 %s 不完整或已被改动：%w", name, err)
	}
	return &m, nil
}
