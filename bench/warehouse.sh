#!/usr/bin/env bash
# The warehouse benchmark (issue 17): a table of ROWS firms generated inside DuckDB, drawn by
# the script of `choucha sql` (task 292), three times, with wall time and peak RSS from
# /usr/bin/time -v; beside it `choucha sample` on a CSV roster of CSV_ROWS firms.
#   ROWS=50000000 CSV_ROWS=10000000 bash bench/warehouse.sh
# Needs GNU time and python3 (for the CSV roster: ../shared/tools/gen_roster.py). Files go to bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-50000000}
CSV_ROWS=${CSV_ROWS:-1000000}
out=bench/out
mkdir -p "$out"
(cd scale && go build -o "../$out/duckbench" ./cmd/duckbench)
go build -o "$out/choucha" ./cmd/choucha

db="$out/firms-$ROWS.duckdb"
[ -f "$db" ] || "$out/duckbench" gen -db "$db" -rows "$ROWS"

measure() { # label, command...
  local label=$1; shift
  local t=() m=()
  for i in 1 2 3; do
    /usr/bin/time -v "$@" >"$out/run.log" 2>"$out/time.log" || { cat "$out/time.log" "$out/run.log"; exit 1; }
    t+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2, a, ":"); s = 0; for (j = 1; j <= length(a); j++) s = s * 60 + a[j]; print s}' "$out/time.log")")
    m+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$out/time.log")")
  done
  local tm mm
  tm=$(printf '%s\n' "${t[@]}" | sort -n | sed -n 2p)
  mm=$(printf '%s\n' "${m[@]}" | sort -n | sed -n 2p)
  printf '| %s | %s s | %s MiB | runs: %s s |\n' "$label" "$tm" "$mm" "${t[*]}"
}

echo "| work | median time | median peak RSS | runs |"
echo "|---|---:|---:|---|"
measure "DuckDB: choucha sql draw, $ROWS rows" "$out/duckbench" draw -db "$db" -task 292

csv="$out/qinxian-$CSV_ROWS.csv"
[ -f "$csv" ] || python3 ../shared/tools/gen_roster.py firms --n "$CSV_ROWS" --seed 7 --district 沁县 --format csv --out "$csv"
rm -f "$out/bench.db"
measure "choucha sample, $CSV_ROWS-row csv" bash -c 'exec env CHOUCHA_DB="$0/bench.db" "$0/choucha" sample --task 292 --roster "$1" \
  --seed 20260401123456789012 --out "$0/draw-$$" -q --redraw-reason bench' "$out" "$csv"
echo
echo "machine: $(nproc) cores, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
