"""One-off maintainer script: slice the public MedQuAD / PubMedQA dumps into per-site sample folders.

    python data/make_sample.py /path/to/shared/data [--budget-kb 300] [--seed 0]

SOURCE_DIR must hold medquad/<n>_<Name>_QA.jsonl and pubmedqa/abstracts.jsonl. Each source becomes one
"hospital" under data/sites/<site>/raw/docs.jsonl. Records are drawn at random (fixed seed, so the
slice is reproducible) until the site's budget of JSONL bytes is reached, then written in their original
order. Fields kept: id (stable, derived from the source line / PMID), text, source (= site name) and a
few small metadata fields. Nothing in tests or the demo runs this script: the output is committed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
# site name -> file in medquad/
MEDQUAD = {
    "cancergov": "1_CancerGov_QA.jsonl",
    "gard": "2_GARD_QA.jsonl",
    "ghr": "3_GHR_QA.jsonl",
    "medlineplus": "4_MPlus_Health_Topics_QA.jsonl",
    "niddk": "5_NIDDK_QA.jsonl",
    "ninds": "6_NINDS_QA.jsonl",
    "seniorhealth": "7_SeniorHealth_QA.jsonl",
    "nhlbi": "8_NHLBI_QA_XML.jsonl",
    "cdc": "9_CDC_QA.jsonl",
}


def _medquad_records(path: Path, site: str) -> list[tuple[int, dict]]:
    out = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        r = json.loads(line)
        out.append((line_no, {"id": f"{site}-{line_no:05d}", "text": r["text"], "source": site,
                              "focus": r.get("focus"), "question": r.get("question"), "url": r.get("url")}))
    return out


def _pubmedqa_records(path: Path) -> list[tuple[int, dict]]:
    out = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        r = json.loads(line)
        out.append((line_no, {"id": f"pubmedqa-{r['pmid']}", "text": r["text"], "source": "pubmedqa",
                              "pmid": r["pmid"], "question": r.get("question"), "meshes": r.get("meshes")}))
    return out


def _slice(records: list[tuple[int, dict]], budget: int, seed: int) -> list[str]:
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    chosen, used = [], 0
    for i in order:
        line = json.dumps(records[i][1], ensure_ascii=False) + "\n"
        n = len(line.encode("utf-8"))
        if used + n > budget:
            continue  # a smaller record may still fit
        chosen.append(i)
        used += n
    return [json.dumps(records[i][1], ensure_ascii=False) + "\n" for i in sorted(chosen)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source_dir", type=Path)
    ap.add_argument("--budget-kb", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    src: Path = args.source_dir
    sites = {s: _medquad_records(src / "medquad" / f, s) for s, f in MEDQUAD.items()}
    sites["pubmedqa"] = _pubmedqa_records(src / "pubmedqa" / "abstracts.jsonl")
    print(f"{'site':<14}{'docs':>7}{'of':>7}{'KB':>8}")
    for site, records in sites.items():
        lines = _slice(records, args.budget_kb * 1000, args.seed)
        out = HERE / "sites" / site / "raw" / "docs.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(lines), encoding="utf-8")
        print(f"{site:<14}{len(lines):>7}{len(records):>7}{out.stat().st_size / 1000:>8.0f}")
    lic = HERE / "licenses"
    lic.mkdir(exist_ok=True)
    shutil.copyfile(src / "medquad" / "LICENSE.txt", lic / "MedQuAD-CC-BY-4.0.txt")
    shutil.copyfile(src / "pubmedqa" / "LICENSE", lic / "PubMedQA-MIT.txt")


if __name__ == "__main__":
    main()
