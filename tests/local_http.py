"""HTTP from a test to a server it started on this machine, and nowhere else.

`urllib.request.urlopen` sends a request through any proxy the environment names (http_proxy on a
corporate machine or a CI runner), so a request meant for 127.0.0.1 could leave the machine. Tests
open their requests here instead: no proxy is ever used, and a URL whose host is not a loopback
address is refused before any connection is made (the program and its tests work offline).
"""

from __future__ import annotations

import ipaddress
import urllib.request
from http.client import HTTPResponse
from typing import cast
from urllib.parse import urlsplit

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost
        loopback = False
    if not loopback:
        raise AssertionError(f"a test reached for {host}: tests talk only to servers on this machine")


def urlopen(request: urllib.request.Request | str, timeout: float = 60) -> HTTPResponse:
    """``urllib.request.urlopen`` for a server on this machine: no proxy, loopback hosts only."""
    _loopback(request.full_url if isinstance(request, urllib.request.Request) else request)
    return cast(HTTPResponse, _OPENER.open(request, timeout=timeout))
