"""medfl's ClientApp, recording every reply a site sends (the wire audit in tests/test_wire_audit.py).

Each reply's content is appended to `<capture-dir>/<site-id>.bin` (node config): every array's raw bytes
and the repr of every metric/config record, exactly the objects Flower serialises and ships.
"""

from pathlib import Path

from flwr.app import Context, Message
from flwr.clientapp import ClientApp

from medfl.client.app import evaluate as medfl_evaluate
from medfl.client.app import train as medfl_train

app = ClientApp()


def _record(reply: Message, context: Context) -> Message:
    out = Path(str(context.node_config["capture-dir"]))
    out.mkdir(parents=True, exist_ok=True)
    with open(out / f"{context.node_config.get('site-id', 'site')}.bin", "ab") as f:
        if reply.has_content():
            for name, rec in reply.content.array_records.items():
                for key in rec.keys():
                    f.write(f"\n[array {name}/{key}]\n".encode())
                    f.write(rec[key].numpy().tobytes())
            for name, rec in reply.content.metric_records.items():
                f.write(f"\n[metrics {name}] {dict(rec)!r}\n".encode())
            for name, rec in reply.content.config_records.items():
                f.write(f"\n[config {name}] {dict(rec)!r}\n".encode())
        else:
            f.write(f"\n[error] {reply.error!r}\n".encode())
    return reply


@app.train()
def train(msg: Message, context: Context) -> Message:
    return _record(medfl_train(msg, context), context)


@app.evaluate()
def evaluate(msg: Message, context: Context) -> Message:
    return _record(medfl_evaluate(msg, context), context)
