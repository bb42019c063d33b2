"""Keyset pages: walking forward then back visits every row once, in order; bad cursors are
refused without answering a wrong page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from assay.errors import InvalidInput
from assay.keyset import MAX_SIZE, cursor_of, page_size, paginate
from assay.users import User

ORDER = ("last_name", "first_name", "pk")


def _walk_forward(size: int) -> tuple[list[int], list[str | None]]:
    seen: list[int] = []
    cursors: list[str | None] = []
    cursor = None
    while True:
        page = paginate(User.objects.all(), ORDER, cursor, size)
        seen += [u.pk for u in page]
        cursors.append(page.previous)
        if page.next is None:
            return seen, cursors
        cursor = page.next


class KeysetWalk(TestCase):
    @given(
        names=st.lists(
            st.tuples(st.sampled_from(["Ab", "ab", "Bé", "C", ""]), st.sampled_from(["x", "Y"])),
            min_size=0,
            max_size=25,
        ),
        size=st.integers(min_value=1, max_value=7),
    )
    def test_forward_then_back_visits_every_row_once_in_order(
        self, names: list[tuple[str, str]], size: int
    ) -> None:
        User.objects.all().delete()
        for i, (last, first) in enumerate(names):
            User.objects.create(username=f"u{i}", last_name=last, first_name=first)
        expected = list(User.objects.order_by(*ORDER).values_list("pk", flat=True))
        seen, _ = _walk_forward(size)
        assert seen == expected
        # And back from the last page: each "previous" page is the one before it.
        last = paginate(User.objects.all(), ORDER, None, size)
        pages = [last]
        while pages[-1].next:
            pages.append(paginate(User.objects.all(), ORDER, pages[-1].next, size))
        back = pages[-1]
        collected = [u.pk for u in back]
        while back.previous:
            back = paginate(User.objects.all(), ORDER, back.previous, size)
            collected = [u.pk for u in back] + collected
        assert collected == expected
        assert back.previous is None


@pytest.mark.django_db
def test_first_page_has_no_previous_and_last_has_no_next() -> None:
    for i in range(5):
        User.objects.create(username=f"p{i}", last_name=f"L{i}")
    first = paginate(User.objects.all(), ORDER, None, 2)
    assert [u.username for u in first] == ["p0", "p1"]
    assert first.previous is None and first.next
    second = paginate(User.objects.all(), ORDER, first.next, 2)
    assert [u.username for u in second] == ["p2", "p3"]
    third = paginate(User.objects.all(), ORDER, second.next, 2)
    assert [u.username for u in third] == ["p4"] and third.next is None
    assert [u.username for u in paginate(User.objects.all(), ORDER, third.previous, 2)] == [
        "p2",
        "p3",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["junk", "", "a" * 500, "eyJ4IjoxfQ:1abc:def", "\x00\x1b[31m"])
def test_bad_or_forged_cursor_is_refused_with_a_message(cursor: str) -> None:
    User.objects.create(username="only", last_name="A")
    if cursor == "":
        assert [u.username for u in paginate(User.objects.all(), ORDER, cursor, 5)] == ["only"]
        return
    with pytest.raises(InvalidInput) as err:
        paginate(User.objects.all(), ORDER, cursor, 5)
    assert "page link is not valid" in err.value.errors["cursor"]


@pytest.mark.django_db
def test_cursor_of_one_list_is_refused_by_another_ordering() -> None:
    user = User.objects.create(username="only", last_name="A")
    cursor = cursor_of(user, ORDER, "n")
    with pytest.raises(InvalidInput):
        paginate(User.objects.all(), ("username", "pk"), cursor, 5)


@pytest.mark.parametrize("size", [0, -1, MAX_SIZE + 1, "ten", "1.5"])
def test_page_size_outside_range_is_refused(size: object) -> None:
    with pytest.raises(InvalidInput) as err:
        page_size(size)  # type: ignore[arg-type]
    assert "page size" in err.value.errors["size"]


def test_page_size_default_and_bounds() -> None:
    assert page_size(None) == 50
    assert page_size("") == 50
    assert page_size("7") == 7
    assert page_size(MAX_SIZE) == MAX_SIZE
