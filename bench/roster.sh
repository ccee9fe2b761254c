#!/usr/bin/env bash
# bench/roster.sh — time `choucha roster check` on generated rosters of 100k and 1M rows
# (xlsx and csv) against an openpyxl read-only loop over the same xlsx, in one run.
#
#   bench/roster.sh            # 3 runs each, medians; files are made once under bench/out/
#   RUNS=5 SIZES="100000" bench/roster.sh
#   REF=0 bench/roster.sh      # skip the excelize reference reader (slow: ~35 s a run at 1M rows)
#
# choucha reads xlsx with its own streaming reader (roster/sheetxml.go); the excelize reader it
# is tested against is measured too, selected with CHOUCHA_XLSX_READER=excelize.
#
# Needs /usr/bin/python3 with openpyxl (apt-get install -y python3-openpyxl), GNU time
# (/usr/bin/time, apt package `time`) and ../shared/tools/gen_roster.py. Writes the table to
# bench/out/results.md (bench/out/ is git-ignored; the generated files are large).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SIZES=${SIZES:-"100000 1000000"}
REF=${REF:-1}
PY=${PY:-/usr/bin/python3}
GEN=${GEN:-../shared/tools/gen_roster.py}
OUT=bench/out
mkdir -p "$OUT"

"$PY" -c 'import openpyxl' 2>/dev/null || { echo "需要 openpyxl：apt-get install -y python3-openpyxl" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "需要 GNU time：apt-get install -y time" >&2; exit 1; }

go build -o "$OUT/choucha" ./cmd/choucha

for n in $SIZES; do
  for fmt in csv xlsx; do
    f="$OUT/firms-$n.$fmt"
    [ -s "$f" ] || "$PY" "$GEN" firms --n "$n" --seed 1 --format "$fmt" --out "$f"
  done
done

# measure LABEL CMD... : runs CMD $RUNS times, prints "median_seconds median_peak_kib"
measure() {
  local times=() mems=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f '%e %M' -o "$OUT/time.txt" "$@" > /dev/null
    read -r s kb < "$OUT/time.txt"
    times+=("$s"); mems+=("$kb")
  done
  local ms mk
  ms=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  mk=$(printf '%s\n' "${mems[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$ms $mk"
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%\047d", n / s }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

declare -A FAST OPENPYXL
{
  echo "| rows | format | choucha roster check | rows/s | peak memory | openpyxl read-only | rows/s | peak memory | speed-up |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
  for n in $SIZES; do
    for fmt in csv xlsx; do
      f="$OUT/firms-$n.$fmt"
      read -r cs ck < <(measure "$OUT/choucha" roster check --quiet --format json "$f")
      if [ "$fmt" = xlsx ]; then
        read -r ps pk < <(measure "$PY" bench/openpyxl_read.py "$f")
        FAST[$n]=$cs OPENPYXL[$n]=$ps
        ratio=$(awk -v a="$ps" -v b="$cs" 'BEGIN { printf "%.1f×", a / b }')
        echo "| $(rate "$n" 1) | $fmt | ${cs} s | $(rate "$n" "$cs") | $(mib "$ck") MiB | ${ps} s | $(rate "$n" "$ps") | $(mib "$pk") MiB | $ratio |"
      else
        echo "| $(rate "$n" 1) | $fmt | ${cs} s | $(rate "$n" "$cs") | $(mib "$ck") MiB | — | — | — | — |"
      fi
    done
  done
  if [ "$REF" = 1 ]; then
    echo
    echo "| rows | excelize reference reader (\`CHOUCHA_XLSX_READER=excelize\`) | rows/s | peak memory | vs openpyxl | fast reader is |"
    echo "|---:|---:|---:|---:|---:|---:|"
    for n in $SIZES; do
      f="$OUT/firms-$n.xlsx"
      read -r es ek < <(measure env CHOUCHA_XLSX_READER=excelize "$OUT/choucha" roster check --quiet --format json "$f")
      cs=${FAST[$n]} ps=${OPENPYXL[$n]}
      vs=$(awk -v a="$ps" -v b="$es" 'BEGIN { printf "%.1f×", a / b }')
      fx=$(awk -v a="$es" -v b="$cs" 'BEGIN { printf "%.1f× faster", a / b }')
      echo "| $(rate "$n" 1) | ${es} s | $(rate "$n" "$es") | $(mib "$ek") MiB | $vs | $fx |"
    done
  fi
  echo
  echo "Medians of $RUNS runs; $(nproc) cores; $(go version | cut -d' ' -f3); openpyxl $("$PY" -c 'import openpyxl; print(openpyxl.__version__)'); $(date -u +%Y-%m-%d)."
} | tee "$OUT/results.md"
