#!/usr/bin/python3
"""Rosters in the forms offices really send (issue 12): made from ../shared/tools/gen_roster.py
output by the transforms below, then written as xlsx (numbers as numbers, the way Excel stores
a General-format column), UTF-8 csv, GBK csv and the csv Excel writes from what it *displays*.

  cd testdata/rosters/forms && /usr/bin/python3 make.py ../../../../shared/tools/gen_roster.py

Every planted row is listed in pingshun-export.kinds.tsv: sheet row, kind, the firm's true
identifier (the one on its licence) and the identifier cells as planted. What each kind must
become is written by hand in roster/forms_test.go, not here.
"""
import csv, datetime, io, os, random, subprocess, sys, tempfile, zipfile
from xml.sax.saxutils import escape

GEN = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/tools/gen_roster.py"
CH = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def gen(kind, *args):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "x.csv")
        subprocess.run(["/usr/bin/python3", GEN, kind, "--out", out, "--format", "csv", "--encoding", "utf-8", *args], check=True)
        with open(out, encoding="utf-8") as f:
            return list(csv.reader(f))


def uscc_check(s17):
    return CH[(31 - sum(CH.index(c) * w for c, w in zip(s17, W)) % 31) % 31]


def org_code(digits8):
    """GB 11714: 8 digits and the check character."""
    s = sum(int(c) * w for c, w in zip(digits8, [3, 7, 9, 10, 5, 8, 4, 2]))
    c = 11 - s % 11
    return digits8 + ("X" if c == 10 else "0" if c == 11 else str(c))


def digit_uscc(rng, kind="1"):
    """An all-digit 统一社会信用代码 (a numeric organisation code, as before 2015)."""
    while True:
        s17 = "9" + kind + "140425" + org_code("".join(rng.choice("0123456789") for _ in range(8)))
        if s17.isdigit():
            c = s17 + uscc_check(s17)
            if c.isdigit() and not c.endswith("00"):
                return c


def regno15(rng, first="1"):
    """A 15-digit 注册号 (GS 15-2006): authority 140425, 8-digit sequence, MOD 11,10 check digit."""
    s = "140425" + first + "".join(rng.choice("0123456789") for _ in range(7))
    p = 10
    for ch in s:
        x = (p + int(ch)) % 10 or 10
        p = x * 2 % 11
    return s + str((11 - p) % 10)


HEADER = ["序号", "统一社会信用代码", "注册号", "市场主体名称", "市场主体类型", "法定代表人（负责人/经营者）",
          "登记机关", "所属区县", "住所（经营场所）", "信用风险分类", "登记状态", "成立日期", "联系电话"]
PINYIN = ["XH", "TYXYDM", "ZCH", "ZTMC", "ZTLX", "FDDBR", "DJJG", "SSQX", "ZS", "XYFXFL", "ZT", "CLRQ", "LXDH"]
TITLE = "平顺县市场主体检查对象名录（双随机抽查系统导出，2026年3月）"

# The planted rows: kind → how the identifier cells, name and type are changed. Values are
# (USCC cell, 注册号 cell, true identifier); a float or int is a number cell.
def plant(kind, rng, code):
    r15 = regno15(rng)
    if kind == "uscc+regno":
        return code, r15, code
    if kind == "regno_only":
        return "", r15, r15
    if kind == "float_uscc+regno":
        d = digit_uscc(rng)
        return float(d), int(r15), r15
    if kind == "float_uscc":
        d = digit_uscc(rng)
        return float(d), "", d
    if kind == "regno_number":
        return "", int(r15), r15
    if kind == "regno_float":
        return "", float(r15), r15
    if kind == "coop_uscc":
        s17 = "93" + code[2:17]
        c = s17 + uscc_check(s17)
        return c, "", c
    if kind == "coop_regno":
        n = "140425NA" + "".join(rng.choice("0123456789") for _ in range(6)) + rng.choice("0123456789X")
        return "", n, n
    if kind == "regno13":
        n = "140425" + "".join(rng.choice("0123456789") for _ in range(7))
        return "", int(n), n
    if kind == "regno13_in_code_column":
        n = "140425" + "".join(rng.choice("0123456789") for _ in range(7))
        return n, "", n
    if kind == "bad_regno":
        bad = r15[:14] + str((int(r15[14]) + 3) % 10)
        return "", bad, r15
    if kind == "getihu_nameless":
        s17 = "92" + code[2:17]
        c = s17 + uscc_check(s17)
        return c, "", c
    if kind == "getihu_nameless_regno":
        n = regno15(rng, first="6")
        return "", n, n
    return code, "", code


KINDS = ["uscc+regno", "regno_only", "float_uscc+regno", "float_uscc", "regno_number", "regno_float",
         "coop_uscc", "coop_regno", "regno13", "regno13_in_code_column", "bad_regno", "getihu_nameless",
         "getihu_nameless_regno", "nameless_firm", "class_blank"]


def firms():
    rng = random.Random(651)
    base = gen("firms", "--n", "60", "--seed", "651", "--district", "平顺县", "--risk-style", "cn")[1:]
    rows, kinds = [], []
    slots = {i * 4 + 1: k for i, k in enumerate(KINDS)}  # every fourth row, from the second on
    for i, b in enumerate(base):
        code, name, rep, auth, dist, addr, _, risk, status, est, phone = b
        kind = slots.get(i, "uscc")
        u, r, true = plant(kind, rng, code)
        typ = "有限责任公司（自然人投资或控股）"
        if kind.startswith("coop"):
            name, typ = f"平顺县{name[7:9]}种植专业合作社", "农民专业合作社"
        if kind.startswith("getihu"):
            name, typ = "", "个体工商户" if kind == "getihu_nameless" else ""
        if kind == "nameless_firm":
            name = ""
        if kind == "class_blank":
            risk = ""
        rows.append([i + 1, u, r, name, typ, rep, auth, dist, addr, risk, status, est, int(phone)])
        kinds.append((i + 3, kind, true, u, r))  # sheet row: title, header, then data
    return rows, kinds


def excel_general(v):
    """What Excel shows for a number in a General-format cell 11 characters wide: integers of
    up to 11 digits in full, longer ones as 1.40425E+14 (6 significant digits)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return v
    if float(v).is_integer() and abs(v) < 1e11:
        return str(int(v))
    m, e = f"{float(v):.5E}".split("E")
    m = m.rstrip("0").rstrip(".")
    return f"{m}E+{int(e):02d}"


def plain(v):
    """A number as a CSV writer prints it from the stored value (Python's repr of a double,
    integers in full): the same data as the xlsx."""
    if isinstance(v, float):
        return repr(v)
    return v


def write_csv(path, title, header, rows, enc, cell=plain):
    with open(path, "w", encoding=enc, newline="") as f:
        w = csv.writer(f)
        if title:
            w.writerow([title])
        w.writerow(header)
        for r in rows:
            w.writerow([cell(v) for v in r])


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(path, titles, header, rows):
    """A workbook as Excel lays it out: shared strings, numbers as numbers (a double is written
    with 17 significant digits, as Excel writes it: 9.1140425123456794E+17)."""
    sst, index = [], {}
    def s(v):
        if v not in index:
            index[v] = len(sst)
            sst.append(v)
        return index[v]
    allrows = [[t] for t in titles] + [header] + rows
    out = []
    for n, row in enumerate(allrows, 1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{col(c)}{n}"
            if v is None or v == "":
                continue
            if isinstance(v, float):
                cells.append(f'<c r="{ref}"><v>{v:.17G}</v></c>' if not v.is_integer() or v >= 2**53 else f'<c r="{ref}"><v>{int(v)}</v></c>')
            elif isinstance(v, int):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{s(str(v))}</v></c>')
        out.append(f'<row r="{n}">{"".join(cells)}</row>')
    width = max(len(r) for r in allrows)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name, data):
            info = zipfile.ZipInfo(name, date_time=(2026, 3, 2, 9, 0, 0))  # fixed: the same bytes each run
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
        put("[Content_Types].xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>')
        put("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        put("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        put("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        put("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {ns}><dimension ref="A1:{col(width - 1)}{len(allrows)}"/><sheetData>{"".join(out)}</sheetData></worksheet>')
        put("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {ns} count="{len(sst)}" uniqueCount="{len(sst)}">' + "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in sst) + "</sst>")


def drop(header, rows, name):
    i = header.index(name)
    return header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows]


def inspectors():
    base = gen("inspectors", "--n", "12", "--seed", "425", "--district", "平顺县", "--depts", "市场监督管理局,应急管理局,住房和城乡建设局")[1:]
    titles = ["平顺县执法检查人员名录库", "填报单位：平顺县市场监督管理局        填报日期：2026年3月2日"]
    header = ["序号", "姓名", "性别", "执法类别", "执法证号", "执法证有效期", "联系电话"]
    rows = []
    for i, b in enumerate(base):
        name, cert, dept, _, _, until, phone, _ = b
        d = datetime.date.fromisoformat(until)
        if i == 3:
            d = datetime.date(2025, 12, 31)  # expired before 2026
        serial = (d - datetime.date(1899, 12, 30)).days  # Excel's serial day number
        rows.append([i + 1, name, "男" if i % 2 else "女", dept, cert, serial, int(phone)])
    write_xlsx("pingshun-inspectors-template.xlsx", titles, header, rows)
    h2, r2 = drop(header, rows, "执法证有效期")
    h2[h2.index("执法类别")] = "所属单位"
    write_xlsx("pingshun-inspectors-novalidity.xlsx", titles[:1], h2, r2)


def main():
    rows, kinds = firms()
    write_xlsx("pingshun-export.xlsx", [TITLE], HEADER, rows)
    write_csv("pingshun-export.csv", TITLE, HEADER, rows, "utf-8-sig")
    write_csv("pingshun-export-gbk.csv", TITLE, HEADER, rows, "gbk")
    write_csv("pingshun-export-display.csv", TITLE, HEADER, rows, "utf-8-sig", excel_general)
    write_csv("pingshun-export-display-gbk.csv", TITLE, HEADER, rows, "gbk", excel_general)
    write_csv("pingshun-export-pinyin.csv", None, PINYIN, rows, "gbk")
    h, r = drop(HEADER, rows, "信用风险分类")
    write_xlsx("pingshun-export-noclass.xlsx", [TITLE], h, r)
    h, r = drop(HEADER, rows, "所属区县")
    write_csv("pingshun-export-nodistrict.csv", TITLE, h, r, "utf-8-sig")
    with open("pingshun-export.kinds.tsv", "w", encoding="utf-8") as f:
        f.write("row\tkind\ttrue_id\tuscc_cell\tregno_cell\n")
        for row, kind, true, u, r in kinds:
            f.write(f"{row}\t{kind}\t{true}\t{plain(u)}\t{plain(r)}\n")
    inspectors()


if __name__ == "__main__":
    main()
