#!/usr/bin/env python3
"""Generates a large synthetic pledge and indicator-values pair for timing
`tdkt import indicators` (issue 3: 1 M rows).

    python3 scripts/gen_indicators.py OUTDIR [CLUSTERS]

With the default 500 clusters: 500 clusters x 20 members x 5 indicators x
20 periods (12 months, 4 quarters, 2 halves, the year, one campaign window)
= 1 000 000 value rows. Values are random but valid for their unit.
"""
import random
import sys
from pathlib import Path

out = Path(sys.argv[1])
clusters = int(sys.argv[2]) if len(sys.argv) > 2 else 500
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(2019)
indicators = [
    ("grdp_growth", "Tốc độ tăng trưởng kinh tế (GRDP)", "percent", "higher", "mean", ""),
    ("budget_revenue_plan_pct", "Thu ngân sách so với kế hoạch năm", "percent", "higher", "mean", "55"),
    ("export_value", "Kim ngạch xuất khẩu", "million_usd", "higher", "sum", ""),
    ("poor_households_rate", "Tỷ lệ hộ nghèo", "percent", "lower", "mean", ""),
    ("new_enterprises", "Số doanh nghiệp thành lập mới", "count", "higher", "sum", ""),
]
periods = [f"2019-{m:02d}" for m in range(1, 13)] + [f"2019-Q{q}" for q in range(1, 5)]
periods += ["2019-H1", "2019-H2", "2019", "2019-08-09T00:00/2019-08-23T00:00"]
with open(out / "pledge.csv", "w", encoding="utf-8") as f:
    f.write("cluster,year,indicator,name,unit,direction,aggregate,threshold\n")
    for c in range(clusters):
        for key, name, unit, d, a, t in indicators:
            f.write(f"cum-{c},2019,{key},{name},{unit},{d},{a},{t}\n")
with open(out / "values.csv", "w", encoding="utf-8") as f:
    f.write("cluster,period,member,indicator,value,unit\n")
    for c in range(clusters):
        for m in range(20):
            member = f"Đơn vị thử {c} {m}"
            for p in periods:
                for key, _, unit, _, _, _ in indicators:
                    v = rng.randint(0, 99999) if unit == "count" else round(rng.uniform(0, 100), 2)
                    f.write(f"cum-{c},{p},{member},{key},{v},{unit}\n")
