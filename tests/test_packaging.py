"""Every folder with an __init__.py under the top-level packages must be installed as medfl.*"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP = {"server": "medfl.server", "client": "medfl.client", "core_model": "medfl.core_model",
       "privacy": "medfl.privacy"}


def _declared():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return set(cfg["packages"]), cfg["package-dir"]


def test_every_package_folder_is_declared():
    packages, package_dir = _declared()
    for folder, name in TOP.items():
        assert package_dir[name] == folder
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            dotted = ".".join([name, *rel.parts]) if rel.parts else name
            assert dotted in packages, f"{init.parent} has __init__.py but {dotted} is not in pyproject"


def test_declared_packages_import():
    import importlib

    packages, _ = _declared()
    for name in packages:
        importlib.import_module(name)


def test_console_scripts_help():
    from typer.testing import CliRunner

    from medfl.client.cli import app as client_app
    from medfl.server.cli import app as server_app

    for app in (client_app, server_app):
        res = CliRunner().invoke(app, ["--help"])
        assert res.exit_code == 0, res.output
