"""medfl's Flower ClientApp (Message API): `medfl.client.app:app`.

Thin on purpose: site settings come from the node config only (data-path, site-id, work-dir, device) and
`medfl.client.site_task` does the work. torch and the model are imported on the first message, not at
import time, so loading the app stays cheap; in a long-lived worker process site_task's caches (model,
optimiser, loader, validation windows) survive between messages.
"""

from __future__ import annotations

from flwr.app import Context, Message
from flwr.clientapp import ClientApp

app = ClientApp()


@app.train()
def train(msg: Message, context: Context) -> Message:
    """Local round: evaluate the received global model, train H steps, reply with the pseudo-gradient."""
    from medfl.client import site_task

    settings = site_task.SiteSettings.from_node_config(context.node_config)
    return Message(site_task.train(msg.content, settings), reply_to=msg)


@app.evaluate()
def evaluate(msg: Message, context: Context) -> Message:
    """Validation loss/perplexity of the received global model on this site's held-out data."""
    from medfl.client import site_task

    settings = site_task.SiteSettings.from_node_config(context.node_config)
    return Message(site_task.evaluate(msg.content, settings), reply_to=msg)
