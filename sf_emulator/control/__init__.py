"""The emulator's own control API under `/__emulator/` (not part of Salesforce)."""
