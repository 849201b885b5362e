"""Framework files written for the social value tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def csv_file(tmp_path) -> Callable[..., object]:
    def write(text: str, name: str = "framework.csv", encoding: str = "utf-8"):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write
