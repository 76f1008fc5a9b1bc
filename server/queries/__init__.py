"""Reads: what a viewer may list or open (`access_*` fetches a record or answers 404)."""
