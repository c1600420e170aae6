"""The CLI tried as an attacker or a careless user would, from a clean state: output paths that
are links, pipes, devices, build directories or the command's own input; metadata files with
hostile values; a report with one enormous line; Ctrl-C. Each case failed before its fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import ketsugo.cli.main
from ketsugo.cli.common import handle_errors
from ketsugo.paths import ROOT
from ketsugo.store.builddir import OWNER
from tests.process_support import cpu_seconds

ketsugo.cli.main._register_optional_commands()
cli = ketsugo.cli.main.cli
REPORT = ROOT / "data" / "reports" / "shinjuku-2020-gaibu-ketsugo.txt"
SHOW = ["query", "recipients-of-category", "--show"]  # writes the query text: no store needed


def _invoke(*args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args))


def _fake_build(folder: Path) -> Path:
    """A build directory as ketsugo leaves one (its ownership record and a file)."""
    folder.mkdir()
    (folder / "graph.nq").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    (folder / OWNER).write_text(json.dumps({"ketsugo": "0", "files": ["graph.nq"]}), encoding="utf-8")
    return folder


# ------------------------------------------------------------------------------- --output


def test_output_inside_a_build_directory_is_refused(tmp_path: Path) -> None:
    build = _fake_build(tmp_path / "build")
    before = (build / "graph.nq").read_bytes()
    for target in (build / "graph.nq", build / "new.csv"):
        result = _invoke(*SHOW, "-o", str(target))
        assert result.exit_code == 2, result.output
        assert "build directory" in result.output and "--output" in result.output
    assert (build / "graph.nq").read_bytes() == before
    assert sorted(os.listdir(build)) == sorted([OWNER, "graph.nq"])


def test_output_through_a_symbolic_link_is_refused(tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("mine\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(precious)
    result = _invoke(*SHOW, "-o", str(link))
    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.output
    assert link.is_symlink() and precious.read_text(encoding="utf-8") == "mine\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_nobody_reads_is_refused_at_once_and_kept(tmp_path: Path) -> None:
    """Before: the pipe was replaced by a regular file (as root, `-o /dev/null` replaced the
    device itself)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = _invoke(*SHOW, "-o", str(fifo))
    assert result.exit_code == 2, result.output
    assert "no process is reading" in result.output
    assert fifo.is_fifo()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_with_a_reader_gets_the_output(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    ready = threading.Event()

    def read() -> None:
        # a reader from now on (so a writer may open the pipe), reading until data and then EOF
        handle = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        ready.set()
        chunks: list[bytes] = []
        for _ in range(400):
            try:
                chunk = os.read(handle, 65536)
            except BlockingIOError:
                chunk = None
            if chunk:
                chunks.append(chunk)
            elif chunk == b"" and chunks:
                break
            time.sleep(0.025)
        os.close(handle)
        received.append(b"".join(chunks))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    ready.wait(10)
    result = _invoke(*SHOW, "-o", str(fifo))
    reader.join(10)
    assert result.exit_code == 0, result.output
    assert fifo.is_fifo()
    assert received and b"SELECT" in received[0]


def test_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke(*SHOW, "-o", "-")
    assert result.exit_code == 0, result.output
    assert "SELECT" in result.stdout
    assert not (tmp_path / "-").exists()


def test_an_unwritable_output_is_refused_before_any_work(tmp_path: Path) -> None:
    """Said before the store is opened (before: the missing store was the error, or the whole
    query ran first)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    missing_store = tmp_path / "no-build"
    result = _invoke("sparql", "ASK {}", "--store", str(missing_store), "-o", str(blocker / "out.csv"))
    assert result.exit_code == 2, result.output
    assert "--output" in result.output and "is a file, not a folder" in result.output


@pytest.mark.parametrize("command", ["extract", "sparql"])
def test_an_output_that_is_the_commands_input_is_refused(command: str, tmp_path: Path) -> None:
    if command == "extract":
        source = tmp_path / "report.txt"
        shutil.copy(REPORT, source)
        args = ["extract", str(source), "-o", str(source)]
    else:
        source = tmp_path / "q.rq"
        source.write_text("ASK {}\n", encoding="utf-8")
        args = ["sparql", str(source), "--store", str(tmp_path / "none"), "-o", str(source)]
    before = source.read_bytes()
    result = _invoke(*args)
    assert result.exit_code == 2, result.output
    assert "input" in result.output and "--output" in result.output
    assert source.read_bytes() == before


def test_build_out_inside_a_build_directory_is_refused(tmp_path: Path) -> None:
    build = _fake_build(tmp_path / "build")
    result = _invoke("build", str(REPORT), "--out", str(build / "sub"), "-q")
    assert result.exit_code == 2, result.output
    assert "build directory" in result.output
    assert not (build / "sub").exists()


# ------------------------------------------------------------------------------- metadata


def _report_with(tmp_path: Path, toml: str | bytes) -> Path:
    report = tmp_path / "my-report.txt"
    shutil.copy(REPORT, report)
    data = toml.encode("utf-8") if isinstance(toml, str) else toml
    (tmp_path / "my-report.toml").write_bytes(data)
    return report


HEAD = '[report]\nfile = "my-report.txt"\nmunicipality_code = "131041"\n'


@pytest.mark.parametrize(
    "toml, line, field, words",
    [
        ("report = 5\n", 0, "report", "not a table"),
        (HEAD + "fiscal_year = 2020\nfiscal_yaer = 2021\n", 5, "fiscal_yaer", "unknown key"),
        (HEAD.replace('"my-report.txt"', '"../../etc/passwd"'), 2, "file", "beside this file"),
        (HEAD.replace('"my-report.txt"', '"/tmp/my-report.txt"'), 2, "file", "beside this file"),
        (HEAD + "fiscal_year = 99999999999999999999\n", 4, "fiscal_year", "not a fiscal year"),
        (HEAD + "fiscal_year = -1\n", 4, "fiscal_year", "not a fiscal year"),
        (HEAD + 'title = "a\\u0000b"\n', 4, "title", "control character U+0000"),
        (HEAD + "title = 5\n", 4, "title", "expected a string"),
    ],
)
def test_hostile_metadata_is_refused_naming_line_and_key(
    tmp_path: Path, toml: str, line: int, field: str, words: str
) -> None:
    report = _report_with(tmp_path, toml)
    result = _invoke("build", str(report), "--out", str(tmp_path / "out"), "-q")
    assert result.exit_code == 2, result.output
    where = f"my-report.toml:{line}:" if line else "my-report.toml:"
    assert where in result.output and f"[{field}]" in result.output and words in result.output
    assert not (tmp_path / "out").exists()


def test_metadata_not_in_utf8_is_refused(tmp_path: Path) -> None:
    """Before: an internal error (exit 3)."""
    report = _report_with(tmp_path, (HEAD + 'title = "外部結合"\n').encode("cp932"))
    result = _invoke("build", str(report), "--out", str(tmp_path / "out"), "-q")
    assert result.exit_code == 2, result.output
    assert "my-report.toml:4:" in result.output and "not UTF-8" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_metadata_that_is_a_named_pipe_is_not_read(tmp_path: Path) -> None:
    """Before: the build waited forever for a writer."""
    report = tmp_path / "my-report.txt"
    shutil.copy(REPORT, report)
    os.mkfifo(tmp_path / "my-report.toml")
    done = subprocess.run(
        [sys.executable, "-m", "ketsugo", "build", str(report), "--out", str(tmp_path / "out"), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 2, done.stderr
    assert "named pipe" in done.stderr


# ------------------------------------------------------------------------------- reports


def test_an_enormous_line_is_refused_naming_it(tmp_path: Path) -> None:
    lines = REPORT.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + "あ" * 1_200_000 + "\n"
    report = tmp_path / "long.txt"
    report.write_text("".join(lines), encoding="utf-8")
    result = _invoke("build", str(report), "--municipality", "131041", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "long.txt:5:" in result.output and "characters long" in result.output
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------- Ctrl-C


def test_ctrl_c_exits_130_with_one_line() -> None:
    """Before: click's "Aborted!" and exit 1, the code of findings."""

    @cli.command("harden-interrupt")
    @handle_errors
    def interrupt() -> None:
        raise KeyboardInterrupt

    try:
        result = CliRunner().invoke(cli, ["harden-interrupt"])
    finally:
        cli.commands.pop("harden-interrupt", None)
    assert result.exit_code == 130
    assert "interrupted (Ctrl-C)" in result.output and "Aborted" not in result.output
    assert "130" in " ".join(CliRunner().invoke(cli, ["--help"]).output.split())


# ------------------------------------------------------------------------------- options


@pytest.mark.parametrize("command", ["sparql", "serve"])
@pytest.mark.parametrize("value", ["nan", "inf", "1e308"])
def test_a_timeout_that_is_no_number_of_seconds_is_refused(command: str, value: str, tmp_path: Path) -> None:
    """Before: an internal error (exit 3) from the timer."""
    args = ["ASK {}"] if command == "sparql" else ["--port", "1"]
    result = _invoke(command, *args, "--store", str(tmp_path / "none"), "--timeout", value)
    assert result.exit_code == 2, result.output
    assert "--timeout" in result.output


@pytest.mark.parametrize("encoding", ["rot13", "hex", "base64"])
def test_a_codec_that_is_no_text_encoding_is_refused(encoding: str, tmp_path: Path) -> None:
    """Before: LookupError, an internal error (exit 3)."""
    report = tmp_path / "r.txt"
    shutil.copy(REPORT, report)
    result = _invoke(
        "build", str(report), "--municipality", "131041", "--encoding", encoding, "--out", str(tmp_path / "o")
    )
    assert result.exit_code == 2, result.output
    assert "r.txt: [--encoding] unknown encoding" in result.output


@pytest.mark.parametrize("year", ["0", "-3", "123456789012345678901234567890"])
def test_a_fiscal_year_option_out_of_range_is_refused(year: str, tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    shutil.copy(REPORT, report)
    result = _invoke(
        "build", str(report), "--municipality", "131041", "--fiscal-year", year, "--out", str(tmp_path / "o")
    )
    assert result.exit_code == 2, result.output
    assert "[--fiscal-year]" in result.output and "is not a fiscal year" in result.output


def test_control_characters_in_a_message_do_not_reach_the_terminal(tmp_path: Path) -> None:
    """A file name with an escape sequence (clear the screen, set the title) is shown escaped;
    before, on a terminal, it went through as it was."""
    report = tmp_path / "name\x1b[2J\x1b]0;title\x07.txt"
    shutil.copy(REPORT, report)
    result = CliRunner().invoke(cli, ["build", str(report), "--out", str(tmp_path / "o")], color=True)
    assert result.exit_code == 2, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "name\\x1b[2J\\x1b]0;title\\x07.txt" in result.output


def test_a_full_disk_while_writing_an_output_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: an internal error (exit 3). The earlier file stays, no temporary file is left."""
    import errno

    import ketsugo.store.files

    target = tmp_path / "q.rq"
    target.write_text("earlier\n", encoding="utf-8")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ketsugo.store.files.os, "chmod", full)
    result = _invoke(*SHOW, "-o", str(target))
    assert result.exit_code == 2, result.output
    assert "no space left" in result.output and "nothing was replaced" in result.output
    assert target.read_text(encoding="utf-8") == "earlier\n"
    assert os.listdir(tmp_path) == ["q.rq"]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc to see the query's child")
def test_ctrl_c_during_a_runaway_query_ends_it_and_its_child() -> None:
    """A query runs in a forked child (for --timeout). Before: the parent left on Ctrl-C and the
    child went on with the query, holding the terminal's output, for as long as the query ran."""
    import signal

    from tests.conftest import bundled_build_dir

    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ketsugo",
            "sparql",
            cross,
            "--store",
            str(bundled_build_dir()),
            "--timeout",
            "300",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    try:
        # the query's child has run 0.3 s of CPU: it is in the query (forked from a parent that has
        # imported everything, it opens the store in milliseconds); each further second it spins
        # before the signal is a second of a core taken from the other tests
        for _ in range(2400):
            child = children.read_text().split() if children.exists() else []
            if child and cpu_seconds(int(child[0])) >= 0.3:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the query's child never got going")
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
        _, err = process.communicate(timeout=30)  # returns once the child has let go of the pipes
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == 130, err
    assert b"interrupted (Ctrl-C)" in err


# ------------------------------------------------------------------------------- the build lock


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
@pytest.mark.parametrize("kind", ["symlink", "open to others"])
def test_a_lock_folder_that_is_not_private_is_refused(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a shared /tmp, a folder made first by someone else could hold every build's lock, or
    lead the lock files elsewhere. Before: used as it was."""
    import tempfile

    shared = tmp_path / "tmp"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(shared))
    folder = shared / f"ketsugo-locks-{os.getuid()}"
    if kind == "symlink":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        folder.symlink_to(elsewhere)
    else:
        folder.mkdir()
        folder.chmod(0o777)
    result = _invoke("build", str(REPORT), "--out", str(tmp_path / "out"), "-q")
    assert result.exit_code == 2, result.output
    assert "lock folder" in result.output and "remove it" in result.output
    assert not (tmp_path / "out").exists()


def test_a_workbook_that_unpacks_to_too_much_is_not_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip bomb (a small .xlsx unpacking to gigabytes) is refused from its directory, before
    openpyxl reads it; the limit is lowered here so the test stays small."""
    import zipfile

    import ketsugo.read.sources.xlsx as xlsx

    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 1_000_000, raising=False)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * 2_000_000)
    assert bomb.stat().st_size < 100_000
    result = _invoke("build", str(bomb), "--municipality", "131041", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "bomb.xlsx:" in result.output and "unpacks to 2,000,011 bytes" in result.output


def test_an_html_page_on_one_long_line_is_no_long_report_line() -> None:
    from ketsugo.errors import InputError
    from ketsugo.read.textio import MAX_LINE_CHARS, decode

    page = ("<p>" + "x" * MAX_LINE_CHARS + "</p>").encode()
    assert decode(page, "page.html", report_lines=False).text.startswith("<p>")
    with pytest.raises(InputError, match="characters long"):
        decode(page, "report.txt")


@pytest.mark.parametrize("name", ["my-report.txt", "my-report.toml"])
def test_a_report_or_its_metadata_is_never_an_output(name: str, tmp_path: Path) -> None:
    """A report with its REPORT.toml beside it (and that metadata file) is ketsugo's input: an
    -o naming it by mistake is refused, the file kept. Before: replaced by the export."""
    _report_with(tmp_path, HEAD)
    target = tmp_path / name
    before = target.read_bytes()
    result = _invoke(*SHOW, "-o", str(target))
    assert result.exit_code == 2, result.output
    assert "not overwritten" in result.output
    assert target.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_query_file_that_is_a_named_pipe_is_named_so(tmp_path: Path) -> None:
    """Before: "query file not found", for a file that is there."""
    fifo = tmp_path / "q.rq"
    os.mkfifo(fifo)
    result = _invoke("sparql", str(fifo), "--store", str(tmp_path / "none"))
    assert result.exit_code == 2, result.output
    assert "named pipe" in result.output and "not found" not in result.output


def test_a_child_ended_by_ctrl_c_is_an_interruption_even_before_the_parent_hears_it() -> None:
    """Ctrl-C goes to the whole foreground group; on a loaded machine the query's child can die of it
    before this process runs its own handler. Before: "the query process ended without an answer"
    (exit 3) instead of an interruption (exit 130)."""
    import signal

    from ketsugo.cli.deadline import run_with_deadline

    def job() -> None:  # the signal reaches only the child, as when the parent has not run yet
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(30)

    with pytest.raises(KeyboardInterrupt):
        run_with_deadline(job, 60)


def test_a_child_killed_otherwise_is_still_reported_as_ending_without_an_answer() -> None:
    """The rule above is for SIGINT only: a child killed by anything else (the out-of-memory killer's
    SIGKILL) is still exit 3, saying so."""
    import signal

    from ketsugo.cli.deadline import run_with_deadline
    from ketsugo.errors import ReportedError

    def job() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(ReportedError) as caught:
        run_with_deadline(job, 60)
    assert caught.value.exit_code == 3
    assert "signal 9" in " ".join(caught.value.lines)


PYTHON_KETSUGO = (sys.executable, "-m", "ketsugo")


def test_a_reader_that_stops_early_is_not_a_bug(tmp_path: Path) -> None:
    """`ketsugo export graph --format graphml | head -c 100`: the graph is written in pieces, and the
    pipe closes under the writer. Before: "internal error (a bug in ketsugo): BrokenPipeError",
    exit 3; now quietly the shell's code for it, 141."""
    from tests.conftest import bundled_build_dir

    process = subprocess.Popen(
        [*PYTHON_KETSUGO, "export", "graph", "--format", "graphml", "--store", str(bundled_build_dir())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100)
    process.stdout.close()  # the reader is gone
    err = process.stderr.read()
    assert process.wait(timeout=120) == 141, err
    assert b"internal error" not in err and b"Traceback" not in err


def test_a_reader_that_stops_reading_the_build_summary_gets_141(tmp_path: Path) -> None:
    """`ketsugo build … | head -1`: the summary is printed by rich, whose own answer to a closed pipe
    is exit status 1 — the status of findings (README: 141, quietly, when the reader stops reading).
    The build itself is written whole before the summary."""
    process = subprocess.Popen(
        [*PYTHON_KETSUGO, "build", "--out", str(tmp_path / "build"), "-j", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the summary's first line (printed once built)
    err = process.stderr.read()
    assert process.wait(timeout=120) == 141, err
    assert b"internal error" not in err and b"Traceback" not in err
    assert (tmp_path / "build" / "graph.nq").exists()
