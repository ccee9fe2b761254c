package draw

import (
	"fmt"
	"slices"

	"github.com/choucha/choucha/ledger"
)

// CheckEntry checks a ledger draw entry the way export checks a manifest before anything is
// published: the manifest is valid (every drawn firm's ticket re-derived from the seed, the
// counts within their strata, the recorded frame against its hash and each drawn firm's
// class in it), and it agrees with what the entry chains beside it — task, round, year, seed
// and the drawn keys. ledger.VerifyOptions.Draw takes it, so `ledger verify` accepts no
// entry that `export` or `replay` would call altered.
func CheckEntry(e ledger.Entry) error {
	m, err := ParseManifest(e.Manifest, fmt.Sprintf("台账第 %d 条", e.ID))
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
