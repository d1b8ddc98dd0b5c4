"""deploy/ cannot be run here (no Docker, no Slurm, no systemd), so check what can be checked statically:
the compose file parses and points at real files and entry points, shell scripts pass `bash -n`, systemd
units have the required sections, and every `medfl-server` / `medfl-client` command and flag used anywhere
in deploy/ (scripts, compose, units, sbatch, README) exists in the typer apps.
"""

import configparser
import importlib.util
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import typer
import yaml

from medfl.client.cli import app as client_app
from medfl.server.cli import app as server_app
from medfl.server.federation import load_federation_config

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
DEPLOY_FILES = [p for p in sorted(DEPLOY.rglob("*")) if p.is_file()]
IMAGE_ROOT = "/opt/medfl/"  # where the Dockerfiles put the repository


def _cli_options() -> dict[str, dict[str, set[str]]]:
    out = {}
    for name, app in (("medfl-server", server_app), ("medfl-client", client_app)):
        group = typer.main.get_command(app)
        out[name] = {cmd: {o for p in c.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}
                     for cmd, c in group.commands.items()}
    return out


_CALL = re.compile(r"(medfl-(?:server|client))\"?\s+([a-z][a-z-]*)([^`]*)")


def invocations(text: str) -> list[tuple[str, str, list[str]]]:
    """(program, subcommand, --flags) for every medfl CLI call in a file's text."""
    text = re.sub(r"\\\n\s*", " ", text)  # shell line continuations
    calls = []
    for line in text.splitlines():
        for piece in re.split(r"&&|\|\||;|\|", line):
            for m in _CALL.finditer(piece):
                calls.append((m.group(1), m.group(2), re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", m.group(3))))
    return calls


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def _compose_commands() -> list[str]:
    cmds = []
    for svc in _compose()["services"].values():
        for key in ("entrypoint", "command"):
            v = svc.get(key)
            cmds += v if isinstance(v, list) else [v] if v else []
    return cmds


def test_every_medfl_flag_used_in_deploy_exists():
    opts = _cli_options()
    seen = []
    texts = {p: p.read_text() for p in DEPLOY_FILES}
    texts["docker-compose commands"] = "\n".join(_compose_commands())
    for path, text in texts.items():
        for prog, sub, flags in invocations(text):
            assert sub in opts[prog], f"{path}: `{prog} {sub}` is not a command"
            for f in flags:
                assert f in opts[prog][sub], f"{path}: `{prog} {sub}` has no option {f}"
            seen.append((prog, sub))
    used = {f"{p} {s}" for p, s in seen}
    for must in ("medfl-server certs", "medfl-server add-site", "medfl-server start", "medfl-server plan",
                 "medfl-client keys", "medfl-client join", "medfl-client prepare"):
        assert must in used, f"deploy/ never shows `{must}`"
    assert len(seen) >= 20


def test_flag_parser_catches_a_wrong_flag():
    opts = _cli_options()
    (prog, sub, flags), = invocations("exec medfl-client join --superlink x:1 \\\n  --gpus 8")
    assert (prog, sub) == ("medfl-client", "join") and flags == ["--superlink", "--gpus"]
    assert "--gpus" not in opts[prog][sub]


def test_compose_file_references_real_files_and_entry_points():
    compose = _compose()
    services = compose["services"]
    assert {"provision", "coordinator", "site-a", "site-b", "site-c"} <= set(services)
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    for name, svc in services.items():
        build = svc["build"]
        context = (DEPLOY / build["context"]).resolve()
        assert context == REPO, name
        dockerfile = context / build["dockerfile"]
        assert dockerfile.is_file(), f"{name}: {dockerfile}"
        ep = re.search(r'^ENTRYPOINT \["([^"]+)"\]', dockerfile.read_text(), re.M).group(1)
        entry = svc.get("entrypoint", [ep])
        assert entry[0] in scripts or shutil.which(entry[0]) or entry[0] == "bash", name
        for vol in svc.get("volumes", []):
            src = vol.split(":")[0]
            if src.startswith("."):  # bind mount: must exist in the repository
                assert (DEPLOY / src).resolve().exists(), f"{name}: {src}"
            else:
                assert src in compose["volumes"], f"{name}: undeclared volume {src}"
        for arg in svc.get("entrypoint", []) + [c for c in svc.get("command", []) if isinstance(c, str)]:
            if arg.startswith(IMAGE_ROOT):
                assert (REPO / arg[len(IMAGE_ROOT):]).is_file(), f"{name}: {arg}"
    # sites reach the coordinator on the port it listens on, under the name its certificate carries
    fed = load_federation_config(DEPLOY / "compose" / "federation.toml")
    assert f"{fed.superlink.port}:{fed.superlink.port}" in services["coordinator"]["ports"]
    assert "coordinator" in fed.superlink.hostnames and not fed.superlink.insecure
    for s in ("site-a", "site-b", "site-c"):
        (_, sub, flags), = [c for c in invocations(" ".join(services[s]["command"])) if c[1] == "join"]
        assert f"coordinator:{fed.superlink.port}" in " ".join(services[s]["command"])
        assert "--insecure" not in flags and {"--ca", "--key"} <= set(flags)
    assert fed.run.min_sites == 3


def test_dockerfiles_copy_existing_paths_and_pin_torch():
    pinned = re.search(r'"torch==([\d.]+)"', (REPO / "pyproject.toml").read_text()).group(1)
    for df in (DEPLOY / "docker").glob("Dockerfile.*"):
        text = df.read_text()
        for src in re.findall(r"^COPY (\S+)", text, re.M):
            assert (REPO / src).exists(), f"{df.name}: COPY {src}"
        assert f"ARG TORCH_VERSION={pinned}" in text, df.name
        assert "whl/cpu" in text and "cu12" in text  # CPU default, CUDA variant documented


@pytest.mark.parametrize("script", [p for p in DEPLOY_FILES if p.suffix in (".sh", ".sbatch")],
                         ids=lambda p: p.name)
def test_shell_scripts_parse(script):
    r = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert script.read_text().startswith("#!/usr/bin/env bash")


def test_sbatch_runs_join_with_fsdp_on_the_allocated_gpus():
    text = (DEPLOY / "slurm" / "medfl-site.sbatch").read_text()
    assert re.search(r"^#SBATCH --gpus-per-node=\d+", text, re.M)
    flags = max((c[2] for c in invocations(text) if c[1] == "join"), key=len)
    assert {"--nproc", "--device", "--ca", "--key"} <= set(flags)


@pytest.mark.parametrize("unit", sorted((DEPLOY / "systemd").glob("*.service")), ids=lambda p: p.name)
def test_systemd_units(unit):
    cp = configparser.ConfigParser(strict=False, interpolation=None)
    cp.optionxform = str
    cp.read_string(unit.read_text())
    assert {"Unit", "Service", "Install"} <= set(cp.sections())
    exe = cp["Service"]["ExecStart"].split()[0]
    assert Path(exe).name in ("medfl-server", "medfl-client")
    assert cp["Service"]["User"] == "medfl" and cp["Service"]["Restart"] == "on-failure"


def test_modules_named_in_deploy_exist():
    names = set()
    for p in DEPLOY_FILES:
        names |= set(re.findall(r"\bmedfl\.(?:client|server|core_model|privacy)\.[a-z_]+", p.read_text()))
    assert "medfl.client.fsdp_round" in names
    for n in names:
        assert importlib.util.find_spec(n) is not None, n
