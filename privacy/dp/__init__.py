"""Differential privacy for medfl: DP-SGD at each site (opacus) and an optional central (server-side) DP.

See `config` (DPConfig from a site's node config), `accounting` (persisted per-site accountant, noise
calibration, budget check), `sampling` (Poisson sampling over sequences or patients), `engine` (the DP
local round on top of `medfl.client.train.train_step`) and `central` (clip + noise at aggregation).
"""

from medfl.privacy.dp.accounting import SiteAccountant, calibrate_noise, epsilon_of
from medfl.privacy.dp.central import CentralDP, CentralDPConfig
from medfl.privacy.dp.config import DPConfig

__all__ = ["CentralDP", "CentralDPConfig", "DPConfig", "SiteAccountant", "calibrate_noise", "epsilon_of"]
