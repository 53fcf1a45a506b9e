"""The example estate, built once in memory: {path under generated/: document}."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def estate(example_estate):
    return example_estate


@pytest.fixture(scope="session")
def documents(example_documents) -> dict[str, object]:
    return example_documents
