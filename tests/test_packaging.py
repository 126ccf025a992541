"""What the wheel carries (pyproject.toml) and where the app looks for it.

`.ci/wheel-check` builds the wheel, installs it outside the checkout and runs
the app from it; these tests keep pyproject.toml's lists in step with the tree
so that a new package or a new kind of static file is not left out.
"""
import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import coop
from coop import create_app, resource_dir

ROOT = Path(__file__).parents[1]
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _package_path(name: str) -> Path:
    """Where setuptools takes a listed package from (package-dir mapping)."""
    mapped = SETUPTOOLS.get("package-dir", {})
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        prefix = ".".join(parts[:i])
        if prefix in mapped:
            return ROOT / mapped[prefix] / Path(*parts[i:])
    return ROOT / Path(*parts)


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_every_python_package_of_coop_is_listed():
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "coop").rglob("__init__.py")}
    assert on_disk <= set(SETUPTOOLS["packages"])


def test_templates_static_and_migrations_ship_every_file():
    for name in ("templates", "static", "migrations"):
        package = f"coop.{name}"
        assert SETUPTOOLS["package-dir"][package] == name
        shipped = set()
        for pattern in SETUPTOOLS["package-data"].get(package, []):
            shipped |= {p for p in (ROOT / name).glob(pattern) if p.is_file()}
        for listed in SETUPTOOLS["packages"]:
            if listed == package or listed.startswith(package + "."):
                shipped |= set(_package_path(listed).glob("*.py"))
        assert _files(ROOT / name) - shipped == set(), name


def test_a_checkout_finds_them_beside_the_package():
    for name in ("templates", "static", "migrations"):
        assert resource_dir(name) == ROOT / name
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})
    assert Path(app.template_folder) == ROOT / "templates"
    assert Path(app.static_folder) == ROOT / "static"
    assert Path(app.extensions["migrate"].directory) == ROOT / "migrations"


def test_an_installed_package_finds_them_inside_it(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "coop"
    (package / "templates").mkdir(parents=True)
    monkeypatch.setattr(coop, "PACKAGE_DIR", package)
    assert resource_dir("templates") == package / "templates"


def test_instance_folder_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("COOP_INSTANCE_PATH", str(tmp_path / "data"))
    app = create_app({"SECRET_KEY": "x", "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3")})
    assert app.instance_path == str(tmp_path / "data")
    assert (tmp_path / "data").is_dir()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(tmp_path / "data" / "coop.sqlite3")


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _with_their_requirements(names: set[str]) -> set[str]:
    """``names`` and every distribution they require, installed here (extras aside)."""
    seen: set[str] = set()
    todo = [_normalised(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_normalised(_requirement_name(r)) for r in requires if "extra ==" not in r]
    return seen


def _imported_modules(folder: Path) -> set[str]:
    """The top-level names every module under ``folder`` imports, at any level."""
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def test_every_module_the_app_imports_comes_with_its_own_dependencies():
    """A wheel installed without the dev extra (a server) has every module
    the app imports: each third-party import is a runtime dependency of
    pyproject.toml or one of theirs. psycopg (DATABASE_URL) is the pg extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _with_their_requirements({_requirement_name(r) for r in project["dependencies"]})
    pg = _with_their_requirements({_requirement_name(r) for r in project["optional-dependencies"]["pg"]})
    providers = metadata.packages_distributions()
    third_party = {name for name in _imported_modules(ROOT / "coop")
                   if name != "coop" and name not in sys.stdlib_module_names}
    missing = {name: providers.get(name) for name in third_party
               if not {_normalised(d) for d in providers.get(name, [])} & (runtime | pg)}
    assert missing == {}
