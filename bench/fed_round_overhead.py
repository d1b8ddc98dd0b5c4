"""Round overhead of a real medfl federation on loopback: round wall time minus the slowest site's training.

Runs medfl's ServerApp/ClientApp on a real flower-superlink (TLS + SuperNode auth) with 2 sites joined through
real flower-supernode processes, once per process model:

    stock       flwr 1.41 defaults: a fresh flwr-clientapp process per message, SuperNode idle poll 3 s,
                flower-superexec task poll 1 s, in-memory SuperLink state
    cold-tuned  fresh process per message, but SuperNode poll 0.2 s and superexec poll 0.05 s (in-memory)
    warm        medfl defaults: one long-lived ClientApp worker per site (medfl-client join), SuperNode
                poll 0.2 s, SuperLink state in <state-dir>/superlink.db (resumable)
    warm-mem    warm with in-memory SuperLink state ([superlink] database = ":memory:")
(A SQLite file on tmpfs was no faster than on disk: the SQLite store's cost is CPU, not I/O.)

Overhead per round comes from the ServerApp's own history (server/rounds.py: `overhead_s` = push -> last
reply minus the slowest OK site's `train-seconds`). Round 1 also pays one-time site setup (tokenizer, model
build, data packing) and is reported apart. Prints a table and writes JSON (--json PATH).

    .venv/bin/python bench/fed_round_overhead.py [--rounds 4] [--variants stock,warm] [--json out.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("stock", "cold-tuned", "warm", "warm-mem")


def _prepared_site(root: Path, name: str, source: str, n: int = 24) -> Path:
    d = root / name
    d.mkdir(parents=True)
    lines = (REPO / "data" / "sites" / source / "raw" / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [{**json.loads(x), "source": source} for x in lines[:n]]
    files = {}
    for fname, part in (("docs_train.jsonl", docs[: n - 4]), ("docs_val.jsonl", docs[n - 4 :])):
        (d / fname).write_text("".join(json.dumps(x) + "\n" for x in part), encoding="utf-8")
        files[fname] = {"sha256": hashlib.sha256((d / fname).read_bytes()).hexdigest()}
    (d / "deid_manifest.json").write_text(json.dumps({"format": "medfl-prepared/1", "files": files}))
    return d


def run_variant(name: str, root: Path, world: dict, args: argparse.Namespace) -> dict:
    from medfl.client.supernode import JoinConfig, SiteProcesses, free_port, wait_for_port
    from medfl.server.coordinator import finished_rounds, start_federation
    from medfl.server.federation import load_federation_config
    from medfl.server.superlink import add_site

    port = free_port()
    state = root / f"state-{name}"
    for site in world["sites"]:
        add_site(state, site, world["keys"][site][1])
    fed = load_federation_config(
        None,
        superlink__port=port, superlink__state_dir=str(state), superlink__certs_dir=str(world["certs"]),
        superlink__site_grace_s=120.0, superlink__database="" if name == "warm" else ":memory:",
        run__num_rounds=args.rounds, run__local_steps=args.local_steps, run__preset=args.preset,
        run__seq_len=64, run__batch_size=4, run__min_sites=2, run__round_timeout_s=300.0,
        run__tokenizer=str(world["tok"]), run__wire_dtype="bf16",
    )
    env = {"OMP_NUM_THREADS": "1"}
    if name == "cold-tuned":
        env["FLWR_SUPEREXEC_TASK_POLL_INTERVAL"] = "0.05"
    result: dict = {}

    def coordinator() -> None:
        try:
            result["outcome"] = start_federation(fed, extra_run_config={"eval-max-seqs": 8})
        except BaseException as e:  # noqa: BLE001 - reported below
            result["error"] = e

    t = threading.Thread(target=coordinator, daemon=True)
    t0 = time.monotonic()
    t.start()
    wait_for_port("127.0.0.1", port, 120)
    sites = [
        SiteProcesses(
            JoinConfig(superlink=f"127.0.0.1:{port}", data=path, ca=world["certs"] / "ca.crt",
                       key=world["keys"][site][0], site_id=site, work_dir=root / f"work-{name}-{site}",
                       device="cpu", warm=name.startswith("warm"),
                       poll_interval=3.0 if name == "stock" else 0.2),
            log_dir=root / "logs" / f"{name}-{site}", env=env,
        ).start()
        for site, path in world["sites"].items()
    ]
    try:
        t.join(args.timeout)
    finally:
        for s in sites:
            s.stop()
    if "error" in result or t.is_alive():
        raise RuntimeError(f"variant {name}: {result.get('error', 'timed out')}")
    # the newest round folder's history has every round (older folders are pruned: keep-last)
    hist = [h for h in finished_rounds(state)[-1]["history"] if int(h["round"]) > 0]
    later = hist[1:] or hist
    return {
        "variant": name,
        "total_s": time.monotonic() - t0,
        "round1_wall_s": hist[0]["wall_s"],
        "round1_overhead_s": hist[0]["overhead_s"],
        "wall_s_mean": statistics.mean(h["wall_s"] for h in later),
        "overhead_s_mean": statistics.mean(h["overhead_s"] for h in later),
        "overhead_s_min": min(h["overhead_s"] for h in later),
        "train_s_max_mean": statistics.mean(h["wall_s"] - h["overhead_s"] for h in later),
        "rounds": [{k: h[k] for k in ("round", "wall_s", "overhead_s", "n_ok")} for h in hist],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--local-steps", type=int, default=5)
    ap.add_argument("--preset", default="medfl-tiny")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--timeout", type=float, default=420.0, help="per variant")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="work in this dir and keep it (logs)")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    from medfl.client.keys import generate_site_keys
    from medfl.core_model.tokenizer import train_tokenizer
    from medfl.server.certs import generate_certs

    with tempfile.TemporaryDirectory(prefix="medfl-overhead-") as tmp:
        root = Path(tmp)
        if args.keep:
            root = args.keep.resolve()
            root.mkdir(parents=True, exist_ok=False)
        sites = {"site-a": _prepared_site(root, "a", "cdc"), "site-b": _prepared_site(root, "b", "ninds")}
        texts = [json.loads(x)["text"] for d in sites.values()
                 for x in (d / "docs_train.jsonl").read_text(encoding="utf-8").splitlines()]
        tok = train_tokenizer(out_path=root / "tok.model", vocab_size=512, texts=texts)
        certs = generate_certs(root / "certs").ca_cert.parent
        keys = {s: generate_site_keys(root / "keys" / s) for s in sites}
        world = {"sites": sites, "tok": tok, "certs": certs, "keys": keys}
        rows = [run_variant(v, root, world, args) for v in args.variants.split(",")]

    load = os.getloadavg()[0]
    print(f"\nround overhead on loopback: {args.preset}, 2 sites, {args.rounds} rounds x {args.local_steps} "
          f"local steps, TLS + SuperNode auth; {os.cpu_count()} cores, load avg {load:.1f}")
    hdr = f"{'variant':<12} {'round1 wall':>11} {'round1 ovh':>10} {'wall r2+':>9} {'train r2+':>9} " \
          f"{'overhead r2+':>12} {'min ovh':>8}"
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        print(f"{r['variant']:<12} {r['round1_wall_s']:>10.1f}s {r['round1_overhead_s']:>9.1f}s "
              f"{r['wall_s_mean']:>8.1f}s {r['train_s_max_mean']:>8.2f}s {r['overhead_s_mean']:>11.2f}s "
              f"{r['overhead_s_min']:>7.2f}s")
    out = {"preset": args.preset, "rounds": args.rounds, "local_steps": args.local_steps, "sites": 2,
           "cpu_count": os.cpu_count(), "loadavg_1m": load, "variants": rows}
    print(json.dumps(out))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
