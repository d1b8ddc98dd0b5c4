"""Long-lived ClientApp executor for a medfl SuperNode (`flower-supernode --isolation process`).

Why: in flwr 1.41 every message a SuperNode receives is run by a *fresh* `flwr-clientapp` process (spawned by
`flower-superexec`), so each round pays python + flwr + torch imports, model construction and data loading
again (~4 s on 2 cores before any training). This worker replaces `flower-superexec` + `flwr-clientapp`
for ClientApp tasks: it polls the SuperNode's local Runtime API for tasks (`AcquireTask`, as flower-superexec
does) and executes each one in this same process with the same protocol steps as flwr's `run_clientapp`
(pull task input, run the app, push the reply, push the task output with the updated Context). Imports and the
site's module-level caches (model, tokenizer, packed data; see client/site_task.py) stay warm between rounds.

Design choices:
- Site safety: the worker never installs or imports code shipped inside a FAB. It reads the FAB's pyproject
  only to check that its `clientapp` component is the allowed reference (default `medfl.client.app:app`) and
  then runs that app from the locally installed medfl package. A run that asks for any other ClientApp is
  answered with an error reply. (flwr-clientapp, by contrast, unpacks and imports the FAB's files.)
- One task at a time (a SuperNode handles one message at a time anyway); a crash inside the app becomes an
  Error reply, exactly as in flwr-clientapp, and the worker keeps serving.
- Coupled to flwr 1.41.0 internals (pinned in pyproject); tests/test_federation_e2e.py exercises this path.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import threading
import time
from typing import Any

log = logging.getLogger("medfl.client.warm_worker")

DEFAULT_CLIENTAPP = "medfl.client.app:app"


def _load_app(ref: str) -> Any:
    module, _, attr = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in (attr or "app").split("."):
        obj = getattr(obj, part)
    return obj


def _pull_task_input(client: Any, stall_timeout_s: float = 60.0) -> tuple[Any, Any, Any, Any]:
    """flwr's `run_clientapp.pull_task_input`, with a short object-pull backoff and a stall timeout.

    The SuperNode creates the task *before* it has pulled the message's objects from the SuperLink, so a
    warm worker that acquires the task at once finds objects missing, and flwr's default backoff (1 s, 2 s,
    4 s, ...) then added ~7 s per round on loopback. (A fresh flwr-clientapp process hides this behind its
    own start-up time.) Here: 20 ms doubling to at most 0.2 s (a retry is a loopback request).
    Stall timeout: when the SuperLink restarts mid-message (coordinator crash + resume), flwr 1.41's SuperNode
    drops the message ("run not RUNNING") but leaves its task behind; flwr would retry that task's missing
    objects for up to 2 h, blocking every later message. No new object for `stall_timeout_s` => give up.
    """
    from flwr.app import Message
    from flwr.common.serde import context_from_proto, fab_from_proto, run_from_proto
    from flwr.proto.node_pb2 import Node  # pylint: disable=E0611
    from flwr.proto.runtime_pb2 import PullAppMessagesRequest, PullTaskInputRequest  # pylint: disable=E0611
    from flwr.supercore.inflatable.inflatable_protobuf_utils import (
        make_confirm_message_received_fn_protobuf,
        make_pull_object_fn_protobuf,
    )
    from flwr.supercore.inflatable.inflatable_utils import (
        ObjectPullError,
        ObjectUnavailableError,
        pull_and_inflate_object_from_tree,
    )
    from flwr.supercore.task_identity import TaskIdentity

    res = client.PullTaskInput(PullTaskInputRequest())
    TaskIdentity.task_id = res.task_id
    TaskIdentity.run_id = res.run.run_id
    TaskIdentity.node_id = res.context.node_id
    context, run, fab = context_from_proto(res.context), run_from_proto(res.run), fab_from_proto(res.fab)
    msgs = client.PullMessages(PullAppMessagesRequest())
    if not msgs.messages_list:
        raise RuntimeError("No messages received from Runtime API")
    node = Node(node_id=context.node_id)
    tree = msgs.message_object_trees[0]
    pull_one = make_pull_object_fn_protobuf(client.PullObject, node, context.run_id)
    last_progress = [time.monotonic()]

    def pull_with_stall_check(object_id: str) -> bytes:
        try:
            content = pull_one(object_id)
        except ObjectUnavailableError:
            if time.monotonic() - last_progress[0] > stall_timeout_s:
                raise ObjectPullError(object_id, f"no progress for {stall_timeout_s:.0f} s") from None
            raise
        last_progress[0] = time.monotonic()
        return content

    message = pull_and_inflate_object_from_tree(
        tree,
        pull_with_stall_check,
        make_confirm_message_received_fn_protobuf(client.ConfirmMessageReceived, node, context.run_id),
        return_type=Message,
        initial_backoff=0.02,
        backoff_cap=0.2,
        max_tries_per_object=None,  # the stall timeout above decides when to give up
    )
    message.metadata.__dict__["_message_id"] = tree.object_id  # the deflated message lacks its own id
    return message, context, run, fab


def _fab_clientapp_ref(fab_content: bytes) -> str:
    from flwr.common.config import get_fab_config

    cfg = get_fab_config(fab_content)
    return str(cfg["tool"]["flwr"]["app"]["components"].get("clientapp", ""))


class WarmWorker:
    """Serve ClientApp tasks of one SuperNode in this process. Args:
    runtime_api_address: the SuperNode's Runtime API (`flower-supernode --port`), loopback.
    allowed_clientapp: the only ClientApp reference this site executes.
    poll_interval: seconds between AcquireTask polls while idle.
    """

    def __init__(self, runtime_api_address: str, *, allowed_clientapp: str = DEFAULT_CLIENTAPP,
                 poll_interval: float = 0.1, preload: tuple[str, ...] = ("medfl.client.site_task",),
                 stall_timeout_s: float = 60.0) -> None:
        self.runtime_api_address = runtime_api_address
        self.stall_timeout_s = stall_timeout_s
        self.preload = preload
        self.allowed_clientapp = allowed_clientapp
        self.poll_interval = poll_interval
        self._app: Any = None
        self._stop = threading.Event()
        self.tasks_done = 0

    def stop(self) -> None:
        self._stop.set()

    # -- flwr plumbing -------------------------------------------------------------------------------
    def _superexec_client(self) -> Any:
        from flwr.supercore.interceptors import RuntimeVersionHttpInterceptor
        from flwr.supercore.retry import make_simple_http_retry_invoker
        from flwr.supercore.runtime import RuntimeHttpClient

        return RuntimeHttpClient.from_server_address(
            server_address=self.runtime_api_address,
            insecure=True,  # the local SuperNode's loopback Runtime API, as flower-superexec uses it
            root_certificates=None,
            interceptors=[RuntimeVersionHttpInterceptor(component_name="SuperExec")],
            retry_invoker=make_simple_http_retry_invoker(),
        )

    def run_forever(self) -> None:
        from flwr.proto.runtime_pb2 import AcquireTaskRequest  # pylint: disable=E0611
        from flwr.supercore.constant import TaskType

        if self._app is None and self.allowed_clientapp:
            self._app = _load_app(self.allowed_clientapp)
        for mod in self.preload:  # torch + the site task up front: the first round should not pay for them
            try:
                importlib.import_module(mod)
            except ImportError as e:
                log.warning("preload %s failed: %s", mod, e)
        client = self._superexec_client()
        log.info("warm worker serving %s via %s", self.allowed_clientapp, self.runtime_api_address)
        try:
            while not self._stop.is_set():
                res = client.AcquireTask(AcquireTaskRequest(supported_task_types=[TaskType.CLIENT_APP]))
                if res.HasField("task") and res.token:
                    self.run_task(res.token)
                    continue  # a next message may already be queued
                self._stop.wait(self.poll_interval)
        finally:
            client.close()

    def run_task(self, token: str) -> None:
        """Execute one ClientApp task, mirroring flwr.supernode.runtime.run_clientapp.run_clientapp."""
        from flwr.app import Message
        from flwr.app.error import Error
        from flwr.common.constant import ErrorCode, SubStatus
        from flwr.supercore.heartbeat import HeartbeatSender, make_task_heartbeat_fn_http
        from flwr.supercore.interceptors import RuntimeTokenHttpInterceptor, RuntimeVersionHttpInterceptor
        from flwr.supercore.retry import make_simple_http_retry_invoker
        from flwr.supercore.runtime import RuntimeHttpClient
        from flwr.supernode.runtime.run_clientapp import push_message, push_task_output

        retry_invoker = make_simple_http_retry_invoker()
        client = RuntimeHttpClient.from_server_address(
            server_address=self.runtime_api_address,
            insecure=True,
            root_certificates=None,
            interceptors=[
                RuntimeVersionHttpInterceptor(component_name="flwr-clientapp"),
                RuntimeTokenHttpInterceptor(token),
            ],
            retry_invoker=retry_invoker,
        )
        heartbeat = HeartbeatSender(make_task_heartbeat_fn_http(client))
        heartbeat.start()
        message = reply = context = None
        sub_status, details = SubStatus.FAILED, "ClientApp task failed due to unknown reason"
        t0 = time.perf_counter()
        phases: dict[str, float] = {}
        try:
            message, context, run, fab = _pull_task_input(client, self.stall_timeout_s)
            phases["pull"] = time.perf_counter() - t0
            ref = _fab_clientapp_ref(fab.content)
            if ref != self.allowed_clientapp:
                raise PermissionError(
                    f"run {run.run_id} asks for ClientApp {ref!r}; "
                    f"this site only runs {self.allowed_clientapp!r}"
                )
            if self._app is None:
                self._app = _load_app(self.allowed_clientapp)
            t1 = time.perf_counter()
            reply = self._app(message=message, context=context)
            phases["app"] = time.perf_counter() - t1
            sub_status, details = SubStatus.COMPLETED, ""
        except Exception as ex:  # noqa: BLE001 - becomes an Error reply, as in flwr-clientapp
            log.exception("ClientApp raised an exception")
            details = f"{type(ex)}:<'{ex}'>"
            if message is not None:
                err = Error(code=ErrorCode.CLIENT_APP_RAISED_EXCEPTION, reason=details)
                reply = Message(err, reply_to=message)
        finally:
            t2 = time.perf_counter()
            try:
                if reply is not None and context is not None:
                    push_message(client, reply, context)
                    phases["push"] = time.perf_counter() - t2
            except Exception:  # noqa: BLE001
                log.exception("failed to push reply message")
            retry_invoker.max_tries = 1
            push_task_output(client=client, context=context, sub_status=sub_status, details=details)
            if heartbeat.is_running:
                heartbeat.stop()
            client.close()
        self.tasks_done += 1
        log.info("task %d done in %.2fs (%s; %s)", self.tasks_done, time.perf_counter() - t0, sub_status,
                 " ".join(f"{k} {v:.2f}s" for k, v in phases.items()))


def _watch_parent(pid: int, on_exit: Any) -> None:
    def loop() -> None:
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                on_exit()
                return
            time.sleep(1.0)

    threading.Thread(target=loop, daemon=True, name="parent-watch").start()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m medfl.client.warm_worker",
                                description=(__doc__ or "").splitlines()[0])
    p.add_argument("--runtime-api-address", required=True)
    p.add_argument("--clientapp", default=DEFAULT_CLIENTAPP, help="the only ClientApp reference to execute")
    p.add_argument("--parent-pid", type=int, default=None, help="exit when this process exits")
    p.add_argument("--poll-interval", type=float, default=0.1)
    p.add_argument("--stall-timeout-s", type=float, default=60.0,
                   help="give up on a message whose objects stop arriving for this long")
    p.add_argument("--preload", action="append", default=None,
                   help="module to import at start (repeat; default medfl.client.site_task)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll otherwise
    worker = WarmWorker(args.runtime_api_address, allowed_clientapp=args.clientapp,
                        poll_interval=args.poll_interval,
                        preload=tuple(args.preload or ["medfl.client.site_task"]),
                        stall_timeout_s=args.stall_timeout_s)
    if args.parent_pid:
        _watch_parent(args.parent_pid, lambda: os._exit(0))
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    worker.run_forever()


if __name__ == "__main__":
    main()
