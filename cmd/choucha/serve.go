package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/choucha/choucha/internal/apperr"
	"github.com/choucha/choucha/web"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	plan      planFlags
	listen    string
	open      bool
	token     string
	out       string
	deptMap   string
	maxUpload int64
}

func newServeCommand(g *globalOptions) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "在本机浏览器中完成整个抽取：看计划、传名录、现场掷骰抽取、锁定、公告",
		Long: `启动本机网页（不连接互联网）：浏览和筛选计划任务，上传并检查名录，在投影上进行抽取（输入掷骰
得到的种子），锁定名单或记录重抽理由，查看和校验台账，重放，下载公告、结果录入表、任务单和名单。
网页调用的是与命令行相同的抽取、台账和导出功能，台账条目与 choucha sample 的完全同类。

  $ choucha serve --open
  $ choucha serve --listen 127.0.0.1:9000 --db 台账.db --plan 计划.xlsx
  $ choucha serve --listen 0.0.0.0:8750 --token 口令       # 让会议室的另一台电脑访问
  $ choucha serve --dept-map 部门对照.yaml                  # 网页的每次抽取都按该对照表对应部门

默认只在 127.0.0.1 上监听，只有本机能访问。监听其他地址时每个请求都须带访问令牌：用 --token 给出，
不给则随机生成并显示；打开显示的完整地址（含 ?token=…）即可。
在 Windows 上直接双击 choucha.exe 即启动本网页并打开浏览器，台账和名单保存在“文档\choucha”文件夹中。

标准输出：网页地址。按 Ctrl-C 停止。`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), g, o) },
	}
	f := cmd.Flags()
	addPlanFlags(cmd, &o.plan)
	f.StringVar(&o.listen, "listen", "127.0.0.1:8750", "监听 `地址:端口`")
	f.BoolVar(&o.open, "open", false, "启动后在默认浏览器中打开网页")
	f.StringVar(&o.token, "token", "", "访问`令牌`（监听非本机地址时必须；不给则随机生成）")
	f.StringVar(&o.out, "out", "", "抽取结果写入的`文件夹`（默认台账所在文件夹下的 draws）")
	f.StringVar(&o.deptMap, "dept-map", "", "部门对照表（YAML，格式见 choucha dept match --help）：网页上的抽取、重放和名录检查按它把计划部门对应到人员名录的部门；不给则按内置的同义词")
	f.Int64Var(&o.maxUpload, "max-upload", web.DefaultMaxUpload>>20, "上传文件的大小上限（`MB`）")
	return cmd
}

// explorerArgs is the command line of a double-click start: the page, opened in the
// browser, with the ledger and the draws in a choucha folder under the user's Documents.
func explorerArgs() []string {
	docs, err := documentsDir()
	if err != nil {
		return []string{"serve", "--open"}
	}
	return explorerArgsIn(docs)
}

func explorerArgsIn(docs string) []string {
	dir := filepath.Join(docs, "choucha")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return []string{"serve", "--open"}
	}
	return []string{"serve", "--open", "--db", filepath.Join(dir, "choucha.db"), "--out", filepath.Join(dir, "draws")}
}

func runServe(ctx context.Context, g *globalOptions, o *serveOptions) error {
	if o.maxUpload <= 0 {
		return apperr.Usage(fmt.Errorf("--max-upload 须为正数（MB），收到 %d", o.maxUpload))
	}
	token := strings.TrimSpace(o.token)
	if !web.IsLoopback(o.listen) && token == "" {
		token = web.RandomToken()
		if !g.quiet {
			fmt.Fprintf(g.stderr, "choucha: 监听 %s 不只是本机，已生成访问令牌：%s\n", o.listen, token)
		}
	}
	if o.open && token == "" && web.IsLoopback(o.listen) && web.Running(o.listen) {
		url := "http://" + o.listen + "/"
		fmt.Fprintln(g.stdout, url)
		if !g.quiet {
			fmt.Fprintf(g.stderr, "choucha: 网页已在运行（%s），已在浏览器中打开\n", url)
		}
		return web.OpenBrowser(url)
	}
	p, err := o.plan.load()
	if err != nil {
		return err
	}
	db := g.ledgerPath()
	out := o.out
	if out == "" {
		out = filepath.Join(filepath.Dir(db), "draws")
	}
	loc, err := g.location()
	if err != nil {
		return err
	}
	dm, err := loadDeptMap(o.deptMap)
	if err != nil {
		return err
	}
	s, err := web.New(web.Config{
		DB: db, OutDir: out, Location: loc, Plan: p, Token: token, MaxUpload: o.maxUpload << 20, Depts: &dm,
		ToolVersion: version, Operator: defaultOperator(),
		Logf: func(format string, args ...any) { fmt.Fprintf(g.stderr, format+"\n", args...) },
	})
	if err != nil {
		return err
	}
	defer s.Close()
	return listenError(o.listen, s.Serve(ctx, o.listen, func(url string) {
		fmt.Fprintln(g.stdout, url)
		if !g.quiet {
			fmt.Fprintf(g.stderr, "choucha: 网页已启动：%s（台账 %s，名单写入 %s）；按 Ctrl-C 停止\n", url, db, out)
		}
		if o.open {
			if err := web.OpenBrowser(url); err != nil {
				fmt.Fprintf(g.stderr, "choucha: 警告: 无法打开浏览器（%v），请手动打开上面的地址\n", err)
			}
		}
	}))
}

// listenError words a failure to listen on --listen: a port in use (another program, or
// another choucha serve with a token) said so in Chinese with another port to try, instead of
// Go's "bind: address already in use".
func listenError(listen string, err error) error {
	var op *net.OpError
	if err == nil || !errors.As(err, &op) || op.Op != "listen" {
		return err
	}
	alt := "127.0.0.1:8081"
	if host, port, e := net.SplitHostPort(listen); e == nil {
		if n, e := strconv.Atoi(port); e == nil && n > 0 && n < 65535 {
			alt = net.JoinHostPort(host, strconv.Itoa(n+1))
		}
	}
	// WSAEADDRINUSE (10048) is what Windows returns; syscall.EADDRINUSE does not match it there.
	if errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, syscall.Errno(10048)) {
		return apperr.Hint(fmt.Errorf("无法在 %s 上启动网页：该端口已被其他程序占用", listen),
			fmt.Sprintf("用 --listen 换一个端口，如 --listen %s", alt))
	}
	return apperr.Hint(err, fmt.Sprintf("检查 --listen 的地址和端口，或换一个端口，如 --listen %s", alt))
}
