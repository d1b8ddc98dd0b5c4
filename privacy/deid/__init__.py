"""medfl.privacy.deid: site-local de-identification of clinical text (presidio + clinical recognizers).

from medfl.privacy.deid import DeidConfig, deidentify_documents
for doc in deidentify_documents([{"id": "n1", "text": "Mr. John Smith seen 3/14/21."}], DeidConfig()):
    doc.text   # "Mr. [NAME] seen [DATE]."; doc.spans -> [(4, 14, "NAME"), (20, 27, "DATE")]
"""

import logging

# presidio logs its compute device at INFO on import; site logs should show medfl's own lines
_presidio_log = logging.getLogger("presidio-analyzer")
_presidio_log.setLevel(max(_presidio_log.getEffectiveLevel(), logging.WARNING))

from medfl.privacy.deid.engine import (  # noqa: E402
    TAGS,
    DeidConfig,
    DeidDoc,
    Deidentifier,
    DeidReport,
    deidentify_documents,
)

__all__ = ["TAGS", "DeidConfig", "DeidDoc", "DeidReport", "Deidentifier", "deidentify_documents"]
