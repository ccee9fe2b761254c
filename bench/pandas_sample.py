#!/usr/bin/python3
"""The draw a data-savvy clerk would write with pandas (issue 14's reference): read the roster,
take per credit class the share task 292 asks for (A 3%, B 5%, C 7%, D 9%, rounded up), write
the list. Not CHOUCHA-SAMPLE-v1 (no published tickets): only the cost of the same work.

  pandas_sample.py roster.csv out.csv
"""
import math, sys
import pandas as pd

RATIO = {"A": 3, "B": 5, "C": 7, "D": 9}

df = pd.read_csv(sys.argv[1], dtype=str, encoding="utf-8-sig")
parts = []
for cls, g in df.groupby("信用风险分类"):
    n = math.ceil(len(g) * RATIO.get(cls, 5) / 100)
    parts.append(g.sample(n=min(n, len(g)), random_state=20260401))
pd.concat(parts).to_csv(sys.argv[2], index=False)
