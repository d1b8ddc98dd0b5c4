import os

import pytest

# Tests run on 2-core CPU machines: keep torch from oversubscribing when pytest forks helpers.
os.environ.setdefault("OMP_NUM_THREADS", "2")


@pytest.fixture
def repo_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny tensors: intra-op threads only add sync overhead on the shared 2-core CI machine."""
    import torch

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


@pytest.fixture
def flwr_task_identity(monkeypatch):
    """What flwr-serverapp sets for its process; Message() reads it for the metadata."""
    from flwr.supercore.task_identity import TaskIdentity

    for k, v in (("_run_id", 1), ("_node_id", 0), ("_task_id", 1)):
        monkeypatch.setattr(TaskIdentity, k, v)
