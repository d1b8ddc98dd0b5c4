"""`medfl-server plan` (server/plan.py): the 7B memory/compute plan, checked against the seed case study.

The case study's figures are for a LLaMA-2-7B-shaped model (32 KV heads, 32k vocab: 6.74B parameters);
medfl-7b is that shape with GQA 32/8 and a 64k vocab (6.20B), so the study's numbers are reproduced with
those two overrides, and medfl-7b's own plan is checked for internal consistency.
"""

import json

import pytest
import torch
from typer.testing import CliRunner

from medfl.core_model.config import ModelConfig
from medfl.core_model.model import Transformer
from medfl.server.cli import app
from medfl.server.plan import PlanConfig, activation_bytes, build_meta_model, compute_plan

LLAMA2_7B_SHAPE = {"n_kv_heads": 32, "vocab_size": 32000}


def test_seed_case_study_reproduced():
    p = compute_plan(PlanConfig(preset="medfl-7b", overrides=LLAMA2_7B_SHAPE, gpus_per_site=128))
    assert 6.6e9 < p["model"]["params"] < 6.8e9  # "6.7B parameters"
    assert 117 <= p["unsharded_mixed_bf16_gb"] <= 127  # "~117-127 GB unsharded with BF16 mixed precision"
    g = p["per_gpu"]
    assert g["shards"] == 128
    assert 16 <= g["total_gb"] <= 27  # "~16-27 GB per A100 at 128-way sharding" (seq 4096, micro-batch 1)
    assert g["total_ckpt_gb"] < g["total_gb"]
    # "6N FLOPs per token": the 6N part is exactly 6 x matmul parameters; attention adds the rest
    n_matmul = p["model"]["params"] - 32000 * 4096
    assert p["model"]["flops_per_token_6n"] == 6 * n_matmul
    assert 1.0 < p["model"]["flops_per_token"] / p["model"]["flops_per_token_6n"] < 1.2


def test_medfl_7b_plan_is_consistent():
    p = compute_plan(PlanConfig(preset="medfl-7b", gpus_per_site=8, gpu_mem_gb=80, sites=4, tokens=1e11))
    n = p["model"]["params"]
    assert n == 6_195_253_248  # the preset's documented count
    g = p["per_gpu"]
    # sharded model states: 4 + 4 + 8 bytes per parameter over 8 GPUs
    assert g["params_gb"] + g["grads_gb"] + g["optimizer_gb"] == pytest.approx(16 * n / 8 / 1e9, abs=0.02)
    assert g["fits"] and g["fits_ckpt"]  # 8 x 80 GB A100 hold medfl-7b with FSDP, even without checkpointing
    assert not p["sharding_sweep"][0]["fits"]  # ... but one GPU does not
    # more shards never need more memory
    totals = [r["total_gb"] for r in p["sharding_sweep"]]
    assert totals == sorted(totals, reverse=True)
    tp = p["throughput"]
    assert tp["tokens_per_s"] == pytest.approx(0.4 * 312e12 / p["model"]["flops_per_token"] * 32)
    assert tp["days"] == pytest.approx(1e11 / tp["tokens_per_s"] / 86400)
    rb = p["round_bytes_per_site"]
    assert rb["fp32"] == 4 * n and rb["bf16"] == 2 * n and n < rb["int8"] < 1.01 * n
    assert p["checkpoint_gb"]["bf16"] == pytest.approx(2 * n / 1e9, abs=0.01)


def test_activations_scale_with_tokens_and_checkpointing_saves_memory():
    model = build_meta_model(ModelConfig.from_name("medfl-1b"))
    a1, a2 = activation_bytes(model, 1024, 1), activation_bytes(model, 1024, 2)
    assert a2["block"] == pytest.approx(2 * a1["block"], rel=0.01)
    assert a1["block_input"] == 1024 * 2048 * 2  # bf16 residual stream only
    # flash attention: no T x T matrix is kept, so doubling T doubles (not quadruples) a block's bytes
    a_long = activation_bytes(build_meta_model(ModelConfig.from_name("medfl-1b")), 2048, 1)
    assert a_long["block"] == pytest.approx(2 * a1["block"], rel=0.01)
    assert all(p.device.type == "meta" for p in model.parameters())  # nothing was allocated


def test_meta_param_count_matches_a_real_model():
    cfg = ModelConfig.from_name("medfl-tiny")
    p = compute_plan(PlanConfig(preset="medfl-tiny", gpus_per_site=2))
    assert p["model"]["params"] == Transformer(cfg).num_params()
    assert torch.tensor(0).device.type == "cpu"  # the meta build did not change the default device


def test_plan_cli_json_and_table():
    r = CliRunner().invoke(app, ["plan", "--preset", "medfl-7b", "--gpus-per-site", "8", "--gpu-mem-gb", "80",
                                 "--sites", "3", "--tokens", "5e10", "--mfu", "0.35", "--json"])
    assert r.exit_code == 0, r.output
    plan = json.loads(r.output)
    assert plan["throughput"]["gpus"] == 24 and plan["per_gpu"]["shards"] == 8
    r = CliRunner().invoke(app, ["plan", "--preset", "medfl-125m", "--gpus-per-site", "2"])
    assert r.exit_code == 0, r.output
    assert "per-GPU memory" in r.output and "tok/s" in r.output
    r = CliRunner().invoke(app, ["plan", "--preset", "nope"])
    assert r.exit_code != 0
