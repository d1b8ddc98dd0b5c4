"""medfl.privacy: de-identification, differential privacy and leakage audits."""
