"""reformctl: the annual reform work-point ledger (改革工作要点台账) as version-controlled TOML."""

__version__ = "0.2.0"
