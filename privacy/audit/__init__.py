"""medfl.privacy.audit: site-local privacy audits of a checkpoint (canaries, exposure, extraction, real-PHI
probe, membership inference, empirical epsilon) with a PASS/FAIL verdict against a policy.

    from medfl.privacy.audit import plant_canaries, run_audit
    plant_canaries("data/site-a/prepared", secrets_path="site-a.canaries.json")   # before training
    report = run_audit(model="runs/a", data="data/site-a/prepared", raw="data/site-a/raw",
                       out="audit/site-a", canaries="site-a.canaries.json")
    report["verdict"]   # "PASS" | "FAIL"

Secrets (canary names/MRNs, raw PHI) stay at the site: report.json / report.html hold only counts, scores,
document ids and PHI types, so report.json is the summary a site may share
(`medfl-server report` merges them).
"""

from medfl.privacy.audit.audit import AuditConfig, run_audit
from medfl.privacy.audit.canaries import Canary, CanaryConfig, load_secrets, make_canaries, plant_canaries
from medfl.privacy.audit.policy import AuditPolicy, load_policy
from medfl.privacy.audit.summary import merge_site_reports

__all__ = [
    "AuditConfig",
    "AuditPolicy",
    "Canary",
    "CanaryConfig",
    "load_policy",
    "load_secrets",
    "make_canaries",
    "merge_site_reports",
    "plant_canaries",
    "run_audit",
]
