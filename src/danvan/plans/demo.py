"""Demo data for the plans app, built by `python -m danvan demo` (safe to run again)."""


def build(*, admin) -> None:
    pass
