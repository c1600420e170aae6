"""Every finding and error has a Japanese wording (data/reference/messages-ja.toml), and the CLI
prints the language asked for (--lang, KETSUGO_LANG, the locale).

Coverage is checked two ways: the message templates written in the source (the English
sentences passed to Issue, problem/warn, the remarks of items and legal bases, the registry's
warnings and the CLI's own errors, read from the modules' syntax trees), and the messages
actually produced by reading every test case and building the bundled report.
"""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import re
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import ketsugo.read
from ketsugo.cli import messages
from ketsugo.cli.messages import compile_template, has_words, localise, templates, translate
from tests.conftest import BUNDLED, CASES

# the parser and the build, and the CLI's own errors (dotted names: the files are found by import)
MODULES = [
    "ketsugo.read.parser",
    "ketsugo.read.layout",
    "ketsugo.read.table",
    "ketsugo.read.summary",
    "ketsugo.read.columns",
    "ketsugo.read.wrapping",
    "ketsugo.read.stacked",
    "ketsugo.read.cards",
    "ketsugo.read.quoted",
    "ketsugo.read.connections",
    "ketsugo.read.eras",
    "ketsugo.read.items",
    "ketsugo.read.legal",
    "ketsugo.read.textio",
    "ketsugo.read.metadata",
    "ketsugo.pipeline",
    "ketsugo.graph.quads",
    "ketsugo.graph.resolve",
    "ketsugo.store.disk",
    "ketsugo.store.files",
    "ketsugo.graph.curation",
    "ketsugo.graph.reference",
    "ketsugo.errors",
    "ketsugo.sparql.catalogue",
    "ketsugo.sparql.query",
    "ketsugo.sparql.server",
    "ketsugo.cli.query",
    "ketsugo.cli.common",
    "ketsugo.cli.main",
]
# every module that reads a report (the published forms of read.sources, errata files too): any
# message a report reading can give has its Japanese (items9: the sources were missing)
MODULES += sorted(
    {m.name for m in pkgutil.walk_packages(ketsugo.read.__path__, "ketsugo.read.")} - set(MODULES)
)
# the exceptions whose text the CLI prints (anything else is a bug, shown as one)
PRINTED_ERRORS = {
    "EraDateError",
    "QueryError",
    "CatalogueError",
    "EndpointError",
    "ServerError",
    "PortInUseError",
}
# where a call passes the message: Issue(path, line, field, MESSAGE), state.problem(line, field, MESSAGE)
MESSAGE_ARGUMENT = {"Issue": 3, "problem": 2, "warn": 2}
_HOLE = re.compile(r"\{\w*\}")


def _template(node: ast.expr) -> str | None:
    """An English template from a string, an f-string or a sum of them: each value a `{}`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _template(node.left), _template(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else "{}") + (right if right is not None else "{}")
    return None


def _message_argument(node: ast.AST) -> ast.expr | None:
    if isinstance(node, ast.Assign):  # message = f"…" (passed on below)
        if any(isinstance(t, ast.Name) and t.id == "message" for t in node.targets):
            return node.value
        return None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    index = MESSAGE_ARGUMENT.get(name)
    if name in PRINTED_ERRORS:
        index = 0
    receiver = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
    if name in ("append", "insert") and re.search(r"remarks|warnings", receiver):
        index = len(node.args) - 1
    if index is None:
        return None
    if len(node.args) > index:
        return node.args[index]
    return next((k.value for k in node.keywords if k.arg == "message"), None)


def source_templates() -> dict[str, str]:
    """Every message template of MODULES (normalised: each value `{}`) → where it is written."""
    found: dict[str, str] = {}
    for module in MODULES:
        path = Path(importlib.util.find_spec(module).origin)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            argument = _message_argument(node)
            if argument is None:
                continue
            pieces = [argument]
            # the fixed alternatives of a conditional inside an f-string ("; is --encoding right?")
            for inner in ast.walk(argument):
                if isinstance(inner, ast.IfExp):
                    pieces += [inner.body, inner.orelse]
            for piece in pieces:
                template = _template(piece)
                if template and has_words(_HOLE.sub("", template)):
                    found.setdefault(template, f"{path.name}:{node.lineno}")
    return found


def normalised(template: str) -> str:
    return _HOLE.sub("{}", template)


def test_the_source_has_messages_to_translate() -> None:
    found = source_templates()
    assert len(found) > 120
    assert "line not understood; kept as written in the graph" in found
    assert "unknown era {} in {} (known: {})" in found


def test_every_message_template_has_a_japanese_entry() -> None:
    known = {normalised(t.english) for t in templates()}
    missing = {t: where for t, where in source_templates().items() if normalised(t) not in known}
    listed = "\n".join(f'"{t}" = ""  # {where}' for t, where in sorted(missing.items()))
    assert not missing, f"add these to data/reference/messages-ja.toml:\n{listed}"


def test_a_finding_located_in_a_published_file_is_translated_with_its_place() -> None:
    """items9: the place a finding names in an Excel/HTML/PDF file (SourceText.located) came out
    as English inside the Japanese, or left the whole sentence untranslated."""
    place = " (at 外部結合!H13; line 15 of `ketsugo extract`)"
    assert translate("line not understood; kept as written in the graph" + place) == (
        "読み取れない行: 原文のままグラフに残した（外部結合!H13、`ketsugo extract` の 15 行目）"
    )
    flag = translate(
        "expected a mark of yes (○, 有, あり …) or of no (a blank, 無, なし, ― …) as headers.toml [specific_personal_information] lists them, found '要確認'"
        + place
    )
    assert (
        flag is not None
        and "at " not in flag
        and flag.endswith("（外部結合!H13、`ketsugo extract` の 15 行目）")
    )


def test_every_entry_keeps_its_placeholders_and_is_japanese() -> None:
    import tomllib

    with messages.CATALOGUE.open("rb") as handle:
        data = tomllib.load(handle)
    assert {"error", "warning", "info"} <= set(data["words"])
    for english, japanese in data["messages"].items():
        assert has_words(english), f"{english!r}: a template needs fixed words, or it matches anything"
        assert sorted(_HOLE.findall(english)) == sorted(_HOLE.findall(japanese)), english
        assert re.search(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]", japanese), (
            f"{english!r}: no Japanese in {japanese!r}"
        )
        compile_template(english)


# ------------------------------------------------------------------- messages actually produced


def produced_messages() -> set[str]:
    """The messages of every test case (read leniently, and strictly for the errors) and of the
    bundled report's build."""
    from ketsugo.errors import InputError
    from ketsugo.read.parser import parse_report

    found: set[str] = set()
    for path in sorted(CASES.rglob("*.txt")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        try:  # a file of several fiscal years is refused even leniently (read/yearparts.py)
            found |= {i.message for i in parse_report(text, path.name, lenient=True).issues}
        except InputError as exc:
            found |= {i.message for i in exc.issues}
        try:
            parse_report(text, path.name)
        except InputError as exc:
            found |= {i.message for i in exc.issues}
    return found


def test_every_message_of_the_test_cases_is_translated() -> None:
    found = produced_messages()
    assert len(found) >= 15
    untranslated = sorted(m for m in found if translate(m) is None)
    assert not untranslated, untranslated


def test_every_finding_of_the_bundled_build_is_translated(tmp_path: Path) -> None:
    from ketsugo.pipeline import run_build
    from ketsugo.read.metadata import bundled_reports

    build = run_build(bundled_reports(), tmp_path / "build")
    assert build.issues
    for issue in build.issues:
        japanese = localise(str(issue), "ja")
        assert japanese != str(issue), str(issue)
        assert japanese.startswith(f"{issue.path}:{issue.line}:")


@pytest.mark.parametrize(
    ("english", "japanese"),
    [
        (
            "report.txt:17: [結合の開始年月日] unknown era 'X' in 'X2.4.1' (known: 令和 (R), 平成 (H))",
            "report.txt:17: [結合の開始年月日] 'X2.4.1' の元号 'X' を知らない（知っている元号: 令和 (R), 平成 (H)）",
        ),
        (
            "report.txt:18: [No.] duplicate connection number 2: already used at line 17; "
            "this row is kept only in this finding",
            "report.txt:18: [No.] 結合の番号 2 が重複している: 17 行目ですでに使われている。この行は本指摘にのみ残す",
        ),
        (
            "report.txt:18: [結合の開始年月日] impossible date 'R2.2.30': day must be in 1..29 in February 2020",
            "report.txt:18: [結合の開始年月日] ありえない日付 'R2.2.30': 2020年2月の日は 1〜29",
        ),
        (
            "unknown category 'foo'; close matches: 生年月日 <https://w3id.org/ketsugo/id/category/date-of-birth>",
            "個人情報の項目区分 'foo' を知らない。近いもの: 生年月日 <https://w3id.org/ketsugo/id/category/date-of-birth>",
        ),
        # a value is kept as written, even when it spells a word of the catalogue
        (
            "query recipients-of-category needs --param category=… (category, e.g. --param category=生年月日)",
            "問い合わせ recipients-of-category には --param category=… が必要（category、例: --param category=生年月日）",
        ),
        ("nothing ketsugo ever says: kept", "nothing ketsugo ever says: kept"),
    ],
)
def test_localise(english: str, japanese: str) -> None:
    assert localise(english, "ja") == japanese
    assert localise(english, "en") == english


# ---------------------------------------------------------------------------- choosing the language


@pytest.fixture
def cli():
    import ketsugo.cli.main

    ketsugo.cli.main._register_optional_commands()
    return ketsugo.cli.main.cli


def build_error(cli, *args: str, env: dict[str, str | None] | None = None) -> str:
    report = str(CASES / "malformed" / "impossible-date.txt")
    # a folder of its own: builds to one folder wait for each other, and tests run in parallel
    with tempfile.TemporaryDirectory(prefix="ketsugo-messages-") as work:
        out = str(Path(work) / "never")
        result = CliRunner().invoke(
            cli, [*args, "build", report, "--municipality", "131041", "--out", out], env=env
        )
    assert result.exit_code == 2
    return result.stderr


ENGLISH = "error: {}:18: [結合の開始年月日] impossible date 'R2.13.1': month must be in 1..12\n"
JAPANESE = "エラー: {}:18: [結合の開始年月日] ありえない日付 'R2.13.1': 月は 1〜12\n"


def test_lang_ja_prints_japanese_errors(cli) -> None:
    where = CASES / "malformed" / "impossible-date.txt"
    assert build_error(cli, "--lang", "ja") == JAPANESE.format(where)
    assert build_error(cli, "--lang", "en") == ENGLISH.format(where)
    assert build_error(cli) == ENGLISH.format(where)  # each run starts from the environment again


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"KETSUGO_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "ja_JP.UTF-8"}, "ja"),
        ({"KETSUGO_LANG": None, "LC_ALL": "ja_JP.UTF-8", "LC_MESSAGES": None, "LANG": "en_US.UTF-8"}, "ja"),
        ({"KETSUGO_LANG": None, "LC_ALL": "C.UTF-8", "LC_MESSAGES": None, "LANG": "ja_JP.UTF-8"}, "en"),
        ({"KETSUGO_LANG": "en", "LC_ALL": None, "LC_MESSAGES": None, "LANG": "ja_JP.UTF-8"}, "en"),
        ({"KETSUGO_LANG": "ja", "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C"}, "ja"),
        ({"KETSUGO_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}, "en"),
    ],
)
def test_the_environment_chooses_when_lang_is_not_given(cli, env: dict, lang: str) -> None:
    where = CASES / "malformed" / "impossible-date.txt"
    expected = JAPANESE if lang == "ja" else ENGLISH
    assert build_error(cli, env=env) == expected.format(where)
    assert build_error(cli, "--lang", "en", env=env) == ENGLISH.format(where)


def test_the_build_summary_prints_findings_in_japanese(cli, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--lang", "ja", "build", str(BUNDLED), "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    findings = [line for line in result.output.splitlines() if line.startswith(("  警告 [", "  情報 ["))]
    assert findings and all(
        " [報告書]: " in f or " [読み取り]: " in f or " [登録簿]: " in f for f in findings
    )
    assert not [line for line in result.output.splitlines() if line.startswith(("  warning", "  info"))]


def test_help_names_the_japanese_terms(cli) -> None:
    result = CliRunner().invoke(cli, ["--help"])
    for term in (
        "外部結合",
        "結合の相手方",
        "特定個人情報",
        "個人情報記録の項目",
        "審議会",
        "実施機関",
        "--lang",
    ):
        assert term in result.output, term
