package draw

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/sampler"
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
	name := fmt.Sprintf("台账第 %d 条", e.ID)
	m, err := entryManifest(e, name, true)
	if err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("抽取记录 %s 不完整或已被改动：%w", name, err)
	}
	if frame == nil && m.Frame != nil {
		frame = LinesBytes(m.Frame) // checked against frame_sha256 by Validate
	}
	if frame != nil {
		if c := m.Roster.FrameCommitment; c != "" && m.Frame == nil && FrameCommitment(m.Roster.FrameSalt, frame) != c {
			return fmt.Errorf("抽取记录 %s 不完整或已被改动：记录的抽样框与公布的抽样框承诺值（frame_commitment）不符", name)
		}
		if err := Rederive(m, frame); err != nil {
			return fmt.Errorf("抽取记录 %s 不完整或已被改动：%w", name, err)
		}
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

// Rederive draws again, CHOUCHA-SAMPLE-v1 over the recorded frame (lines "<key>|<class>\n"),
// with the manifest's seed, task, round, strata, minimum count, reserves and earlier-round
// keys, and checks that the recorded list is that draw: the same firms in the same order with
// the same classes, tickets, ranks and repeat marks, the same reserves and the same exclusion
// counts. Only what the ledger holds is used — no roster, no plan file — so `ledger verify`
// finds a list that does not follow from its seed even where the ledger stores no tickets.
func Rederive(m *Manifest, frame []byte) error {
	units := make([]sampler.Unit, 0, bytes.Count(frame, []byte{'\n'}))
	for rest := frame; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		i := bytes.LastIndexByte(line, '|')
		if i < 0 {
			return errors.New("记录的抽样框有一行不是“代码|分类”")
		}
		units = append(units, sampler.Unit{Key: string(line[:i]), Class: string(line[i+1:])})
	}
	strata := make([]risk.Stratum, len(m.Strata))
	allIn := len(strata) > 0
	for i, s := range m.Strata {
		strata[i] = risk.Stratum{Class: s.Class, N: s.N, Ratio: s.Ratio, Count: s.Count}
		allIn = allIn && s.Ratio == "100"
	}
	earlier := make(map[string]bool, len(m.Earlier))
	for _, k := range m.Earlier {
		earlier[k] = true
	}
	res, err := sampler.Draw(sampler.Spec{
		Seed: m.Seed, TaskKey: m.Task, Round: m.Round, Strata: strata,
		MinCount: m.TaskInfo.Ratio.MinCount, Reserves: m.Policy.Reserves, Earlier: earlier, AllIn: allIn,
	}, units)
	if err != nil {
		return fmt.Errorf("按记录的抽样框重新抽取失败：%w", err)
	}
	for i, s := range res.Strata {
		if s.Excluded != m.Strata[i].Excluded {
			return fmt.Errorf("分层 %s 的前轮排除户数（记录 %d）与重新抽取（%d）不符", s.Class, m.Strata[i].Excluded, s.Excluded)
		}
	}
	if len(res.Selected) != len(m.Selected) {
		return fmt.Errorf("抽中 %d 户，按记录的抽样框和种子重新抽取为 %d 户", len(m.Selected), len(res.Selected))
	}
	for i, p := range res.Selected {
		s := m.Selected[i]
		switch {
		case s.Key != p.Key:
			return fmt.Errorf("第 %d 户是 %s，按记录的抽样框和种子重新抽取应为 %s：名单与种子不符", i+1, s.Key, p.Key)
		case s.Class != p.Class:
			return fmt.Errorf("第 %d 户 %s 分类不符：记录为 %s，抽样框中为 %s", i+1, s.Key, s.Class, p.Class)
		case s.Ticket != p.Ticket || s.Rank != p.Rank || s.Repeat != p.Repeat:
			return fmt.Errorf("第 %d 户 %s 的签号、位次或重复标记与按记录的抽样框重新抽取的不符", i+1, s.Key)
		}
	}
	if len(res.Reserves) != len(m.Reserves) {
		return fmt.Errorf("备选 %d 户，按记录的抽样框和种子重新抽取为 %d 户", len(m.Reserves), len(res.Reserves))
	}
	for i, p := range res.Reserves {
		r := m.Reserves[i]
		if r.Key != p.Key || r.Class != p.Class || r.Ticket != p.Ticket || r.Rank != p.Rank {
			return fmt.Errorf("备选第 %d 户（%s）与按记录的抽样框和种子重新抽取的结果（%s）不符", i+1, r.Key, p.Key)
		}
	}
	return nil
}
