"""Walking a keyset list to its end, in the API and on pages (issue 12): every visible row
exactly once, and the number of queries one page costs."""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

BAD_CURSORS = ("junk", "eyJ4IjoxfQ:1abc:def")


def walk_api(client: Client, url: str, size: int, **headers: Any) -> list[Any]:
    """Every item of an API list, reading ``size`` a page and following ``next``; checks that
    each page's ``previous`` leads back to the page before it."""
    items: list[Any] = []
    sep = "&" if "?" in url else "?"
    cursor = None
    previous_page: list[Any] | None = None
    while True:
        query = {"size": size, **({"cursor": cursor} if cursor else {})}
        response = client.get(f"{url}{sep}{urlencode(query)}", **headers)
        assert response.status_code == 200, response.content
        page = response.json()
        assert page["size"] == size and len(page["items"]) <= size
        if previous_page is not None:
            assert page["previous"], "a page after the first links back"
            query = {"size": size, "cursor": page["previous"]}
            back = client.get(f"{url}{sep}{urlencode(query)}", **headers)
            assert back.status_code == 200 and back.json()["items"] == previous_page
        items += page["items"]
        if page["next"] is None:
            return items
        previous_page = page["items"]
        cursor = page["next"]


def api_queries(client: Client, url: str, **headers: Any) -> int:
    """The queries one API read runs (after a warm-up read)."""
    assert client.get(url, **headers).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured.captured_queries)


def _cursor(link: str, param: str) -> list[str]:
    return parse_qs(urlsplit(link).query).get(param, [])


def page_queries(client: Client, url: str) -> int:
    """The queries one page view runs (after a warm-up view)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


_NEXT = re.compile(r'href="(\?[^"]*)" rel="next"')


def walk_pages(client: Client, url: str, pattern: str, param: str = "cursor") -> list[str]:
    """Every match of ``pattern`` (one group) on a web list and the pages its "Next" links
    lead to."""
    found: list[str] = []
    target = url
    current: list[str] = []
    while True:
        response = client.get(target)
        assert response.status_code == 200
        html = response.content.decode()
        found += re.findall(pattern, html)
        # Another list's pager on the same page keeps this list's cursor as it is.
        links = [unescape(h) for h in _NEXT.findall(html)]
        nexts = [
            h for h in links if parse_qs(urlsplit(h).query).get(param, []) not in ([], current)
        ]
        if not nexts:
            return found
        current = parse_qs(urlsplit(nexts[0]).query)[param]
        target = urlsplit(url).path + nexts[0]
