"""Remembering the answers of pure functions of a cell's text, for as long as their data holds.

The same cells recur across the rows of a report and across reports (氏名、住所、生年月日…,
令和2年度第4回審議会承認, 税務課): a national build reads ~38,000 rows whose cells are mostly
repeats, and reading a cell again costs more than looking its answer up. An answer is kept
only with the data it was computed from (the word lists of data/reference/*.toml, read once
per process): when ``source()`` gives other objects (a test that swaps a word list), every
answer is forgotten. Answers must be immutable (frozen dataclasses, tuples), since one answer
is handed out many times; the memo is bounded (it starts afresh when full).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Remembered(Generic[K, V]):
    """``function`` with its answers remembered per key (see the module docstring)."""

    def __init__(self, function: Callable[[K], V], source: Callable[[], tuple[Any, ...]], limit: int) -> None:
        self._function = function
        self._source = source
        self._limit = limit
        self._data: tuple[Any, ...] = ()
        self._answers: dict[K, V] = {}
        functools.update_wrapper(self, function)

    def __call__(self, key: K) -> V:
        data = self._source()
        if len(data) != len(self._data) or any(a is not b for a, b in zip(data, self._data, strict=True)):
            self._data, self._answers = data, {}
        answers = self._answers
        try:
            return answers[key]
        except KeyError:
            pass
        answer = self._function(key)
        if len(answers) >= self._limit:
            answers.clear()
        answers[key] = answer
        return answer

    def cache_clear(self) -> None:
        self._answers = {}


def remembered(
    source: Callable[[], tuple[Any, ...]], limit: int = 20_000
) -> Callable[[Callable[[K], V]], Remembered[K, V]]:
    """Decorator: remember the answers of a one-argument pure function while ``source()`` (the
    data it reads) gives the same objects."""

    def wrap(function: Callable[[K], V]) -> Remembered[K, V]:
        return Remembered(function, source, limit)

    return wrap
