"""The shape of the code, as docs/architecture.md describes it: the import-linter contracts hold
(layers, pure modules, accounts knowing no other app's models, no import cycle), no module grows
past about 800 lines, and the document's map of layers is the one the contract checks."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "courtier"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MAX_LINES = 800
# Pure engines with their written specification, and demo data (issue 9).
LONGER_ALLOWED = {
    "courtier/acquisitions/pricing.py",
    "courtier/acquisitions/pricing_loop.py",
    "courtier/acquisitions/demo.py",
    "courtier/catalogue/demo.py",
}


def contract_layers() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    raw = config["importlinter:contract:layers"]["layers"]
    return [line.strip() for line in raw.splitlines() if line.strip()]


def test_the_import_contracts_hold(capsys):
    status = lint_imports(no_cache=True, no_logo=True)
    assert status == 0, capsys.readouterr().out


def test_no_module_is_longer_than_about_800_lines():
    long = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or relative in LONGER_ALLOWED:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            long[relative] = lines
    assert long == {}


def test_the_architecture_map_shows_the_layers_the_contract_checks():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = re.search(r"```text\nlayers\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md: the ```text layers block is missing"
    assert [line.strip() for line in block.group(1).strip().splitlines()] == contract_layers()


def test_every_app_has_its_place_in_the_architecture_map():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    apps = [
        a.removeprefix("courtier.") for a in settings.INSTALLED_APPS if a.startswith("courtier.")
    ]
    missing = [app for app in apps if f"`{app}`" not in text]
    assert missing == []
    layered = {name for line in contract_layers() for name in re.split(r"[:|]", line)}
    assert set(apps) <= {name.strip() for name in layered}
