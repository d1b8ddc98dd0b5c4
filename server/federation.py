"""Federation-wide settings: one TOML file on the coordinator, CLI flags override.

    [superlink]  where/how the coordinator listens (host, port, TLS, state dir)
    [run]        what every site does each round; becomes the Flower *run config* of the medfl app

Design choices:
- Two dataclasses, one per concern (litgpt-style): `SuperLinkConfig` never reaches the sites, `RunConfig` is
  exactly the run config the ServerApp/ClientApp read (kebab-case keys, as Flower run configs use).
- Site-local settings (data path, site id, work dir, device) are deliberately absent: they live in each
  site's `medfl-client join` node config and never come from the server.
- Unknown keys are errors naming the file and key (a typo must not silently fall back to a default).
- Relative paths in the file are resolved against the file's folder, so a config can travel with its
  federation directory.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medfl.core_model.errors import MedflError

STRATEGIES = ("fedavg", "fedprox", "nesterov")
WIRE_DTYPES = ("fp32", "bf16", "int8")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


@dataclass
class SuperLinkConfig:
    """How the coordinator's `flower-superlink` listens. Args:
    host: bind address (0.0.0.0 to accept sites from other machines; 127.0.0.1 for loopback only).
    port: the one HTTPS port flwr 1.41 serves Fleet, Control and Runtime APIs on.
    hostnames: extra DNS names/IPs sites use to reach the coordinator (go into the certificate SANs).
    state_dir: round checkpoints, run report, logs, registered site keys, flwr home.
    certs_dir: ca.crt/server.pem/server.key (default: <state_dir>/certs).
    insecure: plain HTTP and no SuperNode authentication: local development only.
    wait_for_sites_s: how long `start` waits for `min-sites` registered sites to come online.
    site_grace_s: once `min-sites` are online, how much longer to wait for the other registered sites.
    database: where the SuperLink keeps its state. "" (default) = <state-dir>/superlink.db (or a path):
        registrations and SuperNode connections survive a coordinator restart, so `start --resume` just
        continues. ":memory:" roughly halves the per-round overhead (flwr 1.41's SQLite object store is
        slow; bench/fed_round_overhead.py), but after a coordinator restart the connected SuperNodes hang
        with node ids the new SuperLink never issued: restart `medfl-client join` on every site.
    """

    host: str = "127.0.0.1"
    port: int = 9092
    hostnames: list[str] = field(default_factory=list)
    state_dir: str = "work/federation"
    certs_dir: str = ""
    insecure: bool = False
    wait_for_sites_s: float = 300.0
    site_grace_s: float = 10.0
    database: str = ""

    def __post_init__(self) -> None:
        if not 0 < int(self.port) < 65536:
            raise MedflError(f"[superlink] port: {self.port} is not a TCP port")

    @property
    def state_path(self) -> Path:
        return Path(self.state_dir).expanduser().resolve()

    @property
    def certs_path(self) -> Path:
        return Path(self.certs_dir).expanduser().resolve() if self.certs_dir else self.state_path / "certs"

    @property
    def connect_address(self) -> str:
        """Address the coordinator itself uses to reach its SuperLink."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"{host}:{self.port}"


@dataclass
class RunConfig:
    """Per-round work, identical for every site (Flower run config). Args:
    num_rounds: federated rounds to run in total (a resumed run continues up to this number).
    local_steps: optimizer steps H each site takes per round.
    strategy: fedavg (token-weighted) | fedprox (prox_mu > 0) | nesterov (outer SGD with Nesterov momentum).
    wire_dtype: fp32 | bf16 | int8 encoding of the pseudo-gradient sites send back.
    min_sites: a round needs at least this many updates, else it fails (after round_timeout_s).
    round_timeout_s: a site that has not replied by then is dropped from the round.
    tokenizer: SentencePiece model every site uses (copied into the state dir at start).
    eval_max_seqs: validation windows per site per round (0 = all).
    keep_last: round folders kept in the state dir.
    federated_tokenizer: with no tokenizer (none given, none in the state dir), train it from the sites'
        word counts before round 1 (medfl.server.tokenizer_phase; `medfl-server tokenizer` runs it alone).
    tokenizer_vocab_size / tokenizer_min_doc_freq / tokenizer_dp_epsilon: that phase's vocab size, the k
        every site applies (words in fewer than k of its documents are never sent) and an optional DP
        request (> 0: noisy, thresholded counts; sites may be stricter in their own node config).
    """

    num_rounds: int = 3
    local_steps: int = 20
    strategy: str = "nesterov"
    prox_mu: float = 0.0
    outer_lr: float = 0.7
    outer_momentum: float = 0.9
    preset: str = "medfl-tiny"
    seq_len: int = 128
    batch_size: int = 8
    lr: float = 1e-3
    warmup_steps: int = 5
    wire_dtype: str = "bf16"
    min_sites: int = 2
    round_timeout_s: float = 600.0
    seed: int = 0
    tokenizer: str = ""
    eval_max_seqs: int = 0
    keep_last: int = 3
    federated_tokenizer: bool = True
    tokenizer_vocab_size: int = 8000
    tokenizer_min_doc_freq: int = 5
    tokenizer_dp_epsilon: float = 0.0

    def __post_init__(self) -> None:
        if self.strategy not in STRATEGIES:
            raise MedflError(f"[run] strategy: {self.strategy!r} is not one of {', '.join(STRATEGIES)}")
        if self.wire_dtype not in WIRE_DTYPES:
            raise MedflError(f"[run] wire-dtype: {self.wire_dtype!r} is not one of {', '.join(WIRE_DTYPES)}")
        for name in ("num_rounds", "local_steps", "min_sites", "batch_size", "seq_len"):
            if int(getattr(self, name)) < 1:
                raise MedflError(f"[run] {_kebab(name)}: must be >= 1, got {getattr(self, name)}")
        if self.round_timeout_s <= 0:
            raise MedflError(f"[run] round-timeout-s: must be > 0, got {self.round_timeout_s}")


@dataclass
class FederationConfig:
    superlink: SuperLinkConfig = field(default_factory=SuperLinkConfig)
    run: RunConfig = field(default_factory=RunConfig)
    source: str = ""  # file it was loaded from, for error messages

    def run_config(self, *, state_dir: Path, tokenizer_path: Path | None, resume: bool) -> dict[str, Any]:
        """The Flower run config (kebab-case) the ServerApp reads; paths are absolute coordinator paths."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(RunConfig):
            if f.name == "tokenizer":
                continue
            out[_kebab(f.name)] = getattr(self.run, f.name)
        out["state-dir"] = str(state_dir)
        out["tokenizer-path"] = str(tokenizer_path) if tokenizer_path else ""
        out["resume"] = bool(resume)
        return out


def _build(cls: type, table: dict[str, Any], section: str, source: str, base: Path) -> Any:
    fields = {_kebab(f.name): f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        f = fields.get(key) or fields.get(_kebab(key))
        if f is None:
            raise MedflError(f"{source}: unknown key [{section}] {key!r}; known: {', '.join(sorted(fields))}")
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        if isinstance(default, bool) and not isinstance(value, bool):
            raise MedflError(f"{source}: [{section}] {key} must be true/false")
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif default is not None and not isinstance(value, type(default)):
            raise MedflError(f"{source}: [{section}] {key} must be a {type(default).__name__}, got {value!r}")
        if key in ("state-dir", "certs-dir", "tokenizer") and value:
            value = str((base / Path(value).expanduser()).resolve())
        kwargs[f.name] = value
    return cls(**kwargs)


def load_federation_config(path: Path | None = None, **overrides: Any) -> FederationConfig:
    """Load `[superlink]` and `[run]` from a TOML file (or defaults), then apply non-None overrides.

    Overrides use dataclass field names, prefixed by section: `superlink__port=9100`, `run__num_rounds=2`.
    """
    table: dict[str, Any] = {}
    source = "<defaults>"
    base = Path.cwd()
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise MedflError(f"{path}: federation config not found")
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise MedflError(f"{path}: invalid TOML ({e})") from None
        source, base = str(path), path.resolve().parent
    unknown = set(table) - {"superlink", "run"}
    if unknown:
        raise MedflError(f"{source}: unknown section(s) {sorted(unknown)}; expected [superlink] and [run]")
    sl = _build(SuperLinkConfig, table.get("superlink", {}), "superlink", source, base)
    run = _build(RunConfig, table.get("run", {}), "run", source, base)
    for key, value in overrides.items():
        if value is None:
            continue
        section, _, name = key.partition("__")
        target = {"superlink": sl, "run": run}.get(section)
        if target is None or not hasattr(target, name):
            raise ValueError(f"unknown override {key!r}")
        setattr(target, name, value)
    # Re-validate after overrides.
    sl.__post_init__()
    run.__post_init__()
    return FederationConfig(superlink=sl, run=run, source=source)
