package export

import (
	"slices"
	"strings"
	"testing"

	"github.com/choucha/choucha/sampler"
)

func TestBureaus(t *testing.T) {
	m := testManifest(t, false)
	for _, c := range []struct {
		initiator   string
		cooperators []string
		wantIni     string
		wantParts   []string
	}{
		// issue 16: the notice was signed by a section of the bureau.
		{"沁县市场监管局价监股", []string{"沁县住建局"}, "沁县市场监督管理局", []string{"沁县住房和城乡建设局"}},
		{"县市场局", []string{"县住建局", "县市场监管局"}, "沁县市场监督管理局", []string{"沁县住房和城乡建设局"}}, // once each
		{"沁县市场监管局", nil, "沁县市场监督管理局", nil},
		{"", []string{"沁县住建局"}, "", []string{"沁县住房和城乡建设局"}},
	} {
		m.TaskInfo.Initiator, m.TaskInfo.Cooperators = c.initiator, c.cooperators
		ini, parts := Bureaus(m, nil)
		if ini != c.wantIni || !slices.Equal(parts, c.wantParts) {
			t.Errorf("%q %q: %q %q, want %q %q", c.initiator, c.cooperators, ini, parts, c.wantIni, c.wantParts)
		}
	}
	// With inspectors, the roster's own name of the bureau wins (沁县住房和城乡建设管理局).
	m.TaskInfo.Initiator, m.TaskInfo.Cooperators = "沁县市场监管局价监股", []string{"沁县住建局"}
	m.Assignments = []sampler.Team{{Key: m.Selected[0].Key, Team: []sampler.Member{
		{ID: "1", Name: "甲", Dept: "沁县市场监督管理局"}, {ID: "2", Name: "乙", Dept: "沁县住房和城乡建设管理局"}}}}
	if ini, parts := Bureaus(m, nil); ini != "沁县市场监督管理局" || !slices.Equal(parts, []string{"沁县住房和城乡建设管理局"}) {
		t.Errorf("with roster: %q %q", ini, parts)
	}
	// Teams from one section of the bureau (the roster lists its people by section): the
	// notice is still the bureau's; an office the table does not know keeps its own name.
	m.Assignments = []sampler.Team{{Key: m.Selected[0].Key, Team: []sampler.Member{
		{ID: "1", Name: "甲", Dept: "沁县市场监督管理局执法大队"}, {ID: "2", Name: "乙", Dept: "沁县住房和城乡建设管理局"}}}}
	if ini, parts := Bureaus(m, nil); ini != "沁县市场监督管理局" || !slices.Equal(parts, []string{"沁县住房和城乡建设管理局"}) {
		t.Errorf("teams from one section: %q %q", ini, parts)
	}
	// Teams from two sub-units of the bureau (a cells entry named them), or from the bureau
	// written two ways: the notice is the bureau's, not the sub-unit whose name sorts first.
	for _, depts := range [][2]string{{"沁县市场监督管理局执法大队", "沁县市场监督管理局城关所"}, {"沁县市场监管局", "沁县市场监督管理局"}} {
		m.Assignments = []sampler.Team{{Key: m.Selected[0].Key, Team: []sampler.Member{
			{ID: "1", Name: "甲", Dept: depts[0]}, {ID: "2", Name: "乙", Dept: depts[1]}, {ID: "3", Name: "丙", Dept: "沁县住房和城乡建设管理局"}}}}
		if ini, parts := Bureaus(m, nil); ini != "沁县市场监督管理局" || !slices.Equal(parts, []string{"沁县住房和城乡建设管理局"}) {
			t.Errorf("teams from %q: %q %q", depts, ini, parts)
		}
	}
}

// 抽查对象范围 never repeats 抽查事项 (issue 16: task 292's plan row has the same text in both).
func TestScopeNotRepeated(t *testing.T) {
	m := testManifest(t, false)
	m.TaskInfo.Items = "房地产市场明码标价监督执法检查"
	m.TaskInfo.Scopes = []string{"房地产市场明码标价监督执法检查"}
	facts := AnnouncementFacts(m, Options{})
	values := map[string]string{}
	for _, f := range facts {
		if prev, dup := values[f.Value]; dup {
			t.Errorf("fields %s and %s both say %q", prev, f.Label, f.Value)
		}
		values[f.Value] = f.Label
	}
	if got := scopeText(m); !strings.Contains(got, "沁县") || !strings.Contains(got, "可抽取38户") {
		t.Errorf("scope %q", got)
	}
	m.TaskInfo.Scopes = []string{"辖区内房地产开发企业"}
	if got := scopeText(m); got != "辖区内房地产开发企业" {
		t.Errorf("a real scope is kept: %q", got)
	}
}
