"""Outer-optimiser math on small tensors: FedAvg weighting, Nesterov by hand, FedAvg == Nesterov(1, 0)."""

import pytest
import torch

from medfl.core_model.errors import MedflError
from medfl.server.strategy import (
    FedAvg,
    FedProx,
    OuterNesterov,
    OuterSGD,
    SiteUpdate,
    make_strategy,
    weighted_mean,
)


def _state(seed):
    g = torch.Generator().manual_seed(seed)
    return {"w": torch.randn(3, 4, generator=g), "b": torch.randn(4, generator=g)}


def _updates(glob, locals_, tokens):
    return [SiteUpdate(site=f"s{i}", delta={k: glob[k] - loc[k] for k in glob}, weight=t)
            for i, (loc, t) in enumerate(zip(locals_, tokens, strict=True))]


def test_fedavg_is_token_weighted_mean_of_site_models():
    glob, a, b = _state(0), _state(1), _state(2)
    new = FedAvg().aggregate(glob, _updates(glob, [a, b], [1000, 3000]))
    for k in glob:
        torch.testing.assert_close(new[k], (1 * a[k] + 3 * b[k]) / 4)


def test_equal_weights_and_single_site():
    glob, a, b = _state(0), _state(1), _state(2)
    new = FedAvg().aggregate(glob, _updates(glob, [a, b], [7, 7]))
    torch.testing.assert_close(new["w"], (a["w"] + b["w"]) / 2)
    only = FedAvg().aggregate(glob, _updates(glob, [a], [5]))
    torch.testing.assert_close(only["b"], a["b"])


def test_nesterov_matches_hand_computation_over_two_rounds():
    # scalar "model": global 1.0; lr 0.7, m 0.9
    s = OuterNesterov(lr=0.7, momentum=0.9)
    glob = {"p": torch.tensor([1.0])}
    # round 1: sites at 0.8 (100 tok) and 0.5 (300 tok): g1 = 1 - (0.8*100 + 0.5*300)/400 = 0.425
    sites = [{"p": torch.tensor([0.8])}, {"p": torch.tensor([0.5])}]
    r1 = s.aggregate(glob, _updates(glob, sites, [100, 300]))
    g1 = 0.425
    b1 = g1  # b = m*0 + g
    p1 = 1.0 - 0.7 * (g1 + 0.9 * b1)  # 0.4347500
    assert r1["p"].item() == pytest.approx(p1, abs=1e-6)
    # round 2: sites at p1 - 0.1 and p1 - 0.3, equal tokens: g2 = 0.2
    r2 = s.aggregate(r1, _updates(r1, [{"p": r1["p"] - 0.1}, {"p": r1["p"] - 0.3}], [1, 1]))
    g2 = 0.2
    b2 = 0.9 * b1 + g2
    p2 = p1 - 0.7 * (g2 + 0.9 * b2)
    assert r2["p"].item() == pytest.approx(p2, abs=1e-6)
    assert s.buffer["p"].item() == pytest.approx(b2, abs=1e-6)


def test_nesterov_equals_torch_sgd_nesterov():
    glob = _state(0)
    s = OuterNesterov(lr=0.7, momentum=0.9)
    params = {k: torch.nn.Parameter(v.clone()) for k, v in glob.items()}
    opt = torch.optim.SGD(params.values(), lr=0.7, momentum=0.9, nesterov=True)
    cur = glob
    for r in range(3):
        locs = [_state(10 * r + 1), _state(10 * r + 2)]
        ups = _updates(cur, locs, [2, 5])
        g = weighted_mean(ups)
        for k, p in params.items():
            p.grad = g[k].clone()
        opt.step()
        cur = s.aggregate(cur, ups)
        for k in glob:
            torch.testing.assert_close(cur[k], params[k].detach(), rtol=1e-5, atol=1e-6)


def test_fedavg_equals_outer_sgd_lr1_momentum0_over_rounds():
    glob = _state(0)
    fa, nes = FedAvg(), OuterNesterov(lr=1.0, momentum=0.0)
    a_cur, n_cur = glob, glob
    for r in range(2):
        locs = [_state(r + 5), _state(r + 6), _state(r + 7)]
        a_cur = fa.aggregate(a_cur, _updates(a_cur, locs, [1, 2, 3]))
        n_cur = nes.aggregate(n_cur, _updates(n_cur, locs, [1, 2, 3]))
        for k in glob:
            torch.testing.assert_close(a_cur[k], n_cur[k])
    assert nes.state_dict() == {}


def test_fedprox_forwards_mu_and_aggregates_like_fedavg():
    glob, a, b = _state(0), _state(1), _state(2)
    fp = FedProx(prox_mu=0.05)
    assert fp.site_config() == {"prox-mu": 0.05}
    assert FedAvg().site_config()["prox-mu"] == 0.0
    ups = _updates(glob, [a, b], [1, 2])
    for k, v in fp.aggregate(glob, ups).items():
        torch.testing.assert_close(v, FedAvg().aggregate(glob, ups)[k])


def test_momentum_state_roundtrip_continues_identically():
    glob = _state(0)
    s1 = OuterNesterov()
    cur = s1.aggregate(glob, _updates(glob, [_state(1)], [1]))
    s2 = OuterNesterov()
    s2.load_state_dict(s1.state_dict())
    nxt = _updates(cur, [_state(2)], [1])
    out1, out2 = s1.aggregate(cur, nxt), s2.aggregate(cur, nxt)
    for k in out1:
        torch.testing.assert_close(out1[k], out2[k])


def test_factory_and_validation():
    assert isinstance(make_strategy("nesterov"), OuterNesterov)
    assert make_strategy("nesterov", outer_lr=0.5).lr == 0.5
    assert isinstance(make_strategy("fedprox", prox_mu=0.1), FedProx)
    assert type(make_strategy("fedavg")) is FedAvg
    with pytest.raises(MedflError, match="strategy='krum'"):
        make_strategy("krum")
    with pytest.raises(MedflError, match="outer-momentum"):
        OuterSGD(momentum=1.0)
    with pytest.raises(ValueError):
        weighted_mean([SiteUpdate("a", {"p": torch.ones(1)}, 0.0)])
