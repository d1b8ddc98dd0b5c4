import os

import pytest

# Tests run on 2-core CPU machines: keep torch from oversubscribing when pytest forks helpers.
os.environ.setdefault("OMP_NUM_THREADS", "2")


@pytest.fixture
def repo_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[1]
