#!/usr/bin/env bash
# bench/scale.sh — issue 14: a 1M-firm draw at the cost of reading the roster.
#
# Generates one-district rosters (沁县, so task 292 draws from every firm) with
# ../shared/tools/gen_roster.py --seed 1: csv at 100k, 1M and 10M rows, xlsx up to 1M. Then, in one
# run, medians of $RUNS runs, wall time, CPU time (user + system) and peak RSS from /usr/bin/time:
#   the in-process inflate floor of the xlsx (bench/inflate, standard and klauspost flate),
#   roster check, sample (task 292, fresh ledger each run), replay, ledger verify,
#   overlap and plan calendar over three draws, and the pandas script (bench/pandas_sample.py);
# and the ledger's growth for a first and a second draw from the same roster.
#
#   bench/scale.sh                                   # everything (10M csv: ~2.4 GB, slow)
#   RUNS=1 CSV_SIZES="1000000" XLSX_SIZES="" bench/scale.sh
#   BASE=/path/to/older/choucha bench/scale.sh       # also check the drawn lists equal BASE's
#
# Needs GNU time (/usr/bin/time), python3 with pandas (Debian python3-pandas), jq, sqlite3.
# Results go to bench/out/scale/results.md (bench/out is git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CSV_SIZES=${CSV_SIZES-"100000 1000000 10000000"}
XLSX_SIZES=${XLSX_SIZES-"100000 1000000"}
PY=${PY:-/usr/bin/python3}
GEN=${GEN:-../shared/tools/gen_roster.py}
SEED=20260401123456789012
OUT=bench/out/scale
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "需要 GNU time：apt-get install -y time" >&2; exit 1; }
"$PY" -c 'import pandas' 2>/dev/null || { echo "需要 pandas：apt-get install -y python3-pandas" >&2; exit 1; }

go build -o "$OUT/choucha" ./cmd/choucha
go build -o "$OUT/inflate" ./bench/inflate
C=$PWD/$OUT/choucha

for n in $CSV_SIZES; do
  f="$OUT/qx-$n.csv"; [ -s "$f" ] || "$PY" "$GEN" firms --n "$n" --seed 1 --district 沁县 --format csv --out "$f" >/dev/null
done
for n in $XLSX_SIZES; do
  f="$OUT/qx-$n.xlsx"; [ -s "$f" ] || "$PY" "$GEN" firms --n "$n" --seed 1 --district 沁县 --format xlsx --out "$f" >/dev/null
done

# measure CMD...: runs CMD $RUNS times; prints "median_seconds median_peak_MiB median_cpu_seconds"
# (CPU: user + system time of the process, both cores together).
measure() {
  local t=() m=() c=()
  for _ in $(seq "$RUNS"); do
    [ -n "${SETUP:-}" ] && eval "$SETUP"
    /usr/bin/time -f '%e %M %U %S' -o "$OUT/time.txt" "$@" > "$OUT/stdout.txt" 2> "$OUT/stderr.txt" ||
      { cat "$OUT/stderr.txt" >&2; echo "failed: $*" >&2; exit 1; }
    read -r s kb u sy < "$OUT/time.txt"
    t+=("$s"); m+=("$kb"); c+=("$(awk -v u="$u" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')")
  done
  local ms mk mc
  ms=$(printf '%s\n' "${t[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mk=$(printf '%s\n' "${m[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)] / 1024}')
  mc=$(printf '%s\n' "${c[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$ms $mk $mc"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / b }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
dbsize() { local s=0; for f in "$1" "$1-wal"; do [ -f "$f" ] && s=$((s + $(stat -c %s "$f"))); done; echo "$s"; }

LOAD0=$(cut -d" " -f1-3 /proc/loadavg)
{
echo "| roster | work | median time | median CPU (user+sys) | peak RSS | ratio |"
echo "|---|---|---:|---:|---:|---|"
for fmt in xlsx csv; do
  sizes=$XLSX_SIZES; [ "$fmt" = csv ] && sizes=$CSV_SIZES
  for n in $sizes; do
    f="$OUT/qx-$n.$fmt"; label="$n $fmt"
    if [ "$fmt" = xlsx ]; then
      read -r fs _ < <("$OUT/inflate" -flate std -runs "$RUNS" "$f")
      read -r fk _ < <("$OUT/inflate" -flate klauspost -runs "$RUNS" "$f")
      echo "| $label | inflate floor (archive/zip → io.Discard, std flate) | $fs s | — | — | klauspost flate: $fk s ($(ratio "$fk" "$fs") of std) |"
    fi
    read -r cs cm cc < <(measure "$C" roster check --quiet --format json "$f")
    extra=""; [ "$fmt" = xlsx ] && extra="$(ratio "$cs" "$fs") of the inflate floor"
    echo "| $label | roster check | $cs s | $cc s | $cm MiB | $extra |"
    db="$OUT/draw-$n-$fmt.db"
    read -r ss sm sc < <(SETUP="rm -rf $db $db-wal $db-shm $OUT/d1" measure "$C" --db "$db" sample -q --task 292 --roster "$f" --seed "$SEED" --out "$OUT/d1")
    echo "| $label | sample (task 292, 1 draw, fresh ledger) | $ss s | $sc s | $sm MiB | $(ratio "$ss" "$cs") of roster check (CPU $(ratio "$sc" "$cc")) |"
    g1=$(dbsize "$db")
    rm -rf "$OUT/d2"; "$C" --db "$db" sample -q --task 292 --roster "$f" --seed 11112222333344445555 --out "$OUT/d2" >/dev/null
    g2=$(( $(dbsize "$db") - g1 ))
    echo "| $label | ledger growth | $(mb "$g1") first draw, $(mb "$g2") second draw from the same roster | — | — | |"
    if [ "$fmt" = csv ]; then
      read -r ps pm pc < <(measure "$PY" bench/pandas_sample.py "$f" "$OUT/pandas.csv")
      echo "| $label | pandas read_csv + groupby(class).sample(n) + to_csv | $ps s | $pc s | $pm MiB | choucha sample is $(ratio "$ss" "$ps") of pandas' time, $(ratio "$sm" "$pm") of its memory |"
    fi
    read -r rs rm_ rc < <(measure "$C" --db "$db" replay 1 --roster "$f")
    echo "| $label | replay of draw 1 | $rs s | $rc s | $rm_ MiB | $(ratio "$rs" "$cs") of roster check (CPU $(ratio "$rc" "$cc")) |"
    rm -rf "$OUT/d3"; "$C" --db "$db" sample -q --task 279 --roster "$f" --seed "$SEED" --out "$OUT/d3" >/dev/null
    read -r vs vm vc < <(measure "$C" --db "$db" ledger verify)
    echo "| $label | ledger verify (3 draws) | $vs s | $vc s | $vm MiB | |"
    read -r os om oc < <(measure "$C" --db "$db" overlap --district 沁县)
    echo "| $label | overlap over 3 draws | $os s | $oc s | $om MiB | |"
    read -r ks km kc < <(measure "$C" --db "$db" plan calendar --district 沁县)
    echo "| $label | plan calendar over 3 draws | $ks s | $kc s | $km MiB | |"
    if [ -n "${BASE:-}" ]; then
      rm -rf "$OUT/base.db"* "$OUT/b1"
      "$BASE" --db "$OUT/base.db" sample -q --task 292 --roster "$f" --seed "$SEED" --out "$OUT/b1" >/dev/null
      a=$(jq -r '.selected[], .reserves[] | [.key, .class, .ticket, .rank] | @tsv' "$OUT/b1/manifest.json" | sha256sum)
      b=$(jq -r '.selected[], .reserves[] | [.key, .class, .ticket, .rank] | @tsv' "$OUT/d1/manifest.json" | sha256sum)
      same=different; [ "$a" = "$b" ] && same=identical
      echo "| $label | drawn list (selected + reserves) vs \`$BASE\` | $same | — | — | |"
    fi
  done
done
echo
echo "Medians of $RUNS runs; $(nproc) cores; $(go version | cut -d' ' -f3); pandas $("$PY" -c 'import pandas; print(pandas.__version__)'); $(date -u +%Y-%m-%dT%H:%MZ); load average before: $LOAD0."
} | tee "$OUT/results.md"
