"""A local stand-in for Amplitude's Group Identify API, for tests and the demo.

`POST /groupidentify` validates as Amplitude does and applies the operations to per-group state;
`/__emulator/` is the control API (groups, request log, faults, API keys, reset).
"""

from .app import create_app
from .store import AmplitudeStore, Fault

__all__ = ["AmplitudeStore", "Fault", "create_app"]
