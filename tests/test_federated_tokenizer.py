"""Federated tokenizer phase (issue 7), in process: real medfl ServerApp/ClientApp over an in-memory Grid.

Sites are prepared dirs (deid manifest + docs) built from the shipped public sample texts, with planted
PHI-like strings: RARE_PHI in 3 documents of site-a (< k=5), SPLIT_PHI in 3 documents of site-a and 3 of
site-b (6 in total, but < k at each site), and a control word in 6 documents of site-a (>= k: it must be
sent, so the checks below can fail). Everything each site sends is serialized (flwr protobuf) and searched.
"""

import hashlib
import json
import logging
import math
from pathlib import Path

import pytest
from flwr.app import Context, Message, RecordDict
from flwr.common.serde import recorddict_to_proto
from prepared_sites import sample_docs, write_prepared

from medfl.client.word_counts import (
    WordCountConfig,
    _analytic_gaussian_delta,
    count_site_words,
    dp_calibration,
)
from medfl.core_model.errors import MedflError
from medfl.core_model.tokenizer import Tokenizer
from medfl.server.app import app as server_app
from medfl.server.local_grid import LocalGrid

RARE_PHI = "Bartholomew-Zykowski"
SPLIT_PHI = "MRN-QX7741-Vandermeulen"
CONTROL = "Zorblaxine-Quintessol"
DERIVED = "Zorblaxineplex"  # rare (2 documents) but made of k-frequent fragments: only those are sent
SECRETS = (RARE_PHI, SPLIT_PHI)
pytestmark = pytest.mark.usefixtures("one_torch_thread", "flwr_task_identity")


def _prepared_site(root: Path, name: str, source: str, plant: dict[str, int], n: int = 40) -> Path:
    docs = sample_docs(source, n)
    for word, k in plant.items():  # planted into the first k training documents
        for doc in docs[:k]:
            doc["text"] += f"\nPatient {word} was seen in clinic."
    return write_prepared(root / name, docs[: n - 4], docs[n - 4 :])


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    root = tmp_path_factory.mktemp("ftok")
    return {"site-a": _prepared_site(root, "a", "cdc", {RARE_PHI: 3, SPLIT_PHI: 3, CONTROL: 6, DERIVED: 2}),
            "site-b": _prepared_site(root, "b", "ninds", {SPLIT_PHI: 3}),
            "site-c": _prepared_site(root, "c", "niddk", {})}


def _nodes(sites, tmp, **extra):
    return {100 + i: {"data-path": str(d), "site-id": name, "work-dir": str(tmp / f"work-{name}"),
                      "device": "cpu", "threads": 1, **extra.get(name, {})}
            for i, (name, d) in enumerate(sites.items())}


def _run(grid, state_dir, **over):
    rc = {"num-rounds": 1, "local-steps": 1, "strategy": "fedavg", "preset": "medfl-tiny", "seq-len": 32,
          "batch-size": 2, "wire-dtype": "bf16", "min-sites": 2, "round-timeout-s": 30.0,
          "state-dir": str(state_dir), "eval-max-seqs": 2, "poll-interval-s": 0.01,
          "tokenizer-vocab-size": 400, "tokenizer-min-doc-freq": 5, **over}
    server_app(grid, Context(run_id=1, node_id=0, node_config={}, state=RecordDict(), run_config=rc))


def _wire(msg: Message) -> bytes:
    return recorddict_to_proto(msg.content).SerializeToString() if msg.has_content() else b""


def test_rare_words_never_leave_the_site_and_only_counts_are_sent(sites, tmp_path, caplog):
    grid = LocalGrid(_nodes(sites, tmp_path))
    state = tmp_path / "state"
    with caplog.at_level(logging.DEBUG):
        _run(grid, state, phase="tokenizer")
    # phase only: one query per site, no training round, no arrays either way
    assert [m.metadata.message_type for m in grid.sent] == ["query.tokenizer"] * 3
    assert not (state / "rounds").exists()
    for m in grid.sent:
        assert set(m.content.keys()) == {"config"}
        assert m.content.config_records["config"]["phase"] == "tokenizer"
    by_site = {}
    for _, reply in grid.received:
        assert not reply.has_error(), reply.error
        content = reply.content
        assert set(content.keys()) == {"counts", "metrics"}  # the only things a site sends
        assert not content.array_records
        rec = content.config_records["counts"]
        assert set(rec.keys()) == {"site-id", "words", "counts", "dp-mechanism"}
        assert all(isinstance(v, int | float) for v in content.metric_records["metrics"].values())
        by_site[rec["site-id"]] = (dict(zip(rec["words"], rec["counts"], strict=True)), _wire(reply))
    counts_a, wire_a = by_site["site-a"]
    assert counts_a[CONTROL] == 6 and CONTROL.encode() in wire_a  # >= k documents: sent (check can fail)
    # a rare word goes out only as k-frequent fragments; "Zorblaxine" occurs in >= 6 documents as a substring
    assert DERIVED not in counts_a and counts_a["Zorblaxine"] == 2 and DERIVED.encode() not in wire_a
    assert all(not w.startswith(("Bartholomew", "MRN-QX7741")) for w in counts_a)
    for counts, wire in by_site.values():
        for secret in SECRETS:
            assert secret not in counts and secret.encode() not in wire
    assert all(len(c) > 50 for c, _ in by_site.values())

    tok = Tokenizer.load(state / "tokenizer.model")
    assert tok.vocab_size == 400
    vocab = [tok.id_to_piece(i) for i in range(tok.vocab_size)]
    for secret in (*SECRETS, DERIVED):
        assert not any(secret in p.replace("\u2581", "") for p in vocab)
    report_text = (state / "tokenizer_report.json").read_text()
    report = json.loads(report_text)
    assert report["sha256"] == tok.sha256 and report["n_ok"] == 3
    assert report["sites"]["site-a"]["num_words"] == len(counts_a)
    assert report["sites"]["site-a"]["num_words_dropped"] > 0
    logs = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    for text in (report_text, logs):
        assert CONTROL not in text  # not even kept words are logged or reported
        for secret in SECRETS:
            assert secret not in text


def test_start_without_tokenizer_runs_phase_then_every_site_trains_with_the_same_tokenizer(sites, tmp_path):
    grid = LocalGrid(_nodes(sites, tmp_path))
    state = tmp_path / "state"
    _run(grid, state)  # phase="train" (default) + federated-tokenizer default: phase first, then 1 round
    sha = hashlib.sha256((state / "tokenizer.model").read_bytes()).hexdigest()
    types = [m.metadata.message_type for m in grid.sent]
    assert types[:3] == ["query.tokenizer"] * 3 and types[3:6] == ["train"] * 3
    # the tokenizer bytes ride on the first training message to each site, and each site reports its sha
    for m in grid.sent[3:6]:
        cfg = m.content.config_records["config"]
        assert cfg["tokenizer-sha"] == sha and hashlib.sha256(bytes(cfg["tokenizer"])).hexdigest() == sha
    reported = {r.content.config_records["site"]["site-id"]: r.content.config_records["site"]["tokenizer-sha"]
                for _, r in grid.received if r.metadata.message_type == "train"}
    assert reported == {"site-a": sha, "site-b": sha, "site-c": sha}
    for name in sites:  # the file each site cached is byte-identical
        cached = tmp_path / f"work-{name}" / "tokenizers" / f"{sha}.model"
        assert hashlib.sha256(cached.read_bytes()).hexdigest() == sha
    # round-0 state (and every round's checkpoint) carries the tokenizer
    for rnd in ("round_000000", "round_000001"):
        assert hashlib.sha256((state / "rounds" / rnd / "tokenizer.model").read_bytes()).hexdigest() == sha
    rep = json.loads((state / "report.json").read_text())
    assert rep["rounds_finished"] == 1 and rep["rounds"][0]["n_ok"] == 3

    # deterministic: the same sites give the same tokenizer bytes; a state dir with rounds is refused
    again = tmp_path / "again"
    _run(LocalGrid(_nodes(sites, tmp_path)), again, phase="tokenizer")
    assert hashlib.sha256((again / "tokenizer.model").read_bytes()).hexdigest() == sha
    with pytest.raises(MedflError, match="already holds rounds"):
        _run(LocalGrid(_nodes(sites, tmp_path)), state, phase="tokenizer")


def test_site_floor_stricter_bad_reply_rejected_unprepared_fails_closed(sites, tmp_path, caplog):
    # site-a raises its own k to 7 (node config): the control word (6 documents) no longer leaves it
    nodes = _nodes(sites, tmp_path, **{"site-a": {"tokenizer-min-doc-freq": "7"}})

    def tamper(node, reply):
        if node == 102:  # site-c claims a negative count
            reply.content.config_records["counts"]["counts"][0] = -3

    grid = LocalGrid(nodes, tamper=tamper)
    with caplog.at_level(logging.WARNING, logger="medfl.server.tokenizer_phase"):
        _run(grid, tmp_path / "state", phase="tokenizer")
    rec_a = next(r for n, r in grid.received if n == 100).content
    assert CONTROL not in rec_a.config_records["counts"]["words"]
    assert rec_a.metric_records["metrics"]["min-doc-freq"] == 7
    rep = json.loads((tmp_path / "state" / "tokenizer_report.json").read_text())
    assert rep["n_ok"] == 2 and rep["sites"]["site-c"] == {"status": "rejected",
                                                           "reason": "count #0 is not a positive integer"}
    assert "rejected counts from site site-c: count #0 is not a positive integer" in caplog.text

    raw = tmp_path / "unprepared"
    raw.mkdir()
    (raw / "docs_train.jsonl").write_text(json.dumps({"id": "1", "text": "x"}) + "\n")
    with pytest.raises(MedflError, match="deid_manifest.json"):
        count_site_words(raw, WordCountConfig())
    # with fewer than min-sites valid replies nothing is written
    bad = _nodes({"site-a": sites["site-a"], "raw": raw}, tmp_path)
    with pytest.raises(MedflError, match="1 valid site"):
        _run(LocalGrid(bad), tmp_path / "state2", phase="tokenizer")
    assert not (tmp_path / "state2" / "tokenizer.model").exists()


def test_dp_counts_calibration_and_threshold(sites):
    for mech in ("laplace", "gaussian"):
        cfg = WordCountConfig(dp_epsilon=2.0, dp_delta=1e-6, dp_mechanism=mech, dp_max_words_per_doc=64)
        cal = dp_calibration(cfg)
        if mech == "laplace":  # b = L*C/eps; tau = C + b ln(L / 2 delta)
            assert cal["scale"] == pytest.approx(32.0)
            assert cal["threshold"] == pytest.approx(1 + 32.0 * math.log(64 / 2e-6))
        else:  # analytic Gaussian: delta tight at sigma, violated just below
            s, sens = cal["scale"], 8.0
            assert _analytic_gaussian_delta(s, 2.0, sens) <= 5e-7
            assert _analytic_gaussian_delta(0.99 * s, 2.0, sens) > 5e-7
        res = count_site_words(sites["site-a"], cfg, seed=0)
        assert all(v > cal["threshold"] - 1 for v in res.counts.values())
        assert all(s not in res.counts for s in (*SECRETS, CONTROL))  # 6 docs is far below tau
        assert "num-docs" not in res.stats  # exact numbers are not DP: not released
    # a very loose budget keeps frequent words, and noise makes counts differ from the exact ones
    loose = count_site_words(sites["site-a"], WordCountConfig(dp_epsilon=200.0, dp_max_words_per_doc=1000),
                             seed=1)
    exact = count_site_words(sites["site-a"], WordCountConfig(min_doc_freq=1))
    assert 0 < len(loose.counts) < len(exact.counts)
    assert any(loose.counts[w] != exact.counts[w] for w in loose.counts)
    with pytest.raises(MedflError, match="dp-mechanism"):
        WordCountConfig(dp_epsilon=1.0, dp_mechanism="exponential")


@pytest.mark.slow
def test_real_processes_tokenizer_cli_then_start(sites, tmp_path):
    """`medfl-server tokenizer`, then `medfl-server start` on a real TLS + auth SuperLink; two sites joined
    once (`medfl-client join`: flower-supernode + warm worker) serve both phases across the SuperLink restart,
    and no planted string reaches any log."""
    import os
    import signal
    import subprocess
    import sys

    from medfl.client.keys import generate_site_keys
    from medfl.client.supernode import flwr_env, free_port, wait_for_port
    from medfl.server.certs import generate_certs
    from medfl.server.superlink import add_site

    bin_dir = Path(sys.executable).parent
    port, state = free_port(), tmp_path / "state"
    certs = generate_certs(tmp_path / "certs")
    names = ("site-a", "site-b")
    keys = {n: generate_site_keys(tmp_path / "keys" / n) for n in names}
    for n in names:
        add_site(state, n, keys[n][1])
    rc = {"num-rounds": 1, "local-steps": 1, "preset": "medfl-tiny", "seq-len": 32, "batch-size": 2,
          "min-sites": 2, "round-timeout-s": 90.0, "eval-max-seqs": 2, "tokenizer-vocab-size": 400}
    config = tmp_path / "federation.toml"
    config.write_text("\n".join(
        ["[superlink]", f"port = {port}", f'state-dir = "{state}"', f'certs-dir = "{certs.ca_cert.parent}"',
         "wait-for-sites-s = 120.0", "site-grace-s = 120.0", "", "[run]"]
        + [f"{k} = {json.dumps(v)}" for k, v in rc.items()]) + "\n")
    env = flwr_env({"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    procs: list[subprocess.Popen] = []

    def spawn(args: list[str], log_name: str) -> subprocess.Popen:
        p = subprocess.Popen(args, stdout=open(tmp_path / log_name, "wb"), stderr=subprocess.STDOUT,  # noqa: SIM115
                             env=env, start_new_session=True)
        procs.append(p)
        return p

    try:
        for cmd in ("tokenizer", "start"):
            server = spawn([str(bin_dir / "medfl-server"), cmd, "--config", str(config), "--json"],
                           f"server-{cmd}.log")
            if cmd == "tokenizer":
                wait_for_port("127.0.0.1", port, 60, server)
                for n in names:
                    spawn([str(bin_dir / "medfl-client"), "join", "--superlink", f"127.0.0.1:{port}",
                           "--data", str(sites[n]), "--ca", str(certs.ca_cert), "--key", str(keys[n][0]),
                           "--site-id", n, "--device", "cpu", "--threads", "1", "--work-dir",
                           str(tmp_path / f"work-{n}"), "--tokenizer-min-doc-freq", "5"], f"join-{n}.log")
            code = server.wait(timeout=300)
            assert code == 0, (tmp_path / f"server-{cmd}.log").read_text(errors="replace")[-3000:]
            if cmd == "tokenizer":
                rep = json.loads((state / "tokenizer_report.json").read_text())
                assert rep["n_ok"] == 2 and set(rep["sites"]) == set(names)
                sha = hashlib.sha256((state / "tokenizer.model").read_bytes()).hexdigest()
                assert rep["sha256"] == sha
        assert hashlib.sha256((state / "rounds" / "round_000001" / "tokenizer.model").read_bytes()
                              ).hexdigest() == sha  # start used the federated tokenizer, did not retrain it
        for n in names:
            assert (tmp_path / f"work-{n}" / "tokenizers" / f"{sha}.model").is_file()
        logs = [p for p in tmp_path.rglob("*.log") if p.is_file()]
        assert len(logs) >= 4
        for p in logs:
            text = p.read_bytes()
            for secret in (*SECRETS, CONTROL, DERIVED):
                assert secret.encode() not in text, p
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(10)
