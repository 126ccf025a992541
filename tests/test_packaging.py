"""What the wheel carries (pyproject.toml) and where the app looks for it.

`.ci/wheel-check` builds the wheel, installs it outside the checkout and runs
the app from it; these tests keep pyproject.toml's lists in step with the tree
so that a new package or a new kind of static file is not left out.
"""
import tomllib
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
