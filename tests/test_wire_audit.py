"""Wire audit: in a real federated run on loopback (SuperLink + 2 SuperNodes, TLS, medfl-tiny), capture
everything each site sends (every reply's arrays, metrics and configs, through a recording ClientApp) and
everything the sites and the coordinator log or store, and assert that no raw PHI string from the sites' raw
notes and no canary secret appears anywhere in it. Then site-a audits the federated checkpoint locally;
its report (the summary a site may share) must hold no secret either.

The sites hold synthetic notes with real-looking PHI (privacy/deid/synthetic.py), prepared with the real
de-identifier and carrying planted canaries, so the secrets exist at the sites and the test can fail.
Reuses the federation e2e helpers (tests/test_federation_e2e.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_federation_e2e import _env, _federation, _kill_group, _log_tail, _rounds, _site

from medfl.client.keys import generate_site_keys
from medfl.client.supernode import free_port, wait_for_port
from medfl.privacy.audit import AuditConfig, run_audit
from medfl.privacy.audit.exposure import ExposureConfig
from medfl.privacy.audit.extraction import ExtractionConfig
from medfl.server.certs import generate_certs

pytestmark = pytest.mark.slow


def _phi_site(root: Path, name: str, seed: int) -> tuple[Path, Path, list[dict]]:
    from medfl.client.prepare import prepare_site
    from medfl.privacy.audit import CanaryConfig, plant_canaries
    from medfl.privacy.deid import DeidConfig
    from medfl.privacy.deid.synthetic import generate_notes

    raw = root / name / "raw"
    raw.mkdir(parents=True)
    notes = generate_notes(24, seed)
    (raw / "docs.jsonl").write_text("".join(json.dumps({"id": n["id"], "text": n["text"]}) + "\n"
                                            for n in notes))
    prepared = root / name / "prepared"
    prepare_site(raw, prepared, deid=DeidConfig(mode="tags"), seed=seed, val_fraction=0.2)
    secrets = root / name / "secrets" / "canaries.json"
    plant_canaries(prepared, secrets_path=secrets,
                   config=CanaryConfig(repeats=(1, 8), slots_per_repeat=(8, 4), seed=seed))
    return prepared, secrets, notes


def _needles(secrets: list[Path], notes: list[dict]) -> set[str]:
    from medfl.privacy.audit import load_secrets

    out = set()
    for s in secrets:
        for c in load_secrets(s).canaries:
            out |= {c.mrn, c.name}
    for n in notes:  # raw identifiers long enough not to occur by chance
        out |= {n["text"][a:b] for a, b, _ in n["spans"] if b - a >= 6}
    return out


def test_no_phi_or_canary_secret_leaves_a_site(tmp_path):
    from medfl.core_model.tokenizer import train_tokenizer

    sites, secrets, notes = {}, [], []
    for i, name in enumerate(("site-a", "site-b")):
        prepared, sec, ns = _phi_site(tmp_path, name, seed=10 + i)
        sites[name], secrets, notes = prepared, [*secrets, sec], [*notes, *ns]
    texts = [json.loads(x)["text"] for d in sites.values()
             for x in (d / "docs_val.jsonl").read_text().splitlines()]  # no canaries in the tokenizer
    world = {"root": tmp_path, "sites": sites,
             "tok": Path(train_tokenizer(out_path=tmp_path / "tok.model", vocab_size=384, texts=texts)),
             "certs": generate_certs(tmp_path / "certs"),
             "keys": {n: generate_site_keys(tmp_path / "keys" / n) for n in sites}}
    needles = _needles(secrets, notes)
    assert len(needles) > 100
    # positive controls: the search finds the secrets where they do live (site-local files)
    assert any(n.encode() in (sites["site-a"] / "docs_train.jsonl").read_bytes() for n in needles)
    assert any(n.encode() in (tmp_path / "site-a" / "raw" / "docs.jsonl").read_bytes() for n in needles)

    port = free_port()
    state = tmp_path / "state"
    config = _federation(world, state, port, **{"num-rounds": 2, "local-steps": 3})
    server_log = tmp_path / "server.log"
    cmd = [sys.executable, "-c",
           "from pathlib import Path; from medfl.server.federation import load_federation_config as L; "
           "from medfl.server.coordinator import start_federation as S; "
           f"o = S(L(Path({str(config)!r})), clientapp='fedproto.capture_client:app'); print(o.status)"]
    server = subprocess.Popen(cmd, stdout=open(server_log, "wb"), stderr=subprocess.STDOUT, env=_env(),  # noqa: SIM115
                              start_new_session=True)
    capture = tmp_path / "capture"
    procs = []
    try:
        wait_for_port("127.0.0.1", port, 60, server)
        procs = [_site(world, n, port, clientapp="fedproto.capture_client:app",
                       extra_node_config={"capture-dir": str(capture)}).start() for n in sites]
        server.wait(timeout=240)
        assert server.returncode == 0, _log_tail(server_log, state / "logs" / "superlink.log")
    finally:
        for p in procs:
            p.stop()
        _kill_group(server)
    assert [r["round"] for r in _rounds(state)] == [1, 2]

    sent = {p.name: p.read_bytes() for p in capture.glob("*.bin")}
    assert set(sent) == {"site-a.bin", "site-b.bin"} and all(b"[array " in b for b in sent.values())
    logs = {str(p): p.read_bytes() for p in (tmp_path / "logs").rglob("*") if p.is_file()}
    stored = {str(p): p.read_bytes() for p in state.rglob("*") if p.is_file()}
    stored[str(server_log)] = server_log.read_bytes()
    assert logs, "no site logs captured"
    # the site audits the global model it received (federation checkpoint) with its own secrets and raw notes
    small = AuditConfig(exposure=ExposureConfig(samples=100),
                        extraction=ExtractionConfig(samples=0, note_prompts=4, max_phi_spans=50))
    rep = run_audit(model=state, data=sites["site-a"], raw=tmp_path / "site-a" / "raw",
                    out=tmp_path / "audit", canaries=secrets[0], site="site-a", config=small)
    assert rep["model"]["kind"] == "federated" and rep["model"]["round"] == 2
    assert rep["verdict"] in ("PASS", "FAIL") and rep["real_phi"]["probed"] > 0
    stored["site audit report.json"] = (tmp_path / "audit" / "report.json").read_bytes()
    stored["site audit report.html"] = (tmp_path / "audit" / "report.html").read_bytes()
    for where, blobs in (("sent by a site", sent), ("site logs", logs), ("coordinator state/logs", stored)):
        for f, blob in blobs.items():
            found = sorted(n for n in needles if n.encode() in blob)
            assert not found, f"{len(found)} secret/PHI string(s) in {where}: {f}"
