package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/risk"
	"github.com/choucha/choucha/roster"
)

type pageTemplate struct{ t *template.Template }

var funcs = template.FuncMap{
	"classLabel": classLabel,
	"short": func(s string) string {
		if len(s) > 12 {
			return s[:12]
		}
		return s
	},
	"inc":  func(i int) int { return i + 1 },
	"join": strings.Join,
	"q":    url.QueryEscape,
	// qs marks a query the server built with url.Values.Encode as safe to put after "?".
	"qs": func(s string) template.URL { return template.URL(s) },
	"digits": func(s string) []string {
		out := make([]string, 0, len(s))
		for _, r := range s {
			out = append(out, string(r))
		}
		return out
	},
	"levelText": levelText,
	"taskRef":   taskRef,
	"page":      pageText,
	"taskPath":  taskURL,
	"first":     func(n int, is []roster.Issue) []roster.Issue { return is[:min(n, len(is))] },
	"roleText": func(r string) string {
		if r == "initiator" {
			return "发起"
		}
		return "配合"
	},
}

func levelText(l string) string {
	switch l {
	case roster.LevelError:
		return "排除"
	case roster.LevelWarning:
		return "保留，请核对"
	case roster.LevelInfo:
		return "说明"
	}
	return l
}

func classLabel(c string) string {
	if c == risk.StratumAll {
		return "全部"
	}
	return c + "类"
}

// parsePages parses each page template together with the layout; server adds the functions
// that depend on the server's configuration (localTime: the --tz zone).
func parsePages(server template.FuncMap) (map[string]*pageTemplate, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*pageTemplate{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).Funcs(server).ParseFS(assets, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("模板 %s: %w", base, err)
		}
		out[strings.TrimSuffix(base, ".html")] = &pageTemplate{t: t}
	}
	return out, nil
}

// view is what every page gets: its own data plus the layout's.
type view struct {
	Title    string
	CSRF     string
	Nav      string // which menu item is active
	Wide     bool   // full-screen layout (the ceremony)
	Error    string // an error message shown at the top
	Hint     string
	Notice   string // a success message
	Operator string
	Data     any
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	pt := s.pages[page]
	if pt == nil {
		http.Error(w, "no page "+page, http.StatusInternalServerError)
		return
	}
	v.CSRF = s.csrf
	if v.Operator == "" {
		v.Operator = s.cfg.Operator
	}
	var buf bytes.Buffer
	if err := pt.t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.cfg.Logf("choucha serve: 页面 %s: %v", page, err)
		http.Error(w, "页面出错："+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows an error page with the message (and hint) the CLI would print.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	msg, hint := errorText(err)
	s.render(w, r, status, "error", view{Title: "出错了", Error: msg, Hint: hint})
}

// errorText splits an error into its message and the hint the CLI prints after it.
func errorText(err error) (msg, hint string) {
	if err == nil {
		return "", ""
	}
	return pageText(err.Error()), pageText(apperr.HintOf(err))
}

func withHint(err error, hint string) error { return apperr.Hint(err, hint) }
