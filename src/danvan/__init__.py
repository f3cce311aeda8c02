"""danvan: a platform for mass-mobilization work (công tác dân vận)."""

__version__ = "0.1.0"
