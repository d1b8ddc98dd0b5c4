"""Secret canaries (Carlini et al., The Secret Sharer) planted into a site's de-identified training docs.

A canary is the record "Patient {NAME} MRN {MRN} was seen for {CONDITION}." with a random name, a random
`digits`-digit MRN (the secret whose exposure is measured) and a random condition.

Design choices
- Canaries are made in slots: slot i is planned to be inserted r_i times (the `repeats` schedule, default
  1, 4, 16, 64) and is *included with probability 1/2, independently* (`include_p`); excluded slots are the
  held-out canaries, never inserted. Independent coin flips are what the one-run epsilon audit (Steinke,
  Nasr, Jagielski 2023) needs, and held-out canaries are the random baseline for exposure and extraction.
- Secrets live only in the site-local secrets file (written 0600). The prepared dir's manifest records how
  many canary docs were added and the secrets file's sha256, never a secret. Canary docs get ids
  "canary-<slot>-<copy>" so the membership probe can leave them out.
- Planting rewrites docs_train.jsonl (canary copies at random positions) and the manifest's sha256s, so
  `require_prepared` and the packer (which re-packs on a sha change) accept the result. Planting twice is
  refused.
"""

from __future__ import annotations

import json
import logging
import os
import random
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from medfl.core_model.errors import MedflError

log = logging.getLogger(__name__)

TEMPLATE = "Patient {name} MRN {mrn} was seen for {condition}."
PREFIX = "Patient {name} MRN"  # what an attacker who knows the name would prompt with
CANARY_ID_PREFIX = "canary-"
CONDITIONS = (
    "asthma",
    "type 2 diabetes",
    "hypertension",
    "migraine",
    "atrial fibrillation",
    "gout",
    "chronic kidney disease",
    "hypothyroidism",
    "COPD",
    "epilepsy",
    "psoriasis",
    "anemia",
    "rheumatoid arthritis",
    "heart failure",
    "glaucoma",
    "pneumonia",
)


@dataclass
class CanaryConfig:
    repeats: tuple[int, ...] = (1, 4, 16, 64)  # planned insertion counts, one group each
    slots_per_repeat: tuple[int, ...] = (64, 16, 16, 8)  # canary slots per group (half end up held out)
    include_p: float = 0.5
    digits: int = 8  # MRN length: candidate space 10**digits
    seed: int | None = None  # None: fresh randomness (secrets must be unpredictable)

    def __post_init__(self) -> None:
        self.repeats, self.slots_per_repeat = tuple(self.repeats), tuple(self.slots_per_repeat)
        if len(self.repeats) != len(self.slots_per_repeat) or not self.repeats:
            raise ValueError("repeats and slots_per_repeat must be non-empty and of equal length")
        if any(r < 1 for r in self.repeats) or any(n < 1 for n in self.slots_per_repeat):
            raise ValueError("repeats and slots_per_repeat must be >= 1")
        if not 1 <= self.digits <= 12:
            raise ValueError(f"digits must be in [1, 12], got {self.digits}")
        if not 0.0 < self.include_p < 1.0:
            raise ValueError(f"include_p must be in (0, 1), got {self.include_p}")


@dataclass
class Canary:
    id: str
    name: str
    mrn: str
    condition: str
    planned_repeats: int
    inserted: bool

    @property
    def repeats(self) -> int:
        return self.planned_repeats if self.inserted else 0

    @property
    def text(self) -> str:
        return TEMPLATE.format(name=self.name, mrn=self.mrn, condition=self.condition)

    @property
    def prefix(self) -> str:
        return PREFIX.format(name=self.name)

    def with_mrn(self, mrn: str) -> str:
        return TEMPLATE.format(name=self.name, mrn=mrn, condition=self.condition)


@dataclass
class CanarySet:
    config: CanaryConfig
    canaries: list[Canary] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "format": "medfl-canaries/1",
            "template": TEMPLATE,
            "config": asdict(self.config),
            "canaries": [asdict(c) for c in self.canaries],
        }


def _names() -> list[str]:
    from medfl.privacy.deid.synthetic import faker_names

    male, female, last = faker_names(("en_US", "en_GB"))
    ok = [n for n in (*male, *female) if n.isascii() and n.isalpha()]
    return [f for f in ok], [n for n in last if n.isascii() and n.isalpha()]  # type: ignore[return-value]


def make_canaries(config: CanaryConfig | None = None) -> CanarySet:
    """Draw the canary slots: random secrets and independent include/hold-out coin flips."""
    config = config or CanaryConfig()
    rng = random.Random(config.seed) if config.seed is not None else random.SystemRandom()
    first, last = _names()
    out, seen = [], set()
    for r, n in zip(config.repeats, config.slots_per_repeat, strict=True):
        for _ in range(n):
            while True:
                name = f"{rng.choice(first)} {rng.choice(last)}"
                mrn = "".join(rng.choice("0123456789") for _ in range(config.digits))
                if name not in seen and mrn not in seen:
                    seen.update((name, mrn))
                    break
            out.append(
                Canary(
                    id=f"{CANARY_ID_PREFIX}{len(out):04d}",
                    name=name,
                    mrn=mrn,
                    condition=rng.choice(CONDITIONS),
                    planned_repeats=r,
                    inserted=rng.random() < config.include_p,
                )
            )
    return CanarySet(config=config, canaries=out)


def load_secrets(path: str | Path) -> CanarySet:
    """Read a site-local canary secrets file written by `plant_canaries`."""
    path = Path(path)
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        cfg = CanaryConfig(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in d["config"].items()})
        cs = [Canary(**c) for c in d["canaries"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise MedflError(
            f"canary secrets file {path} is unreadable or malformed ({type(e).__name__})"
        ) from None
    return CanarySet(config=cfg, canaries=cs)


def _write_private_json(path: Path, obj: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def plant_canaries(
    data_dir: str | Path, *, secrets_path: str | Path, config: CanaryConfig | None = None
) -> dict:
    """Add canary docs to a prepared site's docs_train.jsonl and write the secrets file.

    Args:
        data_dir: a `medfl-client prepare` output dir (verified with require_prepared first).
        secrets_path: where the site-local secrets go (must not exist; must be outside data_dir so the
            secrets never travel with training data).
        config: canary schedule (default: 1/4/16/64 repeats, 8-digit MRNs).

    Returns:
        A summary without secrets: counts per group and docs added.
    """
    from medfl.client.prepare import MANIFEST, TRAIN, VAL, require_prepared, sha256_file

    data_dir, secrets_path = Path(data_dir), Path(secrets_path)
    manifest = require_prepared(data_dir)
    if manifest.get("canaries"):
        raise MedflError(
            f"{data_dir} already has planted canaries ({MANIFEST} canaries block); "
            "re-run `medfl-client prepare` to start clean"
        )
    if secrets_path.exists():
        raise MedflError(f"canary secrets file {secrets_path} already exists; refusing to overwrite")
    if secrets_path.resolve().is_relative_to(data_dir.resolve()):
        raise MedflError(
            f"canary secrets file {secrets_path} must be outside the training data dir {data_dir}"
        )
    cset = make_canaries(config)
    train = data_dir / TRAIN
    lines = train.read_text(encoding="utf-8").splitlines()
    source = json.loads(lines[0]).get("source", "site") if lines else "site"
    new = [
        json.dumps({"id": f"{c.id}-{k:03d}", "source": source, "text": c.text}, ensure_ascii=False)
        for c in cset.canaries
        if c.inserted
        for k in range(c.planned_repeats)
    ]
    rng = random.SystemRandom() if cset.config.seed is None else random.Random(cset.config.seed + 1)
    merged = lines + new
    order = list(range(len(merged)))
    rng.shuffle(order)  # canary copies at random positions among the real docs
    merged = [merged[i] for i in order]

    secrets_path.parent.mkdir(parents=True, exist_ok=True)
    _write_private_json(secrets_path, cset.to_dict())  # first: never canaries in data without their secrets
    tmp = train.with_name(f".{TRAIN}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.write_text("".join(x + "\n" for x in merged), encoding="utf-8")
    os.replace(tmp, train)
    groups = {
        str(r): {
            "slots": sum(c.planned_repeats == r for c in cset.canaries),
            "inserted": sum(c.planned_repeats == r and c.inserted for c in cset.canaries),
        }
        for r in cset.config.repeats
    }
    summary = {
        "n_canaries": len(cset.canaries),
        "n_inserted": sum(c.inserted for c in cset.canaries),
        "docs_added": len(new),
        "digits": cset.config.digits,
        "groups": groups,
        "secrets_sha256": sha256_file(secrets_path),
    }
    manifest["canaries"] = summary
    manifest["files"] = {
        name: {"sha256": sha256_file(data_dir / name), "bytes": (data_dir / name).stat().st_size}
        for name in (TRAIN, VAL)
    }
    mtmp = data_dir / f".{MANIFEST}.tmp-{uuid.uuid4().hex[:8]}"
    mtmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    os.replace(mtmp, data_dir / MANIFEST)
    log.info(
        "planted %d canary docs (%d canaries, %d held out) into %s",
        len(new),
        summary["n_inserted"],
        len(cset.canaries) - summary["n_inserted"],
        train,
    )
    return summary
