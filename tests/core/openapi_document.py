"""The published OpenAPI document, as the contract tests read it."""

from typing import Any

HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) of every operation."""
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]
