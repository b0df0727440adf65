#!/usr/bin/env python3
"""Generate schemas/jurisdictions.tsv, the jurisdiction registry of yosan.

Source: the 総務省 住民基本台帳 population table for every municipality,
`FY2015-population_dynamics_municipal.xls` (see ../shared/corpus/README.md).
Its first sheet has one row per prefecture, municipality, administrative ward
(行政区) and district (郡, aggregate rows), with the 6-digit 全国地方公共団体コード
in column A, the prefecture in column B and the municipality in column C
(empty for the prefecture's own row). Data starts at row 6 (index 5).

The table describes 1 January 2015. Changes since then are applied from the
CHANGES list below and reported on stdout; they are also listed in
schemas/README.md.

Usage:
    pip install xlrd
    python3 schemas/generate_jurisdictions.py            # rewrite jurisdictions.tsv
    python3 schemas/generate_jurisdictions.py --check    # exit 1 if the file is stale
    python3 schemas/generate_jurisdictions.py --xls PATH --out PATH
"""

import argparse
import re
import sys
from pathlib import Path

import xlrd

HERE = Path(__file__).resolve().parent
DEFAULT_XLS = HERE.parent.parent / "shared" / "corpus" / "soumu" / "FY2015-population_dynamics_municipal.xls"
DEFAULT_OUT = HERE / "jurisdictions.tsv"

COLUMNS = [
    "code",
    "name",
    "prefecture_code",
    "prefecture",
    "kind",
    "full_name",
    "parent_code",
    "aliases",
    "former_codes",
    "note",
]

# The 47 prefectures in code order (JIS X 0401). Their 6-digit codes are
# pp000 plus the check digit; the generator computes them and verifies them
# against the rows of the source table.
PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県",
    "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県",
    "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県",
    "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県",
    "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県",
    "徳島県", "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県",
    "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]

# Changes after the source table's date (1 January 2015).
# Each entry removes codes and/or adds or renames bodies. `former_codes` of an
# added body lists the abolished codes whose whole area it took over.
CHANGES = [
    {
        "date": "2016-10-10",
        "what": "宮城県 黒川郡富谷町 (044237) became 富谷市 (042161), 市制施行",
        "remove": ["044237"],
        "add": [
            {
                "code": "042161", "name": "富谷市", "prefecture_code": "040002", "kind": "city",
                "aliases": ["富谷町", "宮城県富谷町", "黒川郡富谷町", "宮城県黒川郡富谷町"], "former_codes": ["044237"],
                "note": "市制施行 2016-10-10 (formerly 黒川郡富谷町 044237); added by the generator",
            }
        ],
    },
    {
        "date": "2018-10-01",
        "what": "福岡県 筑紫郡那珂川町 (403059) became 那珂川市 (402311), 市制施行",
        # no bare 那珂川町 alias: 栃木県那須郡那珂川町 (094111) still exists
        "remove": ["403059"],
        "add": [
            {
                "code": "402311", "name": "那珂川市", "prefecture_code": "400009", "kind": "city",
                "aliases": ["福岡県那珂川町", "筑紫郡那珂川町", "福岡県筑紫郡那珂川町"], "former_codes": ["403059"],
                "note": "市制施行 2018-10-01 (formerly 筑紫郡那珂川町 403059); added by the generator",
            }
        ],
    },
    {
        "date": "2019-05-01",
        "what": "兵庫県 篠山市 (282219) renamed 丹波篠山市, same code",
        "rename": {"282219": {"name": "丹波篠山市", "aliases": ["篠山市", "兵庫県篠山市"],
                              "note": "renamed from 篠山市 2019-05-01"}},
    },
    {
        "date": "2024-01-01",
        "what": "静岡県 浜松市 reorganised its seven wards into three: 中区, 東区, 西区, 南区 and part of 北区 "
                "became 中央区 (221384); 浜北区 and the rest of 北区 became 浜名区 (221392); 天竜区 unchanged",
        "remove": ["221317", "221325", "221333", "221341", "221350", "221368"],
        "add": [
            {
                "code": "221384", "name": "浜松市中央区", "prefecture_code": "220001", "kind": "administrative_ward",
                "parent_code": "221309", "aliases": [], "former_codes": ["221317", "221325", "221333", "221341"],
                "note": "ward created 2024-01-01 from 中区, 東区, 西区, 南区 and part of 北区; added by the generator",
            },
            {
                "code": "221392", "name": "浜松市浜名区", "prefecture_code": "220001", "kind": "administrative_ward",
                "parent_code": "221309", "aliases": [], "former_codes": ["221368"],
                "note": "ward created 2024-01-01 from 浜北区 and most of 北区; added by the generator "
                        "(北区 221350 was split and maps to no single successor)",
            },
        ],
    },
]

# The six villages of the Northern Territories keep their codes in the
# official list but have no functioning administration.
NORTHERN_TERRITORIES = {"016951", "016969", "016977", "016985", "016993", "017001"}

# Bodies the project's own tests and documents rely on.
REQUIRED = {
    "141003": "横浜市",
    "140007": "神奈川県",
    "222101": "富士市",
    "141500": "相模原市",
    "131121": "世田谷区",
    "010006": "北海道",
    "130001": "東京都",
}


def check_digit(first5: str) -> int:
    """全国地方公共団体コード check digit (field-notes §3)."""
    d = [int(c) for c in first5]
    s = 6 * d[0] + 5 * d[1] + 4 * d[2] + 3 * d[3] + 2 * d[4]
    return (11 - s % 11) % 10


def code_ok(code: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", code)) and check_digit(code[:5]) == int(code[5])


def pref_code(index: int) -> str:
    first5 = f"{index:02d}000"
    return first5 + str(check_digit(first5))


def short_prefecture(name: str) -> str:
    """神奈川県 -> 神奈川, 東京都 -> 東京, 北海道 -> 北海道 (no suffix to drop)."""
    if name == "北海道":
        return name
    return name[:-1]


def read_rows(xls: Path):
    book = xlrd.open_workbook(str(xls))
    sheet = book.sheet_by_index(0)
    header = [str(sheet.cell_value(1, c)).strip() for c in range(3)]
    if header != ["団体コード", "都道府県名", "市区町村名"]:
        raise SystemExit(f"unexpected layout: row 2 reads {header!r}; inspect the file and adapt the generator")
    rows = []
    for r in range(5, sheet.nrows):
        code_cell = sheet.cell(r, 0)
        if code_cell.ctype != xlrd.XL_CELL_TEXT:
            raise SystemExit(f"row {r + 1}: code cell is not text ({code_cell!r}); leading zeros would be lost")
        code = str(code_cell.value).strip()
        pref = str(sheet.cell_value(r, 1)).strip()
        name = str(sheet.cell_value(r, 2)).strip()
        if not code and pref == "合計":
            continue
        rows.append((r + 1, code, pref, name))
    return rows


def build(xls: Path):
    notes = []
    rows = read_rows(xls)
    codes_seen = set()
    for line, code, _, _ in rows:
        if not code_ok(code):
            raise SystemExit(f"row {line}: {code!r} fails the check digit")
        if code in codes_seen:
            raise SystemExit(f"row {line}: duplicate code {code}")
        codes_seen.add(code)

    prefectures = {}
    for i, name in enumerate(PREFECTURES, start=1):
        prefectures[name] = pref_code(i)

    entries = {}
    pref_rows = [(c, p) for _, c, p, n in rows if n == ""]
    if len(pref_rows) != 47:
        raise SystemExit(f"expected 47 prefecture rows, found {len(pref_rows)}")
    for code, pref in pref_rows:
        if prefectures.get(pref) != code:
            raise SystemExit(f"prefecture {pref}: table says {code}, computed {prefectures.get(pref)}")
        short = short_prefecture(pref)
        entries[code] = {
            "code": code, "name": pref, "prefecture_code": code, "prefecture": pref, "kind": "prefecture",
            "full_name": pref, "parent_code": "", "aliases": [short] if short != pref else [],
            "former_codes": [], "note": "",
        }

    municipal = [(line, c, p, n) for line, c, p, n in rows if n != ""]
    # Designated cities are the 市 rows that have 行政区 rows named "<city>…区".
    city_names = {(p, n): c for _, c, p, n in municipal if n.endswith("市")}
    designated = set()
    skipped_districts = []
    for line, code, pref, raw in municipal:
        name = raw
        district = ""
        island = ""
        if pref not in prefectures:
            raise SystemExit(f"row {line}: unknown prefecture {pref!r}")
        if raw.endswith("郡") or raw == "島しょ":
            # aggregate rows of a district (郡) or of Tokyo's islands: not local bodies
            skipped_districts.append(code)
            continue
        if "\u3000" in raw:
            # 三宅島　三宅村, 八丈島　八丈町: island name before the municipality
            island, name = raw.split("\u3000", 1)
        m = re.fullmatch(r"(.+?郡)(.+[町村])", name)
        if m and not name.endswith("市"):
            district, name = m.group(1), m.group(2)
        parent = ""
        if name.endswith("市"):
            kind = "city"
        elif name.endswith("町"):
            kind = "town"
        elif name.endswith("村"):
            kind = "village"
        elif name.endswith("区"):
            owner = next(
                ((p, n) for (p, n) in city_names if p == pref and name.startswith(n) and len(name) > len(n)),
                None,
            )
            if owner is not None:
                kind = "administrative_ward"
                parent = city_names[owner]
                designated.add(parent)
            elif pref == "東京都" and code.startswith("131"):
                kind = "ward"
            else:
                raise SystemExit(f"row {line}: 区 {raw!r} belongs to no designated city and is not a Tokyo ward")
        else:
            raise SystemExit(f"row {line}: cannot classify {raw!r}")
        aliases = []
        if district:
            aliases += [district + name, pref + district + name]
        if island:
            aliases += [island + name, pref + island + name]
        note = ""
        if code in NORTHERN_TERRITORIES:
            note = "北方領土: code kept in the official list; no functioning administration"
        entries[code] = {
            "code": code, "name": name, "prefecture_code": prefectures[pref], "prefecture": pref, "kind": kind,
            "full_name": pref + name, "parent_code": parent, "aliases": aliases, "former_codes": [], "note": note,
        }
    for code in designated:
        entries[code]["kind"] = "designated_city"

    # Changes after 2015.
    pref_by_code = {v: k for k, v in prefectures.items()}
    for change in CHANGES:
        notes.append(f"{change['date']}: {change['what']}")
        for code in change.get("remove", []):
            if code not in entries:
                raise SystemExit(f"change {change['date']}: {code} is not in the source table")
            del entries[code]
        for code, upd in change.get("rename", {}).items():
            e = entries[code]
            e["name"] = upd["name"]
            e["full_name"] = e["prefecture"] + upd["name"]
            e["aliases"] = upd["aliases"] + e["aliases"]
            e["note"] = upd["note"]
        for add in change.get("add", []):
            if not code_ok(add["code"]):
                raise SystemExit(f"change {change['date']}: {add['code']} fails the check digit")
            if add["code"] in entries:
                raise SystemExit(f"change {change['date']}: {add['code']} already present")
            pref = pref_by_code[add["prefecture_code"]]
            entries[add["code"]] = {
                "code": add["code"], "name": add["name"], "prefecture_code": add["prefecture_code"],
                "prefecture": pref, "kind": add["kind"], "full_name": pref + add["name"],
                "parent_code": add.get("parent_code", ""), "aliases": add["aliases"],
                "former_codes": add["former_codes"], "note": add["note"],
            }

    out = [entries[c] for c in sorted(entries)]
    # Checks.
    seen = set()
    for e in out:
        assert code_ok(e["code"]), e
        assert e["code"] not in seen, e
        seen.add(e["code"])
        assert e["code"][:2] == e["prefecture_code"][:2], e
        for f in e["former_codes"]:
            assert code_ok(f), e
        if e["parent_code"]:
            assert entries[e["parent_code"]]["kind"] == "designated_city", e
        for col in COLUMNS:
            value = e[col] if isinstance(e[col], str) else "|".join(e[col])
            assert "\t" not in value and "\n" not in value, e
    for code, name in REQUIRED.items():
        if code not in entries or entries[code]["name"] != name:
            raise SystemExit(f"required body {code} {name} missing or misnamed")
    return out, notes, skipped_districts


def render(entries) -> str:
    lines = ["\t".join(COLUMNS)]
    for e in entries:
        cells = []
        for col in COLUMNS:
            v = e[col]
            cells.append("|".join(v) if isinstance(v, list) else v)
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--xls", type=Path, default=DEFAULT_XLS)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args()

    entries, notes, skipped = build(args.xls)
    text = render(entries)

    counts = {}
    for e in entries:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    municipalities = sum(counts.get(k, 0) for k in ("designated_city", "city", "ward", "town", "village"))
    print(f"source: {args.xls}")
    print(f"skipped {len(skipped)} aggregate rows of districts (郡) and islands (島しょ)")
    print("bodies by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"municipalities (市町村 and 特別区): {municipalities}")
    print("not in the source table (changes after 1 January 2015), applied:")
    for n in notes:
        print("  - " + n)

    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale: run python3 schemas/generate_jurisdictions.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(entries)} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
