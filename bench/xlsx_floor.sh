#!/usr/bin/env bash
# bench/xlsx_floor.sh — `choucha roster check` of a generated 1M-row xlsx against the
# in-process inflate floor of the same file (issue 14: ≤ 2.5×), in one run.
#
#   bench/xlsx_floor.sh                  # 3 rounds; the file is made once under bench/out/
#   N=100000 RUNS=5 bench/xlsx_floor.sh
#   FILE=/path/qx-1m.xlsx bench/xlsx_floor.sh
#
# Each round times, one after the other, the floor with the standard library's inflater
# (bench/inflate -flate std: archive/zip → io.Discard, every part), the floor with
# klauspost/compress/flate (the inflater choucha uses), and `roster check --quiet --format
# json`; so a change of load hits all three alike. It prints the medians, the ratios of the
# medians, the peak RSS of roster check (GNU time) and the load average before and after.
# On a shared machine run it under `flock -x /work/team/cpu.lock`.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
N=${N:-1000000}
PY=${PY:-python3}
GEN=${GEN:-../shared/tools/gen_roster.py}
OUT=bench/out
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "需要 GNU time：apt-get install -y time" >&2; exit 1; }
FILE=${FILE:-$OUT/qx-$N.xlsx}
[ -s "$FILE" ] || "$PY" "$GEN" firms --n "$N" --seed 1 --district 沁县 --format xlsx --out "$FILE"
go build -o "$OUT/choucha" ./cmd/choucha
go build -o "$OUT/inflate" ./bench/inflate

now() { date +%s.%N; }
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  $(date -u +%FT%TZ)"
std=() kp=() chk=() rss=()
for _ in $(seq "$RUNS"); do
  std+=("$("$OUT/inflate" -flate std "$FILE" | cut -d' ' -f1)")
  kp+=("$("$OUT/inflate" -flate klauspost "$FILE" | cut -d' ' -f1)")
  s=$(now)
  /usr/bin/time -f %M -o "$OUT/xlsx_floor.rss" "$OUT/choucha" roster check --quiet --format json "$FILE" > "$OUT/xlsx_floor.json"
  chk+=("$(echo "$(now) - $s" | bc)")
  rss+=("$(cat "$OUT/xlsx_floor.rss")")
done
S=$(med "${std[@]}") K=$(med "${kp[@]}") C=$(med "${chk[@]}")
printf 'inflate floor, std flate:       %s s   (%s)\n' "$S" "${std[*]}"
printf 'inflate floor, klauspost flate: %s s   (%s)\n' "$K" "${kp[*]}"
printf 'roster check:                   %.3f s   (%s), peak %s MiB\n' "$C" "${chk[*]}" "$(( $(med "${rss[@]}") / 1024 ))"
printf 'roster check / std floor:       %.2fx\n' "$(echo "$C / $S" | bc -l)"
printf 'roster check / klauspost floor: %.2fx\n' "$(echo "$C / $K" | bc -l)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)  $(date -u +%FT%TZ)"
