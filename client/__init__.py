"""medfl.client: everything that runs at a hospital site (data preparation, local training, site CLI)."""
