#!/usr/bin/env bash
# Generates vectors.json, the CHOUCHA-SAMPLE-v1 / CHOUCHA-ASSIGN-v1 test vectors, from the
# spec alone: tickets by sha256sum, orderings by sort. It does not use the Go code, so the
# tests that read vectors.json check the Go code against an independent computation.
#
#   cd sampler/testdata && ./gen-vectors.sh > vectors.json
set -euo pipefail
export LC_ALL=C

ticket() { # seed task round key
	printf '%s' "CHOUCHA-SAMPLE-v1|$1|$2|$3|$4" | sha256sum | cut -d' ' -f1
}
aticket() { # seed task round firm inspector
	printf '%s' "CHOUCHA-ASSIGN-v1|$1|$2|$3|$4|$5" | sha256sum | cut -d' ' -f1
}

SEED128=$(printf '3141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117067982148086513282306647093844609')
SEED128=${SEED128:0:128}

# ---- single tickets ----------------------------------------------------------------------
tickets='[]'
while read -r seed task round key; do
	t=$(ticket "$seed" "$task" "$round" "$key")
	tickets=$(jq -c --arg s "$seed" --arg k "$task" --argjson r "$round" --arg f "$key" --arg t "$t" \
		'. + [{seed:$s, task:$k, round:$r, key:$f, message:("CHOUCHA-SAMPLE-v1|"+$s+"|"+$k+"|"+($r|tostring)+"|"+$f), ticket:$t}]' <<<"$tickets")
done <<EOT
12345678901234567890 CZ2026-292 1 91110000600037341L
12345678901234567890 CZ2026-292 1 91512081MA62K0260E
12345678901234567890 CZ2026-292 2 91110000600037341L
12345678901234567890 CZ2026-83 1 91110000600037341L
00000000000000000001 CZ2026-292 1 12440600MB2C07549J
00000000000000000001 CZ2026-292 1 140430200012345
98765432109876543210 CZ2026-1 12 91140430MA0H123456
$SEED128 CZ2026-292 1 91110000600037341L
EOT

# ---- assignment tickets ------------------------------------------------------------------
atickets='[]'
while read -r seed task round firm insp; do
	t=$(aticket "$seed" "$task" "$round" "$firm" "$insp")
	atickets=$(jq -c --arg s "$seed" --arg k "$task" --argjson r "$round" --arg f "$firm" --arg i "$insp" --arg t "$t" \
		'. + [{seed:$s, task:$k, round:$r, firm:$f, inspector:$i, message:("CHOUCHA-ASSIGN-v1|"+$s+"|"+$k+"|"+($r|tostring)+"|"+$f+"|"+$i), ticket:$t}]' <<<"$atickets")
done <<EOT
12345678901234567890 CZ2026-292 1 91110000600037341L 14043001001
12345678901234567890 CZ2026-292 1 91110000600037341L 14043001002
12345678901234567890 CZ2026-292 1 91512081MA62K0260E 14043001001
00000000000000000001 CZ2026-83 2 140430200012345 ZJ-2026-007
EOT

# ---- draws -------------------------------------------------------------------------------
# sorted SEED TASK ROUND: reads "key class" lines, prints "ticket key class rank" by ticket, key.
sorted() {
	while read -r key class; do
		printf '%s %s %s\n' "$(ticket "$1" "$2" "$3" "$key")" "$key" "$class"
	done | sort -k1,1 -k2,2 | awk '{print $0, NR}'
}
picks() { # reads "ticket key class rank [repeat]" → JSON array of picks
	jq -R -s -c 'split("\n") | map(select(length>0) | split(" ") | {key:.[1], class:.[2], ticket:.[0], rank:(.[3]|tonumber), repeat:(.[4]=="repeat")})'
}
units_json() { jq -R -s -c 'split("\n") | map(select(length>0) | split(" ") | {key:.[0], class:.[1]})'; }

# Draw 1: stratified by class (task 292 style ratios), 2 reserves per stratum.
SEED=12345678901234567890 TASK=CZ2026-292 ROUND=1
UNITS1=$(cat <<EOT
91140430MA0A000011 A
91140430MA0A000012 A
91140430MA0A000013 A
91140430MA0A000014 A
91140430MA0A000015 A
91140430MA0A000016 A
91140430MA0A000017 A
91140430MA0B000021 B
91140430MA0B000022 B
91140430MA0B000023 B
91140430MA0B000024 B
91140430MA0C000031 C
91140430MA0C000032 C
91140430MA0C000033 C
91140430MA0D000041 D
91140430MA0D000042 D
EOT
)
# class N ratio n, with n = ceil(N × ratio / 100) worked out by hand:
# A 7 × 30% = 2.1 → 3; B 4 × 50% = 2 → 2; C 3 × 7% = 0.21 → 1; D 2 × 100% → 2.
STRATA1='[{"class":"A","N":7,"ratio":"30","n":3},{"class":"B","N":4,"ratio":"50","n":2},{"class":"C","N":3,"ratio":"7","n":1},{"class":"D","N":2,"ratio":"100","n":2}]'
sel1="" res1=""
for cn in A:3 B:2 C:1 D:2; do
	c=${cn%:*} n=${cn#*:}
	s=$(grep " $c\$" <<<"$UNITS1" | sorted $SEED $TASK $ROUND)
	sel1+=$(head -n "$n" <<<"$s")$'\n'
	res1+=$(tail -n +"$((n + 1))" <<<"$s" | head -n 2)$'\n'
done
draw1=$(jq -n -c --arg s $SEED --arg t $TASK --argjson r $ROUND --argjson strata "$STRATA1" \
	--argjson units "$(units_json <<<"$UNITS1")" --argjson sel "$(picks <<<"$sel1")" --argjson res "$(picks <<<"$res1")" \
	'{name:"stratified, 2 reserves per stratum", seed:$s, task:$t, round:$r, strata:$strata, min_count:0, reserves:2, earlier:[], all_in:false, units:$units, selected:$sel, reserves_list:$res}')

# Draw 2: one stratum ALL, round 2; 7 of 10 firms were drawn in round 1, n = 4:
# the 3 candidates are all taken and 1 repeat fills the shortfall; no reserves are left.
SEED=00000000000000000001 TASK=CZ2026-7 ROUND=2
UNITS2=$(for i in 0 1 2 3 4 5 6 7 8 9; do echo "1404302000000$i$i B"; done)
EARLIER2=$(head -n 7 <<<"$UNITS2" | cut -d' ' -f1)
s=$(sorted $SEED $TASK $ROUND <<<"$UNITS2")
cand=$(grep -v -F -f <(sed 's/$/ B/' <<<"$EARLIER2") <<<"$s" || true)
excl=$(grep -F -f <(sed 's/$/ B/' <<<"$EARLIER2") <<<"$s")
sel2=$( (cat <<<"$cand"; head -n 1 <<<"$excl" | sed 's/$/ repeat/') | sort -k4,4n)
draw2=$(jq -n -c --arg s $SEED --arg t $TASK --argjson r $ROUND \
	--argjson units "$(units_json <<<"$UNITS2")" --argjson earlier "$(jq -R -s -c 'split("\n")|map(select(length>0))' <<<"$EARLIER2")" \
	--argjson sel "$(picks <<<"$sel2")" \
	'{name:"earlier rounds excluded, shortfall repeated", seed:$s, task:$t, round:$r, strata:[{class:"ALL",N:10,ratio:"40",n:4}], min_count:0, reserves:5, earlier:$earlier, all_in:false, units:$units, selected:$sel, reserves_list:[]}')

# Draw 3: a minimum count only (不低于4户): every stratum has ratio 0 and n 0; the 4 firms
# with the smallest tickets over all strata are added, skipping the one earlier-round firm;
# then 1 reserve per stratum: the next candidate of each stratum.
SEED=98765432109876543210 TASK=CZ2026-83 ROUND=1
UNITS3=$(cat <<EOT
91140405MA0A00001X A
91140405MA0A00002X A
91140405MA0A00003X A
91140405MA0A00004X A
91140405MA0B00001X B
91140405MA0B00002X B
91140405MA0B00003X B
91140405MA0C00001X C
91140405MA0D00001X D
EOT
)
# The earlier-round firm: the one with the smallest ticket overall, so the exclusion matters.
EARLIER3=$(sorted $SEED $TASK $ROUND <<<"$UNITS3" | head -n 1 | cut -d' ' -f2)
ranked3=""
for c in A B C D; do ranked3+=$(grep " $c\$" <<<"$UNITS3" | sorted $SEED $TASK $ROUND)$'\n'; done
cand3=$(grep -v " $EARLIER3 " <<<"$ranked3" | grep . | sort -k1,1 -k2,2)
sel3=$(head -n 4 <<<"$cand3")
res3=""
for c in A B C D; do
	res3+=$(grep -v -F -f <(cut -d' ' -f2 <<<"$sel3") <<<"$cand3" | grep " $c " | sort -k4,4n | head -n 1 || true)$'\n'
done
draw3=$(jq -n -c --arg s $SEED --arg t $TASK --argjson r $ROUND --arg e "$EARLIER3" \
	--argjson units "$(units_json <<<"$UNITS3")" --argjson sel "$(picks <<<"$sel3")" --argjson res "$(picks <<<"$res3")" \
	'{name:"minimum count only, one earlier-round firm", seed:$s, task:$t, round:$r, strata:[{class:"A",N:4,ratio:"0",n:0},{class:"B",N:3,ratio:"0",n:0},{class:"C",N:1,ratio:"0",n:0},{class:"D",N:1,ratio:"0",n:0}], min_count:4, reserves:1, earlier:[$e], all_in:false, units:$units, selected:$sel, reserves_list:$res}')

# ---- one assignment ----------------------------------------------------------------------
# Three drawn firms; the initiator sends 2 of 4 (S1 is recused for the first firm listed),
# the cooperator 1 of 2. Firms in ascending sampling ticket; initiator slots, then the
# cooperator's; each slot takes the smallest (load, assignment ticket, 执法证号).
SEED=12345678901234567890 TASK=CZ2026-292 ROUND=1
FIRMS="91140430MA0A000011 91140430MA0A000012 91140430MA0B000021"
DEPTS="沁县市场监督管理局:initiator:2:S1,S2,S3,S4 沁县住房和城乡建设管理局:cooperator:1:Z1,Z2"
RECUSE="S1@91140430MA0A000011"
declare -A load=()
teams='[]'
for f in $(for f in $FIRMS; do echo "$(ticket $SEED $TASK $ROUND "$f") $f"; done | sort | cut -d' ' -f2); do
	team='[]' on=" "
	for d in $DEPTS; do
		IFS=: read -r dname role slots ids <<<"$d"
		for ((k = 0; k < slots; k++)); do
			best=$(for id in ${ids//,/ }; do
				[[ " $RECUSE " == *" $id@$f "* || "$on" == *" $id "* ]] && continue
				printf '%08d %s %s\n' "${load[$id]:-0}" "$(aticket $SEED $TASK $ROUND "$f" "$id")" "$id"
			done | sort | head -n 1 | cut -d' ' -f3)
			on+="$best "
			load[$best]=$((${load[$best]:-0} + 1))
			team=$(jq -c --arg id "$best" --arg d "$dname" --arg r "$role" '. + [{id:$id, name:("name-"+$id), dept:$d, role:$r}]' <<<"$team")
		done
	done
	teams=$(jq -c --arg k "$f" --argjson t "$team" '. + [{key:$k, team:$t}]' <<<"$teams")
done
loads=$(for id in "${!load[@]}"; do echo "$id ${load[$id]}"; done | jq -R -s -c 'split("\n") | map(select(length>0) | split(" ") | {(.[0]): (.[1]|tonumber)}) | add')
assign=$(jq -n -c --arg s $SEED --arg t $TASK --argjson r $ROUND --arg firms "$FIRMS" --arg depts "$DEPTS" --arg rec "$RECUSE" --argjson teams "$teams" --argjson loads "$loads" \
	'{seed:$s, task:$t, round:$r, firms:($firms|split(" ")),
	  depts:($depts|split(" ")|map(split(":")|{name:.[0], role:.[1], slots:(.[2]|tonumber), ids:(.[3]|split(","))})),
	  recuse:($rec|split(" ")|map(split("@")|{id:.[0], firm:.[1]})), teams:$teams, loads:$loads}')

jq -n --argjson t "$tickets" --argjson a "$atickets" --argjson d1 "$draw1" --argjson d2 "$draw2" --argjson d3 "$draw3" --argjson asg "$assign" \
	'{spec:"CHOUCHA-SAMPLE-v1", comment:"generated by gen-vectors.sh with sha256sum and sort, independently of the Go code", tickets:$t, assign_tickets:$a, draws:[$d1,$d2,$d3], assignment:$asg}'
