package risk

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"github.com/choucha/choucha/internal/yamltext"
	"io"
	"math/big"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed policy.yaml
var defaultPolicyYAML []byte

// PolicyVersion is the only policy file version this build understands.
const PolicyVersion = 1

// Classes are the credit-risk classes in order of increasing risk.
var Classes = []string{"A", "B", "C", "D"}

// DefaultPolicyYAML returns the embedded policy file (risk/policy.yaml), comments included.
func DefaultPolicyYAML() []byte { return bytes.Clone(defaultPolicyYAML) }

// DefaultPolicy is the embedded policy (risk/policy.yaml): A×1, B×1.5, C×2, D×3, team 2+1, 5 reserves.
func DefaultPolicy() Policy {
	p, err := LoadPolicy(bytes.NewReader(defaultPolicyYAML), "内置策略 risk/policy.yaml")
	if err != nil {
		// The embedded file is part of the program and is checked by the tests.
		panic(err)
	}
	return p
}

// policyFile mirrors Policy with pointers, so that a missing key is told apart from zero.
type policyFile struct {
	Version     *int              `yaml:"version"`
	Multipliers map[string]string `yaml:"multipliers"`
	Team        *struct {
		Initiator  *int `yaml:"initiator"`
		Cooperator *int `yaml:"cooperator"`
		Minimum    *int `yaml:"minimum"`
	} `yaml:"team"`
	Reserves  *int           `yaml:"reserves"`
	YearlyCap map[string]int `yaml:"yearly_cap"`
}

// LoadPolicy reads and validates a policy YAML; name is used in messages.
//
// Every key except yearly_cap is required; unknown keys are refused. Multipliers are given
// for exactly the classes A–D as decimal strings, each ≥ 1, strictly increasing from A to D;
// they are returned in canonical decimal form. Team sizes are ≥ 0 with minimum ≥ 2;
// reserves ≥ 0; yearly caps, when present, name classes A–D with values ≥ 1.
func LoadPolicy(r io.Reader, name string) (Policy, error) {
	fail := func(format string, args ...any) (Policy, error) {
		return Policy{}, fmt.Errorf("策略文件 %s: %s", name, fmt.Sprintf(format, args...))
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return fail("读取失败: %v", err)
	}
	var f policyFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return fail("文件为空")
		}
		return fail("不是有效的策略 YAML：%s", yamltext.Detail(err))
	}
	switch {
	case f.Version == nil:
		return fail("缺少 version（应为 %d）", PolicyVersion)
	case *f.Version != PolicyVersion:
		return fail("version 为 %d，本程序只支持 %d", *f.Version, PolicyVersion)
	case f.Multipliers == nil:
		return fail("缺少 multipliers（A、B、C、D 四类的递加倍数）")
	case f.Team == nil:
		return fail("缺少 team（initiator、cooperator、minimum）")
	case f.Team.Initiator == nil:
		return fail("缺少 team.initiator（发起部门每户人数）")
	case f.Team.Cooperator == nil:
		return fail("缺少 team.cooperator（每个配合部门每户人数）")
	case f.Team.Minimum == nil:
		return fail("缺少 team.minimum（每户检查人员总数下限）")
	case f.Reserves == nil:
		return fail("缺少 reserves（每层备选户数）")
	}
	p := Policy{
		Version:     *f.Version,
		Multipliers: map[string]string{},
		Team:        Team{Initiator: *f.Team.Initiator, Cooperator: *f.Team.Cooperator, Minimum: *f.Team.Minimum},
		Reserves:    *f.Reserves,
	}
	for _, k := range sortedKeys(f.Multipliers) {
		if !isClass(k) {
			return fail("multipliers 中的分类 %q 无效（只能是 A、B、C、D）", k)
		}
	}
	var prev *big.Rat
	for _, c := range Classes {
		s, ok := f.Multipliers[c]
		if !ok {
			return fail("multipliers 缺少 %s 类的倍数", c)
		}
		m, err := parseDecimal(strings.TrimSpace(s))
		if err != nil {
			return fail("multipliers.%s 的值 %q 不是十进制数（应如 \"1.5\"）", c, s)
		}
		if m.Cmp(one) < 0 {
			return fail("multipliers.%s 为 %s，小于 1：分类比例不得低于计划比例", c, s)
		}
		if prev != nil && m.Cmp(prev) <= 0 {
			return fail("multipliers 须逐类递加（A < B < C < D），%s 类的 %s 不大于前一类", c, s)
		}
		prev = m
		p.Multipliers[c], _ = formatDecimal(m)
	}
	switch {
	case p.Team.Initiator < 0:
		return fail("team.initiator 为 %d，不能为负数", p.Team.Initiator)
	case p.Team.Cooperator < 0:
		return fail("team.cooperator 为 %d，不能为负数", p.Team.Cooperator)
	case p.Team.Minimum < 2:
		return fail("team.minimum 为 %d，每户检查人员不得少于 2 人（行政处罚法第四十二条）", p.Team.Minimum)
	case p.Reserves < 0:
		return fail("reserves 为 %d，不能为负数", p.Reserves)
	}
	if f.YearlyCap != nil {
		p.YearlyCap = map[string]int{}
		for _, k := range sortedKeys(f.YearlyCap) {
			v := f.YearlyCap[k]
			if !isClass(k) {
				return fail("yearly_cap 中的分类 %q 无效（只能是 A、B、C、D）", k)
			}
			if v < 1 {
				return fail("yearly_cap.%s 为 %d，每年上限至少为 1（不设上限请删去该项）", k, v)
			}
			p.YearlyCap[k] = v
		}
	}
	return p, nil
}

// YAML renders the policy as a policy file that LoadPolicy reads back to the same policy.
func (p Policy) YAML() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func isClass(c string) bool {
	for _, k := range Classes {
		if c == k {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
