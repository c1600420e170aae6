"""Era dates: spellings, 元年, spacing, full-width and kanji numerals, remarks, and clear errors."""

from __future__ import annotations

from datetime import date

import pytest

from ketsugo.read.eras import (
    EraDateError,
    era_by_spelling,
    eras,
    fiscal_year,
    fiscal_years,
    kanji_to_int,
    parse_era_date,
)


@pytest.mark.parametrize(
    ("text", "expected", "era"),
    [
        ("R2.5.15", date(2020, 5, 15), "令和"),
        ("H18.6.1", date(2006, 6, 1), "平成"),
        ("S64.1.7", date(1989, 1, 7), "昭和"),
        ("T15.12.25", date(1926, 12, 25), "大正"),
        ("M45.7.29", date(1912, 7, 29), "明治"),
        ("令和2年5月15日", date(2020, 5, 15), "令和"),
        ("平成31年4月30日", date(2019, 4, 30), "平成"),
        ("昭和58年12月31日", date(1983, 12, 31), "昭和"),
        ("大正元年8月1日", date(1912, 8, 1), "大正"),
        ("明治45年7月30日", date(1912, 7, 30), "明治"),
        ("令2.5.15", date(2020, 5, 15), "令和"),
        ("r2.5.15", date(2020, 5, 15), "令和"),
        ("R2/5/15", date(2020, 5, 15), "令和"),
        ("R2-5-15", date(2020, 5, 15), "令和"),
    ],
)
def test_eras_and_spellings(text: str, expected: date, era: str) -> None:
    parsed = parse_era_date(text)
    assert (parsed.value, parsed.era.name, parsed.note) == (expected, era, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("平成元年1月8日", date(1989, 1, 8)),
    ],
)
def test_gannen(text: str, expected: date) -> None:
    assert parse_era_date(text).value == expected


@pytest.mark.parametrize(
    "text",
    [
        "R2. 8. 1",
        "R2.8.1",
        "R 2 . 8 . 1",
        " R2. 8. 1 ",
        "令和 2 年 8 月 1 日",
        "R2.\u30008.\u30001",
        "R2.\t8.\t1",
    ],
)
def test_spaces_inside(text: str) -> None:
    assert parse_era_date(text).value == date(2020, 8, 1)


@pytest.mark.parametrize(
    "text", ["Ｒ２．８．１", "Ｒ２．　８．　１", "令和２年８月１日", "令和二年八月一日", "Ｒ２／８／１"]
)
def test_full_width_and_kanji_numerals(text: str) -> None:
    assert parse_era_date(text).value == date(2020, 8, 1)


@pytest.mark.parametrize(
    ("text", "expected"), [("㍻18年6月1日", date(2006, 6, 1)), ("㋿2年8月1日", date(2020, 8, 1))]
)
def test_era_ligatures(text: str, expected: date) -> None:
    """The one-character era names (U+337B ㍻, U+32FF ㋿) fold to their two kanji."""
    assert parse_era_date(text).value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("平成三十年十二月三十一日", date(2018, 12, 31)), ("令和二年十月十日", date(2020, 10, 10))],
)
def test_kanji_numerals_with_units(text: str, expected: date) -> None:
    assert parse_era_date(text).value == expected


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ("H18.6.1 記載漏れ", date(2006, 6, 1), "記載漏れ"),
        ("H18.6.1記載漏れ", date(2006, 6, 1), "記載漏れ"),
        ("Ｈ１８．６．１　記載漏れ", date(2006, 6, 1), "記載漏れ"),
        ("R2.5.15 (予定)", date(2020, 5, 15), "(予定)"),
        ("令和2年5月15日 運用開始", date(2020, 5, 15), "運用開始"),
    ],
)
def test_remark_after_the_date_is_the_note(text: str, expected: date, note: str) -> None:
    parsed = parse_era_date(text)
    assert (parsed.value, parsed.note) == (expected, note)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("R2.13.1", "impossible date 'R2.13.1': month must be in 1..12"),
        ("R2.0.1", "impossible date 'R2.0.1': month must be in 1..12"),
        ("R2.2.30", "impossible date 'R2.2.30': day must be in 1..29 in February 2020"),
        ("R3.2.29", "impossible date 'R3.2.29': day must be in 1..28 in February 2021"),
        ("R2.4.31", "impossible date 'R2.4.31': day must be in 1..30 in April 2020"),
        ("R2.5.0", "impossible date 'R2.5.0': day must be in 1..31 in May 2020"),
        ("R0.5.1", "impossible date 'R0.5.1': era year must be 1 or more (元年 is year 1)"),
        ("R999999.1.1", "impossible date 'R999999.1.1': 令和 year 999999 is out of range"),
        ("R2.1234567.1", "impossible date 'R2.1234567.1': the month '1234567' is out of range"),
    ],
)
def test_impossible_dates(text: str, message: str) -> None:
    with pytest.raises(EraDateError) as caught:
        parse_era_date(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("H1.1.7", "impossible date 'H1.1.7': 1989-01-07 falls before the 平成 era began (1989-01-08)"),
        ("R1.4.30", "impossible date 'R1.4.30': 2019-04-30 falls before the 令和 era began (2019-05-01)"),
        (
            "令和元年4月1日",
            "impossible date '令和元年4月1日': 2019-04-01 falls before the 令和 era began (2019-05-01)",
        ),
        ("S1.12.24", "impossible date 'S1.12.24': 1926-12-24 falls before the 昭和 era began (1926-12-25)"),
    ],
)
def test_dates_before_an_era_began(text: str, message: str) -> None:
    with pytest.raises(EraDateError) as caught:
        parse_era_date(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "era"),
    [("X2.5.1", "X"), ("Q2.5.1", "Q"), ("慶応3年1月1日", "慶応"), ("RR2.5.1", "RR")],
)
def test_unknown_era(text: str, era: str) -> None:
    with pytest.raises(EraDateError) as caught:
        parse_era_date(text)
    assert str(caught.value) == (
        f"unknown era {era!r} in {text!r} (known: 令和 (R), 平成 (H), 昭和 (S), 大正 (T), 明治 (M))"
    )


# 2020/5/15 was refused here before Western dates were read (issue 9); R2.5 is now a
# month-only date, refused by its own message (test_month_only_is_refused).
@pytest.mark.parametrize("text", ["20/5/15", "令和2年度", "2020年度", "未定", "R.5.15", "-"])
def test_not_a_date(text: str) -> None:
    with pytest.raises(EraDateError) as caught:
        parse_era_date(text)
    assert str(caught.value) == (f"not a date: {text!r} (expected e.g. R2.5.15 or 2020/5/15)")


def test_empty_cell() -> None:
    with pytest.raises(EraDateError, match="no date written"):
        parse_era_date("  ")


def test_long_text_is_shortened_in_messages() -> None:
    with pytest.raises(EraDateError) as caught:
        parse_era_date("未定" * 100)
    assert len(str(caught.value)) < 120 and "…" in str(caught.value)


def test_era_years_follow_the_table() -> None:
    assert [e.name for e in eras()] == ["令和", "平成", "昭和", "大正", "明治"]
    assert era_by_spelling("h").year(31) == 2019
    with pytest.raises(EraDateError, match="unknown era 'Z'"):
        era_by_spelling("Z")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("外部電子計算機との結合の状況（令和2年度）", 2020),
        ("令和元年度外部電子計算機との結合数", 2019),
        ("令和２年度", 2020),
        ("令和二年度", 2020),
        ("平成30年度第8回審議会承認", 2018),
        ("R2年度", 2020),
        ("結合数", None),
        ("令和0年度", None),
        ("令和" + "9" * 5000 + "年度", None),
    ],
)
def test_fiscal_year(text: str, year: int | None) -> None:
    assert fiscal_year(text) == year


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("三十一", 31),
        ("百", 100),
        ("二百四十五", 245),
        ("千", 1000),
        ("二千二十", 2020),
        ("二〇二〇", 2020),
        ("一〇", 10),
        ("12", 12),
    ],
)
def test_kanji_to_int(text: str, value: int) -> None:
    assert kanji_to_int(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("H40.1.1", "impossible date 'H40.1.1': 2028-01-01 falls after the 平成 era ended on 2019-04-30"),
        ("S67.1.8", "impossible date 'S67.1.8': 1992-01-08 falls after the 昭和 era ended on 1989-01-07"),
        ("T19.1.1", "impossible date 'T19.1.1': 1930-01-01 falls after the 大正 era ended on 1926-12-25"),
    ],
)
def test_dates_after_an_era_ended(text: str, message: str) -> None:
    """More than eras.toml `former_era_years` after an era's end: no date (a typo, not an old form)."""
    with pytest.raises(EraDateError) as caught:
        parse_era_date(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("平成32年4月1日", date(2020, 4, 1)),
        ("H32.7.1", date(2020, 7, 1)),
        ("平成33年3月31日", date(2021, 3, 31)),
        ("H31.5.1", date(2019, 5, 1)),
        ("平成31年5月1日", date(2019, 5, 1)),
        ("S64.1.10", date(1989, 1, 10)),
        ("T15.12.26", date(1926, 12, 26)),
    ],
)
def test_an_era_counted_on_after_its_end_is_read_and_flagged(text: str, value: date) -> None:
    """Documents written before the era changed go on counting its years (平成32年 = 令和2年): the
    same day, flagged so that the reader warns (an impossible date before, a build that failed)."""
    parsed = parse_era_date(text)
    assert (parsed.value, parsed.after_era_end) == (value, True)
    assert not parse_era_date("令和2年4月1日").after_era_end


def test_era_ends_come_from_the_next_eras_start() -> None:
    ends = {e.name: e.end for e in eras()}
    assert ends == {
        "令和": None,
        "平成": date(2019, 4, 30),
        "昭和": date(1989, 1, 7),
        # 即日改元: the day of the succession is written in both eras
        "大正": date(1926, 12, 25),
        "明治": date(1912, 7, 30),
    }
    assert parse_era_date("S64.1.7").value == date(1989, 1, 7)
    assert parse_era_date("H31.4.30").value == date(2019, 4, 30)
    assert parse_era_date("大正元年7月30日").value == parse_era_date("明治45年7月30日").value


@pytest.mark.parametrize(("text", "year"), [("令2年度", 2020), ("最大3年度", None), ("R2年度", 2020)])
def test_fiscal_year_with_one_character_spellings(text: str, year: int | None) -> None:
    """A one-character era spelling counts only where no letter stands before it (最大3年度 is no 大正)."""
    assert fiscal_year(text) == year


@pytest.fixture
def another_era_table(tmp_path, monkeypatch):
    """eras.toml with a made-up era after 令和: every era pattern must follow the table."""
    import shutil

    import ketsugo.paths as paths_module
    import ketsugo.read.eras as era_module
    import ketsugo.read.legal as legal_module
    from ketsugo.paths import REFERENCE_DIR

    table = (REFERENCE_DIR / "eras.toml").read_text(encoding="utf-8")
    made_up = '[[era]]\nname = "新元"\nromaji = "Shingen"\nstart = 2100-01-01\nspellings = ["新元", "N"]\n\n'
    shutil.copytree(REFERENCE_DIR, tmp_path / "reference")
    (tmp_path / "reference" / "eras.toml").write_text(made_up + table, encoding="utf-8")
    caches = [
        era_module.eras,
        era_module._spelling_map,
        era_module.era_pattern,
        era_module._date_pattern,
        era_module._fiscal_year_pattern,
        era_module._month_only_pattern,
        era_module._date_start,
        era_module._year_gloss_pattern,
        era_module._dayless_pattern,
        legal_module._decision_patterns,
        paths_module.reference_toml,
    ]
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr(paths_module, "REFERENCE_DIR", tmp_path / "reference")
    yield
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


@pytest.mark.usefixtures("another_era_table")
def test_era_patterns_are_built_from_the_table() -> None:
    from ketsugo.read.legal import parse_legal_basis

    assert parse_era_date("新元2年1月1日").value == date(2101, 1, 1)
    assert parse_era_date("N2.1.1").value == date(2101, 1, 1)
    with pytest.raises(EraDateError) as caught:
        parse_era_date("R90.1.1")
    assert str(caught.value) == (
        "impossible date 'R90.1.1': 2108-01-01 falls after the 令和 era ended on 2099-12-31"
    )
    assert fiscal_year("新元3年度") == 2102
    decision = parse_legal_basis("新元3年度第1回審議会承認").decision
    assert decision is not None and (decision.fiscal_year, decision.meeting) == (2102, 1)


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ("令和2年4月1日", date(2020, 4, 1), ""),
        ("令和元年5月1日", date(2019, 5, 1), ""),
        ("令和二年四月一日", date(2020, 4, 1), ""),
        ("令和二年十月十日", date(2020, 10, 10), ""),
        ("令和三年十二月二十三日", date(2021, 12, 23), ""),
        ("令和二年三月三十一日", date(2021 - 1, 3, 31), ""),
        ("平成二十三年三月十一日", date(2011, 3, 11), ""),
        ("平成31年4月1日", date(2019, 4, 1), ""),
        ("R2/4/1", date(2020, 4, 1), ""),
        ("Ｒ２．４．１", date(2020, 4, 1), ""),
        ("  R2.4.1  ", date(2020, 4, 1), ""),
        ("令和2年4月1日 （予定）", date(2020, 4, 1), "(予定)"),  # the note is read on the normalised text
    ],
)
def test_other_era_forms(text: str, expected: date, note: str) -> None:
    parsed = parse_era_date(text)
    assert (parsed.value, parsed.note) == (expected, note)
    assert parsed.era is not None


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ("2020年4月1日", date(2020, 4, 1), ""),
        ("2020/4/1", date(2020, 4, 1), ""),
        ("2020.4.1", date(2020, 4, 1), ""),
        ("2020-04-01", date(2020, 4, 1), ""),
        ("２０２０年４月１日", date(2020, 4, 1), ""),
        ("2020年4月1日 記載漏れ", date(2020, 4, 1), "記載漏れ"),
        (" 2021/3/31 ", date(2021, 3, 31), ""),
    ],
)
def test_western_dates(text: str, expected: date, note: str) -> None:
    parsed = parse_era_date(text)
    assert (parsed.value, parsed.note, parsed.era) == (expected, note, None)


@pytest.mark.parametrize("text", ["2020年4月", "令和2年4月", "R2.4", "令和二年四月"])
def test_month_only_is_refused(text: str) -> None:
    with pytest.raises(EraDateError, match="a date needs a day"):
        parse_era_date(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("令和2年2月30日", "day must be in 1..29"),
        ("2020/2/30", "day must be in 1..29"),
        ("2021-13-01", "month must be in 1..12"),
        ("令和元年4月30日", "falls before the 令和 era began"),
        ("令和1年4月1日", "falls before the 令和 era began"),
        ("平成40年4月1日", "falls after the 平成 era ended"),
    ],
)
def test_impossible_dates_in_new_forms(text: str, why: str) -> None:
    with pytest.raises(EraDateError, match=why):
        parse_era_date(text)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2021年度 外部電子計算機との結合の報告", [2021]),
        ("令和2年度末（2020年度）", [2020, 2020]),
        ("２０２１年度", [2021]),
        ("12021年度", []),
        ("R3年度", [2021]),
    ],
)
def test_western_fiscal_years(text: str, years: list[int]) -> None:
    assert fiscal_years(text) == years
