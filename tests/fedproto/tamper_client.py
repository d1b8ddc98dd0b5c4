"""medfl's ClientApp, except that a site whose node config sets `tamper` corrupts its update on the way out.

Used by tests/test_federation_e2e.py to check, through real SuperLink/SuperNode processes, that the
coordinator rejects a malformed update (NaN values / wrong shape) and finishes the round with the other sites.
"""

import numpy as np
from flwr.app import Array, ArrayRecord, Context, Message
from flwr.clientapp import ClientApp

from medfl.client.app import evaluate as medfl_evaluate
from medfl.client.app import train as medfl_train

app = ClientApp()


@app.train()
def train(msg: Message, context: Context) -> Message:
    reply = medfl_train(msg, context)
    mode = str(context.node_config.get("tamper", ""))
    if mode and reply.has_content():
        upd: ArrayRecord = reply.content.array_records["update"]
        name = next(iter(upd.keys()))
        a = upd[name].numpy()
        if mode == "nan":  # bf16 travels as uint16 bit patterns: 0x7FC0 is a bf16 NaN
            bad = np.full_like(a, 0x7FC0) if a.dtype == np.uint16 else np.full_like(a, np.nan)
        else:  # "shape": drop the last row
            bad = a[:-1] if a.ndim else a.reshape(1)
        upd[name] = Array(np.ascontiguousarray(bad))
    return reply


@app.evaluate()
def evaluate(msg: Message, context: Context) -> Message:
    return medfl_evaluate(msg, context)
