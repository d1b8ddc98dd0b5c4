"""medfl clinical recognizers (presidio `PatternRecognizer` subclasses), one class per identifier kind.

`load_recognizers()` reads the YAML registry (privacy/deid/recognizers.yaml) so a site can switch a recognizer
off or raise its threshold without code changes.
"""

from __future__ import annotations

import importlib
import sys
from importlib import resources
from pathlib import Path

import yaml


def _import_presidio_without_transformers() -> None:
    """presidio_analyzer imports `transformers.pipeline` for its optional HF NLP engine: ~6-10 s per
    process when transformers is installed (dev envs). We never use that engine, so hide transformers while
    presidio is first imported (it takes its ImportError path) and un-hide it right after."""
    if "presidio_analyzer" in sys.modules or "transformers" in sys.modules:
        return
    sys.modules["transformers"] = None  # type: ignore[assignment]  # makes `import transformers` raise
    try:
        import presidio_analyzer  # noqa: F401
    finally:
        if sys.modules.get("transformers", 0) is None:
            del sys.modules["transformers"]


_import_presidio_without_transformers()

from medfl.core_model.errors import MedflError  # noqa: E402
from medfl.privacy.deid.recognizers.base import MedflPatternRecognizer, load_lexicon  # noqa: E402

# Entity types this package emits; the output tag of a type is f"[{type}]" (see engine.TAGS).
ENTITY_TYPES = ("NAME", "DATE", "AGE", "PHONE", "EMAIL", "SSN", "ID", "URL", "IP", "LOCATION")


def load_recognizers(path: str | Path | None = None) -> tuple[list[MedflPatternRecognizer], float]:
    """Instantiate the enabled recognizers of a registry YAML; returns (recognizers, score_threshold)."""
    if path is None:
        raw = resources.files("medfl.privacy.deid").joinpath("recognizers.yaml").read_text(encoding="utf-8")
        where = "medfl/privacy/deid/recognizers.yaml"
    else:
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as e:
            raise MedflError(f"cannot read recognizer registry {path}: {e.strerror}") from None
        where = str(path)
    cfg = yaml.safe_load(raw) or {}
    recognizers = []
    for i, entry in enumerate(cfg.get("recognizers", [])):
        if not entry.get("enabled", True):
            continue
        module, _, cls_name = str(entry.get("class", "")).partition(":")
        try:
            cls = getattr(importlib.import_module(f"{__name__}.{module}"), cls_name)
        except (ImportError, AttributeError):
            raise MedflError(f"{where}: recognizers[{i}].class {entry.get('class')!r} not found") from None
        if not (isinstance(cls, type) and issubclass(cls, MedflPatternRecognizer)):
            raise MedflError(f"{where}: recognizers[{i}].class {entry.get('class')!r} is not a recognizer")
        rec = cls()
        if "score_threshold" in entry:
            rec.score_thresholds = {"default": float(entry["score_threshold"])}
        recognizers.append(rec)
    return recognizers, float(cfg.get("score_threshold", 0.5))


__all__ = ["ENTITY_TYPES", "MedflPatternRecognizer", "load_lexicon", "load_recognizers"]
