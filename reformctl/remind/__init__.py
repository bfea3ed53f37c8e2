"""Reminders where people are (``remind``): each unit's overdue and due-soon milestones as one
digest, worded for its DingTalk, WeCom or Feishu group and its mail, and sent.

The parts sit in the layers of docs/architecture.md: ``digest`` (computations: who owes what
by when, pure), ``forms`` (rendering: each platform's message), ``transport`` (I/O like
``ledger/gitio.py``: HTTP and SMTP with timeouts, retries, rate limits, the signatures, the
once-a-day log) and ``deliver`` (rendering: a digest made into messages and sent, one line a
message).
"""
