// Package web is `choucha serve`: a local web page a clerk runs a whole draw from — plan,
// rosters, the witnessed draw on a projector, lock, the ledger, replay and the exports.
//
// The page holds no rule of its own: plans are read by plan, rosters by roster, the draw is
// recorded by the draw package's one call, the ledger is the ledger package and every file
// comes from export. The server adds only what a browser needs: forms, uploads kept under
// names it chooses, a token and CSRF checks, and the reveal of a list computed once.
package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/choucha/choucha/dept"
	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/ledger"
	"github.com/choucha/choucha/plan"
)

//go:embed templates/*.html static/*
var assets embed.FS

// DefaultMaxUpload is the size limit of one upload: a one-million-row roster xlsx is about
// 60 MB, its CSV about 200 MB.
const DefaultMaxUpload = 256 << 20

// Config is what `choucha serve` is started with.
type Config struct {
	DB          string         // ledger file
	OutDir      string         // folder the draw folders are written under ("draws")
	Location    *time.Location // time zone of the draw folders' names (UTC when nil) and of times shown (Beijing when nil)
	Plan        *plan.Plan     // the plan shown first (the embedded plan when nil)
	Token       string         // required on every request when non-empty
	MaxUpload   int64          // bytes per request; DefaultMaxUpload when 0
	ToolVersion string
	Operator    string // operator proposed in the forms (the OS user)
	// Depts matches plan departments to inspector roster departments (serve --dept-map);
	// dept.DefaultMap when nil.
	Depts *dept.Map
	Logf  func(format string, args ...any)
	// Now is the clock of draws (tests fix it); time.Now when nil.
	Now func() time.Time
}

// Server is the web application. Create it with New; its Handler serves the page.
type Server struct {
	cfg     Config
	csrf    string
	pages   map[string]*pageTemplate
	uploads *uploadStore

	mu      sync.Mutex
	plans   map[string]*plan.Plan // by plan ID
	planIDs []string              // in load order; the first is the default
	led     *ledger.Ledger
	rounds  map[string]*sync.Mutex // one per task round: a draw and its staleness check
	results map[int64]*drawNote    // what a draw told its operator, by ledger ID (this run only)
}

// New prepares a server; Close removes its uploads.
func New(cfg Config) (*Server, error) {
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	if cfg.DB == "" {
		cfg.DB = "choucha.db"
	}
	if cfg.OutDir == "" {
		cfg.OutDir = "draws"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	if cfg.Operator == "" {
		cfg.Operator = "未知用户"
	}
	p := cfg.Plan
	if p == nil {
		var err error
		if p, err = plan.Embedded(); err != nil {
			return nil, err
		}
	}
	up, err := newUploadStore()
	if err != nil {
		return nil, err
	}
	pages, err := parsePages(template.FuncMap{
		// Stored times are UTC; the page shows them in the --tz zone, as the CLI's tables do.
		"localTime": func(stored string) string { return export.LocalTime(cfg.Location, stored) },
	})
	if err != nil {
		up.close()
		return nil, err
	}
	s := &Server{
		cfg: cfg, csrf: RandomToken(), pages: pages, uploads: up,
		plans: map[string]*plan.Plan{}, rounds: map[string]*sync.Mutex{}, results: map[int64]*drawNote{},
	}
	s.addPlan(p)
	return s, nil
}

// Close closes the ledger and removes every upload.
func (s *Server) Close() error {
	s.mu.Lock()
	l := s.led
	s.led = nil
	s.mu.Unlock()
	s.uploads.close()
	if l != nil {
		return l.Close()
	}
	return nil
}

// RandomToken returns 32 random hex digits.
func RandomToken() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(b)
}

// IsLoopback reports whether a listen address binds only to this machine.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Running reports whether a choucha page without a token already answers at addr (a second
// double-click of choucha.exe then only opens the browser).
func Running(addr string) bool {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://" + addr + "/static/app.js")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return resp.StatusCode == http.StatusOK && strings.Contains(string(b), "choucha serve")
}

// Serve runs the server on addr until ctx ends; ready (when non-nil) gets the URL to open.
func (s *Server) Serve(ctx context.Context, addr string, ready func(url string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("无法在 %s 上监听: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	// Request bodies too large for memory are spooled by mime/multipart to files in the
	// process's temp folder ($TMPDIR): pointing it into the upload folder for as long as the
	// server runs keeps them, too, where a killed server's leftovers are removed by the next
	// start (newUploadStore).
	oldTmp, hadTmp := os.LookupEnv("TMPDIR")
	_ = os.Setenv("TMPDIR", filepath.Join(s.uploads.dir, multipartDir))
	defer func() {
		if hadTmp {
			_ = os.Setenv("TMPDIR", oldTmp)
		} else {
			_ = os.Unsetenv("TMPDIR")
		}
	}()
	sweep := time.NewTicker(10 * time.Minute)
	defer sweep.Stop()
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-sweep.C:
				s.uploads.sweep(uploadTTL)
			}
		}
	}()
	if ready != nil {
		url := "http://" + reachable(ln.Addr()) + "/"
		if s.cfg.Token != "" {
			url += "?token=" + s.cfg.Token
		}
		ready(url)
	}
	err = srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Handler is the whole application with its safety wrapping.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))

	mux.HandleFunc("GET /{$}", s.handlePlanList)
	mux.HandleFunc("GET /plans", s.handlePlans)
	mux.HandleFunc("POST /plans", s.handlePlanUpload)
	mux.HandleFunc("GET /plan/{plan}/task/{seq}", s.handleTask)
	mux.HandleFunc("POST /plan/{plan}/task/{seq}/rosters", s.handleRosterUpload)
	mux.HandleFunc("GET /plan/{plan}/task/{seq}/check", s.handleCheck)
	mux.HandleFunc("GET /plan/{plan}/task/{seq}/issues.csv", s.handleIssues)
	mux.HandleFunc("GET /plan/{plan}/task/{seq}/ceremony", s.handleCeremony)
	mux.HandleFunc("POST /plan/{plan}/task/{seq}/draw", s.handleDraw)

	mux.HandleFunc("GET /ledger", s.handleLedgerList)
	mux.HandleFunc("GET /ledger/verify", s.handleVerify)
	mux.HandleFunc("GET /entry/{id}", s.handleEntry)
	mux.HandleFunc("POST /entry/{id}/lock", s.handleLock)
	mux.HandleFunc("GET /entry/{id}/notice", s.handleNotice)
	mux.HandleFunc("GET /entry/{id}/file/{name}", s.handleFile)
	mux.HandleFunc("GET /entry/{id}/replay", s.handleReplayForm)
	mux.HandleFunc("POST /entry/{id}/replay", s.handleReplay)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, errors.New("没有这个页面"))
	})
	return s.guard(mux)
}

// guard wraps every request: the Host check (a page of another site that has renamed itself
// to 127.0.0.1 cannot talk to us), the access token, the CSRF token of state-changing
// requests, the size limit, and the security headers.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")

		if s.cfg.Token == "" && !loopbackHost(r.Host) {
			s.fail(w, r, http.StatusForbidden, fmt.Errorf("只接受本机地址（127.0.0.1、localhost）的访问，而不是“%s”", r.Host))
			return
		}
		if s.cfg.Token != "" {
			if q := r.URL.Query().Get("token"); q != "" && r.Method == http.MethodGet {
				if !equal(q, s.cfg.Token) {
					s.fail(w, r, http.StatusForbidden, errors.New("访问令牌不对"))
					return
				}
				http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: s.cfg.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
				u := *r.URL
				q := u.Query()
				q.Del("token")
				u.RawQuery = q.Encode()
				http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
				return
			}
			if !s.hasToken(r) {
				s.fail(w, r, http.StatusUnauthorized, errors.New("缺少访问令牌：请用 choucha serve 启动时显示的完整地址（含 ?token=…）打开本页"))
				return
			}
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
			if o := r.Header.Get("Origin"); o != "" && o != "null" && !strings.EqualFold(strings.TrimPrefix(strings.TrimPrefix(o, "http://"), "https://"), r.Host) {
				s.fail(w, r, http.StatusForbidden, fmt.Errorf("拒绝来自其他网页（%s）的提交", o))
				return
			}
			if !equal(s.formCSRF(w, r), s.csrf) {
				if errors.Is(s.parseErr(r), errTooLarge) {
					s.fail(w, r, http.StatusRequestEntityTooLarge, s.tooLarge())
					return
				}
				s.fail(w, r, http.StatusForbidden, errors.New("表单已过期或不是本页提交的（CSRF 校验未通过）：请刷新页面后重新提交"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

const tokenCookie = "choucha_token"

func (s *Server) hasToken(r *http.Request) bool {
	if c, err := r.Cookie(tokenCookie); err == nil && equal(c.Value, s.cfg.Token) {
		return true
	}
	if h := r.Header.Get("X-Choucha-Token"); h != "" && equal(h, s.cfg.Token) {
		return true
	}
	return false
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var errTooLarge = errors.New("too large")

type parseErrKey struct{}

// formCSRF reads the csrf field of a form (parsing a multipart body up to the size limit).
func (s *Server) formCSRF(_ http.ResponseWriter, r *http.Request) string {
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || strings.Contains(err.Error(), "request body too large") {
			err = errTooLarge
		}
		*r = *r.WithContext(context.WithValue(r.Context(), parseErrKey{}, err))
		return ""
	}
	return r.PostFormValue("csrf")
}

func (s *Server) parseErr(r *http.Request) error {
	err, _ := r.Context().Value(parseErrKey{}).(error)
	return err
}

func (s *Server) tooLarge() error {
	return fmt.Errorf("上传的文件超过 %s 的上限；请确认选对了文件（名录 xlsx 一百万行约 60 MB）", sizeText(s.cfg.MaxUpload))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// ledger opens the ledger for reading; nil (and no error) when it does not exist yet.
func (s *Server) ledger() (*ledger.Ledger, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.led != nil {
		return s.led, nil
	}
	l, err := ledger.OpenExisting(s.cfg.DB)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, ledgerError(err)
	}
	s.led = l
	return l, nil
}

// ledgerForDraw opens the ledger, creating it when missing.
func (s *Server) ledgerForDraw() (*ledger.Ledger, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.led != nil {
		return s.led, nil
	}
	l, err := ledger.Open(s.cfg.DB)
	if err != nil {
		return nil, ledgerError(err)
	}
	s.led = l
	return l, nil
}

func ledgerError(err error) error {
	switch {
	case errors.Is(err, ledger.ErrNewerSchema):
		return fmt.Errorf("%w（这个台账由更新版本的 choucha 写入；请安装最新版 choucha）", err)
	case errors.Is(err, ledger.ErrNotLedger):
		return fmt.Errorf("%w（用 --db 指明 choucha 的抽取台账）", err)
	}
	return err
}

// roundLock is the mutex of one task round.
func (s *Server) roundLock(task string, round, year int) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := fmt.Sprintf("%s|%d|%d", task, round, year)
	m := s.rounds[k]
	if m == nil {
		m = &sync.Mutex{}
		s.rounds[k] = m
	}
	return m
}

func (s *Server) addPlan(p *plan.Plan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.plans[p.ID]; !ok {
		s.planIDs = append(s.planIDs, p.ID)
	}
	s.plans[p.ID] = p
}

func (s *Server) plan(id string) (*plan.Plan, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id == "" {
		id = s.planIDs[0]
	}
	p, ok := s.plans[id]
	return p, ok
}

func (s *Server) planList() []*plan.Plan {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*plan.Plan, len(s.planIDs))
	for i, id := range s.planIDs {
		out[i] = s.plans[id]
	}
	return out
}

// reachable is the address others type to reach a listener: an unspecified address
// (0.0.0.0, [::]) becomes this machine's first non-loopback IPv4 address, as a colleague's
// browser in the meeting room must use it.
func reachable(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok || !ta.IP.IsUnspecified() {
		return a.String()
	}
	port := strconv.Itoa(ta.Port)
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, ad := range addrs {
			if n, ok := ad.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
				return net.JoinHostPort(n.IP.String(), port)
			}
		}
	}
	return net.JoinHostPort("127.0.0.1", port)
}
