"""A synthetic national corpus: one 外部結合 report (text + .toml) per municipality code.

For the national-scale benchmark (scripts/bench_national.py): the reports are written in the
same tab-separated text format as published ones, so a build exercises the real parser, the
category matcher and the registries, not a shortcut. Every report draws its rows at random
(seeded: the same arguments give the same bytes) from pools of realistic values:

- businesses, reasons, data subjects and item lists: the rows of the bundled report(s), shuffled
  and cut (items are sampled per row, so lists differ between municipalities), plus common
  businesses of other municipalities (tax, pensions, childcare, elections);
- departments: common 課 names; counterparties: national bodies, real vendors from the
  organisation registry, unnamed kinds (LGWAN-ASPサービス提供者) and vendors no registry knows;
- other wordings and irregularities: another column order, other header aliases, dates as
  R3.4.1 / 令和3年4月1日 / full-width digits, 記載漏れ notes, a section (3) with ended rows or
  the statement 実績はありません, several counterparties in one cell, council decisions of
  earlier years with a cited statute.

About 22 connections per report on average (between 8 and 40). Reports are valid: the summary
adds up, so a strict build succeeds.

Usage: python scripts/gen_corpus.py OUT_DIR [--count N] [--fiscal-year 2021] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITIES = ROOT / "data" / "vocab" / "local-gov-code" / "cities.json"
REPORTS = ROOT / "data" / "reports"

HEADER = [
    "No.",
    "結合を行った課",
    "業務名",
    "外部結合を行った理由",
    "外部結合による処理対象者",
    "外部結合に係る個人情報記録の項目",
    "特定個人情報の有無",
    "条例根拠",
    "結合の相手方",
    "結合の開始年月日",
]
# other wordings of the same columns (data/reference/headers.toml lists them)
HEADER_ALT = {
    "結合を行った課": "担当課",
    "業務名": "事務名",
    "外部結合を行った理由": "結合の理由",
    "外部結合による処理対象者": "処理対象者",
    "外部結合に係る個人情報記録の項目": "個人情報記録の項目",
    "結合の相手方": "相手方",
    "結合の開始年月日": "開始年月日",
}

DEPARTMENTS = [
    "総務課", "税務課", "市民課", "戸籍住民課", "保険年金課", "国民健康保険課", "介護保険課",
    "高齢福祉課", "障害福祉課", "生活福祉課", "子育て支援課", "保育課", "健康推進課", "保健予防課",
    "環境政策課", "住宅課", "都市計画課", "産業振興課", "文化観光課", "情報政策課", "納税課",
    "学校教育課", "教育支援課", "生涯学習課", "選挙管理委員会事務局",
]  # fmt: skip

NATIONAL = [
    "地方公共団体情報システム機構", "国民健康保険中央会", "厚生労働省", "内閣官房", "総務省",
    "デジタル庁", "日本年金機構", "国税庁",
]  # fmt: skip
UNNAMED = ["LGWAN-ASPサービス提供者", "LGWAN－ASPサービス事業者", "納付サービス提供者", "委託事業者"]
VENDORS = [
    "株式会社NTTデータ", "東日本電信電話株式会社", "みずほ情報総研株式会社", "株式会社DNPアイディシステム",
    "SBプレイヤーズ株式会社", "早稲田システム開発株式会社", "マイクロソフト",
]  # fmt: skip
UNKNOWN_VENDOR_STEMS = ["北辰", "青葉", "瑞穂", "東海", "中央", "協和", "光洋", "大和", "日進", "三栄"]
UNKNOWN_VENDOR_TAILS = ["情報システム", "電算", "データサービス", "ソフトウェア", "ネットワークス"]

EXTRA_ROWS = [
    # business, reason, subjects, items, specific
    (
        "個人住民税の電子申告受付",
        "eLTAXによる給与支払報告書等の電子的提出を受け付けるため",
        "給与所得者及び公的年金受給者",
        "氏名、住所、生年月日、個人番号、給与支払額、所得控除額、扶養親族の氏名、特別徴収義務者名",
        True,
    ),
    (
        "児童手当の認定及び支給",
        "マイナポータルを利用した電子申請を受け付けるため",
        "児童手当受給者及びその配偶者",
        "氏名、住所、生年月日、個人番号、口座番号、所得額、児童の氏名、児童の生年月日",
        True,
    ),
    (
        "保育所入所申込の受付",
        "オンラインで入所申込を受け付け、事務の効率化を図るため",
        "保育所入所を希望する児童の保護者",
        "【保護者情報】氏名、住所、電話番号、勤務先、就労時間 【児童情報】氏名、生年月日、性別、健康状態",
        False,
    ),
    (
        "選挙人名簿の管理",
        "期日前投票所における名簿対照を迅速に行うため",
        "選挙人名簿登録者",
        "氏名、住所、生年月日、性別、投票区、投票済みの有無",
        False,
    ),
    (
        "図書館の予約サービス",
        "利用者がインターネットから資料を予約できるようにするため",
        "図書館利用登録者",
        "利用者番号、氏名、電話番号、メールアドレス、予約資料情報",
        False,
    ),
    (
        "粗大ごみ収集の受付",
        "インターネットで申込を受け付け、利便性の向上を図るため",
        "粗大ごみの収集を申し込む者",
        "氏名、住所、電話番号、品目、収集日",
        False,
    ),
]


@dataclass
class Pool:
    businesses: list[tuple[str, str, str, str, bool]]


def _bundled_rows() -> list[tuple[str, str, str, str, bool]]:
    """Rows of the bundled reports' section (2), read by their header (a pool, never expected values)."""
    rows = []
    for path in sorted(REPORTS.glob("*.txt")):
        header: list[str] | None = None
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if cells and cells[0].strip() in ("No.", "No"):
                header = [c.strip() for c in cells]
                continue
            if header and len(cells) == len(header) and cells[0].strip().isdigit():
                cell = dict(zip(header, cells, strict=True))
                rows.append(
                    (
                        cell.get("業務名", ""),
                        cell.get("外部結合を行った理由", ""),
                        cell.get("外部結合による処理対象者", ""),
                        cell.get("外部結合に係る個人情報記録の項目", ""),
                        bool(cell.get("特定個人情報の有無", "").strip()),
                    )
                )
    return rows


def _sample_items(rng: random.Random, items: str) -> str:
    """A plain item list (、-separated, no groups) keeps a random subset in order; grouped ones stay whole."""
    if any(mark in items for mark in "①【（("):
        return items
    parts = [p for p in items.split("、") if p]
    if len(parts) <= 3:
        return items
    keep = sorted(rng.sample(range(len(parts)), rng.randint(max(2, len(parts) // 2), len(parts))))
    return "、".join(parts[i] for i in keep)


FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _date(rng: random.Random, reiwa: int, month: int, day: int) -> str:
    style = rng.random()
    if style < 0.6:
        return f"R{reiwa}.{month}.{day}"
    if style < 0.75:
        return f"R{reiwa}. {month}. {day}"
    if style < 0.9:
        return f"令和{reiwa}年{month}月{day}日"
    return f"R{reiwa}.{month}.{day}".translate(FULL).replace("R", "Ｒ")


def _start_day(rng: random.Random) -> tuple[int, int]:
    """Month and day: national systems start on the same days (4月1日, the first of a month)."""
    month = 4 if rng.random() < 0.35 else rng.randint(1, 12)
    return month, 1 if rng.random() < 0.6 else rng.randint(2, 28)


def _counterparty(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.3:
        return rng.choice(NATIONAL)
    if r < 0.6:
        return rng.choice(UNNAMED)
    if r < 0.85:
        return rng.choice(VENDORS)
    if r < 0.95:
        return f"株式会社{rng.choice(UNKNOWN_VENDOR_STEMS)}{rng.choice(UNKNOWN_VENDOR_TAILS)}"
    return f"{rng.choice(VENDORS)} {rng.choice(VENDORS)}"  # two parties in one cell


def _legal_basis(rng: random.Random, reiwa: int) -> str:
    year = rng.randint(max(1, reiwa - 3), reiwa)
    era = "令和元年度" if year == 1 else f"令和{year}年度"
    text = f"{era}第{rng.randint(1, 10)}回審議会"
    if rng.random() < 0.75:
        return text + "承認"
    statute = rng.choice(["感染症法第12条第1項", "予防接種法第6条第1項", "健康保険法第3条第13項"])
    return f"{text}了承（{statute}）"


def report_text(rng: random.Random, name: str, head: str, fiscal_year: int, pool: Pool) -> str:
    reiwa = fiscal_year - 2018
    prev_era = "令和元年度" if reiwa - 1 == 1 else f"令和{reiwa - 1}年度"
    era = f"令和{reiwa}年度"
    n_new = max(8, min(40, round(rng.gauss(21, 6))))
    n_ended = rng.choice([0, 0, 0, 1, 2, 3])
    alt = rng.random() < 0.25
    reorder = rng.random() < 0.15
    header = [HEADER_ALT.get(h, h) if alt else h for h in HEADER]
    order = list(range(len(header)))
    if reorder:  # counterparty first, like some municipalities
        order = [8, 0, 9, 2, 1, 6, 5, 4, 7, 3]

    def row(cells: list[str]) -> str:
        return "\t".join(cells[i] for i in order)

    lines_new: list[str] = []
    specific = 0
    for number in range(1, n_new + 1):
        business, reason, subjects, items, flag = rng.choice(pool.businesses)
        specific += flag
        start = _date(rng, reiwa if rng.random() < 0.9 else reiwa + 1, *_start_day(rng))
        if rng.random() < 0.03:
            start += " 記載漏れ"
        cells = [
            str(number),
            rng.choice(DEPARTMENTS),
            business,
            reason,
            subjects,
            _sample_items(rng, items),
            "○" if flag else "",
            _legal_basis(rng, reiwa),
            _counterparty(rng),
            start,
        ]
        if number % 5 == 1 and number > 1:
            lines_new.append("")
            lines_new.append(row(header))
        lines_new.append(row(cells))
    ended_rows: list[str] = []
    for number in range(1, n_ended + 1):
        business, reason, subjects, items, _ = rng.choice(pool.businesses)
        cells = [
            str(number),
            rng.choice(DEPARTMENTS),
            business,
            "事業終了のため",
            subjects,
            _sample_items(rng, items),
            "",
            _legal_basis(rng, reiwa - 1),
            _counterparty(rng),
            _date(rng, reiwa, rng.randint(1, 12), rng.randint(1, 28)),
        ]
        ended_rows.append(row(cells))
    end_header = [h if h != header[9] else "結合の終了年月日" for h in header]

    mayor = head
    board_prev = rng.randint(0, 12)
    board_new = min(n_new, rng.randint(0, 4))
    mayor_new = n_new - board_new
    total_prev = rng.randint(20, 120)
    mayor_prev = max(n_ended, total_prev - board_prev)
    rows = [
        (mayor, mayor_prev, mayor_new, n_ended, specific),
        ("教育委員会", board_prev, board_new, 0, 0),
        ("選挙管理委員会", 0, 0, 0, 0),
        ("監査委員", 0, 0, 0, 0),
        ("議会", 0, 0, 0, 0),
    ]
    summary = []
    totals = [0, 0, 0, 0, 0]
    for agency, a, b, c, s in rows:
        summary.append(f"{agency}\t{a}\t{b}\t{c}\t{a + b - c}\t{s}")
        for i, v in enumerate((a, b, c, a + b - c, s)):
            totals[i] += v
    summary.append("合計\t" + "\t".join(str(v) for v in totals))

    out = [
        f"外部電子計算機との結合の状況（{era}）",
        "",
        "(1) 実施機関別外部電子計算機との結合件数",
        "",
        f"実施機関\t{prev_era}外部電子計算機との結合数\t新たな外部電子計算機との結合数\t"
        f"終了した外部電子計算機との結合数\t{era}外部電子計算機との結合数\t内、特定個人情報の取扱いがあるものの数",
        "\ta\tb\tc\ta + b - c\t",
        *summary,
        "",
        "※本人同意に基づく外部結合を除く。",
        "",
        f"(2) 新たに外部計算機との結合を行った外部結合の内訳（{name}）",
        "",
        row(header),
        *lines_new,
        "",
        "(3) 外部計算機との結合を終了した外部結合の内訳",
        "",
    ]
    if ended_rows:
        out += [row(end_header), *ended_rows]
    else:
        out.append("実績はありません。")
    return "\n".join(out) + "\n"


def _head(entry: dict) -> str:
    name = entry.get("city_name") or entry["name"]
    return {"市": "市長", "町": "町長", "村": "村長", "区": "区長"}.get(name[-1], "市長")


def generate(out: Path, count: int | None = None, fiscal_year: int = 2021, seed: int = 1) -> list[Path]:
    """Write ``count`` reports (default: every municipality) into ``out``; returns the report paths."""
    cities = json.loads(CITIES.read_text(encoding="utf-8"))
    if count is not None:
        cities = cities[:count]
    pool = Pool([*_bundled_rows(), *EXTRA_ROWS])
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in cities:
        code = str(entry["code"])
        rng = random.Random(f"{seed}-{code}-{fiscal_year}")
        name = entry.get("city_name") or entry["name"]
        stem = f"{code}-{fiscal_year}-gaibu-ketsugo"
        text = report_text(rng, name, _head(entry), fiscal_year, pool)
        (out / f"{stem}.txt").write_text(text, encoding="utf-8")
        (out / f"{stem}.toml").write_text(
            f'[report]\nfile = "{stem}.txt"\nmunicipality_code = "{code}"\nfiscal_year = {fiscal_year}\n'
            f'title = "外部電子計算機との結合の状況（令和{fiscal_year - 2018}年度）"\npublisher = "{name}"\n',
            encoding="utf-8",
        )
        paths.append(out / f"{stem}.txt")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, help="number of municipalities (default: all 1,747)")
    parser.add_argument("--fiscal-year", type=int, default=2021)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.fiscal_year, args.seed)
    print(f"wrote {len(paths)} reports to {args.out}")


if __name__ == "__main__":
    main()
