"""The names of the entries truce writes to the ledger, and the entries whose
action is none of them.

The names are not a second list kept by hand beside the code that writes
them: they are read from that code, once per process. Every call that
appends an entry (``uow.record(ACTION, ...)``, ``ledger.append(connection,
ACTION, ...)``) names its action as a string, a module constant, an f-string
with a fixed prefix (``f"import.{origin}"``: any ``import.`` name) or a local
picked from a dict of strings; ``KNOWN`` is what those say, plus the row
entries' names (``reconcile.ROW_ACTIONS``). A test fails when a write site
names its action some other way, so a new action cannot be missed.

An entry with any other action was not written by truce: appended around it,
with every hash made to agree. `truce ledger verify` names it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from .reconcile import ROW_ACTIONS
from .tables import ledger

__all__ = ["Actions", "Unknown", "known_actions", "unknown", "written_names"]

PACKAGE = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Actions:
    names: frozenset[str]
    prefixes: frozenset[str]  # from f-strings: any name starting so
    unresolved: tuple[str, ...]  # write sites whose action could not be read (file:line)

    def __contains__(self, action: object) -> bool:
        return isinstance(action, str) and (action in self.names or any(action.startswith(p) for p in self.prefixes))


def _constants(tree: ast.AST) -> dict[str, str]:
    return {target.id: node.value.value for node in getattr(tree, "body", []) if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for target in node.targets if isinstance(target, ast.Name)}


def _action_argument(call: ast.Call) -> ast.expr | None:
    """The argument naming the action, if ``call`` appends a ledger entry."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name == "record" and call.args:
        return call.args[0]
    if (name == "append" and len(call.args) >= 2 and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name) and func.value.id == "ledger"):
        return call.args[1]
    return None


def _local_values(function: ast.AST | None, name: str) -> list[str] | None:
    """The strings a local ``name`` is assigned in ``function``: a constant or ``{...: "a", ...}[key]``."""
    if function is None:
        return None
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                return [value.value]
            if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Dict):
                found = [v.value for v in value.value.values if isinstance(v, ast.Constant)]
                if len(found) == len(value.value.values) and all(isinstance(v, str) for v in found):
                    return found
    return None


def _parameters(function: ast.AST | None) -> set[str]:
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return set()
    a = function.args
    return {p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)}


def written_names(source: str, where: str = "") -> Iterator[tuple[str, str]]:
    """(kind, value) of each action the module ``source`` writes: ("name", x),
    ("prefix", x), or ("unresolved", "file:line"). An action passed through
    a function's parameter is that function's caller's to name."""
    tree = ast.parse(source)
    constants = _constants(tree)
    functions: dict[ast.AST, ast.AST] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for child in ast.walk(function):
                functions.setdefault(child, function)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        arg = _action_argument(node)
        if arg is None:
            continue
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            yield "name", arg.value
        elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
            yield "prefix", str(arg.values[0].value)
        elif isinstance(arg, ast.Name) and arg.id in constants:
            yield "name", constants[arg.id]
        elif isinstance(arg, ast.Name) and (values := _local_values(functions.get(node), arg.id)) is not None:
            for value in values:
                yield "name", value
        elif isinstance(arg, ast.Name) and arg.id in _parameters(functions.get(node)):
            continue
        else:
            yield "unresolved", f"{where}:{node.lineno}"


@functools.cache
def known_actions() -> Actions:
    """Every action name truce writes, read from the code that writes them."""
    found: dict[str, set[str]] = {"name": set(ROW_ACTIONS), "prefix": set(), "unresolved": set()}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if ".record(" not in source and "ledger.append(" not in source:
            continue  # parsing only the modules that can append takes a fraction of the time
        for kind, value in written_names(source, str(path.relative_to(PACKAGE))):
            found[kind].add(value)
    return Actions(frozenset(found["name"]), frozenset(found["prefix"]), tuple(sorted(found["unresolved"])))


@dataclass(frozen=True)
class Unknown:
    seq: int
    action: str
    record_id: str

    def __str__(self) -> str:
        return (f"ledger entry {self.seq} ({self.action}, {self.record_id}): an action truce never writes "
                "(an entry appended around truce)")


def unknown(connection: Connection) -> Iterator[Unknown]:
    """Each entry whose action truce never writes, in order. Reads the
    distinct action names first, so only the odd ones are fetched."""
    known = known_actions()
    odd = [a for (a,) in connection.execute(select(ledger.c.action).distinct()) if a not in known]
    if not odd:
        return
    rows = connection.execution_options(yield_per=5000).execute(
        select(ledger.c.seq, ledger.c.action, ledger.c.record_id).where(ledger.c.action.in_(odd))
        .order_by(ledger.c.seq))
    for seq, action, record_id in rows:
        yield Unknown(seq, action, record_id)
