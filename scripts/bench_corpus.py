#!/usr/bin/env python3
"""Writes a benchmark corpus of N documents for `make bench` (issue 6: batch operations).

    python3 scripts/bench_corpus.py N OUT_DIR [--fuji PATH]

The bundled fixtures (fixtures/inputs/) are repeated with distinct content: in copy i every
comma-grouped amount (`32,774`, `△ 12,426`) gets its last two digits shifted by i, so each file has
its own hash and its own rows while keeping its layout (checks may no longer add up; that is
irrelevant to throughput). With --fuji, the Fuji budget book is the first document. A sources
manifest (OUT_DIR/sources.json) declares them as fixtures/sources.json does.
"""

import json
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = [
    ("yokohama", "r3_plan_pdftotext", ".txt"),
    ("yokohama", "r4_plan_layout", ".txt"),
    ("foundation", "kip_r4_plan", ".md"),
    ("open_data", "ward_budget_sample_cp932", ".csv"),
]
AMOUNT = re.compile(rb"\d{1,3}(?:,\d{3})+")


def vary(data, i):
    def shift(m):
        s = bytearray(m.group(0))
        s[-1] = ord("0") + (s[-1] - ord("0") + i) % 10
        s[-2] = ord("0") + (s[-2] - ord("0") + i // 10) % 10
        return bytes(s)

    return AMOUNT.sub(shift, data)


def main():
    args = sys.argv[1:]
    fuji = None
    if "--fuji" in args:
        k = args.index("--fuji")
        fuji = args[k + 1]
        del args[k:k + 2]
    n, out = int(args[0]), args[1]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    sources = [
        {"path": "yokohama/r3_*.txt", "jurisdiction": "横浜市", "fiscal_year": 2021, "account": "一般会計"},
        {"path": "yokohama/r4_*.txt", "jurisdiction": "141003", "fiscal_year": "令和4年度", "account": "一般会計"},
        {"path": "foundation/*", "jurisdiction": "公益財団法人神奈川産業振興センター", "fiscal_year": 2022},
        {"path": "open_data/*.csv", "jurisdiction": "世田谷区", "unit": "千円", "direction": "expenditure"},
    ]
    made = 0
    if fuji and n > 0:
        os.makedirs(os.path.join(out, "fuji"))
        shutil.copy(fuji, os.path.join(out, "fuji", "r6-budget.pdf"))
        sources.append({"path": "fuji/*.pdf", "jurisdiction": "富士市", "fiscal_year": 2024})
        made = 1
    i = 0
    while made < n:
        folder, stem, ext = FIXTURES[i % len(FIXTURES)]
        copy = i // len(FIXTURES)
        with open(os.path.join(ROOT, "fixtures", "inputs", folder, stem + ext), "rb") as f:
            data = f.read()
        os.makedirs(os.path.join(out, folder), exist_ok=True)
        with open(os.path.join(out, folder, f"{stem}_{copy:04d}{ext}"), "wb") as f:
            f.write(vary(data, copy))
        made += 1
        i += 1
    with open(os.path.join(out, "sources.json"), "w", encoding="utf-8") as f:
        json.dump({"sources": sources}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
