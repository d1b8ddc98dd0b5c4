"""medfl.privacy.deid: site-local de-identification of clinical text (presidio + clinical recognizers).

from medfl.privacy.deid import DeidConfig, deidentify_documents
for doc in deidentify_documents([{"id": "n1", "text": "Mr. John Smith seen 3/14/21."}], DeidConfig()):
    doc.text   # "Mr. [NAME] seen [DATE]."; doc.spans -> [(4, 14, "NAME"), (20, 27, "DATE")]
"""

from medfl.privacy.deid.engine import (
    TAGS,
    DeidConfig,
    DeidDoc,
    Deidentifier,
    DeidReport,
    deidentify_documents,
)

__all__ = ["TAGS", "DeidConfig", "DeidDoc", "DeidReport", "Deidentifier", "deidentify_documents"]
