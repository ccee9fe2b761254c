package draw

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
	"github.com/choucha/choucha/sampler"
)

// ParseManifest decodes a manifest (manifest.json, or a ledger entry's manifest) and checks
// it with Validate; name says where it came from, in messages.
func ParseManifest(b []byte, name string) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("抽取记录 %s 无法读取：%s", name, jsonProblem(err))
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("抽取记录 %s 不完整或已被改动：%w", name, err)
	}
	return &m, nil
}

func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("不是完整的 JSON（第 %d 字节附近）", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("字段 %s 的类型不对（应为 %s）", typ.Field, typ.Type)
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		return "文件在中途结束，不是完整的 JSON"
	}
	return err.Error()
}

// Validate checks that a manifest is one this version can stand behind: a known spec, a valid
// seed and round, and a list that follows from them — every drawn firm's ticket recomputed
// from the seed, counts within their strata, and, when the frame is recorded, the frame's
// hash and each drawn firm's class in it. Exports check it before anything is published, so
// a hand-edited manifest.json cannot be passed off as a draw.
func (m *Manifest) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if m.List != nil {
		add("抽取清单是台账中的存储形式（list），须与其抽中企业名单一起读取")
	}
	if m.Spec != sampler.SampleSpec {
		add("抽样算法“%s”不是本版本的 %s", m.Spec, sampler.SampleSpec)
	}
	if s, err := sampler.NormalizeSeed(m.Seed); err != nil || s != m.Seed {
		add("种子“%s”无效", m.Seed)
	}
	if m.Round < 1 {
		add("轮次 %d 无效", m.Round)
	}
	if m.Task == "" || m.TaskInfo.Key != m.Task {
		add("任务编号“%s”与任务内容（%s）不符", m.Task, m.TaskInfo.Key)
	}
	total, frameN := 0, 0
	for _, s := range m.Strata {
		if s.Count < 0 || s.Count > s.N {
			add("分层 %s 的抽取户数 %d 不在 0 到 %d 之间", s.Class, s.Count, s.N)
		}
		total += s.Count
		frameN += s.N
	}
	if len(m.Selected) < total || len(m.Selected) > frameN {
		add("抽中 %d 户，与分层应抽 %d 户（名录 %d 户）不符", len(m.Selected), total, frameN)
	}
	var classOf map[string]string
	if len(m.Frame) > 0 {
		classOf = make(map[string]string, len(m.Frame))
		for _, line := range m.Frame {
			if i := strings.LastIndexByte(line, '|'); i >= 0 {
				classOf[line[:i]] = line[i+1:]
			}
		}
		if roster.HashFrameLines(m.Frame) != m.Roster.FrameSHA256 {
			add("记录的抽样框与 frame_sha256 不符")
		}
		if m.Roster.FrameCommitment != "" && FrameCommitment(m.Roster.FrameSalt, LinesBytes(m.Frame)) != m.Roster.FrameCommitment {
			add("记录的抽样框与公布的抽样框承诺值（frame_commitment）不符")
		}
	}
	strata := map[string]bool{}
	for _, s := range m.Strata {
		strata[s.Class] = true
	}
	classOK := func(c string) bool {
		if strata[risk.StratumAll] {
			return c == roster.ClassA || c == roster.ClassB || c == roster.ClassC || c == roster.ClassD
		}
		return strata[c]
	}
	seen := make(map[string]bool, len(m.Selected))
	for i, s := range m.Selected {
		switch {
		case !classOK(s.Class):
			add("第 %d 户 %s 的分类“%s”与分层分类不符", i+1, s.Key, s.Class)
		case seen[s.Key]:
			add("第 %d 户 %s 重复", i+1, s.Key)
		case s.Ticket != sampler.Ticket(m.Seed, m.Task, m.Round, s.Key):
			add("第 %d 户 %s 的签号与种子、任务、轮次算出的不符", i+1, s.Key)
		case classOf != nil && classOf[s.Key] != s.Class:
			add("第 %d 户 %s 不在记录的抽样框中，或分类不符", i+1, s.Key)
		}
		seen[s.Key] = true
		if len(problems) > 5 {
			break
		}
	}
	for _, a := range m.Assignments {
		if !seen[a.Key] {
			add("检查组分给了未抽中的 %s", a.Key)
			break
		}
	}
	if len(problems) == 0 {
		return nil
	}
	if len(problems) > 5 {
		problems = append(problems[:5], "……")
	}
	return errors.New(strings.Join(problems, "；"))
}
