"""What the apps contribute, found by convention: a module of a given name in each installed
danvan app (`panels` for the home page, `demo` for the demo data), in INSTALLED_APPS order.
Whoever assembles the contributions (core.home, the demo command) names no app."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(name: str, *, having: str) -> list[tuple[AppConfig, ModuleType]]:
    """(app, module) for every installed danvan app whose `<app>.<name>` defines `having`."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("danvan."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
            continue
        if hasattr(module, having):
            found.append((config, module))
    return found
