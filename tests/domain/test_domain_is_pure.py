"""The domain imports only the standard library and itself (STYLE.md, habit 1)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "truce" / "domain"


def _imports(path: Path) -> list[tuple[int, str, int]]:
    """(line, module, relative level) of every import in a module."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or "", node.level))
    return found


def _allowed(module: str, level: int) -> bool:
    if level == 1:
        return True  # from .x import y: a sibling domain module
    if level > 1:
        return False  # from ..store import ...: reaches outside the domain
    top = module.split(".")[0]
    return module == "truce.domain" or module.startswith("truce.domain.") or (
        top in sys.stdlib_module_names or top == "__future__"
    )


def test_domain_modules_exist():
    assert len(list(DOMAIN.glob("*.py"))) >= 5


def test_domain_imports_only_the_standard_library_and_itself():
    offenders = [
        f"{path.name}:{line} imports {'.' * level}{module}"
        for path in sorted(DOMAIN.glob("*.py"))
        for line, module, level in _imports(path)
        if not _allowed(module, level)
    ]
    assert offenders == []


def test_purity_check_catches_a_framework_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom ..store import repositories\nimport json\n")
    assert [(m, lvl) for _, m, lvl in _imports(bad) if not _allowed(m, lvl)] == [
        ("sqlalchemy", 0), ("store", 2)]
