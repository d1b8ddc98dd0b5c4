"""client/supernode.py `_ReplyGuard`: a reply to a message the SuperNode dropped must not be pushed in place
of the reply to the message it handles now (else the site lags one message behind for the rest of the run)."""

from types import SimpleNamespace

from medfl.client.supernode import _ReplyGuard


def _msg(mid: str, reply_to: str = "") -> SimpleNamespace:
    return SimpleNamespace(metadata=SimpleNamespace(message_id=mid, reply_to_message_id=reply_to))


class _State:  # the part of flwr's NodeState the guard touches; get_messages_legacy consumes, like flwr's
    def __init__(self) -> None:
        self.replies: list = []
        self.deleted: list[str] = []

    def get_messages_legacy(self, *, is_reply=None):
        out, self.replies = (self.replies, []) if is_reply else ([], self.replies)
        return out

    def delete_messages(self, *, message_ids):
        self.deleted += message_ids


def test_orphan_reply_is_dropped_and_the_right_one_pushed():
    state, store = _State(), SimpleNamespace(delete=lambda mid: None)
    pushed = []

    def pull_and_store_message(*, receive, **_):
        got = receive()
        return None if got is None else 7

    def push_messages(*, state, object_store):  # flwr: wait until a reply is there, push all of them
        while not (msgs := state.get_messages_legacy(is_reply=True)):
            state_obj.replies.append(late.pop())  # the worker answers the current message a moment later
        pushed.extend(m.metadata.message_id for m in msgs)

    state_obj = state
    guard = _ReplyGuard(SimpleNamespace(_pull_and_store_message=pull_and_store_message,
                                        _push_messages=push_messages))
    guard.pull_and_store_message(receive=lambda: (_msg("m2"), None))
    state.replies = [_msg("r1", reply_to="m1")]  # answer to a message the node dropped (run restarted)
    late = [_msg("r2", reply_to="m2")]
    guard.push_messages(state=state, object_store=store)
    assert pushed == ["r2"] and state.deleted == ["r1"]
    # without a known current message nothing is filtered (flwr's behaviour)
    guard.current, pushed[:] = None, []
    state.replies = [_msg("r9", reply_to="m9")]
    guard.push_messages(state=state, object_store=store)
    assert pushed == ["r9"]
