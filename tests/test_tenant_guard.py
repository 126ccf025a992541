"""One tenant guard (issue 18): a record is handed to a cooperative only
through ``coop.tenancy.get_owned`` / ``find_owned`` (services) or
``coop.web.owned`` (views). This scan of the source fails when code outside
coop/tenancy.py compares a loaded record's ``cooperative_id`` with the
caller's by hand, or defines a ``*_or_404`` loader of its own.

A query filter such as ``select(Member).where(Member.cooperative_id ==
coop_id)`` is not a hand-written check: a comparison counts as SQL when
one side is a column of a model class (``Member.cooperative_id``,
``table.c.cooperative_id``) or when it is an argument of a query-building
call (``where``, ``filter``, ``and_``, ...). Everything else (``if``,
``return ... if ... else``, ``and``/``or``, comprehensions) is Python
deciding about one record, which is the guard's job.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "coop"
GUARD = "coop/tenancy.py"
HINT = ("load the record with coop.tenancy.get_owned / find_owned (services) or "
        "coop.web.owned (views) instead")

# Calls whose arguments are SQL expressions, not Python conditions.
SQL_CALLS = frozenset({
    "where", "filter", "filter_by", "having", "and_", "or_", "not_", "select", "join",
    "outerjoin", "join_from", "exists", "case", "on", "where_clause", "correlate", "update",
    "delete", "values", "aliased", "any", "has",
})

# Today's offenders, as (file, function) -> what replaces them. The domain
# refactors of issue 18 remove them; test_known_offenders_still_offend makes
# this list shrink with them, and the lead empties it when they have landed.
KNOWN: dict[tuple[str, str], str] = {
}


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    function: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.function}(): {self.what}; {HINT}"


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _is_cooperative_id(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr in ("cooperative_id", "cooperative")


def _is_column(node: ast.expr) -> bool:
    """``Model.cooperative_id`` (or ``.cooperative``) or ``<table>.c.cooperative_id``:
    a column, i.e. an SQL expression, not a loaded record's value."""
    if not _is_cooperative_id(node):
        return False
    owner = node.value
    if isinstance(owner, ast.Attribute) and owner.attr == "c":
        return True
    return isinstance(owner, ast.Name) and owner.id[:1].isupper()


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str, source: str):
        self.path = path
        self.source = source
        self.scope: list[str] = []
        self.sql_depth = 0
        self.offences: list[Offence] = []

    @property
    def function(self) -> str:
        return ".".join(self.scope) or "<module>"

    def _scoped(self, node: ast.AST, name: str) -> None:
        self.scope.append(name)
        saved, self.sql_depth = self.sql_depth, 0
        self.generic_visit(node)
        self.sql_depth = saved
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if node.name.endswith("_or_404"):
            self.offences.append(Offence(self.path, node.lineno, ".".join(self.scope + [node.name]),
                                         f"a loader of its own, {node.name}()"))
        self._scoped(node, node.name)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scoped(node, node.name)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        saved, self.sql_depth = self.sql_depth, 0
        self.generic_visit(node)
        self.sql_depth = saved

    def visit_Call(self, node: ast.Call) -> None:
        self.visit(node.func)
        sql = _call_name(node) in SQL_CALLS
        self.sql_depth += sql
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit(keyword)
        self.sql_depth -= sql

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, operands, operands[1:]):
            if (isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot, ast.In, ast.NotIn))
                    and (_is_cooperative_id(left) or _is_cooperative_id(right))
                    and not (_is_column(left) or _is_column(right))
                    and not (_is_none(left) or _is_none(right))
                    and not self.sql_depth):
                text = ast.get_source_segment(self.source, node) or ast.unparse(node)
                self.offences.append(Offence(self.path, node.lineno, self.function,
                                             f"hand-written cooperative check `{text}`"))
                break
        self.generic_visit(node)


def scan(path: Path) -> list[Offence]:
    relative = path.relative_to(ROOT).as_posix()
    source = path.read_text(encoding="utf-8")
    scanner = _Scanner(relative, source)
    scanner.visit(ast.parse(source, filename=relative))
    return scanner.offences


def offences() -> list[Offence]:
    return [o for path in sorted(PACKAGE.rglob("*.py"))
            if path.relative_to(ROOT).as_posix() != GUARD for o in scan(path)]


def test_no_hand_written_cooperative_checks():
    found = [o for o in offences() if (o.path, o.function) not in KNOWN]
    assert not found, "hand-written tenant guards:\n" + "\n".join(map(str, found))


def test_known_offenders_still_offend():
    still = {(o.path, o.function) for o in offences()}
    gone = sorted(set(KNOWN) - still)
    assert not gone, ("no longer offend, remove them from KNOWN in tests/test_tenant_guard.py: "
                      + ", ".join(f"{path} {function}()" for path, function in gone))


def _offences_in(source: str) -> list[str]:
    scanner = _Scanner("coop/example.py", source)
    scanner.visit(ast.parse(source))
    return [o.function for o in scanner.offences]


def test_the_scan_tells_a_check_from_a_filter():
    checks = '''
def a(member, coop_id):
    if member is None or member.cooperative_id != coop_id:
        raise LookupError
def b(entry, coop):
    return entry if entry is not None and entry.cooperative_id == coop.id else None
def c(rows, coop_id):
    return [r for r in rows if coop_id == r.cooperative_id]
def d(plan, other):
    assert plan.cooperative == other.cooperative
def _plan_or_404(plan_id):
    pass
'''
    assert _offences_in(checks) == ["a", "b", "c", "d", "_plan_or_404"]
    filters = '''
def a(coop_id, model, t):
    select(Member).where(Member.cooperative_id == coop_id)
    db.session.scalar(select(model.id).where(model.cooperative_id == coop_id, x))
    where = (t.c.cooperative_id == coop_id, t.c.year == 2024)
    query.filter(and_(Order.year == 1, or_(Order.cooperative_id == coop_id)))
    clause = LoginAttempt.cooperative_id == attempt.cooperative_id
    if attempt.cooperative_id is None:
        pass
'''
    assert _offences_in(filters) == []
