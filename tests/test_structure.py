"""The shape of the code a newcomer moves into: no import cycles, no reaching into another module's privates.

The imports are read from the source (``ast``), not by importing it, so that an import inside a function --
the usual way a cycle hides -- counts as much as one at the top of a module. ``if TYPE_CHECKING:`` imports
count too: a type from another module is still a dependency on it.

A module's underscore names are its own, in a subpackage too: a name that the modules of
``claimtrack/text/extract/`` share among themselves is public and named so (the package's ``__all__`` says
what the rest of claimtrack uses).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import claimtrack

PACKAGE = Path(claimtrack.__file__).parent


@dataclass
class Imports:
    """The import graph of one package: module -> the package's modules it imports (with where)."""

    modules: dict[str, Path]
    edges: dict[str, dict[str, int]] = field(default_factory=dict)
    private: list[str] = field(default_factory=list)


def module_names(root: Path) -> dict[str, Path]:
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def read_imports(root: Path) -> Imports:
    """Every import of ``root``'s package by its own modules, at module level and inside functions."""
    modules = module_names(root)
    graph = Imports(modules)
    top = root.name

    def owner(dotted: str) -> str | None:
        """The package's module that ``dotted`` names (or names something in)."""
        while dotted not in modules and "." in dotted:
            dotted = dotted.rsplit(".", 1)[0]
        return dotted if dotted in modules else None

    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        bound: dict[str, str] = {}  # local name -> the package's module it is bound to
        found: list[tuple[str, str | None, str | None, int]] = []  # (module, name imported, bound as, line)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == top:
                        found.append((alias.name, None, alias.asname, node.lineno))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".")
                    if path.name != "__init__.py":
                        base.pop()
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if source.split(".")[0] != top:
                    continue
                for alias in node.names:
                    found.append((source, alias.name, alias.asname or alias.name, node.lineno))
        for source, name, local, line in found:
            target = f"{source}.{name}" if name and f"{source}.{name}" in modules else source
            target_module = owner(target)
            if target_module is None:
                continue
            if local is not None and target in modules:
                bound[local] = target
            if target_module != module:
                graph.edges.setdefault(module, {}).setdefault(target_module, line)
                if name and target != f"{source}.{name}" and _is_private(name):
                    graph.private.append(f"{module}:{line} imports {name} from {target_module}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and _is_private(node.attr)
                and bound[node.value.id] != module
            ):
                graph.private.append(f"{module}:{node.lineno} uses {node.value.id}.{node.attr}")
    return graph


def cycles(graph: Imports) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each a set of modules in a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph.edges.get(module, {}):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in graph.modules:
        if module not in index:
            visit(module)
    return found


def describe(graph: Imports, group: list[str]) -> str:
    inside = set(group)
    return "; ".join(
        f"{module} -> {other} (line {line})"
        for module in group
        for other, line in sorted(graph.edges.get(module, {}).items())
        if other in inside
    )


def test_no_import_cycle_among_claimtracks_modules() -> None:
    graph = read_imports(PACKAGE)
    assert len(graph.modules) > 40 and sum(map(len, graph.edges.values())) > 100  # the walk saw the code
    assert [describe(graph, group) for group in cycles(graph)] == []


def test_no_module_uses_anothers_private_names() -> None:
    assert read_imports(PACKAGE).private == []


# What the text layer (claimtrack/text/) may import besides itself: the errors, the controlled vocabularies
# and the input limit a document is read within. No model, no session, no domain module.
TEXT_MAY_IMPORT = {"claimtrack.errors", "claimtrack.vocab", "claimtrack.input_files"}


def _reached(graph: Imports, start: set[str]) -> set[str]:
    """The modules ``start`` imports, directly or through others."""
    seen: set[str] = set()
    stack = list(start)
    while stack:
        for other in graph.edges.get(stack.pop(), {}):
            if other not in seen:
                seen.add(other)
                stack.append(other)
    return seen


def _imports_sqlalchemy(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] == "sqlalchemy" for name in names):
            return True
    return False


def test_the_text_layer_imports_no_model_no_session_and_no_domain() -> None:
    graph = read_imports(PACKAGE)
    text = {module for module in graph.modules if module.split(".")[:2] == ["claimtrack", "text"]}
    assert {"claimtrack.text.dates", "claimtrack.text.documents", "claimtrack.text.extract.figures"} <= text
    reached = _reached(graph, text)
    assert sorted(reached - text - TEXT_MAY_IMPORT) == []
    assert [module for module in sorted(text | reached) if _imports_sqlalchemy(graph.modules[module])] == []


def test_no_module_is_over_a_thousand_lines() -> None:
    lines = {
        module: len(path.read_text(encoding="utf-8").splitlines())
        for module, path in module_names(PACKAGE).items()
    }
    assert max(lines.values()) > 500  # the count saw the code
    assert {module: count for module, count in lines.items() if count > 1000} == {}


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


@pytest.mark.parametrize(
    "files",
    [
        # closed by an import inside a function, relative
        {"pkg/__init__.py": "", "pkg/a.py": "from .b import f\n", "pkg/b.py": "def f():\n    from .a import g\n"},
        # absolute, through a subpackage and its parent (``from .. import``)
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "import pkg.sub.c\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/c.py": "from .. import a\n",
        },
        # only for type checking
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import A\n",
        },
    ],
)
def test_a_cycle_is_found_however_it_is_written(tmp_path: Path, files: dict[str, str]) -> None:
    graph = read_imports(_write(tmp_path, files))
    assert len(cycles(graph)) == 1


def test_a_private_name_is_found_across_modules_within_a_subpackage_too(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from .b import _hidden\nfrom . import c\nc._inner()\n",
            "pkg/b.py": "_hidden = 1\n",
            "pkg/c.py": "def _inner(): ...\n",
            "pkg/sub/__init__.py": "from .d import _shared\n",
            "pkg/sub/d.py": "_shared = 1\n",
            "pkg/sub/e.py": "from .d import _shared\n",
        },
    )
    graph = read_imports(root)
    assert graph.private == [
        "pkg.a:1 imports _hidden from pkg.b",
        "pkg.a:3 uses c._inner",
        "pkg.sub:1 imports _shared from pkg.sub.d",
        "pkg.sub.e:1 imports _shared from pkg.sub.d",
    ]
    assert cycles(graph) == []


def code_map(readme: str) -> list[str]:
    """The paths the README's code map names in its first column."""
    section = readme.split("\n## Where to find what\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [path for row in rows for path in re.findall(r"`([^`]+)`", row.split(" | ")[0])]


def test_the_code_map_in_the_readme_matches_the_tree() -> None:
    root = PACKAGE.parent
    named = code_map((root / "README.md").read_text(encoding="utf-8"))
    assert [path for path in named if not (root / path.rstrip("/")).exists()] == []
    top_level = {
        f"claimtrack/{path.name}/" if path.is_dir() else f"claimtrack/{path.name}"
        for path in PACKAGE.iterdir()
        if (path.suffix == ".py" or (path / "__init__.py").exists())
    }
    assert sorted(top_level - set(named)) == []
    assert (root / "docs" / "DESIGN.md").is_file()


def test_the_code_map_names_every_module_of_the_command_line() -> None:
    named = code_map((PACKAGE.parent / "README.md").read_text(encoding="utf-8"))
    cli = PACKAGE / "cli"
    modules = {f"claimtrack/cli/{path.name}" for path in cli.glob("*.py") if path.stem != "__init__"}
    assert sorted(modules - set(named)) == []
