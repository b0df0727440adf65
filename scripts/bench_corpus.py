#!/usr/bin/env python3
"""Writes a benchmark corpus of N documents for `make bench` (issue 6: batch operations).

    python3 scripts/bench_corpus.py N OUT_DIR [--fuji PATH] [--same-body]

The bundled fixtures (fixtures/inputs/: a Yokohama 令和3年度 and 令和4年度 plan, a foundation's
予算の概要, a ward's open-data CSV) are repeated with distinct content: in copy i every
comma-grouped amount (`32,774`, `△ 12,426`) gets its last two digits shifted by i, so each file has
its own hash and its own rows while keeping its layout (checks may no longer add up; that is
irrelevant to throughput). Copy i of every fixture is declared as the documents of one body, the
i-th city or town of the registry, as a nightly corpus holds many bodies; with --same-body every
copy is declared as in fixtures/sources.json instead (one body per fixture, so that every copy
is reconciled against every other). With --fuji, the Fuji budget book is the first document.
The sources manifest is OUT_DIR/sources.json.
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


def bodies():
    """Codes of the registry's cities and towns, in registry order."""
    out = []
    with open(os.path.join(ROOT, "schemas", "jurisdictions.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if cols[4] in ("city", "town"):
                out.append(cols[0])
    return out


def main():
    args = sys.argv[1:]
    same_body = "--same-body" in args
    if same_body:
        args.remove("--same-body")
    fuji = None
    if "--fuji" in args:
        k = args.index("--fuji")
        fuji = args[k + 1]
        del args[k:k + 2]
    n, out = int(args[0]), args[1]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    fixture_sources = {
        "r3_plan_pdftotext": {"jurisdiction": "横浜市", "fiscal_year": 2021, "account": "一般会計"},
        "r4_plan_layout": {"jurisdiction": "141003", "fiscal_year": "令和4年度", "account": "一般会計"},
        "kip_r4_plan": {"jurisdiction": "公益財団法人神奈川産業振興センター", "fiscal_year": 2022},
        "ward_budget_sample_cp932": {"jurisdiction": "世田谷区", "unit": "千円", "direction": "expenditure"},
    }
    codes = bodies()
    sources = []
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
        name = f"{stem}_{copy:04d}{ext}"
        with open(os.path.join(out, folder, name), "wb") as f:
            f.write(vary(data, copy))
        declared = dict(fixture_sources[stem])
        if not same_body:
            declared["jurisdiction"] = codes[copy % len(codes)]
        sources.append({"path": f"{folder}/{name}", **declared})
        made += 1
        i += 1
    with open(os.path.join(out, "sources.json"), "w", encoding="utf-8") as f:
        json.dump({"sources": sources}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
