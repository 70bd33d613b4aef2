"""docs/workflows.md is drawn from the workflows the apps declare: it fails here when a table,
a guard or an effect changed without `courtier workflows-doc`."""

from pathlib import Path

from courtier.core.workflow import registered
from courtier.core.workflow_docs import workflows_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflows.md"


def test_every_app_workflow_is_declared():
    names = {w.name for w in registered() if not w.name.startswith("test_")}
    assert {"acquisition_file", "sheet_draft"} <= names


def test_docs_workflows_md_is_up_to_date():
    workflows = [w for w in registered() if not w.name.startswith("test_")]
    assert DOC.read_text(encoding="utf-8") == workflows_markdown(workflows), (
        "docs/workflows.md is out of date: run `courtier workflows-doc`"
    )
