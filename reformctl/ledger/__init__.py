"""Ledger I/O: find the file, read it fast, build and validate the model, write it safely."""
