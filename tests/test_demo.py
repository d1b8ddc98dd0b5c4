"""Smoke test of the `make demo` driver (medfl.server.demo) with tiny settings, real processes on loopback.

Two shipped sources with 14 raw docs each go through the real prepare (de-id), keys/certs/add-site, the
federated tokenizer, one round on flower-superlink + 2 flower-supernodes (TLS + site auth) and the HF
export; then a second call with --resume continues to round 2, reusing the prepared data. Checks the
report (per-site and global validation per model version), the PNG, the export, and that no site process
outlives the demo. ~90 s on the shared 2-core box.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from medfl.server.demo import DemoConfig, run_demo, summary_rows

pytestmark = pytest.mark.slow


def _procs_mentioning(text: str) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit() and int(d.name) != os.getpid():
            try:
                if text.encode() in (d / "cmdline").read_bytes():
                    out.append(int(d.name))
            except OSError:
                pass
    return out


def test_demo_tiny_then_resume(tmp_path):
    work = tmp_path / "demo"
    kw = dict(work=work, sources=("cdc", "ninds"), max_docs=14, rounds=1, local_steps=2, seq_len=32,
              batch_size=4, warmup_steps=1, vocab_size=512, min_doc_freq=1, round_timeout_s=120.0)
    s1 = run_demo(DemoConfig(**kw))
    assert s1["status"] == "finished:completed"
    state = work / "coordinator"
    rep = json.loads((state / "report.json").read_text())
    assert rep["rounds_finished"] == 1 and rep["model_config"]["name"] == "medfl-tiny"
    assert rep["run_config"]["min-sites"] == 2
    sites, rows = summary_rows(rep)
    assert sites == ["cdc", "ninds"]
    assert [r["version"] for r in rows] == [0, 1]  # initial model + after round 1 (final evaluation)
    assert all(r["sites_ppl"][s] > 1 for r in rows for s in sites) and rows[1]["mb_up"] > 0
    assert (state / "report.png").stat().st_size > 10_000
    assert json.loads((state / "tokenizer_report.json").read_text())["n_ok"] == 2  # federated tokenizer
    hf = Path(s1["files"]["hf_export"])
    assert (hf / "config.json").is_file() and any(hf.glob("*.safetensors"))
    assert not (work / "demo.pids").exists()
    assert _procs_mentioning(str(work)) == []  # every SuperNode / worker / SuperLink stopped
    stamps = {p: p.stat().st_mtime for p in (work / "sites").glob("*.stamp.json")}
    assert len(stamps) == 2

    s2 = run_demo(DemoConfig(**{**kw, "rounds": 2, "resume": True, "export": False}))
    assert s2["status"] == "finished:completed"
    rep = json.loads((state / "report.json").read_text())
    assert rep["rounds_finished"] == 2 and [r["round"] for r in rep["rounds"]] == [1, 2]
    assert {p: p.stat().st_mtime for p in stamps} == stamps  # prepared data reused, not redone
    assert (work / "demo_summary.json").is_file()
    assert _procs_mentioning(str(work)) == []
