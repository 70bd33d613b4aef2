"""Consistency: everything the audit trail records reads in French on its pages (issue 10 §5):
every action a service records, every object type (a model's own verbose name) and every key of
the before/after snapshots (a model field's verbose name, else audit.labels.FIELD_LABELS). Each
test fails when a new action, model or snapshot key comes without its label."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

import courtier
from courtier.accounts.models import AccessRequestStatus
from courtier.acquisitions.rules import Action
from courtier.audit import labels
from courtier.audit.labels import ACTION_LABELS, action_label, field_label, object_type_label
from courtier.catalogue.models import DraftStatus
from courtier.contracts.models import AmendmentAction, ContractAction
from courtier.evaluations.models import CampaignAction, RequestAction
from courtier.exitplans.models import PlanAction
from courtier.fees.models import InvoiceAction

SOURCE = Path(courtier.__file__).parent
RECORDERS = {"audit_event_record", "_record"}  # _record(by, action, obj, file, before, after)
SNAPSHOT_ARGS = {"before", "after"}
# Functions whose dicts are snapshots though no record call names them: a frozen strategy's
# content is built by _strategy_content and recorded as ``strategy.content``.
SNAPSHOT_BUILDERS = {"_strategy_content"}


def _modules() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8")))
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts and path.parts[-2:] != ("audit", "services.py")
    ]


def recorded_actions() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        # acquisitions/services.py records through _record(by, "acquisition.…", …), the
        # publication services through common.record(by, "seao_sheet.…", …).
        found |= set(re.findall(r'record\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', text))
    # access_request decisions are recorded as f"access_request.{status}".
    found |= {f"access_request.{s}" for s in AccessRequestStatus.values if s != "pending"}
    # File moves are recorded as f"acquisition.{action}" (acquisitions.rules.TRANSITIONS).
    found |= {f"acquisition.{a}" for a in Action}
    # Contract and amendment moves are recorded as f"contract.{action}" (contracts.workflow).
    found |= {f"contract.{a}" for a in ContractAction}
    found |= {f"amendment.{a}" for a in AmendmentAction}
    # Exit-plan moves are recorded as f"exit_plan.{action}" (exitplans.workflow).
    found |= {f"exit_plan.{a}" for a in PlanAction}
    # Fee invoice moves (fees.workflow) and the issues of invoices and credit notes.
    found |= {f"invoice.{a}" for a in InvoiceAction} | {"invoice.issued", "credit_note.issued"}
    # Campaign and request moves (evaluations.workflow).
    found |= {f"campaign.{a}" for a in CampaignAction}
    found |= {f"evaluation.{a}" for a in RequestAction}
    # Proposal moves are recorded as f"sheet_draft.{target}" (catalogue.workflow).
    found |= {f"sheet_draft.{s}" for s in DraftStatus.values if s != "draft"}
    return found


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _snapshot_exprs(call: ast.Call) -> list[ast.expr]:
    exprs = [k.value for k in call.keywords if k.arg in SNAPSHOT_ARGS]
    if _callee(call) in ("_record", "record"):
        exprs += call.args[4:6]
    return exprs


def _keys(node: ast.AST) -> set[str]:
    """Every string key of every dict literal inside ``node`` (nested ones too)."""
    return {
        key.value
        for sub in ast.walk(node)
        if isinstance(sub, ast.Dict)
        for key in sub.keys
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }


def snapshot_keys() -> dict[str, set[str]]:
    """Key -> where it is recorded: dicts written in a record call's before/after, dicts
    assigned to the names passed there, and dicts built by the functions called there
    (``audit_snapshot()``, ``snapshot()``, ``_candidate_snapshot(...)``...)."""
    modules = _modules()
    builders = set(SNAPSHOT_BUILDERS)
    found: dict[str, set[str]] = {}

    def add(keys: set[str], where: str) -> None:
        for key in keys:
            found.setdefault(key, set()).add(where)

    for path, tree in modules:
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            calls = [
                n for n in ast.walk(function) if isinstance(n, ast.Call) and _callee(n) in RECORDERS
            ]
            names: set[str] = set()
            for call in calls:
                for expr in _snapshot_exprs(call):
                    add(_keys(expr), f"{path.name}:{call.lineno}")
                    names |= {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
                    builders |= {_callee(n) for n in ast.walk(expr) if isinstance(n, ast.Call)} - {
                        "sorted",
                        "len",
                        "str",
                        "list",
                        "dict",
                        "isoformat",
                        "values_list",
                    }
            for node in ast.walk(function):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in names for t in node.targets
                ):
                    add(_keys(node.value), f"{path.name}:{node.lineno}")
    for path, tree in modules:
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef) and function.name in builders:
                add(_keys(function), f"{path.name}:{function.name}")
    return found


def test_every_recorded_action_has_a_french_label():
    actions = recorded_actions()
    assert "access_request.submitted" in actions  # the scan works
    assert "acquisition.scenario_chosen" in actions
    assert actions - set(ACTION_LABELS) == set()


def test_every_model_has_its_own_french_name():
    """Any model's rows may be an event's object: each names itself (Meta.verbose_name)."""
    unnamed = [
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.startswith("courtier.")
        and "verbose_name" not in model._meta.original_attrs
    ]
    assert unnamed == []


def test_the_snapshot_scan_finds_the_keys_services_record():
    keys = snapshot_keys()
    assert "budget_cents" in keys  # AcquisitionFile.audit_snapshot()
    assert "version_seen" in keys  # _candidate_snapshot(candidate)
    assert "qualified_on" in keys  # a dict written in the call
    assert "refusal_reason" in keys  # AccessRequest.audit_snapshot(), passed as ``before``
    assert "sheet_version" in keys  # a frozen strategy's content
    assert "scheduled_for" in keys  # ``before = {...}`` assigned, then passed


def test_every_snapshot_key_has_a_french_label():
    unlabelled = {
        key: sorted(where)
        for key, where in snapshot_keys().items()
        if not labels.has_field_label(key)
    }
    assert unlabelled == {}


def test_the_explicit_table_holds_only_what_models_do_not_name():
    """FIELD_LABELS is for keys no model field labels; a key a model field names need not be
    kept twice, but a wrong entry must not hide it: each entry is a recorded key."""
    recorded = set(snapshot_keys())
    # A proposal's move records its comments as f"{name}comment" (catalogue.workflow); a refused
    # price file its first problems, built in catalogue.pricefile.
    computed = {"comment", "review_comment", *labels.PRICE_FILE_ERROR_KEYS}
    assert set(labels.FIELD_LABELS) - recorded - computed == set()
    assert set(labels.PRICE_FILE_ERROR_KEYS) <= set(labels.FIELD_LABELS)


def test_labels_read_in_french(db):
    assert action_label("access_request.refused") == "Demande d'accès refusée"
    assert object_type_label("accounts.accessrequest") == "demande d'accès"
    assert object_type_label("acquisitions.startupmeeting") == "rencontre de démarrage"
    assert object_type_label("acquisitions.filedocument") == "document du dossier"
    assert object_type_label("nothing.here") == "nothing.here"


@pytest.mark.parametrize(
    ("object_type", "key", "label"),
    [
        ("acquisitions.acquisitionfile", "budget_cents", "budget disponible"),  # verbose_name
        ("acquisitions.acquisitionfile", "planned_start", "début prévu du contrat"),
        ("accounts.membership", "organisation_id", "organisation"),  # table: FK without one
        ("catalogue.providerqualification", "qualified_on", "qualifié le"),
        ("", "refusal_reason", "motif du refus"),  # any model's field, for a nested key
        ("nothing.here", "unknown_key", "unknown_key"),
    ],
)
def test_field_labels_come_from_models_first(db, object_type, key, label):
    assert field_label(object_type, key) == label
