"""An in-process Flower `Grid` for tests, benchmarks and experiments.

`LocalGrid` runs the real medfl ServerApp round loop against the real medfl ClientApp handlers in this
process, without SuperLink/SuperNode processes: each pushed message is handed to the ClientApp at once
(with a fresh `Context` carrying that node's `node_config`), and its reply is returned by `pull_messages`.
A ClientApp exception becomes an error reply, as flwr-clientapp does. Small hooks let a caller kill a site
(`drop`), look at or alter a message before the site sees it (`before`) or a reply before the server does
(`tamper`); every message sent and every reply received is kept (`sent`, `received`).

Not for production: there is no isolation, authentication, timeout or transport of any kind.
Message() reads flwr's TaskIdentity for its metadata; the caller sets it (as flwr-serverapp would).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from flwr.app import Context, Message, RecordDict
from flwr.app.error import Error
from flwr.serverapp import Grid


class LocalGrid(Grid):
    """flwr Grid that hands each message to medfl's ClientApp in this process.

    node_configs: node id -> that site's node config (the Context's node_config).
    drop: node ids whose site is dead: their messages are recorded as sent but never answered.
    before(node_id, message): called before the ClientApp handles a message.
    tamper(node_id, reply): called on every reply (error replies included) before the server pulls it.
    """

    def __init__(self, node_configs: dict[int, dict], *, drop: Iterable[int] = (),
                 tamper: Callable[[int, Message], None] | None = None,
                 before: Callable[[int, Message], None] | None = None) -> None:
        self.node_configs, self.drop, self.tamper, self.before = node_configs, set(drop), tamper, before
        self.replies: dict[str, Message] = {}
        self.sent: list[Message] = []
        self.received: list[tuple[int, Message]] = []
        self._run = None

    def set_run(self, run):  # noqa: ANN001, ANN201
        self._run = run

    @property
    def run(self):  # noqa: ANN201
        return self._run

    def create_message(self, content, message_type, dst_node_id, group_id, ttl=None):  # noqa: ANN001, ANN201
        return Message(content, dst_node_id, message_type, ttl=ttl, group_id=group_id)

    def get_node_ids(self) -> list[int]:
        return list(self.node_configs)

    def push_messages(self, messages):  # noqa: ANN001, ANN201
        from medfl.client.app import app as client_app

        ids = []
        for m in messages:
            mid = uuid.uuid4().hex
            m.metadata.__dict__["_message_id"] = mid
            ids.append(mid)
            self.sent.append(m)
            node = m.metadata.dst_node_id
            if node in self.drop:  # the site died: no reply ever comes
                continue
            if self.before:
                self.before(node, m)
            ctx = Context(run_id=1, node_id=node, node_config=self.node_configs[node], state=RecordDict(),
                          run_config={})
            try:
                reply = client_app(m, ctx)
            except Exception as e:  # noqa: BLE001 - what flwr-clientapp does with an exception
                reply = Message(Error(code=2, reason=f"{type(e).__name__}: {e}"), reply_to=m)
            if self.tamper:
                self.tamper(node, reply)
            self.received.append((node, reply))
            self.replies[mid] = reply
        return ids

    def send_and_receive(self, messages, *, timeout=None):  # noqa: ANN001, ANN201
        raise AssertionError("medfl's coordinator must not call send_and_receive (3 s poll in HttpGrid)")

    def pull_messages(self, message_ids):  # noqa: ANN001, ANN201
        return [self.replies.pop(i) for i in list(message_ids) if i in self.replies]
