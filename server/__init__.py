"""medfl.server: the coordinator (Flower ServerApp, aggregation strategies, federation CLI)."""
