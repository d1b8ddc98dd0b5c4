"""medfl's Flower ClientApp (Message API): `medfl.client.app:app`.

Thin on purpose: site settings come from the node config only (data-path, site-id, work-dir, device) and
`medfl.client.site_task` does the work. torch and the model are imported on the first message, not at
import time, so loading the app stays cheap; in a long-lived worker process site_task's caches (model,
optimiser, loader, validation windows) survive between messages.
The tokenizer phase (issue 7) is a "query.tokenizer" message answered by `medfl.client.word_counts`:
word counts only, thresholded per the stricter of the server's request and the node config's tokenizer-*.
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


@app.query("tokenizer")
def tokenizer_counts(msg: Message, context: Context) -> Message:
    """Federated tokenizer phase: this site's thresholded (optionally DP) word counts, never text."""
    from medfl.client import site_task, word_counts

    settings = site_task.SiteSettings.from_node_config(context.node_config)
    floor = word_counts.WordCountConfig.from_mapping(context.node_config)
    return Message(word_counts.handle(msg.content, settings, floor), reply_to=msg)
