"""The briefing for readers who do not write SPARQL: facts read off the bundled report by hand.

The bundled report (Shinjuku City, FY2020) has 22 new connections and no ended one; its summary
table gives 区長 61 / 19 / 0 / 80 / 24 (line 9). No.12 (line 40) sends マイナンバー to 内閣官房 with
the 特定個人情報 column blank; No.17 starts on H18.6.1 with the remark 記載漏れ; nine counterparties
are named only by their kind (No.1, 3, 4, 7, 9, 14, 15, 18, 19: LGWAN-ASPサービス提供者/事業者 and
one 納付サービス提供者); ○ is marked on No.4, 8, 9, 13 and 16.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketsugo.cli.main import cli
from ketsugo.export import briefing
from ketsugo.pipeline import metadata_from_options, run_build
from ketsugo.store.disk import open_store

UNNAMED = [1, 3, 4, 7, 9, 14, 15, 18, 19]


@pytest.fixture(scope="module")
def collected(bundled_build: Path) -> briefing.Briefing:
    return briefing.collect(open_store(bundled_build))


@pytest.fixture(scope="module")
def md(collected: briefing.Briefing) -> str:
    return briefing.to_markdown(collected, "both")


@pytest.fixture(scope="module")
def page(collected: briefing.Briefing) -> str:
    return briefing.to_html(collected, "both")


def card(md: str, number: int) -> str:
    """The Markdown card of connection No.<number> (up to the next heading of its level or above)."""
    match = re.search(rf"^#### No\.{number} .*?(?=^#{{1,4}} |\Z)", md, re.M | re.S)
    assert match, f"no card for No.{number}"
    return match.group(0)


def section(md: str, title: str) -> str:
    match = re.search(rf"^### \d\. {re.escape(title)}.*?(?=^### |\Z)", md, re.M | re.S)
    assert match, title
    return match.group(0)


def line_with(text: str, needle: str) -> str:
    found = [line for line in text.splitlines() if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


# --------------------------------------------------------------------------- the Markdown document


def test_one_card_per_connection_in_number_order(md: str, collected: briefing.Briefing) -> None:
    assert [int(n) for n in re.findall(r"^#### No\.(\d+) ", md, re.M)] == list(range(1, 23))
    (report,) = collected.reports
    assert report.source_file == "shinjuku-2020-gaibu-ketsugo.txt" and report.fiscal_year == 2020
    assert report.municipality == "新宿区" and not report.ended
    assert "`shinjuku-2020-gaibu-ketsugo.txt`" in md


def test_summary_table(md: str) -> None:
    table = section(md, "実施機関別の結合件数")
    cells = [c.strip() for c in line_with(table, "| 区長").strip("|").split("|")]
    assert cells == ["区長 (Mayor of Shinjuku City)", "61", "19", "0", "80", "24", "9"]
    total = [c.strip() for c in line_with(table, "合計").strip("|").split("|")]
    assert total == ["**合計**", "**66**", "**22**", "**0**", "**88**", "**24**", "**14**"]
    assert "※本人同意に基づく外部結合を除く。" in table


def test_card_12_names_the_cabinet_secretariat_and_my_number(md: str) -> None:
    text = card(md, 12)
    assert "新型コロナウイルスワクチン接種事務運営業務" in text
    assert "**内閣官房 (Cabinet Secretariat)** — 国の機関 (national government body)" in text
    assert "保健予防課 — 新宿区長" in text
    assert "宛名番号（住民番号）、氏名、生年月日、性別、転出/死亡フラグ、マイナンバー、接種券番号" in text
    assert "**⚠個人番号 (Individual Number (My Number))** \\[特定個人情報" in text
    assert "（空欄） / (blank)" in text  # the ○ column as written
    assert "違反 / Violation" in text  # the My Number finding, in both languages
    assert "特定個人情報の有無が○になっていない" in text and "is not marked ○" in text
    assert (
        "令和2年度第4回審議会了承（予防接種法第6条第1項、予防接種法第29条、予防接種法附則第7条第2項" in text
    )
    assert "予防接種法附則第7条第2項 — [予防接種法 (Immunization Act)](https://laws.e-gov.go.jp/law/" in text
    assert "`shinjuku-2020-gaibu-ketsugo.txt` 40行目 / line 40" in text


def test_card_17_keeps_the_remark_after_the_date(md: str) -> None:
    text = card(md, 17)
    start = line_with(text, "結合の開始年月日")
    assert "**2006-06-01**" in start and "H18.6.1 記載漏れ" in start and "remark: **記載漏れ**" in start
    assert "株式会社NTTデータ" in text and "49行目" in text


def test_unnamed_counterparties(md: str, collected: briefing.Briefing) -> None:
    (report,) = collected.reports
    assert [c.number for c in report.connections for r in c.recipients if r.unnamed] == UNNAMED
    facts = section(md, "主な事実")
    unnamed = line_with(facts, "名称不記載の相手方")
    refs = ", ".join(f"No.{n}" for n in UNNAMED)
    assert f"**名称不記載の相手方 9 件 / Unnamed counterparties: 9**（{refs}）" in unnamed
    assert "only their kind" in unnamed
    assert "No.18「納付サービス提供者」" in facts
    for number in range(1, 23):
        assert ("名称不記載 / unnamed" in card(md, number)) == (number in UNNAMED), number
    assert "「LGWAN－ASPサービス提供者」 **名称不記載 / unnamed**" in card(
        md, 1
    )  # as written (full-width dash)


def test_named_recipients_by_type(md: str) -> None:
    facts = section(md, "主な事実")
    assert "**国の機関 (national government body) 2:** 厚生労働省 (Ministry of Health" in facts
    assert "内閣官房 (Cabinet Secretariat)（No.12）" in facts
    assert (
        "地方公共団体情報システム機構 (Japan Agency for Local Authority Information Systems)（No.2, No.8）"
        in facts
    )
    assert "公益社団法人国民健康保険中央会" in line_with(facts, "公益法人等")
    assert "（No.13, No.16）" in line_with(facts, "公益法人等")
    private = line_with(facts, "民間事業者 (private company) 9:")
    assert "Sky株式会社" in private and "マイクロソフト" in private
    assert "名称のある組織 13 団体" in facts
    # No.22 names three companies in one cell: the cell as written, then each company
    text = card(md, 22)
    assert "マイクロソフト エヌ・ティ・ロ・コミュニケーション株式会社 SKY株式会社" in text
    assert text.count("— 民間事業者 (private company)") == 3


def test_my_number_facts(md: str) -> None:
    facts = section(md, "主な事実")
    assert line_with(facts, "特定個人情報の有無に○").endswith("5: No.4, No.8, No.9, No.13, No.16")
    assert line_with(facts, "項目に個人番号（マイナンバー）がある").endswith("2: No.12, No.16")
    assert line_with(facts, "○がない").endswith("No.12")
    assert "**○**" in card(md, 16) and "（空欄）" in card(md, 12)


def test_sensitive_flows_and_vulnerable_subjects(md: str) -> None:
    facts = section(md, "主な事実")
    special = line_with(facts, "要配慮個人情報 (special care-required personal information)")
    for number, category in ((9, "傷病名"), (11, "感染症"), (13, "健診結果"), (16, "DV等被害者の保護")):
        assert f"No.{number}（" in special and category in special
    secrets = line_with(facts, "認証用の秘密情報 (authentication secret)")
    assert "No.20（パスワード (Password)）; No.21（パスワード (Password)）; No.22（パスワード" in secrets
    assert "No.1（" in line_with(facts, "金融・財産に関する情報 (financial information)")
    assert line_with(facts, "生活保護受給者 (public assistance").endswith("No.8, No.9, No.10")
    assert line_with(facts, "児童・生徒 (schoolchildren").endswith("No.20, No.21, No.22")
    assert "⚠ 児童・生徒" in card(md, 20) and "**⚠パスワード (Password)**" in card(md, 20)


def test_findings_section(md: str, collected: briefing.Briefing) -> None:
    findings = section(md, "確認すべき点")
    # The report itself: 1 violation (No.12) and 4 warnings — 2 reason/counterparty mismatches, 2 vague
    # items. The 9 vendors named only by their kind are disclosure gaps, listed apart (not faults).
    # Reading it: line 31's 「。」 between items, listed apart. Curation notes (5 unmapped items,
    # 6 companies without corporate number) are counted, not asked about.
    assert "違反 / Violation 1、警告 / Warning 4。" in findings
    gaps = findings[findings.index("開示の不足") : findings.index("報告書の読み取りの問題")]
    assert (
        "9 件" in gaps and gaps.count("LGWAN") == 8 * 2 and gaps.count("納付サービス提供者") == 2
    )  # ja and en
    assert "**違反 / Violation** No.12 · 40行目 / line 40 · 保健予防課" in findings
    # No.17's start date with the report's remark, and the 5 applied errata of the report
    assert "このほか情報 6 件" in findings
    assert "curation notes" in findings and " 11 件" in findings
    assert "categories.ttl" not in findings  # no instructions for ketsugo's developers here
    reading = findings[findings.index("報告書の読み取りの問題") :]
    assert "31行目 / line 31" in reading and "40行目" not in reading
    (report,) = collected.reports
    assert len(report.findings) == 5 and report.other_findings == 6 and report.curation_notes == 11
    assert len(report.disclosure_gaps) == 9 and {f.kind for f in report.disclosure_gaps} == {"disclosure"}
    assert {f.kind for f in report.findings} == {"report"}
    assert [(f.kind, f.line) for f in report.reading_findings] == [("reading", 31)]
    assert {f.severity for f in report.findings} == {"Violation", "Warning"}
    assert "包括的な記載" in card(md, 19) and "指摘 / Findings**: なし / none" in card(md, 21)


def test_items_keep_the_report_grouping(md: str) -> None:
    text = card(md, 4)
    assert "**【調定情報】** 納付番号、収納機関連番号" in text
    assert "延滞金区分、納付内容カナ（印字された税目、年度、期別の内容）、納付内容漢字、手数料区分" in text
    assert "**【収納情報】** 支払合計額累積" in text
    assert "Items of no category: 年度" in text
    first = card(md, 1)
    assert "**①給付対象者情報** 住民番号、カナ氏名" in first and "**③給付金の状況** 給付の有無" in first
    assert "注 / note: \\*氏名及び保護者氏名は、番号又はニックネームで管理" in card(md, 21)


def test_languages(collected: briefing.Briefing) -> None:
    ja = briefing.to_markdown(collected, "ja")
    en = briefing.to_markdown(collected, "en")
    assert "### 2. 主な事実\n" in ja and "Key facts" not in ja
    assert "### 2. Key facts\n" in en and "主な事実" not in en
    assert "**Cabinet Secretariat** — national government body" in card(en, 12)
    assert "新型コロナウイルスワクチン接種事務運営業務" in card(en, 12)  # report text stays as written
    assert "**内閣官房** — 国の機関" in card(ja, 12)
    with pytest.raises(ValueError):
        briefing.to_markdown(collected, "fr")


# --------------------------------------------------------------------------- the HTML page


class _Checker(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.append(found["id"] or "")
        if found.get("href"):
            self.hrefs.append(found["href"] or "")
        self._in_style = tag == "style"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} inside {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def test_html_is_well_formed_and_self_contained(page: str) -> None:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert page.startswith("<!DOCTYPE html>")
    assert not [t for t, _ in checker.tags if t in ("script", "link", "iframe", "img", "object")]
    assert not [a for _, a in checker.tags if "src" in a or "style" in a]
    assert "url(" not in checker.style and "@import" not in checker.style and "http" not in checker.style
    for href in checker.hrefs:  # links only to the page itself or to e-Gov's law pages
        assert href.startswith("#") or href.startswith("https://laws.e-gov.go.jp/law/"), href
        if href.startswith("#"):
            assert href[1:] in checker.ids, href
    assert len(checker.ids) == len(set(checker.ids))
    assert page.count('<section class="card"') == 22


def test_html_carries_the_same_facts(page: str) -> None:
    start = page.index('<h4 id="no-131041-2020-12">')
    text = page[start : page.index("</section>", start)]
    assert "内閣官房 (Cabinet Secretariat)" in text and "マイナンバー" in text
    assert "特定個人情報の有無が○になっていない" in text
    assert (
        '<td class="num">61</td><td class="num">19</td><td class="num">0</td><td class="num">80</td>' in page
    )
    assert "名称不記載の相手方 9 件 / Unnamed counterparties: 9" in page


# --------------------------------------------------------------------------- escaping, the command

HEADER = (
    "No.\t結合を行った課\t業務名\t外部結合を行った理由\t外部結合による処理対象者\t外部結合に係る個人情報記録の項目"
    "\t特定個人情報の有無\t条例根拠\t結合の相手方\t結合の開始年月日"
)
SUMMARY_HEADER = (
    "件数 実施機関\t令和元年度外部電子計算機との結合数\t新たな外部電子計算機との結合数"
    "\t終了した外部電子計算機との結合数\t令和2年度外部電子計算機との結合数\t内、特定個人情報の取扱いがあるものの数"
)
ROW = (
    '1\t総務課\t<script>alert("x")</script>送付 & 受付\t理由 <b>太字</b> & 1 < 2 &amp;\t新宿区民'
    "\t氏名、住所、<img src=x onerror=alert(1)>\t\t令和2年度第2回審議会承認\tLGWAN-ASPサービス提供者\tR2.5.15"
)


@pytest.fixture(scope="module")
def tricky_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-connection report whose text is full of markup and ampersands."""
    folder = tmp_path_factory.mktemp("tricky")
    agencies = ["区長\t0\t1\t0\t1\t0"] + [
        f"{a}\t0\t0\t0\t0\t0" for a in ("教育委員会", "選挙管理委員会", "監査委員", "議会")
    ]
    lines = [
        "外部電子計算機との結合の状況（令和2年度）",
        "",
        "(1) 実施機関別外部電子計算機との結合件数",
        "",
        SUMMARY_HEADER,
        "\ta\tb\tc\ta + b - c\t",
        *agencies,
        "合計\t0\t1\t0\t1\t0",
        "",
        "(2)新たに外部計算機との結合を行った外部結合の内訳",
        "",
        HEADER,
        ROW,
        "",
        "(3) 外部計算機との結合を終了した外部結合の内訳",
        "",
        "実績はありません。",
    ]
    report = folder / "tricky.txt"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "build"
    run_build([metadata_from_options(report, "131041", 2020)], out)
    return out


def test_report_text_is_escaped(tricky_store: Path) -> None:
    collected = briefing.collect(open_store(tricky_store))
    page = briefing.to_html(collected, "both")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;送付 &amp; 受付" in page
    assert "理由 &lt;b&gt;太字&lt;/b&gt; &amp; 1 &lt; 2 &amp;amp;" in page
    checker = _Checker()
    checker.feed(page)
    assert checker.errors == [] and checker.stack == []
    md = briefing.to_markdown(collected, "both")
    assert '#### No.1 \\<script>alert("x")\\</script>送付 & 受付' in md
    assert "理由 \\<b>太字\\</b> & 1 \\< 2 \\&amp;" in md  # `&amp;` stays literal text
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(md)
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "&amp;amp;" in rendered


def test_command_writes_a_page(tricky_store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "briefing.html"
    result = runner.invoke(
        cli,
        [
            "export",
            "briefing",
            "--store",
            str(tricky_store),
            "--format",
            "html",
            "--lang",
            "en",
            "-o",
            str(target),
        ],
    )
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "Key facts" in page and "主な事実" not in page
    shown = runner.invoke(cli, ["export", "briefing", "--store", str(tricky_store), "--lang", "ja"])
    assert shown.exit_code == 0 and shown.output.startswith("# 外部結合の説明資料\n")
    missing = runner.invoke(cli, ["export", "briefing", "--store", str(tmp_path / "missing")])
    assert missing.exit_code == 2 and "no ketsugo build here" in missing.output
