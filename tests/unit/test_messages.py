"""Every refusal's message is a msgid the catalogues can hold: written out where the error
is made (a string literal, with `{name}` placeholders filled from keyword params), or a
`Msgid` written with `N_("…")` where it is data; never built with an f-string, `+`, `%` or
`.format()`, which no catalogue could hold, so that it would stay English."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

import server
from server.board.errors import KinboardError, Msgid

SERVER = Path(server.__file__).resolve().parent


def modules() -> list[tuple[ModuleType, ast.Module]]:
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        name = ".".join(path.relative_to(SERVER.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        found.append((importlib.import_module(name), tree))
    return found


MODULES = modules()


def error_classes() -> set[str]:
    """KinboardError and every subclass of it, wherever it is written."""
    return {
        node.name
        for module, tree in MODULES
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and isinstance(cls := getattr(module, node.name, None), type)
        and issubclass(cls, KinboardError)
    }


def msgid_names() -> set[str]:
    """Parameters and fields annotated `Msgid`: mypy checks that only `N_("…")` or another
    Msgid is given them."""
    names = set()
    for _, tree in MODULES:
        for node in ast.walk(tree):
            annotation = getattr(node, "annotation", None)
            if annotation is None or "Msgid" not in ast.unparse(annotation):
                continue
            if isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return names


def is_msgid(text: ast.expr | None, module: ModuleType, annotated: set[str]) -> bool:
    """A literal, a Msgid constant (`CLOSED`, `meeting.CLOSED`), or a parameter or field
    typed Msgid (`refusal`, `kind.too_long`)."""
    if isinstance(text, ast.Constant):
        return isinstance(text.value, str)
    if isinstance(text, ast.Name):
        return isinstance(getattr(module, text.id, None), Msgid) or text.id in annotated
    if isinstance(text, ast.Attribute):
        owner = getattr(module, ast.unparse(text.value), None)
        return isinstance(getattr(owner, text.attr, None), Msgid) or text.attr in annotated
    return False


def refusals() -> Iterator[tuple[str, int, ast.expr | None]]:
    """(module, line, message) of every error made that is not given a msgid."""
    classes = error_classes()
    for module, tree in MODULES:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.id if isinstance(node.func, ast.Name) else None
            called = called or (node.func.attr if isinstance(node.func, ast.Attribute) else None)
            if called in classes:
                text = node.args[0] if node.args else None
                yield module.__name__, node.lineno, text


def test_every_refusal_is_made_with_a_msgid() -> None:
    annotated = msgid_names()
    by_name = {module.__name__: module for module, _ in MODULES}
    built = [
        f"{name}:{line}: {ast.unparse(text) if text else '(no message)'}"
        for name, line, text in refusals()
        if not is_msgid(text, by_name[name], annotated)
    ]
    assert built == []


def test_the_scan_sees_every_kind_of_refusal() -> None:
    found = {(name, ast.unparse(text) if text else "") for name, _, text in refusals()}
    assert len(found) > 200
    assert ("server.board.ops", "meeting.CLOSED") in found
    assert ("server.board.parsing", "kind.too_long") in found
    assert ("server.security", "self.refusal") in found
    assert {"OriginNotAllowed", "StoreFailed", "NewerData"} <= error_classes()


def misused(marker: str, well_made: Callable[[ast.Call], bool]) -> list[str]:
    """Where a call of `marker` (N_, Nn_) is not `well_made`, as module:line."""
    return [
        f"{module.__name__}:{node.lineno}"
        for module, tree in MODULES
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == marker
        and not well_made(node)
    ]


def test_every_n_marks_a_literal() -> None:
    assert (
        misused("N_", lambda call: len(call.args) == 1 and isinstance(call.args[0], ast.Constant))
        == []
    )


def is_plural_msgid(call: ast.Call) -> bool:
    """Three literals, the third a placeholder both forms say."""
    texts = [arg.value for arg in call.args if isinstance(arg, ast.Constant)]
    return (
        len(call.args) == len(texts) == 3
        and not call.keywords
        and all(isinstance(text, str) for text in texts)
        and all(f"{{{texts[2]}}}" in text for text in texts[:2])
    )


def test_every_plural_msgid_marks_literals_and_counts_by_a_placeholder_of_both() -> None:
    """`Nn_("… {most} step.", "… {most} steps.", "most")`: written out, so that Babel
    finds both forms, and counted by a number both forms say."""
    assert misused("Nn_", is_plural_msgid) == []


@pytest.mark.parametrize(
    "made",
    [
        'Invalid(f"A board holds at most {MAX} cards.")',
        'Invalid("At most " + str(MAX))',
        'Invalid("At most %d" % MAX)',
        'Invalid("At most {most}".format(most=MAX))',
        "Invalid(message)",  # a plain str from elsewhere
        "Invalid(error.message)",
        "Invalid()",
    ],
)
def test_a_built_message_is_caught(made: str) -> None:
    call = ast.parse(made, mode="eval").body
    assert isinstance(call, ast.Call)
    text = call.args[0] if call.args else None
    assert not is_msgid(text, server, msgid_names())
