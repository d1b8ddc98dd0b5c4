"""medfl's ClientApp, except that a site whose node config sets `tamper` corrupts its update on the way out.

Used by tests/test_federation_e2e.py to check, through real SuperLink/SuperNode processes, that the
coordinator rejects a malformed update (NaN values / wrong shape) and finishes the round with the other sites.
"""

import torch
from flwr.app import Context, Message
from flwr.clientapp import ClientApp

from medfl.client.app import evaluate as medfl_evaluate
from medfl.client.app import train as medfl_train
from medfl.server import wire

app = ClientApp()


@app.train()
def train(msg: Message, context: Context) -> Message:
    reply = medfl_train(msg, context)
    mode = str(context.node_config.get("tamper", ""))
    if mode and reply.has_content():
        # the update is ONE packed array (medfl.server.wire): decode it, corrupt the first tensor, re-encode
        wire_dtype = str(msg.content.config_records["config"]["wire-dtype"])
        state = wire.decode_state(reply.content.array_records["update"], wire_dtype)
        name = next(iter(state))
        t = state[name]
        if mode == "nan":
            state[name] = torch.full_like(t, float("nan"))
        else:  # "shape": drop the last row
            state[name] = t[:-1] if t.dim() else t.reshape(1)
        reply.content["update"] = wire.encode_state(state, wire_dtype)
    return reply


@app.evaluate()
def evaluate(msg: Message, context: Context) -> Message:
    return medfl_evaluate(msg, context)
