"""medfl.core_model: the shared LLaMA-style model, its presets, tokenizer, checkpoints and HF export."""
