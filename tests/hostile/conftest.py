"""The fork server every corpus case runs in (one per session)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.hostile.harness import Server


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """A server that runs each case in a forked process of its own."""
    if sys.platform != "linux":
        pytest.skip("the corpus runs cases under Linux resource limits")
    started = Server()
    yield started
    started.close()
