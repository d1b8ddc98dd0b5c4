"""Parity with transformers' LlamaForCausalLM (built locally, no download) and the HF export."""

import json
import random

import pytest
import torch
import torch.nn.functional as F

from medfl.core_model.config import ModelConfig
from medfl.core_model.errors import MedflError
from medfl.core_model.hf import export_hf, from_hf_state_dict, hf_config, to_hf_state_dict
from medfl.core_model.model import Transformer

transformers = pytest.importorskip("transformers")  # dev dependency


def _tiny(seed: int = 0, **overrides) -> tuple[ModelConfig, Transformer]:
    torch.manual_seed(seed)
    cfg = ModelConfig.from_name("medfl-tiny", **overrides)
    model = Transformer(cfg)
    with torch.no_grad():  # non-trivial norms and larger weights, so a mapping mistake cannot hide
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.uniform_(0.5, 1.5)
            else:
                p.mul_(3.0)
    return cfg, model.eval()


def _hf_model(cfg: ModelConfig):
    hc = transformers.LlamaConfig(**hf_config(cfg))
    hc._attn_implementation = "eager"  # the reference math, not the same SDPA kernel we use
    return transformers.LlamaForCausalLM(hc).eval()


@pytest.mark.parametrize("overrides", [{}, {"n_kv_heads": 4, "rope_theta": 500000.0}])
def test_logits_match_llama_for_causal_lm(overrides):
    cfg, model = _tiny(**overrides)
    hf = _hf_model(cfg)
    hf.load_state_dict(to_hf_state_dict(model.state_dict(), cfg), strict=True)
    idx = torch.randint(0, cfg.vocab_size, (2, 48))
    with torch.no_grad():
        ours, ref = model(idx), hf(idx).logits
    assert ours.abs().max() > 1.0  # logits are not trivially small
    torch.testing.assert_close(ours, ref, rtol=0, atol=1e-4)


def test_gradients_match_llama():
    cfg, model = _tiny()
    hf = _hf_model(cfg)
    hf.load_state_dict(to_hf_state_dict(model.state_dict(), cfg))
    idx = torch.randint(0, cfg.vocab_size, (2, 32))
    y = torch.randint(0, cfg.vocab_size, (2, 32))
    F.cross_entropy(model(idx).flatten(0, 1), y.flatten()).backward()
    F.cross_entropy(hf(idx).logits.flatten(0, 1), y.flatten()).backward()
    ours = to_hf_state_dict({k: p.grad for k, p in model.named_parameters()}, cfg)
    for k, p in hf.named_parameters():
        torch.testing.assert_close(ours[k], p.grad, rtol=1e-4, atol=1e-5, msg=k)


def test_state_dict_roundtrip_and_wrapper_prefixes():
    cfg, model = _tiny()
    sd = model.state_dict()
    hf_sd = to_hf_state_dict({f"_orig_mod.{k}": v for k, v in sd.items()}, cfg)  # torch.compile'd model
    back = from_hf_state_dict(hf_sd, cfg)
    assert back.keys() == sd.keys()
    for k in sd:
        assert torch.equal(back[k], sd[k]), k
    with pytest.raises(MedflError, match="missing 'model.norm.weight'"):
        from_hf_state_dict({k: v for k, v in hf_sd.items() if k != "model.norm.weight"}, cfg)


def test_export_loads_with_auto_model(tmp_path):
    cfg, model = _tiny()
    out = export_hf(model, cfg, None, tmp_path / "hf")
    assert {p.name for p in out.iterdir()} == {"config.json", "generation_config.json", "model.safetensors"}
    assert [p.name for p in tmp_path.iterdir()] == ["hf"]  # no temp folder left behind
    hf = transformers.AutoModelForCausalLM.from_pretrained(out).eval()
    assert type(hf).__name__ == "LlamaForCausalLM" and hf.dtype == torch.float32
    idx = torch.randint(0, cfg.vocab_size, (2, 40))
    with torch.no_grad():
        torch.testing.assert_close(model(idx), hf(idx).logits, rtol=0, atol=1e-4)
    gen = json.loads((out / "generation_config.json").read_text())
    assert (gen["bos_token_id"], gen["eos_token_id"], gen["pad_token_id"]) == (1, 2, 0)


def test_export_refuses_to_clobber_and_overwrite_replaces(tmp_path):
    cfg, model = _tiny()
    out = tmp_path / "hf"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    with pytest.raises(MedflError, match="already exists"):
        export_hf(model, cfg, None, out)
    assert (out / "precious.txt").read_text() == "keep me"
    export_hf(model, cfg, None, out, overwrite=True, dtype=torch.bfloat16)
    assert not (out / "precious.txt").exists()
    assert json.loads((out / "config.json").read_text())["torch_dtype"] == "bfloat16"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hf"]


@pytest.fixture(scope="module")
def sp_tokenizer(tmp_path_factory):
    from medfl.core_model.tokenizer import train_tokenizer

    rng = random.Random(0)
    words = ("patient presents with chest pain dyspnea metformin 500 mg daily hypertension diabetes mellitus "
             "the of and to in is was denies fever [PLAN] [HISTORY]").split()
    line = lambda n: " ".join(rng.choice(words) for _ in range(n))  # noqa: E731
    texts = [line(40) + "\n" + line(9) for _ in range(300)]
    path = tmp_path_factory.mktemp("tok") / "tok.model"
    train_tokenizer(out_path=path, vocab_size=420, texts=texts)
    return path, texts


def test_export_with_tokenizer_matches_sentencepiece(tmp_path, sp_tokenizer):
    from medfl.core_model.tokenizer import Tokenizer

    path, texts = sp_tokenizer
    tok = Tokenizer.load(path)
    cfg, model = _tiny(vocab_size=tok.vocab_size)
    out = export_hf(model, cfg, path, tmp_path / "hf")
    assert (out / "tokenizer.model").read_bytes() == path.read_bytes()
    hf_tok = transformers.AutoTokenizer.from_pretrained(out)
    samples = [t for t in texts[:60] if not t.startswith("[")] + [
        "Pt denies fever.  [PLAN] metformin 500 mg\n\tBP 120/80",
        "Ünïcode → °C 😀 ß",
        "a[PLAN]b",
    ]
    for s in samples:
        ids = tok.encode(s, bos=True)
        assert hf_tok(s)["input_ids"] == ids, s
        assert hf_tok.decode(ids, skip_special_tokens=True) == tok.decode(ids)
    assert hf_tok.pad_token_id == 0 and hf_tok.eos_token_id == 2 and hf_tok.bos_token_id == 1
    # Known difference (documented in hf.py): SentencePiece puts a lone "\u2581" piece before a text-initial
    # user-defined symbol, the HF tokenizer does not.
    ids = tok.encode("[PLAN] metformin", bos=True)
    assert tok.decode(ids[1:2]) == "" and hf_tok("[PLAN] metformin")["input_ids"] == ids[:1] + ids[2:]


def test_cli_export_from_checkpoint(tmp_path, sp_tokenizer):
    from typer.testing import CliRunner

    from medfl.core_model.checkpoint import save_checkpoint
    from medfl.core_model.tokenizer import Tokenizer
    from medfl.server.cli import app

    path, _ = sp_tokenizer
    tok = Tokenizer.load(path)
    cfg, model = _tiny(vocab_size=tok.vocab_size)
    run = tmp_path / "run"
    meta = {"model_config": cfg.to_dict(), "tokenizer_path": str(path), "tokenizer_sha256": tok.sha256}
    opacus_state = {f"_module.{k}": v for k, v in model.state_dict().items()}  # GradSampleModule keys
    save_checkpoint(run / "checkpoints", 10, {"model": opacus_state}, meta)
    cmd = ["export", "--checkpoint", str(run)]
    res = CliRunner().invoke(app, [*cmd, "--format", "hf", "--out", str(tmp_path / "x")])
    assert res.exit_code == 0, res.output
    assert "step 10" in res.output
    hf = transformers.AutoModelForCausalLM.from_pretrained(tmp_path / "x").eval()
    idx = torch.randint(0, cfg.vocab_size, (1, 16))
    with torch.no_grad():
        torch.testing.assert_close(model(idx), hf(idx).logits, rtol=0, atol=1e-4)
    assert (tmp_path / "x" / "tokenizer.json").is_file()

    # A tokenizer other than the training one is refused; so is an unknown format.
    other = tmp_path / "other.model"
    other.write_bytes(path.read_bytes() + b"\0")
    res = CliRunner().invoke(app, [*cmd, "--out", str(tmp_path / "y"), "--tokenizer", str(other)])
    assert isinstance(res.exception, MedflError) and "sha256" in str(res.exception)
    res = CliRunner().invoke(app, [*cmd, "--format", "gguf", "--out", str(tmp_path / "z")])
    assert isinstance(res.exception, MedflError)
    assert not (tmp_path / "y").exists() and not (tmp_path / "z").exists()
