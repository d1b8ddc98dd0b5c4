"""Privacy accounting: our ε == opacus' accountants, noise calibration, the persisted site ledger, DPConfig
from node config, and central DP's clip + noise aggregation."""

import json

import pytest
import torch

from medfl.core_model.errors import MedflError
from medfl.privacy.dp.accounting import SiteAccountant, calibrate_noise, epsilon_of
from medfl.privacy.dp.central import CentralDP, CentralDPConfig, global_norm
from medfl.privacy.dp.config import DPConfig


@pytest.mark.parametrize("kind", ["rdp", "prv"])
@pytest.mark.parametrize(("sigma", "q", "steps"), [(1.0, 0.01, 200), (0.7, 0.05, 40), (2.5, 1.0, 10)])
def test_epsilon_equals_opacus_accountant_stepped(kind, sigma, q, steps):
    from opacus.accountants import PRVAccountant, RDPAccountant

    acc = {"rdp": RDPAccountant, "prv": PRVAccountant}[kind]()
    for _ in range(steps):  # what opacus' optimizer hook does once per step
        acc.step(noise_multiplier=sigma, sample_rate=q)
    ref = acc.get_epsilon(delta=1e-5)
    assert epsilon_of([(sigma, q, steps)], 1e-5, kind) == pytest.approx(ref, rel=1e-12)
    # split over rounds (as the ledger stores it) gives the same ε
    assert epsilon_of([(sigma, q, steps // 2), (sigma, q, steps - steps // 2)], 1e-5, kind) == pytest.approx(
        ref, rel=1e-6)


def test_calibration_matches_opacus_and_accounts_for_history():
    from opacus.accountants.utils import get_noise_multiplier

    kw = dict(target_epsilon=3.0, delta=1e-5, sample_rate=0.02, steps=60, accountant="rdp")
    s = calibrate_noise(**kw)
    assert s == get_noise_multiplier(target_epsilon=3.0, target_delta=1e-5, sample_rate=0.02, steps=60,
                                     accountant="rdp")
    assert 2.99 - 0.01 <= epsilon_of([(s, 0.02, 60)], 1e-5, "rdp") <= 3.0
    # half the steps already taken with MORE noise: the other half may use less, same total ε
    hist = [(1.5 * s, 0.02, 30)]
    s2 = calibrate_noise(**{**kw, "steps": 30}, history=hist)
    assert s2 < s
    assert 3.0 - 0.011 <= epsilon_of([*hist, (s2, 0.02, 30)], 1e-5, "rdp") <= 3.0
    with pytest.raises(MedflError, match="budget exhausted"):
        calibrate_noise(**kw, history=[(0.3, 0.02, 500)])


def test_site_ledger_grows_persists_and_fails_closed(tmp_path):
    path = tmp_path / "dp" / "site-a" / "accountant.json"
    kw = dict(target_epsilon=4.0, delta=1e-5, accountant="rdp", unit="record", max_grad_norm=1.0)
    led = SiteAccountant.load(path, **kw)
    sigma = led.ensure_plan("run-1", sample_rate=0.05, planned_steps=20)
    assert led.ensure_plan("run-1", sample_rate=0.05, planned_steps=20) == sigma  # same plan: same σ
    eps = []
    for rnd in (1, 2):
        led = SiteAccountant.load(path, **kw)  # reloaded every round, as a restarted site would
        ok, nxt = led.check_round(10)
        assert ok
        eps.append(led.record_round(rnd, 10))
        assert eps[-1] == pytest.approx(nxt)
    assert 0 < eps[0] < eps[1] <= 4.0
    again = SiteAccountant.load(path, **kw)
    assert again.history == [(sigma, 0.05, 20)] and again.steps == 20
    assert again.epsilon() == pytest.approx(epsilon_of([(sigma, 0.05, 20)], 1e-5, "rdp"))
    assert [r["server_round"] for r in again.rounds] == [1, 2]
    d = json.loads(path.read_text())
    assert d["state"]["mechanism"] == "rdp" and d["epsilon_spent"] == pytest.approx(eps[1])
    ok, nxt = again.check_round(10)  # beyond the plan: would exceed the budget
    assert not ok and nxt > 4.0
    with pytest.raises(MedflError, match="kept for the 'record' unit"):  # another unit cannot reuse it
        SiteAccountant.load(path, **{**kw, "unit": "patient"})
    path.write_text("{not json")
    with pytest.raises(MedflError, match="unreadable"):
        SiteAccountant.load(path, **kw)


def test_dpconfig_from_node_config():
    assert DPConfig.from_node_config({"data-path": "x"}) is None
    for off in ("", "0", "inf", "off"):
        assert DPConfig.from_node_config({"dp-epsilon": off}) is None
    c = DPConfig.from_node_config({"dp-epsilon": "3", "dp-max-grad-norm": "0.5", "dp-unit": "patient",
                                   "dp-mode": "hooks", "dp-accountant": "rdp"})
    assert (c.target_epsilon, c.max_grad_norm, c.unit, c.grad_sample_mode, c.accountant) == (
        3.0, 0.5, "patient", "hooks", "rdp")
    assert c.resolve_delta(1000) == 1e-5 and c.resolve_delta(200_000) == pytest.approx(1 / 200_000)
    assert DPConfig.from_node_config({"dp-epsilon": "3", "dp-delta": "1e-6"}).resolve_delta(10) == 1e-6
    with pytest.raises(MedflError, match="dp-unit"):
        DPConfig.from_node_config({"dp-epsilon": "3", "dp-unit": "visit"})
    with pytest.raises(MedflError, match="dp-max-grad-norm"):
        DPConfig.from_node_config({"dp-epsilon": "3", "dp-max-grad-norm": "x"})
    # the micro-batch cap is memory only: parsed, validated, and left out of the privacy plan's key
    capped = DPConfig.from_node_config({"dp-epsilon": "3", "dp-max-physical-batch": "16"})
    assert capped.max_physical_batch == 16 and "max_physical_batch" not in capped.to_dict()
    assert capped.to_dict() == DPConfig.from_node_config({"dp-epsilon": "3"}).to_dict()
    with pytest.raises(MedflError, match="dp-max-physical-batch needs dp-mode=ghost"):
        DPConfig.from_node_config({"dp-epsilon": "3", "dp-max-physical-batch": "16", "dp-mode": "hooks"})


def test_central_dp_clips_each_site_and_noises_the_sum():
    torch.manual_seed(0)
    deltas = [{"a": torch.randn(50) * s, "b": torch.randn(3, 4) * s} for s in (0.01, 1.0, 5.0)]
    C = 1.0
    mean, info = CentralDP(CentralDPConfig(noise_multiplier=0.0, clip_norm=C)).aggregate(deltas)
    assert info["n_clipped"] == 2 and info["n_sites"] == 3
    ref = {k: sum(d[k] * min(1.0, C / global_norm(d)) for d in deltas) / 3 for k in ("a", "b")}
    for k in ref:
        torch.testing.assert_close(mean[k], ref[k])
    zeros = [{"a": torch.zeros(20000)} for _ in range(4)]
    noised, _ = CentralDP(CentralDPConfig(noise_multiplier=2.0, clip_norm=0.5), seed=1).aggregate(zeros)
    assert float(noised["a"].std()) == pytest.approx(2.0 * 0.5 / 4, rel=0.03)  # σC/n on the mean
    cd = CentralDP(CentralDPConfig(noise_multiplier=2.0, clip_norm=0.5))
    assert cd.epsilon(10) == pytest.approx(epsilon_of([(2.0, 1.0, 10)], 1e-5, "rdp"))
    assert cd.epsilon(20) > cd.epsilon(10) > 0
